// The fake Ollama server itself, spoken to with plain fetch: the integration suites rely on it
// answering like Ollama documents, so its replies are checked here rather than trusted.

import * as assert from 'node:assert/strict';
import { FAKE_MODELS, startFakeOllama, type FakeOllama } from '../../support/fakeOllamaServer';

async function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

function ndjson(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('fake Ollama server', () => {
  let fake: FakeOllama;

  beforeEach(async () => {
    fake = await startFakeOllama({ models: [FAKE_MODELS.qwenCoder], script: { chunks: ['a', 'b'] } });
  });

  afterEach(async () => {
    await fake.close();
  });

  it('streams /api/generate as NDJSON ending in a done line with counts and durations', async () => {
    const response = await post(`${fake.url}/api/generate`, { model: FAKE_MODELS.qwenCoder.name, prompt: 'x'.repeat(40) });
    assert.equal(response.headers.get('content-type'), 'application/x-ndjson');
    const lines = ndjson(await response.text());
    assert.deepEqual(
      lines.map((l) => [l['response'], l['done']]),
      [
        ['a', false],
        ['b', false],
        ['', true],
      ],
    );
    const last = lines.at(-1) ?? {};
    assert.equal(last['done_reason'], 'stop');
    assert.equal(last['prompt_eval_count'], 10);
    assert.equal(last['eval_count'], 2);
    assert.equal(typeof last['total_duration'], 'number');
    assert.equal(fake.requestsTo('/api/generate')[0]?.outcome, 'completed');
  });

  it('answers stream:false with one JSON object holding the whole response', async () => {
    const response = await post(`${fake.url}/api/generate`, {
      model: FAKE_MODELS.qwenCoder.name,
      prompt: 'p',
      stream: false,
    });
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(body['response'], 'ab');
    assert.equal(body['done'], true);
  });

  it('streams /api/chat as assistant messages', async () => {
    const response = await post(`${fake.url}/api/chat`, {
      model: FAKE_MODELS.qwenCoder.name,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const lines = ndjson(await response.text());
    assert.deepEqual(lines[0]?.['message'], { role: 'assistant', content: 'a' });
    assert.equal(lines.at(-1)?.['done'], true);
  });

  it('loads a model on an empty prompt and unloads it with keep_alive 0', async () => {
    const load = (await (await post(`${fake.url}/api/generate`, { model: FAKE_MODELS.qwenCoder.name })).json()) as Record<string, unknown>;
    assert.equal(load['done_reason'], 'load');
    const unload = (await (
      await post(`${fake.url}/api/generate`, { model: FAKE_MODELS.qwenCoder.name, keep_alive: 0 })
    ).json()) as Record<string, unknown>;
    assert.equal(unload['done_reason'], 'unload');
  });

  it('lists models, shows one, reports a version, and 404s like Ollama', async () => {
    const tags = (await (await fetch(`${fake.url}/api/tags`)).json()) as { models: Array<{ name: string }> };
    assert.deepEqual(
      tags.models.map((m) => m.name),
      ['qwen2.5-coder:1.5b-base'],
    );
    const show = (await (await post(`${fake.url}/api/show`, { model: 'qwen2.5-coder:1.5b-base' })).json()) as {
      model_info: Record<string, unknown>;
    };
    assert.equal(show.model_info['general.architecture'], 'qwen2');
    const version = (await (await fetch(`${fake.url}/api/version`)).json()) as { version: string };
    assert.match(version.version, /^\d+\.\d+\.\d+$/);

    const missing = await post(`${fake.url}/api/generate`, { model: 'nope', prompt: 'x' });
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { error: "model 'nope' not found, try pulling it first" });
    const noShow = await post(`${fake.url}/api/show`, { model: 'nope' });
    assert.equal(noShow.status, 404);
    assert.equal((await fetch(`${fake.url}/api/nothing`)).status, 404);
  });

  it('records request bodies and honours num_predict and stop', async () => {
    fake.setScript({ chunks: ['one', ' two', ' three'] });
    const text = await (
      await post(`${fake.url}/api/generate`, { model: FAKE_MODELS.qwenCoder.name, prompt: 'p', options: { stop: [' tw'] } })
    ).text();
    assert.deepEqual(
      ndjson(text).map((l) => l['response']),
      ['one', ''],
    );
    assert.equal(ndjson(text).at(-1)?.['done_reason'], 'stop');
    const limited = ndjson(
      await (
        await post(`${fake.url}/api/generate`, { model: FAKE_MODELS.qwenCoder.name, prompt: 'p', options: { num_predict: 1 } })
      ).text(),
    );
    assert.equal(limited.at(-1)?.['done_reason'], 'length');
    assert.deepEqual(fake.requestsTo('/api/generate')[0]?.body.options, { stop: [' tw'] });
  });

  it('sends a malformed line, an error line, or a stream without done on request', async () => {
    fake.setScript({ malformedAfterChunks: 1 });
    const malformed = await (await post(`${fake.url}/api/generate`, { model: FAKE_MODELS.qwenCoder.name, prompt: 'p' })).text();
    assert.throws(() => ndjson(malformed), SyntaxError);

    fake.setScript({ malformedAfterChunks: undefined, errorAfterChunks: 0, streamError: 'boom' });
    const errored = await (await post(`${fake.url}/api/generate`, { model: FAKE_MODELS.qwenCoder.name, prompt: 'p' })).text();
    assert.deepEqual(ndjson(errored), [{ error: 'boom' }]);

    fake.setScript({ errorAfterChunks: undefined, endWithoutDone: true });
    const undone = ndjson(await (await post(`${fake.url}/api/generate`, { model: FAKE_MODELS.qwenCoder.name, prompt: 'p' })).text());
    assert.ok(undone.every((l) => l['done'] === false));
  });

  it('cuts the connection mid-stream and records it', async () => {
    fake.setScript({ cutAfterChunks: 1, chunkDelayMs: 10 });
    const response = await post(`${fake.url}/api/generate`, { model: FAKE_MODELS.qwenCoder.name, prompt: 'p' });
    await assert.rejects(response.text());
    assert.equal(fake.requestsTo('/api/generate')[0]?.outcome, 'cut');
  });

  it('answers with the scripted HTTP error', async () => {
    fake.setScript({ httpError: { status: 500, error: 'nope' } });
    const response = await post(`${fake.url}/api/generate`, { model: FAKE_MODELS.qwenCoder.name, prompt: 'p' });
    assert.equal(response.status, 500);
    assert.deepEqual(await response.json(), { error: 'nope' });
  });
});
