// The fake provider server itself, spoken to with plain fetch: the provider tests and the VS Code
// integration suites trust it to answer in each API's documented shape, so the shapes are checked here.

import * as assert from 'node:assert/strict';
import { startFakeProviderServer, type FakeProviderServer } from '../../support/fakeProviderServer';

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/** [event name, data] of each SSE event. */
function sseEvents(text: string): Array<[string | undefined, string]> {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? '';
      return [event, data];
    });
}

describe('fake provider server', () => {
  let fake: FakeProviderServer;

  beforeEach(async () => {
    fake = await startFakeProviderServer({ script: { chunks: ['a', 'b'], usage: { input: 5, output: 2 } } });
  });

  afterEach(async () => {
    await fake.close();
  });

  it('streams OpenAI chat chunks, a finish chunk, a usage chunk when asked, then [DONE]', async () => {
    const response = await post(`${fake.url}/v1/chat/completions`, {
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    assert.equal(response.headers.get('content-type'), 'text/event-stream');
    const events = sseEvents(await response.text()).map(([, data]) => data);
    assert.equal(events.at(-1), '[DONE]');
    const chunks = events.slice(0, -1).map((data) => JSON.parse(data));
    assert.deepEqual(
      chunks.map((c) => [c.choices[0]?.delta?.content, c.choices[0]?.finish_reason ?? null, c.usage?.completion_tokens]),
      [
        ['', null, undefined],
        ['a', null, undefined],
        ['b', null, undefined],
        [undefined, 'stop', undefined],
        [undefined, null, 2],
      ],
    );
  });

  it('streams Anthropic’s named events in the documented order', async () => {
    const response = await post(
      `${fake.url}/v1/messages`,
      { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }], stream: true },
      { 'anthropic-version': '2023-06-01' },
    );
    const events = sseEvents(await response.text());
    assert.deepEqual(
      events.map(([name]) => name),
      [
        'message_start',
        'content_block_start',
        'ping',
        'content_block_delta',
        'content_block_delta',
        'content_block_stop',
        'message_delta',
        'message_stop',
      ],
    );
    for (const [name, data] of events) assert.equal(JSON.parse(data).type, name);
  });

  it('refuses an Anthropic request without anthropic-version, in Anthropic’s error shape', async () => {
    const response = await post(`${fake.url}/v1/messages`, { model: 'm', messages: [] });
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), {
      type: 'error',
      error: { type: 'invalid_request_error', message: 'anthropic-version: header is required' },
    });
  });

  it('streams Ollama chat NDJSON ending in a done line with counts', async () => {
    const response = await post(`${fake.url}/api/chat`, { model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    const lines = (await response.text()).trim().split('\n').map((line) => JSON.parse(line));
    assert.deepEqual(
      lines.map((l) => [l.message.content, l.done, l.eval_count]),
      [
        ['a', false, undefined],
        ['b', false, undefined],
        ['', true, 2],
      ],
    );
  });

  it('answers queued failures once each, with Retry-After, then the script', async () => {
    fake.enqueue({ httpError: { status: 429, message: 'slow down', retryAfter: '3' } });
    const first = await post(`${fake.url}/api/chat`, { model: 'm', messages: [] });
    assert.equal(first.status, 429);
    assert.equal(first.headers.get('retry-after'), '3');
    assert.deepEqual(await first.json(), { error: 'slow down' });
    const second = await post(`${fake.url}/api/chat`, { model: 'm', messages: [] });
    assert.equal(second.status, 200);
    await second.text();
  });

  it('records method, path, headers and parsed body', async () => {
    await (await post(`${fake.url}/v1/completions`, { model: 'm', prompt: 'p' }, { authorization: 'Bearer k' })).text();
    const [request] = fake.requests;
    assert.equal(request?.method, 'POST');
    assert.equal(request?.path, '/v1/completions');
    assert.equal(request?.api, 'openai-completions');
    assert.equal(request?.headers['authorization'], 'Bearer k');
    assert.deepEqual(request?.body, { model: 'm', prompt: 'p' });
    assert.equal(await fake.settled(request!), 'completed');
  });
});
