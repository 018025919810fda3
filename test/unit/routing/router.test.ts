// The router end to end with fake providers and a fake clock: which provider answers, consent
// before the first frontier send (send / local / cancel / remembered), fallback to the local model on
// every recoverable frontier failure before text but never after text or on abort, the routing log
// entries each attempt leaves, and onRoute arriving before the first chunk.
import * as assert from 'node:assert/strict';
import { configFrom, type RoutingConfig } from '../../../src/core/config';
import { BackendError, isBackendError, type BackendErrorCode } from '../../../src/core/kernel/backendError';
import type { ChatProvider, ChatRequest, ChatResult, Tier } from '../../../src/core/kernel/chatTypes';
import { FrontierConsent, type ConsentChoice, type ConsentGate } from '../../../src/core/routing/frontierConsent';
import {
  CANCELLED_MESSAGE,
  FALLBACK_CODES,
  Router,
  type ProviderLookup,
  type RoutedTask,
  type RouteAnnouncement,
} from '../../../src/core/routing/router';
import { RoutingLog } from '../../../src/core/routing/routingLog';

/** A clock the fake providers advance, so latencies are exact. */
class Clock {
  t = Date.UTC(2025, 5, 1, 10, 0, 0);
  now = (): number => this.t;
}

interface Script {
  chunks?: string[];
  /** Rejects with this after streaming `chunks`. */
  fail?: BackendError | Error;
  /** Waits for the request's signal, then rejects with 'aborted'. */
  hang?: boolean;
  usage?: ChatResult['usage'];
  answeredModel?: string;
}

class FakeProvider implements ChatProvider {
  readonly kind = 'openai' as const;
  readonly requests: ChatRequest[] = [];
  script: Script = { chunks: ['ok'] };

  constructor(
    readonly tier: Tier,
    readonly label: string,
    readonly model: string,
    private readonly window: number,
    private readonly clock: Clock,
    private readonly events: string[],
  ) {}

  async contextWindow(): Promise<number> {
    return this.window;
  }

  async chat(request: ChatRequest): Promise<ChatResult> {
    this.requests.push(request);
    this.events.push(`send:${this.label}`);
    const started = this.clock.t;
    this.clock.t += 40; // time to first token
    const chunks = this.script.chunks ?? [];
    for (const chunk of chunks) {
      request.onText?.(chunk);
      this.events.push(`text:${chunk}`);
      this.clock.t += 10;
    }
    if (this.script.hang) {
      await new Promise<void>((resolve) => request.signal?.addEventListener('abort', () => resolve(), { once: true }));
      throw new BackendError('aborted', 'The request was cancelled.');
    }
    if (this.script.fail) throw this.script.fail;
    return {
      text: chunks.join(''),
      usage: this.script.usage ?? { inputTokens: 1000, outputTokens: 200, estimated: false },
      finishReason: 'stop',
      model: this.script.answeredModel ?? this.model,
      ttftMs: 40,
      totalMs: this.clock.t - started,
      attempts: 1,
    };
  }

  dispose(): void {}
}

class FakeConsent implements ConsentGate {
  readonly asked: Array<{ label: string; files: string[] }> = [];
  constructor(public answer: ConsentChoice = 'send') {}
  async ensure(label: string, files: string[]): Promise<ConsentChoice> {
    this.asked.push({ label, files });
    return this.answer;
  }
}

function setup(options: { config?: Partial<RoutingConfig>; trusted?: boolean; local?: string; frontier?: string; consent?: ConsentGate } = {}) {
  const clock = new Clock();
  const events: string[] = [];
  const local = new FakeProvider('local', 'embedded', 'qwen-7b', 4096, clock, events);
  const frontier = new FakeProvider('frontier', 'anthropic', 'claude-sonnet-4-5', 200_000, clock, events);
  const lookups = { local: 0, frontier: 0 };
  const consent = options.consent ?? new FakeConsent();
  const log = new RoutingLog();
  const notices: string[] = [];
  const lookup = (provider: FakeProvider, unavailable: string | undefined): ProviderLookup =>
    unavailable === undefined ? { provider } : { unavailable };
  const router = new Router({
    providers: {
      local: async () => (lookups.local++, lookup(local, options.local)),
      frontier: async () => (lookups.frontier++, lookup(frontier, options.frontier)),
    },
    config: () => ({ ...configFrom({}).routing, ...options.config }),
    trusted: () => options.trusted ?? true,
    consent,
    log,
    notify: (n) => notices.push(n),
    now: clock.now,
    estimateTokens: (text) => text.length, // 1 token per character keeps sizes readable
  });
  return { router, local, frontier, consent, log, notices, events, clock, lookups };
}

const SECRET_CODE = 'function hunter2() { return "s3cret"; }';

function task(overrides: Partial<RoutedTask> = {}): RoutedTask {
  return { kind: 'refactor', messages: [{ role: 'user', content: SECRET_CODE }], files: ['src/auth.ts'], maxTokens: 500, ...overrides };
}

async function rejection(promise: Promise<unknown>): Promise<BackendError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isBackendError(error), `expected a BackendError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the promise to reject');
}

describe('Router', () => {
  it('a local task: answered locally, logged with tokens, latency, first token and zero cost', async () => {
    const s = setup();
    s.local.script = { chunks: ['a', 'b'], usage: { inputTokens: 70, outputTokens: 2, estimated: false } };
    const result = await s.router.run(task({ kind: 'explain', maxTokens: 300, temperature: 0.5 }));

    assert.equal(result.text, 'ab');
    assert.equal(result.tier, 'local');
    assert.equal(result.provider, 'embedded');
    assert.equal(result.model, 'qwen-7b');
    assert.deepEqual(result.decision, { tier: 'local', reason: 'default for explain' });
    assert.deepEqual(result.notices, []);
    assert.equal((s.consent as FakeConsent).asked.length, 0, 'no consent for local work');
    const [request] = s.local.requests;
    assert.equal(request!.maxTokens, 300);
    assert.equal(request!.temperature, 0.5);
    assert.deepEqual(s.log.entries(), [
      {
        time: '2025-06-01T10:00:00.000Z',
        task: 'explain',
        tier: 'local',
        provider: 'embedded',
        model: 'qwen-7b',
        inputTokens: 70,
        outputTokens: 2,
        tokensEstimated: false,
        latencyMs: 60,
        ttftMs: 40,
        outcome: 'ok',
        costUsd: 0,
        note: 'default for explain',
      },
    ]);
  });

  it('a local provider off this machine and the private network asks consent like the frontier; no means nothing is sent', async () => {
    const consent = new FakeConsent('cancel');
    const s = setup({ consent });
    Object.assign(s.local, { leavesMachine: true });
    const error = await rejection(s.router.run(task({ kind: 'explain', maxTokens: 300 })));
    assert.equal(error.code, 'aborted');
    assert.match(error.message, /Nothing was sent: embedded is not on this machine or your network/);
    assert.deepEqual(consent.asked, [{ label: 'embedded', files: ['src/auth.ts'] }]);
    assert.equal(s.local.requests.length, 0);
    consent.answer = 'send';
    const result = await s.router.run(task({ kind: 'explain', maxTokens: 300 }));
    assert.equal(result.tier, 'local');
    assert.equal(s.local.requests.length, 1);
  });

  it('a local provider on this machine never asks', async () => {
    const consent = new FakeConsent('cancel');
    const s = setup({ consent });
    await s.router.run(task({ kind: 'explain', maxTokens: 300 }));
    assert.deepEqual(consent.asked, []);
  });

  it('a frontier task: asks consent with the files, then logs the estimated cost', async () => {
    const s = setup();
    s.frontier.script = { chunks: ['x'], usage: { inputTokens: 1000, outputTokens: 200, estimated: false } };
    const result = await s.router.run(task());
    assert.equal(result.tier, 'frontier');
    assert.equal(result.provider, 'anthropic');
    assert.deepEqual((s.consent as FakeConsent).asked, [{ label: 'anthropic', files: ['src/auth.ts'] }]);
    const [entry] = s.log.entries();
    assert.equal(entry!.outcome, 'ok');
    assert.equal(entry!.tier, 'frontier');
    assert.ok(Math.abs(entry!.costUsd! - (1000 * 3 + 200 * 15) / 1e6) < 1e-12); // claude-sonnet-4: $3 / $15
    assert.equal(s.local.requests.length, 0);
  });

  it('the model the provider reports is logged and priced, and the config pricing applies', async () => {
    const s = setup({ config: { pricing: { 'claude-sonnet-4-5-20250929': { input: 10, output: 0 } } } });
    s.frontier.script = { chunks: ['x'], answeredModel: 'claude-sonnet-4-5-20250929' };
    const result = await s.router.run(task());
    assert.equal(result.model, 'claude-sonnet-4-5-20250929');
    const [entry] = s.log.entries();
    assert.equal(entry!.model, 'claude-sonnet-4-5-20250929');
    assert.equal(entry!.costUsd, 0.01);
  });

  it('calls onRoute before the first chunk', async () => {
    const s = setup();
    s.frontier.script = { chunks: ['one', 'two'] };
    const routes: RouteAnnouncement[] = [];
    await s.router.run(
      task({
        onRoute: (route) => {
          routes.push(route);
          s.events.push(`route:${route.provider}`);
        },
        onText: (chunk) => s.events.push(`ui:${chunk}`),
      }),
    );
    assert.deepEqual(s.events, ['route:anthropic', 'send:anthropic', 'ui:one', 'text:one', 'ui:two', 'text:two']);
    assert.deepEqual(routes, [{ tier: 'frontier', reason: 'default for refactor', provider: 'anthropic', model: 'claude-sonnet-4-5' }]);
  });

  describe('fallback to the local model', () => {
    for (const code of FALLBACK_CODES) {
      it(`on '${code}' before any text: answers locally, says why, logs both attempts`, async () => {
        const s = setup();
        const message = `Anthropic failed with ${code}. Check the settings.`;
        s.frontier.script = { fail: new BackendError(code, message) };
        s.local.script = { chunks: ['local answer'] };
        const routes: string[] = [];
        const result = await s.router.run(task({ onRoute: (r) => routes.push(`${r.tier}:${r.provider}`) }));

        assert.equal(result.text, 'local answer');
        assert.equal(result.tier, 'local');
        assert.equal(result.decision.tier, 'local');
        assert.equal(result.decision.reason, `frontier failed (${code})`);
        assert.deepEqual(routes, ['frontier:anthropic', 'local:embedded']);
        assert.equal(result.notices.length, 1);
        assert.deepEqual(s.notices, result.notices);
        assert.ok(result.notices[0]!.includes(`"Anthropic failed with ${code}. Check the settings"`), result.notices[0]);
        assert.ok(result.notices[0]!.includes('local model (qwen-7b)'));
        assert.deepEqual(
          s.log.entries().map((e) => [e.tier, e.outcome, e.note]),
          [
            ['frontier', 'fallback', message],
            ['local', 'ok', `frontier failed (${code})`],
          ],
        );
        assert.equal(s.log.entries()[0]!.costUsd, 0, 'a failure before text is not billed');
      });
    }

    for (const code of ['model-load', 'worker-crashed'] as BackendErrorCode[]) {
      it(`not on '${code}'`, async () => {
        const s = setup();
        s.frontier.script = { fail: new BackendError(code, 'It broke.') };
        const error = await rejection(s.router.run(task()));
        assert.equal(error.code, code);
        assert.equal(s.local.requests.length, 0);
        assert.deepEqual(s.log.entries().map((e) => e.outcome), ['error']);
      });
    }

    it('never after text has streamed: the request fails, no silent re-answer', async () => {
      const s = setup();
      s.frontier.script = { chunks: ['partial answ'], fail: new BackendError('http', 'Anthropic broke off the reply. Try again.') };
      const seen: string[] = [];
      const error = await rejection(s.router.run(task({ onText: (c) => seen.push(c) })));
      assert.equal(error.code, 'http');
      assert.deepEqual(seen, ['partial answ']);
      assert.equal(s.local.requests.length, 0);
      const [entry] = s.log.entries();
      assert.equal(entry!.outcome, 'error');
      assert.equal(entry!.outputTokens, 'partial answ'.length);
      assert.equal(entry!.tokensEstimated, true);
      assert.ok(entry!.costUsd! > 0, 'streamed tokens were billed');
      assert.equal(entry!.ttftMs, 40);
    });

    it('not when no local model is set up: the frontier error stands', async () => {
      const s = setup({ local: 'no local chat model is set up.' });
      s.frontier.script = { fail: new BackendError('unreachable', 'Anthropic could not be reached. Check the network.') };
      const error = await rejection(s.router.run(task({ kind: 'chat' })));
      assert.equal(error.code, 'unreachable');
      assert.deepEqual(s.log.entries().map((e) => [e.tier, e.outcome]), [['frontier', 'error']]);
      assert.equal(s.notices.length, 1, 'only the notice that chat went to the frontier');
    });

    it('a local failure does not go to the frontier', async () => {
      const s = setup();
      s.local.script = { fail: new BackendError('worker-crashed', 'The model process died. It restarts on the next request.') };
      const error = await rejection(s.router.run(task({ kind: 'chat' })));
      assert.equal(error.code, 'worker-crashed');
      assert.equal(s.frontier.requests.length, 0);
      assert.deepEqual(s.log.entries().map((e) => [e.tier, e.outcome]), [['local', 'error']]);
    });

    it('a provider that throws a plain Error is reported as a BackendError', async () => {
      const s = setup();
      s.local.script = { fail: new TypeError('x is undefined') };
      const error = await rejection(s.router.run(task({ kind: 'chat' })));
      assert.equal(error.code, 'malformed');
      assert.match(error.message, /embedded failed unexpectedly: x is undefined/);
    });
  });

  describe('aborts', () => {
    it('an abort during the frontier request never falls back', async () => {
      const s = setup();
      s.frontier.script = { hang: true };
      const controller = new AbortController();
      const running = s.router.run(task({ signal: controller.signal }));
      await new Promise((resolve) => setImmediate(resolve));
      controller.abort();
      const error = await rejection(running);
      assert.equal(error.code, 'aborted');
      assert.equal(s.local.requests.length, 0);
      assert.deepEqual(s.log.entries().map((e) => [e.tier, e.outcome]), [['frontier', 'aborted']]);
    });

    it('an already aborted request sends nothing and asks nothing', async () => {
      const s = setup();
      const controller = new AbortController();
      controller.abort();
      const error = await rejection(s.router.run(task({ signal: controller.signal })));
      assert.equal(error.code, 'aborted');
      assert.equal((s.consent as FakeConsent).asked.length, 0);
      assert.equal(s.frontier.requests.length + s.local.requests.length, 0);
      assert.equal(s.log.entries().length, 0);
    });
  });

  describe('consent', () => {
    it("'local' runs the task locally and says so", async () => {
      const s = setup({ consent: new FakeConsent('local') });
      const result = await s.router.run(task());
      assert.equal(result.tier, 'local');
      assert.equal(s.frontier.requests.length, 0);
      assert.deepEqual(result.notices, ['Answering with the local model (qwen-7b) because you chose not to send code to anthropic.']);
      assert.equal(result.decision.reason, 'default for refactor; user kept code local');
      assert.deepEqual(s.log.entries().map((e) => [e.tier, e.outcome]), [['local', 'ok']]);
    });

    it("'cancel' sends nothing and rejects", async () => {
      const s = setup({ consent: new FakeConsent('cancel') });
      const error = await rejection(s.router.run(task()));
      assert.equal(error.code, 'aborted');
      assert.equal(error.message, CANCELLED_MESSAGE);
      assert.equal(s.frontier.requests.length + s.local.requests.length, 0);
      assert.equal(s.log.entries().length, 0);
    });

    it('is asked once per provider and then remembered', async () => {
      const stored = new Map<string, string[]>();
      let asks = 0;
      const consent = new FrontierConsent(
        { get: (k) => stored.get(k), set: (k, v) => void stored.set(k, v) },
        async () => (asks++, 'send'),
      );
      const s = setup({ consent });
      await s.router.run(task());
      await s.router.run(task({ kind: 'multi-file-question' }));
      assert.equal(asks, 1);
      assert.equal(s.frontier.requests.length, 2);
    });

    it('a consent question that fails sends nothing', async () => {
      const s = setup({ consent: { ensure: async () => { throw new Error('no UI'); } } });
      const error = await rejection(s.router.run(task()));
      assert.equal(error.code, 'aborted');
      assert.match(error.message, /^Cancelled: nothing was sent\. The consent question failed: no UI\.$/);
      assert.equal(s.frontier.requests.length, 0);
    });
  });

  describe('routing situations', () => {
    it('frontier off: the frontier source is not even asked, and the notice is shown', async () => {
      const s = setup({ config: { frontierEnabled: false } });
      const result = await s.router.run(task());
      assert.equal(result.tier, 'local');
      assert.equal(s.lookups.frontier, 0);
      assert.equal(s.notices.length, 1);
      assert.match(s.notices[0]!, /frontier models are off/);
    });

    it('untrusted workspace: nothing goes to the frontier', async () => {
      const s = setup({ trusted: false });
      const result = await s.router.run(task({ requested: 'frontier' }));
      assert.equal(result.tier, 'local');
      assert.equal(s.lookups.frontier, 0);
      assert.match(result.notices[0]!, /not trusted/);
    });

    it('frontier unavailable: local with the provider’s reason', async () => {
      const s = setup({ frontier: "no API key for Anthropic; run 'Bantam: Set API Key'" });
      const result = await s.router.run(task());
      assert.equal(result.tier, 'local');
      assert.match(result.notices[0]!, /Set API Key/);
    });

    it('neither set up: rejects saying what to set up, logs nothing', async () => {
      const s = setup({ frontier: "no API key for Anthropic; run 'Bantam: Set API Key'", local: 'no local chat model; run "Bantam: Download Model"' });
      const error = await rejection(s.router.run(task()));
      assert.equal(error.code, 'model-missing');
      assert.match(error.message, /Set API Key.*Download Model/);
      assert.equal(s.log.entries().length, 0);
    });

    it('a local-default prompt larger than the local window goes to the frontier', async () => {
      const s = setup();
      const big = 'x'.repeat(5000);
      const result = await s.router.run(task({ kind: 'chat', messages: [{ role: 'user', content: big }] }));
      assert.equal(result.tier, 'frontier');
      assert.equal(result.decision.reason, 'prompt 5,004 + answer 500 tokens > local window 4,096');
    });

    it('an explicit local pick that overflows only by the answer gets a shorter answer budget', async () => {
      const s = setup();
      const result = await s.router.run(
        task({ kind: 'chat', requested: 'local', maxTokens: 1000, messages: [{ role: 'user', content: 'x'.repeat(3496) }] }),
      );
      assert.equal(result.tier, 'local');
      assert.equal(s.local.requests[0]!.maxTokens, 596); // 4,096 - (3,496 + 4 framing)
      assert.match(result.notices[0]!, /cut short at about 596 tokens/);
    });

    it('without maxTokens the config’s maxAnswerTokens is the answer budget', async () => {
      const s = setup({ config: { maxAnswerTokens: 123 } });
      await s.router.run(task({ kind: 'chat', maxTokens: undefined }));
      assert.equal(s.local.requests[0]!.maxTokens, 123);
    });

    it('a provider lookup that throws counts as unavailable', async () => {
      const s = setup();
      const router = new Router({
        providers: {
          local: async () => ({ provider: s.local }),
          frontier: async () => {
            throw new Error('SecretStorage is locked');
          },
        },
        config: () => configFrom({}).routing,
        trusted: () => true,
        consent: new FakeConsent(),
        log: s.log,
      });
      const result = await router.run(task());
      assert.equal(result.tier, 'local');
      assert.match(result.notices[0]!, /SecretStorage is locked/);
    });
  });

  it('never writes message text to the routing log', async () => {
    const s = setup();
    s.frontier.script = { fail: new BackendError('timeout', 'Anthropic did not answer in time. Try again.') };
    s.local.script = { chunks: ['the answer mentions hunter2'] };
    await s.router.run(task());
    const logged = JSON.stringify(s.log.entries());
    assert.equal(s.log.entries().length, 2);
    assert.ok(!logged.includes('hunter2'), logged);
    assert.ok(!logged.includes('s3cret'), logged);
  });
  describe('a prompt built for the model that gets it', () => {
    // Local window 4,096 (a quarter kept for the answer): room 3,072. Frontier window 200,000 (up
    // to the 4,096-token answer cap kept): room 195,904.
    const built = (rooms: number[], tokens = 10) => async (room: number) => {
      rooms.push(room);
      return { messages: [{ role: 'user' as const, content: `room ${room} ${'x'.repeat(tokens * 4)}` }], files: [`room-${room}.ts`] };
    };

    it('a local task is built once, for the local room', async () => {
      const s = setup();
      const rooms: number[] = [];
      await s.router.run({ kind: 'explain', build: built(rooms) });
      assert.deepEqual(rooms, [3072]);
      assert.equal(s.local.requests.length, 1);
    });

    it('the build gets the task signal: Cancel stops a gatherer (a codebase search), and nothing is sent', async () => {
      const s = setup();
      const controller = new AbortController();
      let seen: AbortSignal | undefined;
      const run = s.router.run({
        kind: 'explain',
        signal: controller.signal,
        build: (_room, signal) => {
          seen = signal;
          return new Promise((_resolve, reject) =>
            signal?.addEventListener('abort', () => reject(Object.assign(new Error('search aborted'), { name: 'AbortError' })), { once: true }),
          );
        },
      });
      await new Promise((r) => setImmediate(r));
      assert.equal(seen, controller.signal);
      controller.abort();
      const error = await rejection(run);
      assert.equal(error.code, 'aborted');
      assert.equal(s.local.requests.length + s.frontier.requests.length, 0);
    });

    it('a frontier task is built for the frontier room, and consent lists the files of that build', async () => {
      const consent = new FakeConsent('send');
      const s = setup({ consent });
      const rooms: number[] = [];
      await s.router.run({ kind: 'refactor', build: built(rooms) });
      assert.deepEqual(rooms, [195_904]);
      assert.deepEqual(consent.asked[0]?.files, ['room-195904.ts']);
    });

    it('a fallback to the local model builds again, for the local room, and sends that build', async () => {
      const s = setup();
      s.frontier.script = { fail: new BackendError('http', 'Anthropic answered HTTP 500.') };
      const rooms: number[] = [];
      const result = await s.router.run({ kind: 'multi-file-question', build: built(rooms) });
      assert.equal(result.tier, 'local');
      assert.deepEqual(rooms, [195_904, 3072]);
      assert.match(s.frontier.requests[0]!.messages[0]!.content, /^room 195904 /);
      assert.equal(s.local.requests.length, 1);
      assert.match(s.local.requests[0]!.messages[0]!.content, /^room 3072 /, 'the local model got the build made for it');
    });

    it('"Use Local Model" at consent builds again for the local room', async () => {
      const s = setup({ consent: new FakeConsent('local') });
      const rooms: number[] = [];
      await s.router.run({ kind: 'multi-file-edit', build: built(rooms) });
      assert.deepEqual(rooms, [195_904, 3072]);
      assert.equal(s.frontier.requests.length, 0);
      assert.equal(s.local.requests.length, 1);
    });

    it('a local task whose build still does not fit (a huge selection) moves to the frontier, built for its room', async () => {
      const s = setup();
      const rooms: number[] = [];
      const result = await s.router.run({ kind: 'explain', build: built(rooms, 5000) });
      assert.equal(result.tier, 'frontier');
      assert.deepEqual(rooms, [3072, 195_904]);
      assert.equal(s.local.requests.length, 0);
    });

    it('the frontier off: a frontier task is built for the local room only', async () => {
      const s = setup({ config: { frontierEnabled: false } });
      const rooms: number[] = [];
      await s.router.run({ kind: 'refactor', build: built(rooms) });
      assert.deepEqual(rooms, [3072]);
    });
  });
});
