// Ollama completion's wording of each way a request can fail, for shapes that are hard to produce
// with a real socket (nested fetch causes, AggregateErrors from trying several addresses).

import * as assert from 'node:assert/strict';
import { ollamaError, ollamaFailure } from '../../../../src/core/providers/ollama/ollamaErrors';
import { BackendError } from '../../../../src/core/kernel/backendError';
import { errorCodes, type HttpFailure } from '../../../../src/core/providers/http/httpErrors';

const ctx = { host: 'http://127.0.0.1:11434', model: 'qwen2.5-coder:1.5b-base' };
const wording = ollamaFailure(ctx);
const before = { attempts: 1, chars: 0 };

function fetchFailed(cause: unknown): HttpFailure {
  return { kind: 'network', cause: new TypeError('fetch failed', { cause }) };
}

function status(code: number, message: string): HttpFailure {
  return { kind: 'status', status: code, statusText: '', server: { message } };
}

describe('ollamaFailure', () => {
  const codeCases: Array<[label: string, failure: HttpFailure, code: string]> = [
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
    ['reset before any reply', fetchFailed(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })), 'unreachable'],
    ['request timeout', { kind: 'timeout', ms: 5000 }, 'unreachable'],
    ['404 model not found', status(404, "model 'x' not found"), 'model-missing'],
    ['404 not an Ollama route', status(404, '404 page not found'), 'http'],
    ['403', status(403, 'forbidden'), 'unauthorized'],
    ['503 busy', status(503, 'server busy, please try again.  maximum pending requests exceeded'), 'http'],
    ['500 out of memory', status(500, 'model requires more system memory (5.2 GiB) than is available (3.1 GiB)'), 'model-load'],
    ['400 no insert', status(400, 'registry.ollama.ai/library/llama3:latest does not support insert'), 'http'],
    ['stream error line', { kind: 'stream-error', server: { message: "model 'x' not found" } }, 'model-missing'],
    ['malformed line', { kind: 'malformed', detail: 'a line that is not a JSON object: "<html>"' }, 'malformed'],
    ['bad JSON body', { kind: 'malformed', detail: 'a reply that is not JSON: "<"' }, 'malformed'],
    ['no done line', { kind: 'cut' }, 'http'],
    ['an unexpected abort', { kind: 'aborted' }, 'aborted'],
    ['anything else', { kind: 'network', cause: new Error('weird') }, 'http'],
  ];

  for (const [label, failure, code] of codeCases) {
    it(`${label} -> ${code}`, () => {
      assert.equal(wording(failure, before).code, code);
    });
  }

  it('reads a broken socket as a cut stream once a completion stream had started, and as unreachable before', () => {
    const terminated = new TypeError('terminated', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
    const streaming = ollamaFailure(ctx, true);
    assert.match(streaming({ kind: 'network', cause: terminated, afterHeaders: true }, before).message, /closed the connection/);
    assert.match(streaming({ kind: 'network', cause: terminated }, before).message, /not reachable/);
    assert.match(wording({ kind: 'network', cause: terminated, afterHeaders: true }, before).message, /not reachable/);
  });

  it('quotes the status line when the server sent no error text', () => {
    const failure: HttpFailure = { kind: 'status', status: 502, statusText: 'Bad Gateway', server: {} };
    assert.match(wording(failure, before).message, /answered HTTP 502: Error 502: Bad Gateway\. Check the Ollama server log/);
  });

  it('passes BackendErrors through unchanged, and words anything else as a failed request', () => {
    const original = new BackendError('timeout', 'x. y.');
    assert.equal(ollamaError(original, ctx), original);
    const weird = new Error('weird');
    assert.equal(ollamaError(weird, ctx).cause, weird);
    assert.match(ollamaError(weird, ctx).message, /^Talking to Ollama at http:\/\/127\.0\.0\.1:11434 failed: weird\./);
  });

  it('keeps the original error as cause and clips long server messages', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    assert.equal(wording({ kind: 'network', cause }, before).cause, cause);
    const mapped = wording(status(500, `boom ${'z'.repeat(1000)}`), before);
    assert.ok(mapped.message.length < 400, `message is ${mapped.message.length} chars`);
  });

  it('says what happened and what to do, as two sentences', () => {
    for (const [, failure] of codeCases) {
      const message = wording(failure, before).message;
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
