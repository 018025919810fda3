// The routing log: bounded memory, change events, persistence through a store (with junk dropped and
// NaN surviving JSON), and the markdown report's summary and newest-first table.
import * as assert from 'node:assert/strict';
import { RoutingLog, renderRoutingLog, type RoutingLogEntry, type RoutingLogStore } from '../../../src/core/routing/routingLog';

function entry(overrides: Partial<RoutingLogEntry> = {}): RoutingLogEntry {
  return {
    time: '2025-06-01T10:00:00.000Z',
    task: 'chat',
    tier: 'local',
    provider: 'embedded',
    model: 'qwen-7b',
    inputTokens: 100,
    outputTokens: 20,
    tokensEstimated: false,
    latencyMs: 300,
    ttftMs: 50,
    outcome: 'ok',
    costUsd: 0,
    ...overrides,
  };
}

class JsonStore implements RoutingLogStore {
  saved: string | undefined;
  saves = 0;
  fail = false;
  load(): unknown {
    return this.saved === undefined ? undefined : JSON.parse(this.saved);
  }
  async save(entries: readonly RoutingLogEntry[]): Promise<void> {
    this.saves++;
    if (this.fail) throw new Error('disk full');
    this.saved = JSON.stringify(entries);
  }
}

describe('RoutingLog', () => {
  const capacities: Array<{ capacity: number | undefined; appended: number; kept: number }> = [
    { capacity: 3, appended: 2, kept: 2 },
    { capacity: 3, appended: 5, kept: 3 },
    { capacity: undefined, appended: 520, kept: 500 },
  ];
  for (const c of capacities) {
    it(`capacity ${c.capacity ?? 'default'}: ${c.appended} appended -> the last ${c.kept} kept, oldest first`, () => {
      const log = new RoutingLog(c.capacity === undefined ? {} : { capacity: c.capacity });
      for (let i = 0; i < c.appended; i++) log.append(entry({ inputTokens: i }));
      const kept = log.entries().map((e) => e.inputTokens);
      assert.equal(kept.length, c.kept);
      assert.deepEqual(kept, Array.from({ length: c.kept }, (_, i) => c.appended - c.kept + i));
    });
  }

  it('emits onChange on append and clear until unsubscribed', () => {
    const log = new RoutingLog();
    const seen: number[] = [];
    const off = log.onChange((entries) => seen.push(entries.length));
    log.append(entry());
    log.append(entry());
    log.clear();
    off();
    log.append(entry());
    assert.deepEqual(seen, [1, 2, 0]);
  });

  it('saves through the store and loads back, NaN first-token times included', async () => {
    const store = new JsonStore();
    const first = new RoutingLog({ store });
    first.append(entry({ ttftMs: NaN, outcome: 'fallback', note: 'anthropic: 401' }));
    first.append(entry({ tier: 'frontier', costUsd: null }));
    await first.flush();
    assert.equal(store.saves, 2);

    const second = new RoutingLog({ store });
    second.append(entry({ task: 'refactor' })); // appended before the load finished
    await second.load();
    const entries = second.entries();
    assert.equal(entries.length, 3);
    assert.ok(Number.isNaN(entries[0]!.ttftMs));
    assert.equal(entries[0]!.note, 'anthropic: 401');
    assert.equal(entries[1]!.costUsd, null);
    assert.equal(entries[2]!.task, 'refactor');
  });

  it('drops malformed persisted entries', async () => {
    const store = new JsonStore();
    store.saved = JSON.stringify([entry(), { time: 'x' }, entry({ task: 'nonsense' as never }), entry({ outcome: 'weird' as never }), 7, entry({ tier: 'frontier' })]);
    const log = new RoutingLog({ store });
    await log.load();
    assert.deepEqual(log.entries().map((e) => e.tier), ['local', 'frontier']);
  });

  it('a store that fails to save does not break appending', async () => {
    const store = new JsonStore();
    store.fail = true;
    const log = new RoutingLog({ store });
    log.append(entry());
    await log.flush();
    assert.equal(log.entries().length, 1);
    assert.equal(store.saves, 1);
  });
});

describe('renderRoutingLog', () => {
  it('says so when nothing was routed', () => {
    assert.match(renderRoutingLog([]), /No requests have been routed yet/);
  });

  it('summarises by tier, tokens, cost and failures, and lists entries newest first', () => {
    const doc = renderRoutingLog([
      entry({ time: '2025-06-01T10:00:00.000Z', task: 'chat', inputTokens: 1000, outputTokens: 200 }),
      entry({ time: '2025-06-01T10:01:00.000Z', task: 'refactor', tier: 'frontier', provider: 'anthropic', model: 'claude-sonnet-4-5', inputTokens: 2000, outputTokens: 0, outcome: 'fallback', costUsd: 0, ttftMs: NaN, note: 'Anthropic refused the key | check it.' }),
      entry({ time: '2025-06-01T10:01:01.000Z', task: 'refactor', inputTokens: 2000, outputTokens: 500, tokensEstimated: true }),
      entry({ time: '2025-06-01T10:02:00.000Z', task: 'explain', tier: 'frontier', provider: 'openai', model: 'gpt-4.1', inputTokens: 10_000, outputTokens: 1000, costUsd: 0.028 }),
      entry({ time: '2025-06-01T10:03:00.000Z', task: 'chat', tier: 'frontier', provider: 'openai', model: 'mystery', inputTokens: 10, outputTokens: 1, costUsd: null, outcome: 'aborted' }),
    ]);
    assert.match(doc, /Requests: 5 \(local 2, frontier 3\)/);
    assert.match(doc, /Tokens: ~16,711 \(~15,010 in, ~1,701 out\)/);
    assert.match(doc, /Estimated cost: \$0\.03 \(1 with unknown price not counted\)/);
    assert.match(doc, /Failures: 1; cancelled: 1/);

    const rows = doc.split('\n').filter((line) => line.startsWith('| 2025'));
    assert.deepEqual(
      rows.map((r) => r.split(' | ')[0]),
      ['| 2025-06-01T10:03:00.000Z', '| 2025-06-01T10:02:00.000Z', '| 2025-06-01T10:01:01.000Z', '| 2025-06-01T10:01:00.000Z', '| 2025-06-01T10:00:00.000Z'],
    );
    assert.match(rows[0]!, /\| unknown \| aborted \|/);
    assert.match(rows[1]!, /\| 10,000 \/ 1,000 \| 300 ms \| 50 ms \| \$0\.03 \| ok \|/);
    assert.match(rows[2]!, /\| ~2,000 \/ ~500 \|/);
    // The pipe inside the note is escaped, so the row keeps its 11 cells.
    assert.match(rows[3]!, /\| – \| \$0 \| fallback \| Anthropic refused the key \\\| check it\. \|$/);
    assert.equal(rows[3]!.split(/(?<!\\)\|/).length, 13);
  });

  it('shows small costs with enough digits', () => {
    const doc = renderRoutingLog([entry({ tier: 'frontier', costUsd: 0.0042 }), entry({ tier: 'frontier', costUsd: 0.00001 })]);
    assert.match(doc, /\| \$0\.0042 \|/);
    assert.match(doc, /\| <\$0\.0001 \|/);
    assert.match(doc, /Estimated cost: \$0\.0042/);
    assert.doesNotMatch(doc, /~/);
  });
});
