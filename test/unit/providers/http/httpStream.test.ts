// What the HTTP layer offers besides the chat streams the conformance suite covers: GET requests,
// a reply that is one JSON document (requestJson), no time limit where a policy says Infinity, a
// caller's own wording of failures, and the facts that wording reads (a body that broke off after
// the headers, the status line).

import * as assert from 'node:assert/strict';
import { BackendError } from '../../../../src/core/kernel/backendError';
import type { Endpoint, HttpFailure } from '../../../../src/core/providers/http/httpErrors';
import { DEFAULT_HTTP_POLICY, type HttpPolicy } from '../../../../src/core/providers/http/httpPolicy';
import { requestJson, streamRequest, type FetchLike, type HttpDeps } from '../../../../src/core/providers/http/httpStream';
import { ndjsonFeeder } from '../../../../src/core/providers/http/ndjsonLines';
import { abortableSleep } from '../../../../src/core/kernel/abort';
import { rejection } from '../networkProviderKit';

const ENDPOINT: Endpoint = {
  name: 'Example',
  host: 'llm.example.com',
  hostPort: 'llm.example.com:443',
  model: 'm',
  api: 'an example API',
  hadKey: false,
  keyHint: 'Set a key.',
  modelMissingHint: 'Pick a model.',
  secrets: [],
};

const ONE_TRY: HttpPolicy = { ...DEFAULT_HTTP_POLICY, maxRetries: 0 };

interface Sent {
  url: string;
  init: RequestInit;
}

/** A fetch that records what it was asked and answers with `reply` (or throws what it throws). */
function fakeFetch(reply: (sent: Sent) => Response | Promise<Response>): { sent: Sent[]; deps: HttpDeps } {
  const sent: Sent[] = [];
  const fetch: FetchLike = async (url, init) => {
    const request = { url, init };
    sent.push(request);
    return reply(request);
  };
  return { sent, deps: { fetch, sleep: abortableSleep, now: Date.now, random: () => 0.5 } };
}

/** A body that sends `chunks`, then breaks off with `error` if given, else ends. */
function body(chunks: string[], error?: Error): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      if (error) controller.error(error);
      else controller.close();
    },
  });
}

/** A body that never sends anything until the request is aborted. */
function silentReply(sent: Sent): Promise<Response> {
  return new Promise((_, reject) => {
    sent.init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
  });
}

/** A wording that records the failure it was given. */
function recordingWording(): { failures: HttpFailure[]; describe: (failure: HttpFailure) => BackendError } {
  const failures: HttpFailure[] = [];
  return { failures, describe: (failure) => (failures.push(failure), new BackendError('http', `${failure.kind}. Again.`)) };
}

describe('requestJson', () => {
  it('sends a GET without a body and resolves with the parsed document, however it was chunked', async () => {
    const { sent, deps } = fakeFetch(() => new Response(body(['{"models":', '[{"name":"a"}]}'])));
    const value = await requestJson({ endpoint: ENDPOINT, method: 'GET', url: 'http://x/api/tags', headers: {}, policy: ONE_TRY, deps });
    assert.deepEqual(value, { models: [{ name: 'a' }] });
    assert.equal(sent[0]?.init.method, 'GET');
    assert.equal(sent[0]?.init.body, undefined);
    assert.equal(sent[0]?.init.redirect, 'error');
  });

  it('POSTs its body as JSON by default', async () => {
    const { sent, deps } = fakeFetch(() => new Response('{}'));
    await requestJson({ endpoint: ENDPOINT, url: 'http://x/api/show', headers: {}, body: { model: 'm' }, policy: ONE_TRY, deps });
    assert.equal(sent[0]?.init.method, 'POST');
    assert.equal(sent[0]?.init.body, '{"model":"m"}');
  });

  it('reports a reply that is not JSON as malformed', async () => {
    const { deps } = fakeFetch(() => new Response('<html>'));
    const error = await rejection(requestJson({ endpoint: ENDPOINT, url: 'http://x', headers: {}, policy: ONE_TRY, deps }));
    assert.equal(error.code, 'malformed');
    assert.match(error.message, /a reply that is not JSON: "<html>"/);
  });

  it('gives an error status, its status line and the server’s words to the caller’s wording', async () => {
    const { deps } = fakeFetch(() => new Response('{"error":"busy"}', { status: 503, statusText: 'Service Unavailable' }));
    const wording = recordingWording();
    const error = await rejection(
      requestJson({ endpoint: ENDPOINT, url: 'http://x', headers: {}, policy: ONE_TRY, deps, describe: wording.describe }),
    );
    assert.equal(error.message, 'status. Again.');
    assert.deepEqual(wording.failures, [
      { kind: 'status', status: 503, statusText: 'Service Unavailable', server: { message: 'busy' }, retryAfterMs: undefined },
    ]);
  });

  it('times out at totalTimeoutMs when the other limits are Infinity', async () => {
    const { deps } = fakeFetch(silentReply);
    const policy = { ...ONE_TRY, firstByteTimeoutMs: Infinity, idleTimeoutMs: Infinity, totalTimeoutMs: 50 };
    const wording = recordingWording();
    await rejection(requestJson({ endpoint: ENDPOINT, url: 'http://x', headers: {}, policy, deps, describe: wording.describe }));
    assert.deepEqual(wording.failures, [{ kind: 'timeout', ms: 50 }]);
  });
});

describe('streamRequest', () => {
  const lines = (sink: { text(chunk: string): void }) => {
    let done = false;
    const feeder = ndjsonFeeder((line) => {
      if (typeof line['text'] === 'string') sink.text(line['text']);
      if (line['done'] === true) done = true;
    });
    return { feed: feeder.feed, flush: feeder.flush, done: () => done };
  };

  it('sets no timer for a limit of Infinity: a slow stream is waited for', async () => {
    const { deps } = fakeFetch(async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      return new Response(body(['{"text":"a"}\n', '{"done":true}\n']));
    });
    const policy = { ...ONE_TRY, firstByteTimeoutMs: Infinity, idleTimeoutMs: Infinity, totalTimeoutMs: Infinity };
    const outcome = await streamRequest({ endpoint: ENDPOINT, url: 'http://x', headers: {}, body: {}, policy, deps, decoder: lines });
    assert.equal(outcome.text, 'a');
    assert.equal(outcome.end, 'complete');
  });

  it('says a body broke off after the headers, for wordings that tell that from an unreachable server', async () => {
    const cut = new TypeError('terminated');
    const { deps } = fakeFetch(() => new Response(body([], cut)));
    const wording = recordingWording();
    await rejection(
      streamRequest({ endpoint: ENDPOINT, url: 'http://x', headers: {}, body: {}, policy: ONE_TRY, deps, decoder: lines, describe: wording.describe }),
    );
    assert.deepEqual(wording.failures, [{ kind: 'network', cause: cut, afterHeaders: true }]);
  });

  it('words a refused connection with the caller’s wording, without afterHeaders', async () => {
    const refused = new TypeError('fetch failed');
    const { deps } = fakeFetch(() => Promise.reject(refused));
    const wording = recordingWording();
    await rejection(
      streamRequest({ endpoint: ENDPOINT, url: 'http://x', headers: {}, body: {}, policy: ONE_TRY, deps, decoder: lines, describe: wording.describe }),
    );
    assert.deepEqual(wording.failures, [{ kind: 'network', cause: refused }]);
  });

  it('words a signal aborted before the call with the caller’s wording too', async () => {
    const { sent, deps } = fakeFetch(() => new Response(''));
    const wording = recordingWording();
    const signal = AbortSignal.abort();
    await rejection(
      streamRequest({ endpoint: ENDPOINT, url: 'http://x', headers: {}, policy: ONE_TRY, deps, signal, decoder: lines, describe: wording.describe }),
    );
    assert.deepEqual(wording.failures, [{ kind: 'aborted' }]);
    assert.equal(sent.length, 0);
  });
});
