// The OpenAI-compatible /completions backend for inline completion, against a loopback server:
// what it sends, how it streams and counts, how stop strings, aborts and timeouts end a
// generation (with the text so far, never an error), that it does not retry, and its FIM family.

import * as assert from 'node:assert/strict';
import { estimateTokens } from '../../../../src/core/kernel/tokenEstimate';
import type { BuiltPrompt, GenerateOptions } from '../../../../src/core/kernel/completionTypes';
import { OpenAiCompletionBackend } from '../../../../src/core/providers/openai/openAiCompletionBackend';
import { startFakeProviderServer, type FakeProviderServer } from '../../../support/fakeProviderServer';
import { rejection, requestsArrived, TEST_KEY } from '../networkProviderKit';

const PROMPT: BuiltPrompt = {
  family: 'qwen',
  text: '<|fim_prefix|>function add(a, b) {\n  <|fim_suffix|>\n}\n<|fim_middle|>',
  prefix: 'function add(a, b) {\n  ',
  suffix: '\n}\n',
  prefixStart: 0,
  estimatedTokens: 19,
};

function options(overrides: Partial<GenerateOptions> = {}): GenerateOptions {
  return { maxTokens: 48, stop: ['\n\n'], timeoutMs: 5000, temperature: 0.1, ...overrides };
}

describe('OpenAiCompletionBackend', () => {
  let fake: FakeProviderServer;

  beforeEach(async () => {
    fake = await startFakeProviderServer({ script: { chunks: ['return', ' a', ' +', ' b;'] } });
  });

  afterEach(async () => {
    await fake.close();
  });

  const make = (overrides: Partial<ConstructorParameters<typeof OpenAiCompletionBackend>[0]> = {}): OpenAiCompletionBackend =>
    new OpenAiCompletionBackend({ baseUrl: `${fake.url}/v1`, model: 'Qwen/Qwen2.5-Coder-1.5B', ...overrides });

  it('streams Bantam’s prompt through /completions and reports the server’s counts', async () => {
    fake.setScript({ usage: { input: 23, output: 4 } });
    let firstTokens = 0;

    const result = await make({ apiKey: TEST_KEY }).generate(
      PROMPT,
      options({ stop: ['\n\n', 'a', 'b', 'c', 'd'], onFirstToken: () => firstTokens++ }),
    );

    const [request] = fake.requestsTo('/completions');
    assert.ok(request);
    assert.equal(request.path, '/v1/completions');
    assert.equal(request.headers['authorization'], `Bearer ${TEST_KEY}`);
    assert.deepEqual(request.body, {
      model: 'Qwen/Qwen2.5-Coder-1.5B',
      prompt: PROMPT.text,
      max_tokens: 48,
      temperature: 0.1,
      stream: true,
      stream_options: { include_usage: true },
      // OpenAI takes at most four; the fifth is enforced on this side only.
      stop: ['\n\n', 'a', 'b', 'c'],
    });
    assert.equal(firstTokens, 1);
    assert.ok(Number.isFinite(result.ttftMs));
    assert.equal(result.promptTokens, 23);
    assert.equal(result.generatedTokens, 4);
    assert.equal(result.reusedTokens, 0);
  });

  it('returns the whole text and stoppedBy eos when the model ends by itself', async () => {
    const result = await make().generate(PROMPT, options());
    assert.equal(result.text, 'return a + b;');
    assert.equal(result.stoppedBy, 'eos');
  });

  it('falls back to Bantam’s estimates when the server sends no usage', async () => {
    fake.setScript({ usage: false });
    const result = await make().generate(PROMPT, options());
    assert.equal(result.promptTokens, PROMPT.estimatedTokens);
    assert.equal(result.generatedTokens, estimateTokens('return a + b;'));
  });

  it('reports the token limit as stoppedBy maxTokens', async () => {
    const result = await make().generate(PROMPT, options({ maxTokens: 2 }));
    assert.equal(result.text, 'return a');
    assert.equal(result.stoppedBy, 'maxTokens');
  });

  it('reports a stop string the server matched (stop_reason) as stoppedBy stop', async () => {
    fake.setScript({ honorStop: true });
    const result = await make().generate(PROMPT, options({ stop: [' +'] }));
    assert.equal(result.text, 'return a');
    assert.equal(result.stoppedBy, 'stop');
  });

  it('cuts at a stop string the server ignored, even across chunks, and closes the stream', async () => {
    fake.setScript({ chunks: ['return a', ' +', ' b;', ' more'], stallAfterChunks: 2, stallMs: 10_000 });
    // Nothing arrives after ' +' for ten seconds: only the client-side cut can end this in time.
    const result = await make().generate(PROMPT, options({ stop: ['a +'] }));
    assert.equal(result.text, 'return ');
    assert.equal(result.stoppedBy, 'stop');
    assert.equal(await fake.settled(fake.requests[0]!), 'client-closed');
  });

  it("cuts where the plan's extent rule says the suggestion is complete and closes the stream", async () => {
    fake.setScript({ chunks: ['return a', ';\n', '  more();'], stallAfterChunks: 2, stallMs: 10_000 });
    const extent = { shape: 'line-or-block' as const, linePrefix: '  ', languageId: 'typescript', tabSize: 4, maxFirstLineChars: 128 };
    const result = await make().generate(PROMPT, options({ extent }));
    assert.equal(result.text, 'return a;');
    assert.equal(result.stoppedBy, 'stop');
    assert.equal(await fake.settled(fake.requests[0]!), 'client-closed');
  });

  it('resolves with nothing and stoppedBy abort when aborted before the first token', async () => {
    fake.setScript({ firstByteDelayMs: 10_000 });
    const controller = new AbortController();
    const pending = make().generate(PROMPT, options({ signal: controller.signal }));
    await requestsArrived(fake);
    controller.abort();
    const result = await pending;
    assert.equal(result.text, '');
    assert.equal(result.stoppedBy, 'abort');
    assert.ok(Number.isNaN(result.ttftMs));
    assert.equal(await fake.settled(fake.requests[0]!), 'client-closed');
  });

  it('resolves with the text so far when aborted after the first token', async () => {
    fake.setScript({ chunkDelayMs: 10_000 });
    const controller = new AbortController();
    const result = await make().generate(PROMPT, options({ signal: controller.signal, onFirstToken: () => controller.abort() }));
    assert.equal(result.text, 'return');
    assert.equal(result.stoppedBy, 'abort');
  });

  it('sends nothing when the signal is already aborted', async () => {
    const result = await make().generate(PROMPT, options({ signal: AbortSignal.abort() }));
    assert.equal(result.stoppedBy, 'abort');
    assert.equal(fake.requests.length, 0);
  });

  it('keeps the text so far with stoppedBy timeout when timeoutMs runs out mid-stream', async () => {
    fake.setScript({ stallAfterChunks: 2, stallMs: 10_000 });
    const result = await make().generate(PROMPT, options({ timeoutMs: 150 }));
    assert.equal(result.text, 'return a');
    assert.equal(result.stoppedBy, 'timeout');
  });

  it('resolves empty with stoppedBy timeout when nothing arrived in time', async () => {
    fake.setScript({ firstByteDelayMs: 10_000 });
    const result = await make().generate(PROMPT, options({ timeoutMs: 100 }));
    assert.equal(result.text, '');
    assert.equal(result.stoppedBy, 'timeout');
  });

  it('does not retry: a 503 fails at once', async () => {
    fake.setScript({ httpError: { status: 503, message: 'busy' } });
    const error = await rejection(make().generate(PROMPT, options()));
    assert.equal(error.code, 'http');
    assert.equal(fake.requests.length, 1);
  });

  it('maps a refused key to unauthorized with the hint and without the key', async () => {
    const server = await startFakeProviderServer({ apiKey: 'right-key', echoKeyInErrors: true });
    try {
      const backend = new OpenAiCompletionBackend({
        baseUrl: `${server.url}/v1`,
        model: 'm',
        apiKey: TEST_KEY,
        keyHint: 'Set OPENAI_API_KEY.',
      });
      const error = await rejection(backend.generate(PROMPT, options()));
      assert.equal(error.code, 'unauthorized');
      assert.match(error.message, /Set OPENAI_API_KEY\.$/);
      assert.ok(!error.message.includes(TEST_KEY));
    } finally {
      await server.close();
    }
  });

  it('dispose() ends a generation in flight with stoppedBy abort and refuses later ones', async () => {
    fake.setScript({ firstByteDelayMs: 10_000 });
    const backend = make();
    const pending = backend.generate(PROMPT, options());
    await requestsArrived(fake);
    backend.dispose();
    assert.equal((await pending).stoppedBy, 'abort');
    assert.equal((await rejection(backend.generate(PROMPT, options()))).code, 'aborted');
  });

  const families = [
    { model: 'Qwen/Qwen2.5-Coder-1.5B', family: undefined, expected: 'qwen', detected: 'qwen' },
    { model: 'bigcode/starcoder2-3b', family: 'auto', expected: 'starcoder2', detected: 'starcoder2' },
    { model: 'deepseek-coder-6.7b-base', family: undefined, expected: 'deepseek', detected: 'deepseek' },
    { model: 'my-team-model', family: 'codestral', expected: 'codestral', detected: 'codestral' },
    { model: 'my-team-model', family: undefined, expected: 'qwen', detected: undefined },
  ] as const;
  for (const { model, family, expected, detected } of families) {
    it(`uses the ${expected} family for ${model} (family option ${family ?? 'absent'})`, async () => {
      const backend = make({ model, ...(family ? { family } : {}) });
      assert.equal(await backend.family(), expected);
      assert.equal(backend.detectedFamily(), detected);
    });
  }
});
