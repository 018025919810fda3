// The OpenAI-compatible chat provider's own wire format: what it sends to /chat/completions, how it
// reads the SSE chunks (including servers that skip [DONE] and in-stream error objects), and its
// label and tier. The rules it shares with the other providers are in chatProviderConformance.

import * as assert from 'node:assert/strict';
import { openAiChatBody, OpenAiChatProvider } from '../../../../src/core/providers/openai/openAiChatProvider';
import { startFakeProviderServer, type FakeProviderServer } from '../../../support/fakeProviderServer';
import { chatRequest, HALF, recordingSleep, rejection, TEST_KEY, TEST_POLICY } from '../networkProviderKit';

/** A fetch that answers every request with this body and content type. */
function cannedFetch(body: string, contentType = 'text/event-stream'): typeof fetch {
  return async () => new Response(body, { status: 200, headers: { 'content-type': contentType } });
}

describe('OpenAiChatProvider', () => {
  let fake: FakeProviderServer;

  beforeEach(async () => {
    fake = await startFakeProviderServer({ pathPrefix: '/v1' });
  });

  afterEach(async () => {
    await fake.close();
  });

  const make = (overrides: Partial<ConstructorParameters<typeof OpenAiChatProvider>[0]> = {}): OpenAiChatProvider =>
    new OpenAiChatProvider({
      baseUrl: `${fake.url}/v1/`,
      model: 'gpt-test',
      contextWindow: 128_000,
      policy: TEST_POLICY,
      random: HALF,
      ...overrides,
    });

  it('posts the documented streaming body with a Bearer key', async () => {
    await make({ apiKey: TEST_KEY }).chat(chatRequest({ stop: ['END'] }));

    const [request] = fake.requestsTo('/chat/completions');
    assert.ok(request);
    assert.equal(request.path, '/v1/chat/completions');
    assert.equal(request.headers['authorization'], `Bearer ${TEST_KEY}`);
    assert.equal(request.headers['content-type'], 'application/json');
    assert.deepEqual(request.body, {
      model: 'gpt-test',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Say hello.' },
      ],
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 64,
      temperature: 0.2,
      stop: ['END'],
    });
  });

  describe("OpenAI's own API gets its current parameter names", () => {
    const request = chatRequest({ maxTokens: 100, temperature: 0.2 });
    const cases = [
      { baseUrl: 'https://api.openai.com/v1', model: 'gpt-4.1', expect: { max_completion_tokens: 100, temperature: 0.2 } },
      { baseUrl: 'https://api.openai.com/v1', model: 'o4-mini', expect: { max_completion_tokens: 100 } },
      { baseUrl: 'https://api.openai.com/v1', model: 'gpt-5', expect: { max_completion_tokens: 100 } },
      { baseUrl: 'http://10.0.0.5:8000/v1', model: 'gpt-5', expect: { max_tokens: 100, temperature: 0.2 } },
      { baseUrl: 'https://openrouter.ai/api/v1', model: 'openai/o3', expect: { max_tokens: 100, temperature: 0.2 } },
    ];
    for (const c of cases) {
      it(`${c.model} at ${c.baseUrl}: ${JSON.stringify(c.expect)}`, () => {
        const body = openAiChatBody(c.baseUrl, c.model, request);
        const picked = Object.fromEntries(
          ['max_tokens', 'max_completion_tokens', 'temperature'].filter((k) => k in body).map((k) => [k, body[k]]),
        );
        assert.deepEqual(picked, c.expect);
      });
    }
  });

  it('sends no Authorization header without a key (local servers need none)', async () => {
    await make().chat(chatRequest());
    assert.equal(fake.requests[0]?.headers['authorization'], undefined);
    assert.equal('stop' in fake.requests[0]?.body, false);
  });

  const labels = [
    { baseUrl: 'https://api.openai.com/v1', label: 'OpenAI (api.openai.com)' },
    { baseUrl: 'http://10.0.0.5:8000/v1', label: 'OpenAI-compatible server (10.0.0.5:8000)' },
    { baseUrl: 'https://user:secret@llm.example.com/v1?key=abc', label: 'OpenAI-compatible server (llm.example.com)' },
    { baseUrl: 'not a url', label: 'OpenAI-compatible server (invalid base URL)' },
  ];
  for (const { baseUrl, label } of labels) {
    it(`labels ${baseUrl} as "${label}"`, () => {
      assert.equal(make({ baseUrl }).label, label);
    });
  }

  it('takes its tier from the constructor (frontier unless told)', () => {
    assert.equal(make().tier, 'frontier');
    assert.equal(make({ tier: 'local' }).tier, 'local');
    assert.equal(make().kind, 'openai');
  });

  it('rejects an invalid base URL without quoting it', async () => {
    const error = await rejection(make({ baseUrl: 'ftp://key123@host' }).chat(chatRequest()));
    assert.equal(error.code, 'unreachable');
    assert.ok(!error.message.includes('key123'));
  });

  it('says the path is not served when the base URL lacks /v1', async () => {
    const error = await rejection(make({ baseUrl: fake.url }).chat(chatRequest()));
    assert.equal(error.code, 'http');
    assert.match(error.message, /does not serve the requested path \(HTTP 404/);
    assert.match(error.message, /usually ends in \/v1/);
  });

  it('retries an in-stream server_error that came before any text', async () => {
    fake.enqueue({ streamErrorAfterChunks: 0, streamError: { type: 'server_error', message: 'The server had an error' } });
    const { delays, sleep } = recordingSleep();
    const result = await make({ sleep }).chat(chatRequest());
    assert.equal(result.text, 'Hello, world!');
    assert.deepEqual(delays, [75]);
  });

  it("names bantam.openai.contextWindow and the server's context when a prompt is too long for it", async () => {
    fake.setScript({
      httpError: { status: 400, message: "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.", code: 'context_length_exceeded' },
    });
    const error = await rejection(make().chat(chatRequest()));
    assert.equal(error.code, 'http');
    assert.match(error.message, /can't take a prompt this long/);
    assert.match(error.message, /Set bantam\.openai\.contextWindow to 4096 or less: Bantam sizes its prompts to fit it\./);
    assert.match(error.message, /llama-server's -c, vLLM's --max-model-len/);
  });

  it('does not retry an in-stream error of another type', async () => {
    fake.setScript({ streamErrorAfterChunks: 0, streamError: { type: 'invalid_request_error', message: 'context too long' } });
    const error = await rejection(make({ sleep: recordingSleep().sleep }).chat(chatRequest()));
    assert.equal(error.code, 'http');
    assert.match(error.message, /context too long/);
    assert.equal(fake.requests.length, 1);
  });

  const finishes = [
    { finish: 'stop', expected: 'stop' },
    { finish: 'length', expected: 'length' },
    { finish: 'content_filter', expected: 'other' },
    { finish: 'tool_calls', expected: 'other' },
  ] as const;
  for (const { finish, expected } of finishes) {
    it(`maps finish_reason ${finish} to ${expected}`, async () => {
      fake.setScript({ finishReason: finish });
      assert.equal((await make().chat(chatRequest())).finishReason, expected);
    });
  }

  it('accepts a stream that ends after its finish_reason chunk without [DONE]', async () => {
    const body =
      'data: {"model":"m","choices":[{"delta":{"content":"Hi"},"finish_reason":null}]}\n\n' +
      'data: {"model":"m","choices":[{"delta":{},"finish_reason":"stop"}]}\n\n';
    const result = await make({ fetch: cannedFetch(body) }).chat(chatRequest());
    assert.equal(result.text, 'Hi');
    assert.equal(result.finishReason, 'stop');
  });

  it('reads a last event that lacks its closing blank line', async () => {
    const body = 'data: {"choices":[{"delta":{"content":"Hi"},"finish_reason":"stop"}]}\n\ndata: [DONE]';
    assert.equal((await make({ fetch: cannedFetch(body) }).chat(chatRequest())).text, 'Hi');
  });

  it('calls a JSON reply to a streaming request malformed, not cut', async () => {
    const json = '{"id":"x","choices":[{"message":{"content":"Hi"}}]}';
    const error = await rejection(make({ fetch: cannedFetch(json, 'application/json') }).chat(chatRequest()));
    assert.equal(error.code, 'malformed');
    assert.match(error.message, /not an event stream/);
  });

  it('calls a chunk without choices malformed', async () => {
    const error = await rejection(make({ fetch: cannedFetch('data: {"object":"weird"}\n\n') }).chat(chatRequest()));
    assert.equal(error.code, 'malformed');
  });
});
