// The Ollama backend against a loopback server that speaks Ollama's API: what it sends in raw and
// suffix mode, how it assembles and stops streamed text, and how every way of failing reaches the
// user as a BackendError with a fix in its message.

import { closedPort } from '../../../support/closedPort';
import * as assert from 'node:assert/strict';
import type { BuiltPrompt, GenerateOptions } from '../../../../src/core/kernel/completionTypes';
import { isBackendError, type BackendError } from '../../../../src/core/kernel/backendError';
import { FALLBACK_FAMILY, OllamaBackend } from '../../../../src/core/providers/ollama/ollamaBackend';
import { FAKE_MODELS, startFakeOllama, type FakeOllama } from '../../../support/fakeOllamaServer';

const QWEN = FAKE_MODELS.qwenCoder.name;

function qwenPrompt(overrides: Partial<BuiltPrompt> = {}): BuiltPrompt {
  return {
    family: 'qwen',
    text: '<|repo_name|>demo\n<|file_sep|>src/add.ts\n<|fim_prefix|>function add(a, b) {\n  <|fim_suffix|>\n}\n<|fim_middle|>',
    prefix: 'function add(a, b) {\n  ',
    suffix: '\n}\n',
    prefixStart: 0,
    estimatedTokens: 31,
    ...overrides,
  };
}

function options(overrides: Partial<GenerateOptions> = {}): GenerateOptions {
  return { maxTokens: 48, stop: ['\n\n'], timeoutMs: 5000, temperature: 0.1, ...overrides };
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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('OllamaBackend', () => {
  let fake: FakeOllama;
  let backend: OllamaBackend;

  beforeEach(async () => {
    fake = await startFakeOllama({ models: [FAKE_MODELS.qwenCoder] });
    backend = new OllamaBackend({ host: fake.url, model: QWEN, keepAlive: '30m', requestTimeoutMs: 2000 });
  });

  afterEach(async () => {
    backend.dispose();
    await fake.close();
  });

  describe('raw and suffix mode', () => {
    it('sends Bantam’s own prompt with raw:true and the generation options when the family is known', async () => {
      const result = await backend.generate(qwenPrompt(), options({ stop: ['\n\n', '<|endoftext|>'] }));

      const [request] = fake.requestsTo('/api/generate');
      assert.ok(request);
      assert.deepEqual(request.body, {
        model: QWEN,
        prompt: qwenPrompt().text,
        raw: true,
        stream: true,
        keep_alive: '30m',
        options: { temperature: 0.1, num_predict: 48, stop: ['\n\n', '<|endoftext|>'] },
      });
      assert.equal(result.text, 'return a + b;');
      assert.equal(result.stoppedBy, 'eos');
    });

    it('sends prefix and suffix for Ollama’s template when the family is unknown', async () => {
      fake.setModels([FAKE_MODELS.codegemma]);
      const gemma = new OllamaBackend({ host: fake.url, model: FAKE_MODELS.codegemma.name });

      const result = await gemma.generate(qwenPrompt(), options({ stop: [] }));

      const [request] = fake.requestsTo('/api/generate');
      assert.equal(request?.body.prompt, 'function add(a, b) {\n  ');
      assert.equal(request?.body.suffix, '\n}\n');
      assert.equal(request?.body.raw, undefined);
      assert.equal(request?.body.keep_alive, undefined);
      assert.deepEqual(request?.body.options, { temperature: 0.1, num_predict: 48 });
      assert.equal(result.text, 'return a + b;');
      assert.equal(await gemma.family(), FALLBACK_FAMILY);
      assert.equal(await gemma.detectedFamily(), undefined);
    });

    it('uses suffix mode when the prompt was rendered for another family than the model’s', async () => {
      await backend.generate(qwenPrompt({ family: 'starcoder2' }), options());

      const [request] = fake.requestsTo('/api/generate');
      assert.equal(request?.body.raw, undefined);
      assert.equal(request?.body.prompt, 'function add(a, b) {\n  ');
    });

    it('sends a newline suffix at the end of a file, so Ollama uses the FIM template rather than chat', async () => {
      fake.setModels([FAKE_MODELS.codegemma]);
      const gemma = new OllamaBackend({ host: fake.url, model: FAKE_MODELS.codegemma.name });

      await gemma.generate(qwenPrompt({ suffix: '' }), options());

      assert.equal(fake.requestsTo('/api/generate')[0]?.body.suffix, '\n');
    });

    it('passes num_ctx when configured', async () => {
      const wide = new OllamaBackend({ host: fake.url, model: QWEN, numCtx: 8192 });
      await wide.generate(qwenPrompt(), options());
      assert.equal(fake.requestsTo('/api/generate')[0]?.body.options.num_ctx, 8192);
    });
  });

  describe('streamed results', () => {
    it('assembles the pieces and reports tokens and timings from the final chunk', async () => {
      fake.setScript({ chunks: ['const', ' x', ' =', ' 1;'], promptEvalCount: 120, evalCount: 4, chunkDelayMs: 20 });
      let firstTokenCalls = 0;

      const result = await backend.generate(qwenPrompt(), options({ onFirstToken: () => (firstTokenCalls += 1) }));

      assert.equal(result.text, 'const x = 1;');
      assert.equal(result.promptTokens, 120);
      assert.equal(result.generatedTokens, 4);
      assert.equal(result.reusedTokens, 0);
      assert.equal(firstTokenCalls, 1);
      assert.ok(Number.isFinite(result.ttftMs) && result.ttftMs >= 0, `ttft ${result.ttftMs}`);
      assert.ok(result.totalMs >= result.ttftMs + 40, `total ${result.totalMs} vs ttft ${result.ttftMs}`);
    });

    it('counts time to the first non-empty piece', async () => {
      fake.setScript({ chunks: ['', '', 'x'], chunkDelayMs: 80 });
      const result = await backend.generate(qwenPrompt(), options());
      assert.equal(result.text, 'x');
      assert.ok(result.ttftMs >= 140, `ttft ${result.ttftMs} should include the two empty pieces`);
    });

    it('reports done_reason "length" as maxTokens', async () => {
      fake.setScript({ chunks: ['a', 'b', 'c', 'd'] });
      const result = await backend.generate(qwenPrompt(), options({ maxTokens: 2 }));
      assert.equal(result.text, 'ab');
      assert.equal(result.stoppedBy, 'maxTokens');
    });

    it('reports nothing generated as an empty eos result', async () => {
      fake.setScript({ chunks: [] });
      const result = await backend.generate(qwenPrompt(), options());
      assert.equal(result.text, '');
      assert.equal(result.stoppedBy, 'eos');
      assert.ok(Number.isNaN(result.ttftMs));
    });

    it('asks /api/show once and caches the family', async () => {
      await backend.generate(qwenPrompt(), options());
      await backend.generate(qwenPrompt(), options());
      assert.equal(await backend.family(), 'qwen');
      assert.equal(fake.requestsTo('/api/show').length, 1);
    });
  });

  describe('stop strings', () => {
    it('cuts the text at a stop string the server ignored and closes the stream', async () => {
      fake.setScript({ honorStop: false, chunks: ['foo', '();', '\n\n', 'bar', 'baz', 'qux'], chunkDelayMs: 60 });

      const result = await backend.generate(qwenPrompt(), options({ stop: ['\n\n'] }));

      assert.equal(result.text, 'foo();');
      assert.equal(result.stoppedBy, 'stop');
      const [request] = fake.requestsTo('/api/generate');
      assert.ok(request);
      assert.equal(await fake.settled(request), 'client-closed');
      assert.ok(request.chunksSent < 6, `server sent ${request.chunksSent} chunks after the stop`);
    });

    it('finds a stop string split across pieces and cuts at the earliest of several', async () => {
      fake.setScript({ honorStop: false, chunks: ['x = 1', '<|end', 'oftext|>', ' more;', '\n'] });

      const result = await backend.generate(qwenPrompt(), options({ stop: ['\n', '<|endoftext|>'] }));

      assert.equal(result.text, 'x = 1');
      assert.equal(result.stoppedBy, 'stop');
    });

    it("ends the stream where the plan's extent rule says the suggestion is complete", async () => {
      fake.setScript({ honorStop: false, chunks: ['price', ' * qty;', '\n', '  tax', '();', '\n'], chunkDelayMs: 60 });
      const extent = { shape: 'line-or-block' as const, linePrefix: '  total = ', languageId: 'typescript', tabSize: 4, maxFirstLineChars: 128 };

      const result = await backend.generate(qwenPrompt(), options({ extent }));

      assert.equal(result.text, 'price * qty;');
      assert.equal(result.stoppedBy, 'stop');
      const [request] = fake.requestsTo('/api/generate');
      assert.ok(request);
      assert.equal(await fake.settled(request), 'client-closed');
    });

    it('ignores empty stop strings', async () => {
      const result = await backend.generate(qwenPrompt(), options({ stop: [''] }));
      assert.equal(result.text, 'return a + b;');
      assert.equal(fake.requestsTo('/api/generate')[0]?.body.options.stop, undefined);
    });

    it('reports a stop string Ollama matched itself as eos (Ollama does not tell them apart)', async () => {
      fake.setScript({ chunks: ['a;', '\n', 'b;'] });
      const result = await backend.generate(qwenPrompt(), options({ stop: ['\n'] }));
      assert.equal(result.text, 'a;');
      assert.equal(result.stoppedBy, 'eos');
    });
  });

  describe('abort and timeout', () => {
    it('stops promptly on abort mid-stream, keeps the text so far, and closes the connection', async () => {
      fake.setScript({ chunks: Array.from({ length: 40 }, (_, i) => `t${i} `), chunkDelayMs: 50 });
      const controller = new AbortController();
      const pending = backend.generate(
        qwenPrompt(),
        options({
          signal: controller.signal,
          onFirstToken: () =>
            setTimeout(() => controller.abort(), 120),
        }),
      );

      const result = await pending;

      assert.equal(result.stoppedBy, 'abort');
      assert.ok(result.text.startsWith('t0 '), `partial text ${JSON.stringify(result.text)}`);
      assert.ok(result.text.length < 40 * 3, 'the whole stream was not read');
      const [request] = fake.requestsTo('/api/generate');
      assert.ok(request);
      assert.equal(await fake.settled(request), 'client-closed');
      assert.ok(request.chunksSent < 40);
    });

    it('aborts while waiting for the first byte (a cold model load) and closes the connection', async () => {
      fake.setScript({ firstByteDelayMs: 3000 });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);

      const result = await backend.generate(qwenPrompt(), options({ signal: controller.signal }));

      assert.equal(result.stoppedBy, 'abort');
      assert.equal(result.text, '');
      const [request] = fake.requestsTo('/api/generate');
      assert.ok(request);
      assert.equal(await fake.settled(request), 'client-closed');
    });

    it('sends nothing when the signal is already aborted', async () => {
      const controller = new AbortController();
      controller.abort();
      const result = await backend.generate(qwenPrompt(), options({ signal: controller.signal }));
      assert.equal(result.stoppedBy, 'abort');
      assert.equal(fake.requestsTo('/api/generate').length, 0);
    });

    it('ends generation at timeoutMs and keeps the text so far', async () => {
      fake.setScript({ chunks: Array.from({ length: 40 }, () => 'x'), chunkDelayMs: 50 });
      const started = performance.now();

      const result = await backend.generate(qwenPrompt(), options({ timeoutMs: 300 }));

      const elapsed = performance.now() - started;
      assert.equal(result.stoppedBy, 'timeout');
      assert.ok(result.text.length > 0 && result.text.length < 40, `text ${result.text.length} chars`);
      assert.ok(elapsed >= 290, `the cap fired early, after ${elapsed.toFixed(0)} ms`);
      const [request] = fake.requestsTo('/api/generate');
      assert.ok(request);
      assert.equal(await fake.settled(request), 'client-closed');
    });

    it('times out with empty text when nothing arrived', async () => {
      fake.setScript({ firstByteDelayMs: 3000 });
      const result = await backend.generate(qwenPrompt(), options({ timeoutMs: 150 }));
      assert.equal(result.stoppedBy, 'timeout');
      assert.equal(result.text, '');
      assert.ok(Number.isNaN(result.ttftMs));
    });

    it('dispose() ends generations in flight and refuses new ones', async () => {
      fake.setScript({ chunkDelayMs: 200, chunks: ['a', 'b', 'c', 'd', 'e'] });
      const pending = backend.generate(qwenPrompt(), options());
      await sleep(100);
      backend.dispose();

      assert.equal((await pending).stoppedBy, 'abort');
      const error = await rejection(backend.generate(qwenPrompt(), options()));
      assert.equal(error.code, 'aborted');
    });
  });

  describe('failures', () => {
    it('reports a closed port as unreachable, with the host and how to fix it', async () => {
      const host = `http://127.0.0.1:${await closedPort()}`;
      const offline = new OllamaBackend({ host, model: QWEN });

      const check = await offline.check();
      assert.equal(check.ok, false);
      assert.ok(!check.ok);
      assert.equal(check.error.code, 'unreachable');
      assert.equal(
        check.error.message,
        `Ollama is not reachable at ${host}. Start it with \`ollama serve\`, or set bantam.ollama.host.`,
      );

      const error = await rejection(offline.generate(qwenPrompt(), options()));
      assert.equal(error.code, 'unreachable');
      assert.match(error.message, /ollama serve/);
    });

    it('reports a DNS failure from fetch as unreachable', async () => {
      const failingFetch: typeof fetch = async () => {
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error('getaddrinfo ENOTFOUND ollama.invalid'), { code: 'ENOTFOUND' }),
        });
      };
      const offline = new OllamaBackend({ host: 'http://ollama.invalid:11434', model: QWEN, fetch: failingFetch });

      const check = await offline.check();
      assert.ok(!check.ok);
      assert.equal(check.error.code, 'unreachable');
      assert.match(check.error.message, /not reachable at http:\/\/ollama\.invalid:11434\./);
    });

    it('reports a server that does not answer in requestTimeoutMs as unreachable', async () => {
      fake.setScript({ metadataDelayMs: 3000 });
      const slow = new OllamaBackend({ host: fake.url, model: QWEN, requestTimeoutMs: 150 });
      const check = await slow.check();

      assert.ok(!check.ok);
      assert.equal(check.error.code, 'unreachable');
      assert.match(check.error.message, /did not answer .* within 150 ms/);
    });

    it('reports a model absent from /api/tags as model-missing with the pull command', async () => {
      fake.setModels([FAKE_MODELS.llamaChat]);

      const check = await backend.check();

      assert.ok(!check.ok);
      assert.equal(check.error.code, 'model-missing');
      assert.equal(check.error.message, `Model ${QWEN} is not pulled in Ollama. Run \`ollama pull ${QWEN}\`.`);
      assert.equal(fake.requestsTo('/api/show').length, 0);
    });

    it('reports a 404 from /api/show during generate as model-missing, and looks again next time', async () => {
      fake.setModels([]);
      const error = await rejection(backend.generate(qwenPrompt(), options()));
      assert.equal(error.code, 'model-missing');
      assert.match(error.message, new RegExp(`ollama pull ${QWEN.replace(/\./g, '\\.')}`));

      fake.setModels([FAKE_MODELS.qwenCoder]);
      const result = await backend.generate(qwenPrompt(), options());
      assert.equal(result.text, 'return a + b;');
    });

    it('reports Ollama’s 404 "try pulling it first" from /api/generate as model-missing', async () => {
      fake.setScript({ httpError: { status: 404, error: `model "${QWEN}" not found, try pulling it first` } });
      const error = await rejection(backend.generate(qwenPrompt(), options()));
      assert.equal(error.code, 'model-missing');
      assert.match(error.message, /Run `ollama pull qwen2\.5-coder:1\.5b-base`\./);
    });

    it('reports a 500 as http with the status and Ollama’s words', async () => {
      fake.setScript({ httpError: { status: 500, error: 'something broke in the scheduler' } });
      const error = await rejection(backend.generate(qwenPrompt(), options()));
      assert.equal(error.code, 'http');
      assert.match(error.message, /answered HTTP 500: something broke in the scheduler\. Check the Ollama server log/);
    });

    it('reports a runner that failed to load the model as model-load', async () => {
      fake.setScript({ httpError: { status: 500, error: 'llama runner process has terminated: exit status 2' } });
      const error = await rejection(backend.generate(qwenPrompt(), options()));
      assert.equal(error.code, 'model-load');
      assert.match(error.message, /could not load model qwen2\.5-coder:1\.5b-base/);
    });

    it('reports 401 as unauthorized', async () => {
      fake.setScript({ httpError: { status: 401, error: 'unauthorized' } });
      const error = await rejection(backend.generate(qwenPrompt(), options()));
      assert.equal(error.code, 'unauthorized');
    });

    it('reports a model that cannot insert (suffix mode refused) with what to choose instead', async () => {
      fake.setModels([FAKE_MODELS.llamaChat]);
      const chat = new OllamaBackend({ host: fake.url, model: FAKE_MODELS.llamaChat.name });

      const error = await rejection(chat.generate(qwenPrompt(), options()));
      assert.equal(error.code, 'http');
      assert.match(error.message, /cannot fill in the middle.*bantam\.ollama\.model/);

      const check = await chat.check();
      assert.ok(!check.ok);
      assert.match(check.error.message, /cannot fill in the middle/);
    });

    it('reports a malformed NDJSON line as malformed instead of silently dropping it', async () => {
      fake.setScript({ malformedAfterChunks: 2 });
      const error = await rejection(backend.generate(qwenPrompt(), options()));
      assert.equal(error.code, 'malformed');
      assert.match(error.message, /could not read.*bantam\.ollama\.host/);
    });

    it('rejects a stream cut mid-way (socket destroyed) with a clear http error', async () => {
      fake.setScript({ chunks: ['a', 'b', 'c', 'd'], chunkDelayMs: 20, cutAfterChunks: 2 });
      const error = await rejection(backend.generate(qwenPrompt(), options()));
      assert.equal(error.code, 'http');
      assert.match(error.message, /closed the connection before the completion finished/);
    });

    it('rejects a stream that ends without its done line like a cut one', async () => {
      fake.setScript({ endWithoutDone: true });
      const error = await rejection(backend.generate(qwenPrompt(), options()));
      assert.equal(error.code, 'http');
      assert.match(error.message, /closed the connection before the completion finished/);
    });

    it('maps an error line inside the stream by its words', async () => {
      fake.setScript({ errorAfterChunks: 1, streamError: 'llama runner process has terminated: signal: killed' });
      const error = await rejection(backend.generate(qwenPrompt(), options()));
      assert.equal(error.code, 'model-load');
    });

    it('does not cache a failed /api/show', async () => {
      fake.setScript({ httpError: { status: 500, error: 'busy', paths: ['/api/show'] } });
      await rejection(backend.family());
      fake.resetScript();
      assert.equal(await backend.family(), 'qwen');
    });

    it('reports an invalid host as unreachable with an example address', async () => {
      const bad = new OllamaBackend({ host: 'http://exa mple:11434', model: QWEN });
      const check = await bad.check();
      assert.ok(!check.ok);
      assert.equal(check.error.code, 'unreachable');
      assert.match(check.error.message, /not a valid Ollama address/);
    });
  });

  describe('check()', () => {
    it('reports the model, its family and raw mode for a known FIM model', async () => {
      assert.deepEqual(await backend.check(), { ok: true, model: QWEN, family: 'qwen', mode: 'raw' });
    });

    it('accepts a model configured without its :latest tag', async () => {
      fake.setModels([{ ...FAKE_MODELS.starcoder2, name: 'starcoder2:latest' }]);
      const star = new OllamaBackend({ host: fake.url, model: 'starcoder2' });
      assert.deepEqual(await star.check(), { ok: true, model: 'starcoder2', family: 'starcoder2', mode: 'raw' });
    });

    it('reports suffix mode for an insert-capable model of unknown family', async () => {
      fake.setModels([FAKE_MODELS.codegemma]);
      const gemma = new OllamaBackend({ host: fake.url, model: FAKE_MODELS.codegemma.name });
      assert.deepEqual(await gemma.check(), {
        ok: true,
        model: FAKE_MODELS.codegemma.name,
        family: undefined,
        mode: 'suffix',
      });
    });

    it('looks at /api/show again, so a re-created model is noticed', async () => {
      await backend.family();
      await backend.check();
      assert.equal(fake.requestsTo('/api/show').length, 2);
    });
  });
});
