// Reading each API's error body, recognising an unknown model, keeping keys out of messages, and
// reading socket failures from the one table of codes.

import * as assert from 'node:assert/strict';
import {
  failureError,
  isSocketFailure,
  parseServerMessage,
  redact,
  type Endpoint,
  type ServerMessage,
} from '../../../../src/core/providers/http/httpErrors';

const ENDPOINT: Endpoint = {
  name: 'Example',
  host: 'llm.example.com',
  hostPort: 'llm.example.com:443',
  model: 'big-model',
  api: 'an example API',
  hadKey: true,
  keyHint: 'Set EXAMPLE_KEY.',
  modelMissingHint: 'Pick another model.',
  secrets: ['sk-secret-1234'],
};

describe('httpErrors', () => {
  const bodies: Array<{ api: string; body: string; expected: ServerMessage }> = [
    {
      api: 'OpenAI',
      body: '{"error":{"message":"Bad thing","type":"invalid_request_error","param":null,"code":"model_not_found"}}',
      expected: { message: 'Bad thing', type: 'invalid_request_error', code: 'model_not_found' },
    },
    {
      api: 'Anthropic',
      body: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
      expected: { message: 'Overloaded', type: 'overloaded_error' },
    },
    { api: 'Ollama', body: '{"error":"model \\"x\\" not found"}', expected: { message: 'model "x" not found' } },
    { api: 'vLLM', body: '{"object":"error","message":"The model `x` does not exist.","type":"NotFoundError","code":404}', expected: { message: 'The model `x` does not exist.', type: 'NotFoundError' } },
    { api: 'FastAPI', body: '{"detail":"Not Found"}', expected: { message: 'Not Found' } },
    { api: 'a proxy', body: '<html><body><h1>502 Bad Gateway</h1></body></html>', expected: { message: '502 Bad Gateway' } },
    { api: 'nobody', body: '', expected: {} },
  ];
  for (const { api, body, expected } of bodies) {
    it(`reads ${api}'s error body`, () => assert.deepEqual(parseServerMessage(body), expected));
  }

  const notFound: Array<{ server: ServerMessage; status: number; code: string }> = [
    { server: { message: 'x', code: 'model_not_found' }, status: 404, code: 'model-missing' },
    { server: { message: 'model: claude-x', type: 'not_found_error' }, status: 404, code: 'model-missing' },
    { server: { message: "model 'x' not found, try pulling it first" }, status: 404, code: 'model-missing' },
    { server: { message: 'The model `x` does not exist.' }, status: 404, code: 'model-missing' },
    { server: { message: 'x is not a valid model ID' }, status: 400, code: 'model-missing' },
    { server: { message: 'Not Found' }, status: 404, code: 'http' },
    { server: {}, status: 404, code: 'http' },
  ];
  for (const { server, status, code } of notFound) {
    it(`maps HTTP ${status} ${JSON.stringify(server)} to ${code}`, () => {
      const error = failureError(ENDPOINT, { kind: 'status', status, server }, { attempts: 1, chars: 0 });
      assert.equal(error.code, code);
      if (code === 'model-missing') assert.match(error.message, /"big-model".*Pick another model\.$/);
    });
  }

  // A prompt longer than the server's context: each server's own words, with the limit it named.
  const tooLong: Array<{ api: string; body: string; limit?: number }> = [
    {
      api: 'llama-server',
      body: '{"error":{"code":400,"message":"request (7654 tokens) exceeds the available context size (4096 tokens), try increasing it","type":"exceed_context_size_error","n_prompt_tokens":7654,"n_ctx":4096}}',
      limit: 4096,
    },
    {
      api: 'OpenAI',
      body: '{"error":{"message":"This model\'s maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}',
      limit: 8192,
    },
    { api: 'vLLM', body: '{"object":"error","message":"This model\'s maximum context length is 2048 tokens. However, you requested 3000 tokens.","type":"BadRequestError","code":400}', limit: 2048 },
    { api: 'Anthropic', body: '{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 210000 tokens > 200000 maximum"}}', limit: 200000 },
    { api: 'a server that names no limit', body: '{"error":{"message":"Too long","type":"invalid_request_error","code":"context_length_exceeded"}}' },
  ];
  for (const { api, body, limit } of tooLong) {
    it(`says which setting to lower when ${api} refuses a prompt for its length`, () => {
      const endpoint: Endpoint = { ...ENDPOINT, contextHint: (n) => `Set bantam.x.contextWindow to ${n ?? 'the right size'}.` };
      const error = failureError(endpoint, { kind: 'status', status: 400, server: parseServerMessage(body) }, { attempts: 1, chars: 0 });
      assert.equal(error.code, 'http');
      assert.match(error.message, /^Example \(llm\.example\.com\) can't take a prompt this long \(HTTP 400: /);
      assert.ok(error.message.endsWith(`Set bantam.x.contextWindow to ${limit ?? 'the right size'}.`), error.message);
      // Without a setting to name, the advice is still about the prompt's length.
      const plain = failureError(ENDPOINT, { kind: 'status', status: 400, server: parseServerMessage(body) }, { attempts: 1, chars: 0 });
      assert.match(plain.message, /Ask about less at once, or give the server a larger context\.$/);
    });
  }

  it('clips a long server message to about 200 characters', () => {
    const error = failureError(ENDPOINT, { kind: 'status', status: 400, server: { message: 'x'.repeat(1000) } }, { attempts: 1, chars: 0 });
    assert.ok(error.message.length < 400, error.message);
    assert.match(error.message, /x…\)/);
  });

  it('redacts every secret it is given, and ignores too-short ones', () => {
    assert.equal(redact('key sk-secret-1234 and sk-secret-1234', ['sk-secret-1234']), 'key *** and ***');
    assert.equal(redact('a b c', ['a']), 'a b c');
  });

  it('redacts the key from a server message quoted in an error', () => {
    const error = failureError(
      ENDPOINT,
      { kind: 'status', status: 401, server: { message: 'bad key sk-secret-1234' } },
      { attempts: 1, chars: 0 },
    );
    assert.equal(error.code, 'unauthorized');
    assert.ok(!error.message.includes('sk-secret-1234'));
    assert.match(error.message, /bad key \*\*\*/);
  });
});

describe('socket failures', () => {
  const failed = (code: string): TypeError =>
    new TypeError('fetch failed', { cause: Object.assign(new Error(`socket ${code}`), { code }) });
  const word = (code: string) => failureError(ENDPOINT, { kind: 'network', cause: failed(code) }, { attempts: 1, chars: 0 });

  it('the chat wording tells a refused connection, a dropped one and undici giving up apart', () => {
    assert.equal(word('ECONNREFUSED').code, 'unreachable');
    assert.match(word('ECONNREFUSED').message, /could not reach llm\.example\.com:443 \(ECONNREFUSED\)/);
    assert.equal(word('ECONNRESET').code, 'http');
    assert.match(word('ECONNRESET').message, /closed the connection before answering \(ECONNRESET\)/);
    assert.equal(word('UND_ERR_CLOSED').code, 'unreachable');
    assert.match(word('UND_ERR_CLOSED').message, /could not connect to llm\.example\.com:443 \(UND_ERR_CLOSED\)/);
  });

  it('isSocketFailure counts every code of the table, and undici’s words without a code', () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_HEADERS_TIMEOUT']) {
      assert.ok(isSocketFailure(failed(code)), code);
    }
    assert.ok(isSocketFailure(new TypeError('terminated')));
    // "fetch failed" is undici's word for any connection that could not be made, TLS included.
    assert.ok(isSocketFailure(failed('ERR_TLS_CERT_ALTNAME_INVALID')));
    assert.ok(!isSocketFailure(Object.assign(new Error('bad certificate'), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' })));
    assert.ok(!isSocketFailure(new Error('weird')));
  });
});
