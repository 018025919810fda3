// The Anthropic provider's own wire format: the headers and body it sends to /v1/messages (system
// lifted out of the messages), how it reads the named SSE events, and how an overloaded_error
// event before any text is retried like an HTTP 529. Shared rules are in chatProviderConformance.

import * as assert from 'node:assert/strict';
import { AnthropicChatProvider, liftSystem } from '../../../../src/core/providers/anthropic/anthropicChatProvider';
import type { ChatMessage } from '../../../../src/core/kernel/chatTypes';
import { startFakeProviderServer, type FakeProviderScript, type FakeProviderServer } from '../../../support/fakeProviderServer';
import { chatRequest, HALF, recordingSleep, rejection, TEST_KEY, TEST_POLICY } from '../networkProviderKit';

describe('AnthropicChatProvider', () => {
  let fake: FakeProviderServer;

  beforeEach(async () => {
    fake = await startFakeProviderServer({ apiKey: TEST_KEY });
  });

  afterEach(async () => {
    await fake.close();
  });

  const make = (overrides: Partial<ConstructorParameters<typeof AnthropicChatProvider>[0]> = {}): AnthropicChatProvider =>
    new AnthropicChatProvider({
      baseUrl: fake.url,
      model: 'claude-test',
      apiKey: TEST_KEY,
      contextWindow: 200_000,
      policy: TEST_POLICY,
      random: HALF,
      ...overrides,
    });

  it('posts the documented headers and body, with the system prompt lifted out', async () => {
    await make().chat(chatRequest({ stop: ['\n\nHuman:'] }));

    const [request] = fake.requestsTo('/v1/messages');
    assert.ok(request);
    assert.equal(request.headers['x-api-key'], TEST_KEY);
    assert.equal(request.headers['anthropic-version'], '2023-06-01');
    assert.equal(request.headers['content-type'], 'application/json');
    assert.equal(request.headers['authorization'], undefined);
    assert.deepEqual(request.body, {
      model: 'claude-test',
      max_tokens: 64,
      system: 'You are terse.',
      messages: [{ role: 'user', content: 'Say hello.' }],
      stream: true,
      temperature: 0.2,
      stop_sequences: ['\n\nHuman:'],
    });
  });

  const lifts: Array<{ title: string; messages: ChatMessage[]; system: string; turns: number }> = [
    { title: 'no system message', messages: [{ role: 'user', content: 'q' }], system: '', turns: 1 },
    {
      title: 'two leading system messages',
      messages: [
        { role: 'system', content: 'a' },
        { role: 'system', content: 'b' },
        { role: 'user', content: 'q' },
      ],
      system: 'a\n\nb',
      turns: 1,
    },
    {
      title: 'a stray later system message',
      messages: [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: 'r' },
        { role: 'system', content: 'late' },
        { role: 'user', content: 'q2' },
      ],
      system: 'late',
      turns: 3,
    },
  ];
  for (const { title, messages, system, turns } of lifts) {
    it(`lifts the system prompt (${title})`, () => {
      const lifted = liftSystem(messages);
      assert.equal(lifted.system, system);
      assert.equal(lifted.messages.length, turns);
      assert.ok(lifted.messages.every((m) => m.role !== ('system' as string)));
    });
  }

  it('omits the system field when there is no system prompt', async () => {
    await make().chat(chatRequest({ messages: [{ role: 'user', content: 'hi' }] }));
    assert.equal('system' in fake.requests[0]?.body, false);
  });

  const labels = [
    { baseUrl: undefined, label: 'Anthropic (api.anthropic.com)' },
    { baseUrl: 'https://api.anthropic.com/v1/', label: 'Anthropic (api.anthropic.com)' },
    { baseUrl: 'http://127.0.0.1:4000', label: 'Anthropic (127.0.0.1:4000)' },
  ];
  for (const { baseUrl, label } of labels) {
    it(`labels ${baseUrl ?? 'the default base URL'} as "${label}"`, () => {
      const provider = new AnthropicChatProvider({ model: 'm', contextWindow: 1, ...(baseUrl ? { baseUrl } : {}) });
      assert.equal(provider.label, label);
      assert.equal(provider.tier, 'frontier');
    });
  }

  it('names bantam.anthropic.contextWindow and the limit when a prompt is too long', async () => {
    fake.setScript({ httpError: { status: 400, message: 'prompt is too long: 210000 tokens > 200000 maximum', type: 'invalid_request_error' } });
    const error = await rejection(make().chat(chatRequest()));
    assert.equal(error.code, 'http');
    assert.match(error.message, /^Anthropic \(127\.0\.0\.1:\d+\) can't take a prompt this long \(HTTP 400: prompt is too long/);
    assert.ok(error.message.endsWith('Set bantam.anthropic.contextWindow to 200000 or less: Bantam sizes its prompts to fit it.'), error.message);
  });

  it('tolerates a base URL that already ends in /v1', async () => {
    await make({ baseUrl: `${fake.url}/v1` }).chat(chatRequest());
    assert.equal(fake.requests[0]?.path, '/v1/messages');
  });

  it('retries an overloaded_error event that arrives before any text, like a 529', async () => {
    fake.enqueue({ streamErrorAfterChunks: 0, streamError: { type: 'overloaded_error', message: 'Overloaded' } });
    const { delays, sleep } = recordingSleep();
    const result = await make({ sleep }).chat(chatRequest());
    assert.equal(result.text, 'Hello, world!');
    assert.equal(result.attempts, 2);
    assert.deepEqual(delays, [75]);
  });

  it('says Anthropic is overloaded when the overload outlasts the retries', async () => {
    fake.setScript({ streamErrorAfterChunks: 0, streamError: { type: 'overloaded_error', message: 'Overloaded' } });
    const { delays, sleep } = recordingSleep();
    const error = await rejection(make({ sleep }).chat(chatRequest()));
    assert.equal(error.code, 'http');
    assert.match(error.message, /is overloaded \(HTTP 529: Overloaded\) on all 3 attempts/);
    assert.deepEqual(delays, [75, 150]);
  });

  it('does not retry an invalid_request_error event', async () => {
    fake.setScript({ streamErrorAfterChunks: 0, streamError: { type: 'invalid_request_error', message: 'prompt is too long' } });
    const error = await rejection(make({ sleep: recordingSleep().sleep }).chat(chatRequest()));
    assert.match(error.message, /HTTP 400: prompt is too long/);
    assert.equal(fake.requests.length, 1);
  });

  const stops: Array<{ script: Partial<FakeProviderScript>; expected: string; stop?: string[] }> = [
    { script: { finishReason: 'end_turn' }, expected: 'stop' },
    { script: { finishReason: 'max_tokens' }, expected: 'length' },
    { script: { finishReason: 'refusal' }, expected: 'other' },
    { script: { honorStop: true, chunks: ['a', 'b', 'STOP', 'c'] }, expected: 'stop', stop: ['STOP'] },
  ];
  for (const { script, expected, stop } of stops) {
    it(`maps ${JSON.stringify(script)} to finishReason ${expected}`, async () => {
      fake.setScript(script);
      const result = await make().chat(chatRequest(stop ? { stop } : {}));
      assert.equal(result.finishReason, expected);
      if (stop) assert.equal(result.text, 'ab');
    });
  }
});
