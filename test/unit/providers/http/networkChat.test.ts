// The network chat providers' shared set-up, through a minimal provider over a fake fetch: what the
// base makes of the options (model, key, tier, label, locality, context window), the URL it posts to, an
// invalid base URL, dispose(); and baseUrlOf. The shared HTTP behaviour is chatProviderConformance's.

import * as assert from 'node:assert/strict';
import type { ChatRequest } from '../../../../src/core/kernel/chatTypes';
import { NetworkChatProvider, type ChatWire } from '../../../../src/core/providers/http/networkChat';
import { baseUrlOf, type NetworkProviderOptions } from '../../../../src/core/providers/http/networkProvider';
import { ndjsonFeeder } from '../../../../src/core/providers/http/ndjsonLines';
import { chatRequest, rejection } from '../networkProviderKit';

/** Answers every chat with one NDJSON line `{"text": ..., "done": true}`. */
class EchoProvider extends NetworkChatProvider {
  readonly kind = 'openai';
  readonly urls: string[] = [];

  constructor(baseUrl: string, options: Partial<NetworkProviderOptions> = {}) {
    const fetch = async (url: string): Promise<Response> => {
      this.urls.push(url);
      return new Response(`${JSON.stringify({ text: `key ${this.apiKey}`, done: true })}\n`);
    };
    super(
      { model: ' echo-1 ', contextWindow: 1000, fetch, ...options },
      {
        baseUrl: baseUrlOf(baseUrl),
        tier: 'local',
        words: { name: 'Echo', api: 'an echo server', modelMissingHint: 'Pick another.', keyHint: 'Set the echo key.' },
        exampleUrl: 'http://127.0.0.1:9/v1',
      },
    );
  }

  protected wire(_request: ChatRequest): ChatWire {
    return {
      path: '/echo',
      headers: {},
      body: {},
      decoder: (sink, facts) => {
        let done = false;
        const feeder = ndjsonFeeder((line) => {
          sink.text(String(line['text']));
          done = line['done'] === true;
          facts.finishReason = 'stop';
        });
        return { feed: feeder.feed, flush: feeder.flush, done: () => done };
      },
    };
  }
}

describe('NetworkChatProvider', () => {
  it('trims the model and key, takes the default tier, and names the endpoint in its label', async () => {
    const echo = new EchoProvider('http://127.0.0.1:8080/v1/', { apiKey: ' k-123 ' });
    assert.equal(echo.model, 'echo-1');
    assert.equal(echo.tier, 'local');
    assert.equal(echo.label, 'Echo (127.0.0.1:8080)');
    assert.equal(echo.leavesMachine, false);
    assert.equal(await echo.contextWindow(), 1000);

    const result = await echo.chat(chatRequest());
    assert.equal(result.text, 'key k-123');
    assert.equal(result.model, 'echo-1');
    assert.equal(result.finishReason, 'stop');
    assert.deepEqual(echo.urls, ['http://127.0.0.1:8080/v1/echo']);
  });

  it('lets the options name the tier, and says a public host leaves the machine', () => {
    const echo = new EchoProvider('https://echo.example.com', { tier: 'frontier' });
    assert.equal(echo.tier, 'frontier');
    assert.equal(echo.leavesMachine, true);
  });

  it('refuses a base URL that is not http(s), suggesting the provider’s example', async () => {
    const error = await rejection(new EchoProvider('ftp://echo').chat(chatRequest()));
    assert.equal(error.code, 'unreachable');
    assert.equal(error.message, 'The base URL for Echo is not a valid http(s) URL. Set it to a URL such as http://127.0.0.1:9/v1.');
  });

  it('dispose() refuses later chats, naming the provider', async () => {
    const echo = new EchoProvider('http://127.0.0.1:8080');
    echo.dispose();
    const error = await rejection(echo.chat(chatRequest()));
    assert.equal(error.code, 'aborted');
    assert.equal(error.message, 'Echo (127.0.0.1:8080) has been shut down. Reload the window to use it again.');
  });
});

describe('baseUrlOf', () => {
  const cases: Array<[configured: string | undefined, fallback: string | undefined, url: string]> = [
    [' http://a:1/v1// ', undefined, 'http://a:1/v1'],
    ['', 'http://default', 'http://default'],
    ['   ', 'http://default/', 'http://default'],
    [undefined, undefined, ''],
  ];
  for (const [configured, fallback, url] of cases) {
    it(`${JSON.stringify(configured)} (fallback ${fallback ?? 'none'}) -> ${JSON.stringify(url)}`, () => {
      assert.equal(baseUrlOf(configured, fallback), url);
    });
  }
});
