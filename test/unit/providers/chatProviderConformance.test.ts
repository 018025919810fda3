// The rules every network chat provider must keep, run against each of them (OpenAI-compatible,
// Anthropic, Ollama) over a loopback server speaking that provider's wire format: streaming and
// usage, retries with Retry-After and backoff (recorded, not waited), timeouts, cuts, malformed
// replies, refused keys, unreachable hosts, and aborts before and after the first text.

import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { closedPort } from '../../support/closedPort';
import { startFakeProviderServer, type FakeProviderServer } from '../../support/fakeProviderServer';
import {
  chatRequest,
  PROVIDERS,
  recordingSleep,
  rejection,
  requestsArrived,
  TEST_KEY,
  TEST_POLICY,
} from './networkProviderKit';

for (const provider of PROVIDERS) {
  describe(`${provider.name} chat provider: shared HTTP behaviour`, () => {
    let fake: FakeProviderServer;

    beforeEach(async () => {
      fake = await startFakeProviderServer({ apiKey: TEST_KEY });
    });

    afterEach(async () => {
      await fake.close();
    });

    describe('streaming', () => {
      it('delivers the chunks in order and resolves with the server’s usage, finish reason and model', async () => {
        fake.setScript({ chunks: ['Hel', 'lo', ' there'], usage: { input: 21, output: 3 }, answerModel: 'test-model-0613' });
        const chat = provider.make(fake, { apiKey: TEST_KEY });
        const pieces: string[] = [];

        const result = await chat.chat(chatRequest({ onText: (chunk) => pieces.push(chunk) }));

        assert.deepEqual(pieces, ['Hel', 'lo', ' there']);
        assert.equal(result.text, 'Hello there');
        assert.deepEqual(result.usage, { inputTokens: 21, outputTokens: 3, estimated: false });
        assert.equal(result.finishReason, 'stop');
        assert.equal(result.model, 'test-model-0613');
        assert.equal(result.attempts, 1);
        assert.ok(Number.isFinite(result.ttftMs) && result.ttftMs >= 0);
        assert.ok(result.totalMs >= result.ttftMs);
        assert.equal(fake.requestsTo(provider.path).length, 1);
      });

      it('estimates usage, and says so, when the server reports none', async () => {
        fake.setScript({ chunks: ['one two three'], usage: false });
        const result = await provider.make(fake, { apiKey: TEST_KEY }).chat(chatRequest());
        assert.equal(result.usage.estimated, true);
        assert.ok(result.usage.inputTokens > 0 && result.usage.outputTokens > 0);
      });

      it('reports a reply cut by the token limit as finishReason length', async () => {
        fake.setScript({ chunks: ['a', 'b', 'c', 'd'] });
        const result = await provider.make(fake, { apiKey: TEST_KEY }).chat(chatRequest({ maxTokens: 2 }));
        assert.equal(result.text, 'ab');
        assert.equal(result.finishReason, 'length');
      });

      it('reports contextWindow() as configured', async () => {
        assert.equal(await provider.make(fake, { contextWindow: 12_345 }).contextWindow(), 12_345);
      });
    });

    describe('retries before any text', () => {
      const cases = [
        { title: 'Retry-After in seconds', error: { status: 429, message: 'Rate limit reached', retryAfter: '2' }, wait: 2000 },
        { title: 'Retry-After as an HTTP date', error: { status: 429, message: 'slow down', retryAfter: '' }, wait: 3000 },
        { title: 'retry-after-ms', error: { status: 429, message: 'slow down', retryAfterMs: '1250' }, wait: 1250 },
        { title: 'no Retry-After: backoff with jitter', error: { status: 500, message: 'boom' }, wait: 75 },
        { title: 'a 503 with no Retry-After', error: { status: 503, message: 'unavailable' }, wait: 75 },
        { title: 'an overloaded 529', error: { status: 529, message: 'Overloaded' }, wait: 75 },
      ];
      for (const { title, error, wait } of cases) {
        it(`waits as told (${title}) and then succeeds`, async () => {
          const now = Date.parse('2025-06-01T12:00:00Z');
          const retryAfter = error.retryAfter === '' ? new Date(now + wait).toUTCString() : error.retryAfter;
          fake.enqueue({ httpError: { ...error, retryAfter } });
          const { delays, sleep } = recordingSleep();
          const chat = provider.make(fake, { apiKey: TEST_KEY, sleep, now: () => now });

          const result = await chat.chat(chatRequest());

          assert.deepEqual(delays, [wait]);
          assert.equal(result.text, 'Hello, world!');
          assert.equal(result.attempts, 2);
          assert.equal(fake.requestsTo(provider.path).length, 2);
        });
      }

      for (const retryAfter of ['0', 'Thu, 01 Jan 1970 00:00:00 GMT', '-5']) {
        it(`still backs off when the server says to retry at once (Retry-After: ${retryAfter})`, async () => {
          fake.enqueue({ httpError: { status: 429, message: 'slow down', retryAfter } });
          const { delays, sleep } = recordingSleep();
          const result = await provider.make(fake, { apiKey: TEST_KEY, sleep }).chat(chatRequest());
          assert.equal(result.text, 'Hello, world!');
          assert.deepEqual(delays, [75], 'no tight retry loop');
        });
      }

      it('backs off exponentially and gives up after maxRetries + 1 attempts of HTTP 500', async () => {
        fake.setScript({ httpError: { status: 500, message: 'internal failure' } });
        const { delays, sleep } = recordingSleep();
        const chat = provider.make(fake, { apiKey: TEST_KEY, sleep });

        const error = await rejection(chat.chat(chatRequest()));

        assert.equal(error.code, 'http');
        assert.match(error.message, /HTTP 500: internal failure/);
        assert.match(error.message, /all 3 attempts/);
        assert.ok(error.message.includes(fake.url.replace('http://', '')), error.message);
        assert.deepEqual(delays, [75, 150]);
        assert.equal(fake.requestsTo(provider.path).length, TEST_POLICY.maxRetries + 1);
      });

      it('fails at once, saying when to retry, when Retry-After is longer than the policy allows', async () => {
        fake.setScript({ httpError: { status: 429, message: 'quota', retryAfter: '600' } });
        const { delays, sleep } = recordingSleep();

        const error = await rejection(provider.make(fake, { apiKey: TEST_KEY, sleep }).chat(chatRequest()));

        assert.equal(error.code, 'http');
        assert.match(error.message, /Try again in 10 min/);
        assert.deepEqual(delays, []);
        assert.equal(fake.requests.length, 1);
      });

      it('does not retry a 400, and quotes the server’s message', async () => {
        fake.setScript({ httpError: { status: 400, message: 'messages: field required' } });
        const { delays, sleep } = recordingSleep();
        const error = await rejection(provider.make(fake, { apiKey: TEST_KEY, sleep }).chat(chatRequest()));
        assert.equal(error.code, 'http');
        assert.match(error.message, /HTTP 400: messages: field required/);
        assert.deepEqual(delays, []);
      });

      it('retries a connection cut before any text, then succeeds', async () => {
        fake.enqueue({ cutAfterChunks: 0 });
        const { delays, sleep } = recordingSleep();
        const result = await provider.make(fake, { apiKey: TEST_KEY, sleep }).chat(chatRequest());
        assert.equal(result.text, 'Hello, world!');
        assert.equal(result.attempts, 2);
        assert.deepEqual(delays, [75]);
      });
    });

    describe('failures after text has arrived', () => {
      it('reports a stream cut mid-way with how much arrived, without retrying', async () => {
        fake.setScript({ chunks: ['abc', 'de', 'fgh'], cutAfterChunks: 2 });
        const { delays, sleep } = recordingSleep();
        const pieces: string[] = [];

        const error = await rejection(
          provider.make(fake, { apiKey: TEST_KEY, sleep }).chat(chatRequest({ onText: (c) => pieces.push(c) })),
        );

        assert.equal(error.code, 'http');
        assert.match(error.message, /cut off after 5 characters/);
        assert.deepEqual(pieces, ['abc', 'de']);
        assert.deepEqual(delays, []);
        assert.equal(fake.requests.length, 1);
      });

      it('treats a stream that ends cleanly without its end event as cut', async () => {
        fake.setScript({ chunks: ['abc'], omitEnd: true });
        const error = await rejection(provider.make(fake, { apiKey: TEST_KEY }).chat(chatRequest()));
        assert.equal(error.code, 'http');
        assert.match(error.message, /cut off after 3 characters/);
      });

      it('refuses a malformed JSON chunk', async () => {
        fake.setScript({ chunks: ['abc', 'def'], malformedAfterChunks: 1 });
        const { delays, sleep } = recordingSleep();
        const error = await rejection(provider.make(fake, { apiKey: TEST_KEY, sleep }).chat(chatRequest()));
        assert.equal(error.code, 'malformed');
        assert.match(error.message, /could not read/);
        assert.deepEqual(delays, []);
      });

      it('reports an error the server sends inside the stream after some text', async () => {
        fake.setScript({ chunks: ['abc', 'def'], streamErrorAfterChunks: 1, streamError: { type: 'api_error', message: 'GPU fell over' } });
        const error = await rejection(provider.make(fake, { apiKey: TEST_KEY }).chat(chatRequest()));
        assert.equal(error.code, 'http');
        assert.match(error.message, /GPU fell over/);
      });
    });

    describe('timeouts', () => {
      it('fails with timeout when the first byte takes longer than the policy allows, without retrying', async () => {
        fake.setScript({ firstByteDelayMs: 10_000 });
        const { delays, sleep } = recordingSleep();
        const chat = provider.make(fake, { apiKey: TEST_KEY, sleep, policy: { ...TEST_POLICY, firstByteTimeoutMs: 100 } });

        const error = await rejection(chat.chat(chatRequest()));

        assert.equal(error.code, 'timeout');
        assert.match(error.message, /sent nothing for 100 ms/);
        assert.deepEqual(delays, []);
        assert.equal(await fake.settled(fake.requests[0]!), 'client-closed');
      });

      it('keeps the partial answer with finishReason timeout when the stream stalls after some text', async () => {
        fake.setScript({ chunks: ['abc', 'def'], stallAfterChunks: 1, stallMs: 10_000 });
        const chat = provider.make(fake, { apiKey: TEST_KEY, policy: { ...TEST_POLICY, idleTimeoutMs: 100 } });
        const result = await chat.chat(chatRequest());
        assert.equal(result.text, 'abc');
        assert.equal(result.finishReason, 'timeout');
      });
    });

    describe('credentials and addresses', () => {
      it('maps 401 to unauthorized with the key hint and never the key', async () => {
        const wrongKey = 'sk-wrong-key-987654321';
        const server = await startFakeProviderServer({ apiKey: TEST_KEY, echoKeyInErrors: true });
        try {
          const chat = provider.make(server, { apiKey: wrongKey, keyHint: "Run 'Bantam: Set API Key'." });
          const error = await rejection(chat.chat(chatRequest()));
          assert.equal(error.code, 'unauthorized');
          assert.match(error.message, /rejected the API key \(HTTP 401/);
          assert.ok(error.message.endsWith("Run 'Bantam: Set API Key'."), error.message);
          assert.ok(!error.message.includes(wrongKey), error.message);
        } finally {
          await server.close();
        }
      });

      it('says a key is needed when none was given', async () => {
        const error = await rejection(provider.make(fake, { keyHint: 'Set THE_API_KEY.' }).chat(chatRequest()));
        assert.equal(error.code, 'unauthorized');
        assert.match(error.message, /needs an API key \(HTTP 401/);
        assert.match(error.message, /Set THE_API_KEY\./);
      });

      it('maps a closed port to unreachable, after retrying the refused connection', async () => {
        const port = await closedPort();
        const { delays, sleep } = recordingSleep();
        const baseUrl = provider.api === 'openai-chat' ? `http://127.0.0.1:${port}/v1` : `http://127.0.0.1:${port}`;
        const chat = provider.make(fake, { baseUrl, sleep, policy: { ...TEST_POLICY, maxRetries: 1 } });

        const error = await rejection(chat.chat(chatRequest()));

        assert.equal(error.code, 'unreachable');
        assert.match(error.message, new RegExp(`could not reach 127\\.0\\.0\\.1:${port}`));
        assert.match(error.message, /server is running/);
        assert.deepEqual(delays, [75]);
      });

      it('maps an unknown model to model-missing', async () => {
        const server = await startFakeProviderServer({ models: ['another-model'] });
        try {
          const error = await rejection(provider.make(server).chat(chatRequest()));
          assert.equal(error.code, 'model-missing');
          assert.match(error.message, /"test-model"/);
        } finally {
          await server.close();
        }
      });
    });

    describe('what a server cannot make Bantam do', () => {
      it('follows no redirect: the key and the code never reach the other origin', async () => {
        const other = await startFakeProviderServer({});
        const redirector = http.createServer((req, res) => {
          req.resume();
          res.writeHead(307, { location: `${other.url}${req.url ?? '/'}` });
          res.end();
        });
        await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', () => resolve()));
        try {
          const port = (redirector.address() as AddressInfo).port;
          const baseUrl = provider.api === 'openai-chat' ? `http://127.0.0.1:${port}/v1` : `http://127.0.0.1:${port}`;
          const error = await rejection(provider.make(fake, { apiKey: TEST_KEY, sleep: recordingSleep().sleep, baseUrl }).chat(chatRequest()));
          assert.ok(error.code === 'http' || error.code === 'unreachable', error.message);
          assert.equal(other.requests.length, 0, 'the redirect was followed');
        } finally {
          redirector.close();
          await other.close();
        }
      });

      it('reads at most 64 KB of an error body, and still quotes its message', async () => {
        fake.setScript({ httpError: { status: 400, message: `bad request ${'x'.repeat(8 * 1024 * 1024)}` } });
        const error = await rejection(provider.make(fake, { apiKey: TEST_KEY, sleep: recordingSleep().sleep }).chat(chatRequest()));
        assert.match(error.message, /HTTP 400/);
        assert.ok(error.message.length < 2000, `message of ${error.message.length} characters`);
      });

      it('cuts an answer longer than maxResponseChars: what arrived, finishReason length', async () => {
        fake.setScript({ chunks: Array.from({ length: 40 }, () => 'y'.repeat(50)) });
        const policy = { ...TEST_POLICY, maxResponseChars: 1000 };
        const result = await provider.make(fake, { apiKey: TEST_KEY, policy }).chat(chatRequest());
        assert.equal(result.finishReason, 'length');
        assert.equal(result.text.length, 1000);
      });

      it('ends a request that trickles past totalTimeoutMs, keeping what arrived', async () => {
        fake.setScript({ chunks: Array.from({ length: 50 }, (_, i) => `${i} `), chunkDelayMs: 100 });
        const policy = { ...TEST_POLICY, totalTimeoutMs: 800 };
        const result = await provider.make(fake, { apiKey: TEST_KEY, policy }).chat(chatRequest());
        assert.equal(result.finishReason, 'timeout');
        assert.ok(result.text.length > 0 && result.text.length < 140, result.text);
      });

      it('redacts the key before clipping the server message, so no half of it is left', async () => {
        fake.setScript({ httpError: { status: 400, message: `${'z'.repeat(190)} ${TEST_KEY} and more` } });
        const error = await rejection(provider.make(fake, { apiKey: TEST_KEY, sleep: recordingSleep().sleep }).chat(chatRequest()));
        assert.ok(!error.message.includes(TEST_KEY.slice(0, 8)), error.message);
      });
    });

    describe('cancellation', () => {
      it('rejects with aborted, sending nothing, when the signal is already aborted', async () => {
        const error = await rejection(
          provider.make(fake, { apiKey: TEST_KEY }).chat(chatRequest({ signal: AbortSignal.abort() })),
        );
        assert.equal(error.code, 'aborted');
        assert.equal(fake.requests.length, 0);
      });

      it('rejects with aborted and closes the connection when aborted before the first text', async () => {
        fake.setScript({ firstByteDelayMs: 10_000 });
        const controller = new AbortController();
        const pending = provider.make(fake, { apiKey: TEST_KEY }).chat(chatRequest({ signal: controller.signal }));
        await requestsArrived(fake);
        controller.abort();

        const error = await rejection(pending);

        assert.equal(error.code, 'aborted');
        assert.equal(await fake.settled(fake.requests[0]!), 'client-closed');
      });

      it('resolves with the text so far and finishReason abort when aborted after the first text', async () => {
        fake.setScript({ chunks: ['first', ' second', ' third'], chunkDelayMs: 10_000 });
        const controller = new AbortController();
        const result = await provider
          .make(fake, { apiKey: TEST_KEY })
          .chat(chatRequest({ signal: controller.signal, onText: () => controller.abort() }));

        assert.equal(result.text, 'first');
        assert.equal(result.finishReason, 'abort');
        assert.equal(await fake.settled(fake.requests[0]!), 'client-closed');
      });

      it('ends a backoff sleep at once when aborted during it', async () => {
        fake.setScript({ httpError: { status: 429, message: 'later', retryAfter: '9' } });
        const controller = new AbortController();
        // The real sleep: nine seconds unless the abort cuts it short (mocha's 2 s timeout would fail it).
        const pending = provider.make(fake, { apiKey: TEST_KEY }).chat(chatRequest({ signal: controller.signal }));
        await requestsArrived(fake);
        await fake.settled(fake.requests[0]!);
        controller.abort();

        const error = await rejection(pending);
        assert.equal(error.code, 'aborted');
        assert.equal(fake.requests.length, 1);
      });

      it('dispose() ends a request in flight and refuses later ones', async () => {
        fake.setScript({ firstByteDelayMs: 10_000 });
        const chat = provider.make(fake, { apiKey: TEST_KEY });
        const pending = chat.chat(chatRequest());
        await requestsArrived(fake);
        chat.dispose();

        assert.equal((await rejection(pending)).code, 'aborted');
        assert.equal((await rejection(chat.chat(chatRequest()))).code, 'aborted');
      });
    });

    describe('the API key never leaks', () => {
      const scenarios: Array<{ title: string; options?: Parameters<typeof startFakeProviderServer>[0]; script?: object; baseUrl?: 'closed' }> = [
        { title: 'a 401 that echoes the key', options: { apiKey: 'another-key', echoKeyInErrors: true } },
        { title: 'a 400 whose message quotes the key', script: { httpError: { status: 400, message: `bad header ${TEST_KEY}` } } },
        { title: 'an in-stream error quoting the key', script: { streamErrorAfterChunks: 1, streamError: { type: 'api_error', message: `key ${TEST_KEY} revoked` } } },
        { title: 'a malformed chunk', script: { malformedAfterChunks: 0 } },
        { title: 'a cut stream', script: { cutAfterChunks: 1 } },
        { title: 'an unreachable host', baseUrl: 'closed' },
      ];
      for (const scenario of scenarios) {
        it(`keeps it out of the message, label and error (${scenario.title})`, async () => {
          const server = await startFakeProviderServer({ ...scenario.options });
          try {
            if (scenario.script) server.setScript(scenario.script);
            let baseUrl: string | undefined;
            if (scenario.baseUrl === 'closed') {
              const port = await closedPort();
              baseUrl = provider.api === 'openai-chat' ? `http://127.0.0.1:${port}/v1` : `http://127.0.0.1:${port}`;
            }
            const chat = provider.make(server, {
              apiKey: TEST_KEY,
              sleep: recordingSleep().sleep,
              ...(baseUrl ? { baseUrl } : {}),
            });
            const error = await rejection(chat.chat(chatRequest()));
            for (const text of [error.message, String(error), error.stack ?? '', chat.label]) {
              assert.ok(!text.includes(TEST_KEY), `the key leaked into: ${text}`);
            }
          } finally {
            await server.close();
          }
        });
      }
    });
  });
}
