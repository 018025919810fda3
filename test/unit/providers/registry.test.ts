// The provider registry: building providers from the settings and the keys a host found (what is
// missing is said in words the router can pass on; a hosted service is never taken as the local tier;
// Ollama gets the window Bantam sizes prompts for), and every row complete.
import * as assert from 'node:assert/strict';
import { configFrom, type RawSettings } from '../../../src/core/config';
import type { ProviderKind, ProviderLookup, Tier } from '../../../src/core/kernel/chatTypes';
import { chatProviderFor, providerRows, type ProviderHost, type ProviderKeys } from '../../../src/core/providers/registry';
import { startFakeProviderServer } from '../../support/fakeProviderServer';

const config = (raw: RawSettings = {}) => configFrom(raw);

/** A host with these keys, whose hint names the provider. */
function host(keys: ProviderKeys = {}): ProviderHost {
  return {
    keys: async () => keys,
    keyHint: (p) => `Set the ${p} key.`,
    embedded: () => ({ unavailable: 'no embedded model in this test' }),
  };
}

const lookup = (id: ProviderKind, tier: Tier, raw: RawSettings = {}, keys: ProviderKeys = {}) => chatProviderFor(id, tier, config(raw), host(keys));

function unavailable(lookup: ProviderLookup): string {
  assert.ok('unavailable' in lookup, 'expected no provider');
  return lookup.unavailable;
}

function provider(lookup: ProviderLookup) {
  assert.ok('provider' in lookup, `expected a provider, got: ${'unavailable' in lookup ? lookup.unavailable : ''}`);
  return lookup.provider;
}

describe('provider registry', () => {
  it('Anthropic without a key: unavailable, saying how to set one', async () => {
    assert.match(unavailable(await lookup('anthropic', 'frontier')), /No Anthropic API key is set\. Set the anthropic key\./);
  });

  it('Anthropic with a key: a frontier provider for the configured model and window', async () => {
    const p = provider(await lookup('anthropic', 'frontier', { 'anthropic.model': 'claude-x' }, { anthropic: 'k' }));
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
    it(`OpenAI-compatible at ${c.baseUrl}, ${c.key ? 'a key' : 'no key'}, ${c.tier}: ${c.ok ? 'a provider' : 'unavailable'}`, async () => {
      const found = await lookup('openai', c.tier, { 'openai.baseUrl': c.baseUrl }, { openai: c.key });
      if (c.ok) assert.equal(provider(found).tier, c.tier);
      else assert.match(unavailable(found), c.message!);
    });
  }

  it("Ollama chat asks for the window Bantam sizes prompts to (num_ctx)", async () => {
    const server = await startFakeProviderServer({ script: { chunks: ['ok'] } });
    try {
      const p = provider(await lookup('ollama', 'local', { 'ollama.host': server.url, 'ollama.chatContextSize': 16384 }));
      assert.equal(await p.contextWindow(), 16384);
      await p.chat({ messages: [{ role: 'user', content: 'hi' }], maxTokens: 8, temperature: 0 });
      const [request] = server.requestsTo('/api/chat');
      assert.equal(request?.body?.options?.num_ctx, 16384);
    } finally {
      await server.close();
    }
  });

  it('every row names its tiers, and only completion servers and VS Code hosts are special', () => {
    const ids = providerRows().map((r) => r.id);
    assert.deepEqual([...ids].sort(), ['anthropic', 'embedded', 'ollama', 'openai', 'vscode-lm']);
    for (const row of providerRows()) {
      assert.ok(row.tiers.length > 0, `${row.id} has no tier`);
      assert.ok(row.chat !== undefined || row.id === 'vscode-lm', `${row.id} has no chat builder`);
    }
    assert.deepEqual(providerRows().filter((r) => r.completionServer).map((r) => r.id), ['ollama', 'openai']);
  });

  it("a provider asked for a tier it can't answer, or one only another host builds, says so", async () => {
    assert.match(unavailable(await lookup('anthropic', 'local')), /anthropic can't answer local tasks/);
    assert.match(unavailable(await lookup('vscode-lm', 'frontier')), /vscode-lm is not available here/);
  });

  it('the embedded model and hosted providers come from the host', async () => {
    assert.match(unavailable(await lookup('embedded', 'local')), /no embedded model in this test/);
    const hosted: ProviderHost = { ...host(), hosted: { 'vscode-lm': async () => ({ unavailable: 'from the host' }) } };
    assert.match(unavailable(await chatProviderFor('vscode-lm', 'frontier', config(), hosted)), /from the host/);
  });
});
