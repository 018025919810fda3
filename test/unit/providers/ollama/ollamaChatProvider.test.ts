// The Ollama chat provider's own wire format: the /api/chat body, the NDJSON lines it reads, the
// `ollama pull` advice for a missing model and `{"error"}` lines. Shared rules are in
// chatProviderConformance.

import * as assert from 'node:assert/strict';
import { OllamaChatProvider } from '../../../../src/core/providers/ollama/ollamaChatProvider';
import { startFakeProviderServer, type FakeProviderServer } from '../../../support/fakeProviderServer';
import { chatRequest, HALF, recordingSleep, rejection, TEST_POLICY } from '../networkProviderKit';

describe('OllamaChatProvider', () => {
  let fake: FakeProviderServer;

  beforeEach(async () => {
    fake = await startFakeProviderServer();
  });

  afterEach(async () => {
    await fake.close();
  });

  const make = (overrides: Partial<ConstructorParameters<typeof OllamaChatProvider>[0]> = {}): OllamaChatProvider =>
    new OllamaChatProvider({
      host: fake.url,
      model: 'qwen2.5-coder:7b-instruct',
      contextWindow: 32_768,
      policy: TEST_POLICY,
      random: HALF,
      ...overrides,
    });

  it('posts the documented /api/chat body, system message kept in place', async () => {
    const result = await make({ keepAlive: '30m', numCtx: 8192 }).chat(chatRequest({ stop: ['```'] }));

    const [request] = fake.requestsTo('/api/chat');
    assert.ok(request);
    assert.equal(request.headers['authorization'], undefined);
    assert.deepEqual(request.body, {
      model: 'qwen2.5-coder:7b-instruct',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Say hello.' },
      ],
      stream: true,
      options: { temperature: 0.2, num_predict: 64, stop: ['```'], num_ctx: 8192 },
      keep_alive: '30m',
    });
    assert.equal(result.text, 'Hello, world!');
    assert.equal(result.usage.estimated, false);
  });

  it('is a local-tier provider labelled with its host', () => {
    const provider = new OllamaChatProvider({ model: 'm', contextWindow: 1 });
    assert.equal(provider.tier, 'local');
    assert.equal(provider.kind, 'ollama');
    assert.equal(provider.label, 'Ollama (127.0.0.1:11434)');
  });

  it('tells the user to pull a model Ollama does not have', async () => {
    const server = await startFakeProviderServer({ models: ['llama3.2:latest'] });
    try {
      const error = await rejection(make({ host: server.url }).chat(chatRequest()));
      assert.equal(error.code, 'model-missing');
      assert.match(error.message, /Run `ollama pull qwen2\.5-coder:7b-instruct`\./);
    } finally {
      await server.close();
    }
  });

  it('reports an {"error"} line before any text with Ollama’s words, without retrying', async () => {
    fake.setScript({ streamErrorAfterChunks: 0, streamError: { type: 'x', message: 'llama runner process has terminated' } });
    const { delays, sleep } = recordingSleep();
    const error = await rejection(make({ sleep }).chat(chatRequest()));
    assert.equal(error.code, 'http');
    assert.match(error.message, /llama runner process has terminated/);
    assert.deepEqual(delays, []);
  });

  const reasons = [
    { doneReason: 'stop', expected: 'stop' },
    { doneReason: 'length', expected: 'length' },
    { doneReason: 'unload', expected: 'other' },
  ] as const;
  for (const { doneReason, expected } of reasons) {
    it(`maps done_reason ${doneReason} to ${expected}`, async () => {
      fake.setScript({ finishReason: doneReason });
      assert.equal((await make().chat(chatRequest())).finishReason, expected);
    });
  }
});
