// Builds the network chat providers from Bantam's settings and the keys the caller found (VS Code's
// SecretStorage, or the environment for the CLI). Says what to set up when a provider can't be
// built, in words the router passes to the user. The embedded model and VS Code's language models
// are built by their own hosts; this covers what core can build alone.
import type { BantamConfig } from '../config';
import { AnthropicChatProvider } from './anthropic/anthropicChatProvider';
import type { ProviderLookup } from '../kernel/chatTypes';
import { OllamaChatProvider } from './ollama/ollamaChatProvider';
import { OpenAiChatProvider } from './openai/openAiChatProvider';
import type { HttpPolicy } from './http/httpPolicy';

export interface ProviderKeys {
  anthropic?: string;
  openai?: string;
}

export interface ProviderFactoryOptions {
  /** What to do about a missing or rejected key, e.g. "Run 'Bantam: Set API Key'." or "Set ANTHROPIC_API_KEY." */
  keyHint: (provider: 'anthropic' | 'openai') => string;
}

/** Hosted OpenAI-compatible services refuse every request without a key; self-hosted servers often need none. */
const HOSTS_NEEDING_A_KEY = ['api.openai.com', 'openrouter.ai', 'api.together.xyz', 'api.groq.com', 'api.mistral.ai', 'api.deepseek.com'];

function needsKey(baseUrl: string): boolean {
  try {
    const host = new URL(baseUrl).hostname;
    return HOSTS_NEEDING_A_KEY.some((h) => host === h || host.endsWith(`.${h}`));
  } catch {
    return false;
  }
}

export function httpPolicyFrom(config: BantamConfig): Partial<HttpPolicy> {
  const { timeoutMs, maxRetries } = config.routing;
  return { firstByteTimeoutMs: timeoutMs, idleTimeoutMs: timeoutMs, maxRetries };
}

export function openAiProvider(config: BantamConfig, keys: ProviderKeys, options: ProviderFactoryOptions, tier: 'local' | 'frontier'): ProviderLookup {
  const { baseUrl, model, contextWindow } = config.openai;
  // The local tier never asks consent and costs nothing: a hosted service can't be it.
  if (tier === 'local' && needsKey(baseUrl)) {
    return {
      unavailable: `bantam.openai.baseUrl is a hosted service (${new URL(baseUrl).host}), which can't be the local tier: code sent there leaves this machine. Point it at your own server, or set bantam.routing.localProvider to 'embedded' or 'ollama'.`,
    };
  }
  if (!keys.openai && needsKey(baseUrl)) {
    return { unavailable: `No API key is set for the OpenAI-compatible server at ${new URL(baseUrl).host}. ${options.keyHint('openai')}` };
  }
  return {
    provider: new OpenAiChatProvider({
      baseUrl,
      model,
      apiKey: keys.openai,
      tier,
      contextWindow,
      policy: httpPolicyFrom(config),
      keyHint: options.keyHint('openai'),
    }),
  };
}

export function anthropicProvider(config: BantamConfig, keys: ProviderKeys, options: ProviderFactoryOptions): ProviderLookup {
  const { baseUrl, model, contextWindow } = config.anthropic;
  if (!keys.anthropic) return { unavailable: `No Anthropic API key is set. ${options.keyHint('anthropic')}` };
  return {
    provider: new AnthropicChatProvider({
      baseUrl,
      model,
      apiKey: keys.anthropic,
      contextWindow,
      policy: httpPolicyFrom(config),
      keyHint: options.keyHint('anthropic'),
    }),
  };
}

export function ollamaChatProvider(config: BantamConfig): ProviderLookup {
  const { host, chatModel, chatContextSize } = config.ollama;
  return {
    provider: new OllamaChatProvider({
      host,
      model: chatModel,
      contextWindow: chatContextSize,
      // Sent as num_ctx: Ollama's own default window (2,048 or 4,096) would silently cut the start
      // of a longer prompt, system rules and files first.
      numCtx: chatContextSize,
      policy: httpPolicyFrom(config),
    }),
  };
}
