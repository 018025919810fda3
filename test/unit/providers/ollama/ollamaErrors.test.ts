// Error mapping for shapes that are hard to produce with a real socket (nested fetch causes,
// AggregateErrors from trying several addresses, the client's own error messages).

import * as assert from 'node:assert/strict';
import { OllamaStreamError, toBackendError } from '../../../../src/core/providers/ollama/ollamaErrors';
import { MalformedStreamError } from '../../../../src/core/providers/ollama/ollamaFetch';
import { BackendError } from '../../../../src/core/kernel/backendError';
import { errorCodes } from '../../../../src/core/providers/http/httpErrors';

const ctx = { host: 'http://127.0.0.1:11434', model: 'qwen2.5-coder:1.5b-base' };

function fetchFailed(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

function responseError(status: number, message: string): Error {
  // The client's ResponseError is not exported; this has the same shape.
  return Object.assign(new Error(message), { name: 'ResponseError', error: message, status_code: status });
}

describe('toBackendError', () => {
  const codeCases: Array<[label: string, error: unknown, code: string]> = [
    ['refused', fetchFailed(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })), 'unreachable'],
    [
      'refused on every address (AggregateError)',
      fetchFailed(
        new AggregateError([
          Object.assign(new Error('::1'), { code: 'ECONNREFUSED' }),
          Object.assign(new Error('127.0.0.1'), { code: 'ECONNREFUSED' }),
        ]),
      ),
      'unreachable',
    ],
    ['connect timeout', fetchFailed(Object.assign(new Error('timeout'), { code: 'UND_ERR_CONNECT_TIMEOUT' })), 'unreachable'],
    ['EAI_AGAIN', fetchFailed(Object.assign(new Error('dns'), { code: 'EAI_AGAIN' })), 'unreachable'],
    ['request timeout', new DOMException('The operation was aborted due to timeout', 'TimeoutError'), 'unreachable'],
    ['404 model not found', responseError(404, "model 'x' not found"), 'model-missing'],
    ['404 not an Ollama route', responseError(404, '404 page not found'), 'http'],
    ['403', responseError(403, 'forbidden'), 'unauthorized'],
    ['503 busy', responseError(503, 'server busy, please try again.  maximum pending requests exceeded'), 'http'],
    ['500 out of memory', responseError(500, 'model requires more system memory (5.2 GiB) than is available (3.1 GiB)'), 'model-load'],
    ['400 no insert', responseError(400, 'registry.ollama.ai/library/llama3:latest does not support insert'), 'http'],
    ['stream error line', new OllamaStreamError("model 'x' not found"), 'model-missing'],
    ['malformed line', new MalformedStreamError('<html>'), 'malformed'],
    ['bad JSON body', new SyntaxError('Unexpected token < in JSON'), 'malformed'],
    ['no done line', new Error('Did not receive done or success response in stream.'), 'http'],
    ['an unexpected abort', new DOMException('This operation was aborted', 'AbortError'), 'aborted'],
    ['anything else', new Error('weird'), 'http'],
  ];

  for (const [label, error, code] of codeCases) {
    it(`${label} -> ${code}`, () => {
      assert.equal(toBackendError(error, ctx).code, code);
    });
  }

  it('reads a broken socket as a cut stream once streaming had started, and as unreachable before', () => {
    const terminated = new TypeError('terminated', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
    assert.match(toBackendError(terminated, { ...ctx, streaming: true }).message, /closed the connection/);
    assert.match(toBackendError(terminated, ctx).message, /not reachable/);
  });

  it('passes BackendErrors through unchanged', () => {
    const original = new BackendError('timeout', 'x. y.');
    assert.equal(toBackendError(original, ctx), original);
  });

  it('keeps the original error as cause and clips long server messages', () => {
    const original = responseError(500, `boom ${'z'.repeat(1000)}`);
    const mapped = toBackendError(original, ctx);
    assert.equal(mapped.cause, original);
    assert.ok(mapped.message.length < 400, `message is ${mapped.message.length} chars`);
  });

  it('says what happened and what to do, as two sentences', () => {
    for (const [, error] of codeCases) {
      const message = toBackendError(error, ctx).message;
      assert.match(message, /^[^]+\. [A-Z][^]+\.$/, message);
    }
  });
});

describe('errorCodes', () => {
  it('collects codes through causes and aggregate members', () => {
    const error = fetchFailed(new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' })]));
    assert.deepEqual(errorCodes(error), ['ECONNREFUSED']);
  });
});
