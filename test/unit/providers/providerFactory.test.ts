// Building providers from the settings and the keys found: what is missing is said in words the
// router can pass on; a hosted service is never taken as the local tier; Ollama gets the window
// Bantam sizes prompts for.
import * as assert from 'node:assert/strict';
import { configFrom, type RawSettings } from '../../../src/core/config';
import { anthropicProvider, ollamaChatProvider, openAiProvider } from '../../../src/core/providers/providerFactory';
import type { ProviderLookup } from '../../../src/core/kernel/chatTypes';
import { startFakeProviderServer } from '../../support/fakeProviderServer';

const hint = { keyHint: (p: 'anthropic' | 'openai') => `Set the ${p} key.` };
const config = (raw: RawSettings = {}) => configFrom(raw);

function unavailable(lookup: ProviderLookup): string {
  assert.ok('unavailable' in lookup, 'expected no provider');
  return lookup.unavailable;
}

function provider(lookup: ProviderLookup) {
  assert.ok('provider' in lookup, `expected a provider, got: ${'unavailable' in lookup ? lookup.unavailable : ''}`);
  return lookup.provider;
}

describe('providerFactory', () => {
  it('Anthropic without a key: unavailable, saying how to set one', () => {
    assert.match(unavailable(anthropicProvider(config(), {}, hint)), /No Anthropic API key is set\. Set the anthropic key\./);
  });

  it('Anthropic with a key: a frontier provider for the configured model and window', async () => {
    const p = provider(anthropicProvider(config({ 'anthropic.model': 'claude-x' }), { anthropic: 'k' }, hint));
    assert.equal(p.tier, 'frontier');
    assert.equal(p.model, 'claude-x');
    assert.equal(await p.contextWindow(), 200_000);
  });

  const openAiCases = [
    { baseUrl: 'https://api.openai.com/v1', key: undefined, tier: 'frontier' as const, ok: false, message: /No API key is set .*api\.openai\.com/ },
    { baseUrl: 'https://openrouter.ai/api/v1', key: undefined, tier: 'frontier' as const, ok: false, message: /openrouter\.ai/ },
    { baseUrl: 'https://api.openai.com/v1', key: 'k', tier: 'frontier' as const, ok: true },
    { baseUrl: 'http://10.0.0.5:8000/v1', key: undefined, tier: 'frontier' as const, ok: true },
    { baseUrl: 'http://10.0.0.5:8000/v1', key: undefined, tier: 'local' as const, ok: true },
    { baseUrl: 'https://api.openai.com/v1', key: 'k', tier: 'local' as const, ok: false, message: /hosted service \(api\.openai\.com\), which can't be the local tier/ },
  ];
  for (const c of openAiCases) {
    it(`OpenAI-compatible at ${c.baseUrl}, ${c.key ? 'a key' : 'no key'}, ${c.tier}: ${c.ok ? 'a provider' : 'unavailable'}`, () => {
      const lookup = openAiProvider(config({ 'openai.baseUrl': c.baseUrl }), { openai: c.key }, hint, c.tier);
      if (c.ok) assert.equal(provider(lookup).tier, c.tier);
      else assert.match(unavailable(lookup), c.message!);
    });
  }

  it("Ollama chat asks for the window Bantam sizes prompts to (num_ctx)", async () => {
    const server = await startFakeProviderServer({ script: { chunks: ['ok'] } });
    try {
      const p = provider(ollamaChatProvider(config({ 'ollama.host': server.url, 'ollama.chatContextSize': 16384 })));
      assert.equal(await p.contextWindow(), 16384);
      await p.chat({ messages: [{ role: 'user', content: 'hi' }], maxTokens: 8, temperature: 0 });
      const [request] = server.requestsTo('/api/chat');
      assert.equal(request?.body?.options?.num_ctx, 16384);
    } finally {
      await server.close();
    }
  });
});
