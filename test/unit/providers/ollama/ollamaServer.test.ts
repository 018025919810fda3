// bantam.ollama.host as Ollama completion reads it: what it accepts without a scheme or a port.

import * as assert from 'node:assert/strict';
import { ollamaServerUrl } from '../../../../src/core/providers/ollama/ollamaServer';

describe('ollamaServerUrl', () => {
  const cases: Array<[host: string, url: string | undefined]> = [
    ['http://127.0.0.1:11434', 'http://127.0.0.1:11434'],
    ['localhost', 'http://localhost:11434'],
    ['gpu-box:8080', 'http://gpu-box:8080'],
    [':11500', 'http://127.0.0.1:11500'],
    ['http://ollama.lan', 'http://ollama.lan:80'],
    ['https://ollama.example.com', 'https://ollama.example.com:443'],
    ['https://example.com/ollama/', 'https://example.com:443/ollama'],
    ['http://[::1]:11434', 'http://[::1]:11434'],
    ['http://exa mple:11434', undefined],
  ];
  for (const [host, url] of cases) {
    it(`${host} -> ${url ?? 'not an address'}`, () => assert.equal(ollamaServerUrl(host), url));
  }
});
