// Consent before code first goes to a frontier provider: asked once per provider label, a 'send'
// remembered in the store, 'local' and 'cancel' asked again next time, racing requests sharing one
// question, and persisted junk ignored.
import * as assert from 'node:assert/strict';
import {
  CONSENT_STORE_KEY,
  FrontierConsent,
  type ConsentChoice,
  type ConsentStore,
} from '../../../src/core/routing/frontierConsent';

class MemoryStore implements ConsentStore {
  readonly data = new Map<string, unknown>();
  get(key: string): string[] | undefined {
    return this.data.get(key) as string[] | undefined;
  }
  async set(key: string, value: string[]): Promise<void> {
    this.data.set(key, value);
  }
}

/** An ask callback that answers from a script and records every question. */
function scriptedAsk(answers: ConsentChoice[]) {
  const asked: Array<{ label: string; files: string[] }> = [];
  const ask = async (label: string, files: string[]): Promise<ConsentChoice> => {
    asked.push({ label, files });
    const answer = answers.shift();
    assert.ok(answer, 'asked more often than expected');
    return answer;
  };
  return { ask, asked };
}

describe('FrontierConsent', () => {
  const cases: Array<{ name: string; answers: ConsentChoice[]; calls: string[]; results: ConsentChoice[]; asks: number; stored: string[] | undefined }> = [
    { name: "'send' is remembered: the second request is not asked", answers: ['send'], calls: ['anthropic', 'anthropic'], results: ['send', 'send'], asks: 1, stored: ['anthropic'] },
    { name: "'local' is not remembered", answers: ['local', 'local'], calls: ['anthropic', 'anthropic'], results: ['local', 'local'], asks: 2, stored: undefined },
    { name: "'cancel' is not remembered", answers: ['cancel', 'send', ], calls: ['anthropic', 'anthropic', 'anthropic'], results: ['cancel', 'send', 'send'], asks: 2, stored: ['anthropic'] },
    { name: 'consent is per provider label', answers: ['send', 'send'], calls: ['anthropic', 'openai (api.openai.com)', 'anthropic'], results: ['send', 'send', 'send'], asks: 2, stored: ['anthropic', 'openai (api.openai.com)'] },
    { name: 'a refusal for one provider leaves another asked', answers: ['send', 'cancel'], calls: ['anthropic', 'openai (10.0.0.5:8000)', 'anthropic'], results: ['send', 'cancel', 'send'], asks: 2, stored: ['anthropic'] },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const store = new MemoryStore();
      const { ask, asked } = scriptedAsk([...c.answers]);
      const consent = new FrontierConsent(store, ask);
      const results: ConsentChoice[] = [];
      for (const label of c.calls) results.push(await consent.ensure(label, ['src/a.ts']));
      assert.deepEqual(results, c.results);
      assert.equal(asked.length, c.asks);
      assert.deepEqual(store.data.get(CONSENT_STORE_KEY), c.stored);
    });
  }

  it('passes the label and files to the question', async () => {
    const { ask, asked } = scriptedAsk(['send']);
    await new FrontierConsent(new MemoryStore(), ask).ensure('anthropic', ['src/a.ts', 'lib/b.py']);
    assert.deepEqual(asked, [{ label: 'anthropic', files: ['src/a.ts', 'lib/b.py'] }]);
  });

  it('remembers across instances through the store (a new session)', async () => {
    const store = new MemoryStore();
    await new FrontierConsent(store, scriptedAsk(['send']).ask).ensure('anthropic', []);
    const later = scriptedAsk([]);
    const consent = new FrontierConsent(store, later.ask);
    assert.equal(consent.has('anthropic'), true);
    assert.equal(await consent.ensure('anthropic', ['x.ts']), 'send');
    assert.equal(later.asked.length, 0);
  });

  it('two racing requests to the same provider share one question', async () => {
    let answer!: (choice: ConsentChoice) => void;
    let asks = 0;
    const consent = new FrontierConsent(new MemoryStore(), () => {
      asks++;
      return new Promise<ConsentChoice>((resolve) => (answer = resolve));
    });
    const first = consent.ensure('anthropic', ['a.ts']);
    const second = consent.ensure('anthropic', ['b.ts']);
    await Promise.resolve();
    answer('send');
    assert.deepEqual(await Promise.all([first, second]), ['send', 'send']);
    assert.equal(asks, 1);
  });

  it('ignores junk in the store and keeps valid labels', async () => {
    const store = new MemoryStore();
    store.data.set(CONSENT_STORE_KEY, ['anthropic', 42, null]);
    const consent = new FrontierConsent(store, scriptedAsk(['send']).ask);
    assert.deepEqual(consent.granted(), ['anthropic']);
    store.data.set(CONSENT_STORE_KEY, 'anthropic');
    assert.deepEqual(consent.granted(), []);
    assert.equal(await consent.ensure('anthropic', []), 'send');
    assert.deepEqual(store.data.get(CONSENT_STORE_KEY), ['anthropic']);
  });

  it('revoke forgets one provider, or all', async () => {
    const store = new MemoryStore();
    store.data.set(CONSENT_STORE_KEY, ['anthropic', 'openai']);
    const consent = new FrontierConsent(store, scriptedAsk([]).ask);
    await consent.revoke('anthropic');
    assert.deepEqual(consent.granted(), ['openai']);
    await consent.revoke();
    assert.deepEqual(consent.granted(), []);
  });

  it('a question that throws is not remembered as consent', async () => {
    const store = new MemoryStore();
    const consent = new FrontierConsent(store, async () => {
      throw new Error('no window');
    });
    await assert.rejects(consent.ensure('anthropic', []), /no window/);
    assert.equal(consent.has('anthropic'), false);
  });
});
