// LocalChatProvider: how the embedded backend's chat results become ChatResults (finish reasons,
// usage, timing, aborts), what happens without an embedded model, and one run end to end against
// the real worker and the tiny test model.
import * as assert from 'node:assert/strict';
import { BackendError, isBackendError, type BackendErrorCode } from '../../../../src/core/kernel/backendError';
import type { ChatMessage, ChatRequest, FinishReason } from '../../../../src/core/kernel/chatTypes';
import { LocalChatProvider } from '../../../../src/core/providers/local/localChatProvider';
import {
  LocalLlamaBackend,
  type LocalChatOptions,
  type LocalChatResult,
} from '../../../../src/core/providers/local/localLlamaBackend';
import { ensureTinyModels, tinyModel, workerPath } from './llamaTestModels';

const messages: ChatMessage[] = [
  { role: 'system', content: 'Answer briefly.' },
  { role: 'user', content: 'What does scale0 do?' },
];

const request = (extra: Partial<ChatRequest> = {}): ChatRequest => ({ messages, maxTokens: 64, temperature: 0.2, ...extra });

/** A backend that streams `chunks` (one clock tick apart) and then answers `result`, recording what it was asked. */
function scriptedBackend(chunks: string[], result: Partial<LocalChatResult> | Error, clock: { t: number }) {
  const calls: Array<{ messages: readonly ChatMessage[]; options: LocalChatOptions }> = [];
  const backend = {
    async chat(m: readonly ChatMessage[], options: LocalChatOptions): Promise<LocalChatResult> {
      calls.push({ messages: m, options });
      for (const c of chunks) {
        clock.t += 10;
        options.onChunk?.(c);
      }
      clock.t += 5;
      if (result instanceof Error) throw result;
      return {
        text: chunks.join(''),
        promptTokens: 40,
        reusedTokens: 0,
        generatedTokens: chunks.length,
        ttftMs: 1,
        totalMs: 2,
        stoppedBy: 'eos',
        reported: true,
        ...result,
      };
    },
    async contextSize(): Promise<number> {
      return 2048;
    },
  };
  return { backend: backend as unknown as LocalLlamaBackend, calls };
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  assert.fail('expected the promise to reject');
}

describe('LocalChatProvider', () => {
  it('is the local embedded provider, labelled with its model', () => {
    const p = new LocalChatProvider({ backend: async () => undefined, model: 'qwen2.5-coder-1.5b' });
    assert.equal(p.kind, 'embedded');
    assert.equal(p.tier, 'local');
    assert.equal(p.model, 'qwen2.5-coder-1.5b');
    assert.equal(p.label, 'embedded (qwen2.5-coder-1.5b)');
  });

  describe('maps how generation ended', () => {
    const cases: Array<{ stoppedBy: LocalChatResult['stoppedBy']; chunks: string[]; reason?: FinishReason; code?: BackendErrorCode }> = [
      { stoppedBy: 'eos', chunks: ['a', 'b'], reason: 'stop' },
      { stoppedBy: 'stop', chunks: ['a'], reason: 'stop' },
      { stoppedBy: 'maxTokens', chunks: ['a'], reason: 'length' },
      { stoppedBy: 'timeout', chunks: ['a'], reason: 'timeout' },
      { stoppedBy: 'abort', chunks: ['a', 'b'], reason: 'abort' },
      { stoppedBy: 'eos', chunks: [], reason: 'stop' },
      { stoppedBy: 'abort', chunks: [], code: 'aborted' },
      { stoppedBy: 'timeout', chunks: [], code: 'timeout' },
    ];
    for (const c of cases) {
      const label = `${c.stoppedBy} after ${c.chunks.length} chunks -> ${c.reason ?? `rejects ${c.code}`}`;
      it(label, async () => {
        const clock = { t: 0 };
        const { backend } = scriptedBackend(c.chunks, { stoppedBy: c.stoppedBy }, clock);
        const p = new LocalChatProvider({ backend: async () => backend, model: 'm', now: () => clock.t });
        if (c.code) {
          const err = await rejection(p.chat(request()));
          assert.ok(isBackendError(err, c.code), String(err));
        } else {
          const r = await p.chat(request());
          assert.equal(r.finishReason, c.reason);
          assert.equal(r.text, c.chunks.join(''));
        }
      });
    }
  });

  it('passes the request through, streams text, and reports usage and timing', async () => {
    const clock = { t: 100 };
    const { backend, calls } = scriptedBackend(['Sca', 'les ', 'a value.'], {}, clock);
    const p = new LocalChatProvider({ backend: async () => backend, model: 'm', timeoutMs: 5000, now: () => clock.t });
    const seen: string[] = [];
    const signal = new AbortController().signal;
    const r = await p.chat(request({ stop: ['\n\n'], signal, onText: (t) => seen.push(t) }));
    assert.deepEqual(seen, ['Sca', 'les ', 'a value.']);
    assert.deepEqual(r, {
      text: 'Scales a value.',
      usage: { inputTokens: 40, outputTokens: 3, estimated: false },
      finishReason: 'stop',
      model: 'm',
      ttftMs: 10,
      totalMs: 35,
      attempts: 1,
    });
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0]!.messages, messages);
    const { onChunk: _onChunk, ...sent } = calls[0]!.options;
    assert.deepEqual(sent, { maxTokens: 64, temperature: 0.2, timeoutMs: 5000, stop: ['\n\n'], signal });
  });

  it('estimates usage when the answer was cut short before the worker could count it', async () => {
    const clock = { t: 0 };
    const { backend } = scriptedBackend(['12345678'], { stoppedBy: 'abort', reported: false, promptTokens: 0, generatedTokens: 0 }, clock);
    const p = new LocalChatProvider({ backend: async () => backend, model: 'm', now: () => clock.t });
    const r = await p.chat(request());
    const chars = messages.reduce((n, m) => n + m.content.length, 0);
    assert.deepEqual(r.usage, { inputTokens: Math.ceil(chars / 4), outputTokens: 2, estimated: true });
    assert.equal(r.finishReason, 'abort');
  });

  it('reports NaN ttft when no text came', async () => {
    const clock = { t: 0 };
    const { backend } = scriptedBackend([], { stoppedBy: 'maxTokens' }, clock);
    const r = await new LocalChatProvider({ backend: async () => backend, model: 'm', now: () => clock.t }).chat(request());
    assert.ok(Number.isNaN(r.ttftMs));
    assert.equal(r.finishReason, 'length');
  });

  it('says how to set the embedded model up when there is none', async () => {
    const p = new LocalChatProvider({ backend: async () => undefined, model: 'm' });
    for (const attempt of [p.chat(request()), p.contextWindow()]) {
      const err = await rejection(attempt);
      assert.ok(isBackendError(err, 'model-missing'), String(err));
      assert.equal(err.message, "The embedded model isn't set up. Run 'Bantam: Download Recommended Model' or set bantam.completion.model.");
    }
  });

  it('rejects an already-aborted request without asking the backend', async () => {
    let asked = 0;
    const p = new LocalChatProvider({
      backend: async () => {
        asked++;
        return undefined;
      },
      model: 'm',
    });
    const err = await rejection(p.chat(request({ signal: AbortSignal.abort() })));
    assert.ok(isBackendError(err, 'aborted'), String(err));
    assert.equal(asked, 0);
  });

  it("passes the backend's BackendErrors through and wraps anything else", async () => {
    const clock = { t: 0 };
    const tooLong = new BackendError('http', 'The prompt is 5000 tokens but the embedded model\'s window is 4096; use a frontier model or raise bantam.embedded.contextSize.');
    const passed = await rejection(
      new LocalChatProvider({ backend: async () => scriptedBackend([], tooLong, clock).backend, model: 'm' }).chat(request()),
    );
    assert.equal(passed, tooLong);
    const wrapped = await rejection(
      new LocalChatProvider({ backend: async () => scriptedBackend([], new TypeError('boom'), clock).backend, model: 'm' }).chat(request()),
    );
    assert.ok(isBackendError(wrapped, 'model-load'), String(wrapped));
    assert.match(wrapped.message, /boom/);
  });

  it("reports the backend's context size as its window", async () => {
    const { backend } = scriptedBackend([], {}, { t: 0 });
    assert.equal(await new LocalChatProvider({ backend: async () => backend, model: 'm' }).contextWindow(), 2048);
  });

  it('refuses work after dispose', async () => {
    const { backend } = scriptedBackend(['a'], {}, { t: 0 });
    const p = new LocalChatProvider({ backend: async () => backend, model: 'm' });
    p.dispose();
    const err = await rejection(p.chat(request()));
    assert.ok(isBackendError(err, 'aborted'), String(err));
  });

  describe('with the real worker and the tiny model', function () {
    this.timeout(60_000);
    let backend: LocalLlamaBackend | undefined;

    before(() => ensureTinyModels());
    afterEach(() => backend?.dispose());

    const make = (): LocalChatProvider => {
      backend = new LocalLlamaBackend({ workerPath, modelPath: tinyModel, threads: 1, contextSize: 4096, batchSize: 64 });
      return new LocalChatProvider({ backend: async () => backend, model: 'tiny' });
    };
    // A started answer keeps ChatML's final "\n" from ending the tiny model's answer at once.
    const started: ChatMessage[] = [...messages, { role: 'assistant', content: 'It' }];

    it('answers with streamed text and counted usage, and knows its window', async () => {
      const p = make();
      const seen: string[] = [];
      const r = await p.chat({ messages: started, maxTokens: 32, temperature: 0, onText: (t) => seen.push(t) });
      assert.ok(r.text.length > 0);
      assert.equal(seen.join(''), r.text);
      assert.equal(r.usage.estimated, false);
      assert.ok(r.usage.inputTokens > 10 && r.usage.outputTokens > 0);
      assert.ok(r.ttftMs >= 0 && r.ttftMs <= r.totalMs);
      assert.equal(await p.contextWindow(), 4096);
    });

    it('resolves with the partial answer when aborted after some text', async () => {
      const p = make();
      const controller = new AbortController();
      const seen: string[] = [];
      const r = await p.chat({
        messages: started,
        maxTokens: 4,
        temperature: 0,
        signal: controller.signal,
        onText: (t) => {
          seen.push(t);
          if (seen.length === 2) controller.abort();
        },
      });
      assert.equal(r.finishReason, 'abort');
      assert.equal(r.text, seen.slice(0, 2).join(''));
    });
  });
});
