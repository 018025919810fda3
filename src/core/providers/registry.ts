// Every model provider Bantam knows, one row each: which tiers it can answer, which API key it uses,
// how to build its chat provider and (for inline completion) its completion backend from the
// settings. The VS Code adapter, the CLI and the completion service look providers up here instead
// of switching on their names. Adding a provider is one folder under providers/, one row here and
// its settings (package.json and config.ts).
//
// What only a host can supply comes in through ProviderHost: the keys it found (SecretStorage, or
// the environment for the CLI), what to tell the user about a key, the embedded model as that host
// runs it (the extension shares inline completion's worker; the CLI starts its own), and providers
// only it can build (VS Code's language models).
import type { BantamConfig } from '../config';
import type { ProviderKind, ProviderLookup, Tier } from '../kernel/chatTypes';
import type { CompletionBackend } from '../kernel/completionTypes';
import { AnthropicChatProvider } from './anthropic/anthropicChatProvider';
import type { HttpPolicy } from './http/httpPolicy';
import { OllamaBackend } from './ollama/ollamaBackend';
import { OllamaChatProvider } from './ollama/ollamaChatProvider';
import { OpenAiChatProvider } from './openai/openAiChatProvider';
import { OpenAiCompletionBackend } from './openai/openAiCompletionBackend';

/** The providers that use an API key, and the name it is kept under. */
export type KeyedProvider = 'anthropic' | 'openai';

export interface ProviderKeys {
  anthropic?: string;
  openai?: string;
}

export interface ProviderHost {
  /** The keys this host found for a tier's request (the CLI keeps the local server's key apart). */
  keys(tier: Tier): Promise<ProviderKeys>;
  /** What to do about a missing or rejected key, e.g. "Run 'Bantam: Set API Key'." or "Set ANTHROPIC_API_KEY." */
  keyHint(provider: KeyedProvider, tier: Tier): string;
  /** The embedded model's chat provider as this host runs it, or why there is none. */
  embedded(config: BantamConfig): ProviderLookup;
  /** Providers only this host can build (VS Code's language models). */
  hosted?: Partial<Record<ProviderKind, ChatBuilder>>;
}

/** Builds a provider's chat provider for `tier`, or says why it can't. */
export type ChatBuilder = (config: BantamConfig, tier: Tier, host: ProviderHost) => Promise<ProviderLookup>;

/** A completion backend that is a server: where the code goes, and how to build and check it. */
export interface CompletionServerRow {
  /** The server in words, e.g. "Ollama". */
  name: string;
  /** The base URL the code around the cursor is sent to. */
  url(config: BantamConfig): string;
  /** The model name the status bar shows. */
  model(config: BantamConfig): string;
  /** The settings that need a new backend when they change. */
  key(config: BantamConfig): unknown[];
  build(config: BantamConfig, apiKey: string | undefined): CompletionBackend;
  /** A health check before the first suggestion, for servers that have one (Ollama's model list). */
  check?(backend: CompletionBackend): Promise<{ ok: true; model: string } | { ok: false; message: string }>;
  /** The key the server may need, if any. */
  keyName?: KeyedProvider;
}

export interface ProviderRow {
  id: ProviderKind;
  /** The tiers whose chat it may answer. */
  tiers: readonly Tier[];
  keyName?: KeyedProvider;
  /** Its chat provider for `tier`, or why it can't be built. Undefined: the host builds it (ProviderHost.hosted). */
  chat?: ChatBuilder;
  /** Set when it can serve inline completion as a server (the embedded model is the completion service's own). */
  completionServer?: CompletionServerRow;
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

/** The completion model on an OpenAI-compatible server. */
function openAiCompletionModel(config: BantamConfig): string {
  return config.openai.completionModel || config.openai.model;
}

const ROWS: readonly ProviderRow[] = [
  {
    id: 'embedded',
    tiers: ['local'],
    chat: async (config, _tier, host) => host.embedded(config),
  },
  {
    id: 'ollama',
    tiers: ['local'],
    chat: async (config) => {
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
    },
    completionServer: {
      name: 'Ollama',
      url: (config) => config.ollama.host,
      model: (config) => config.ollama.model,
      key: ({ ollama }) => [ollama.host, ollama.model, ollama.keepAlive],
      build: (config) => new OllamaBackend({ host: config.ollama.host, model: config.ollama.model, keepAlive: config.ollama.keepAlive }),
      check: async (backend) => {
        const result = await (backend as OllamaBackend).check();
        return result.ok ? { ok: true, model: result.model } : { ok: false, message: result.error.message };
      },
    },
  },
  {
    id: 'openai',
    tiers: ['local', 'frontier'],
    keyName: 'openai',
    chat: async (config, tier, host) => {
      const { baseUrl, model, contextWindow } = config.openai;
      // The local tier never asks consent and costs nothing: a hosted service can't be it.
      if (tier === 'local' && needsKey(baseUrl)) {
        return {
          unavailable: `bantam.openai.baseUrl is a hosted service (${new URL(baseUrl).host}), which can't be the local tier: code sent there leaves this machine. Point it at your own server, or set bantam.routing.localProvider to 'embedded' or 'ollama'.`,
        };
      }
      const apiKey = (await host.keys(tier)).openai;
      if (!apiKey && needsKey(baseUrl)) {
        return { unavailable: `No API key is set for the OpenAI-compatible server at ${new URL(baseUrl).host}. ${host.keyHint('openai', tier)}` };
      }
      return {
        provider: new OpenAiChatProvider({
          baseUrl,
          model,
          apiKey,
          tier,
          contextWindow,
          policy: httpPolicyFrom(config),
          keyHint: host.keyHint('openai', tier),
        }),
      };
    },
    completionServer: {
      name: 'OpenAI-compatible server',
      url: (config) => config.openai.baseUrl,
      model: openAiCompletionModel,
      key: (config) => [config.openai.baseUrl, openAiCompletionModel(config), config.openai.completionFamily],
      keyName: 'openai',
      build: (config, apiKey) =>
        new OpenAiCompletionBackend({
          baseUrl: config.openai.baseUrl,
          model: openAiCompletionModel(config),
          apiKey,
          family: config.openai.completionFamily,
          keyHint: "Run 'Bantam: Set API Key'.",
        }),
    },
  },
  {
    id: 'anthropic',
    tiers: ['frontier'],
    keyName: 'anthropic',
    chat: async (config, tier, host) => {
      const { baseUrl, model, contextWindow } = config.anthropic;
      const apiKey = (await host.keys(tier)).anthropic;
      if (!apiKey) return { unavailable: `No Anthropic API key is set. ${host.keyHint('anthropic', tier)}` };
      return {
        provider: new AnthropicChatProvider({
          baseUrl,
          model,
          apiKey,
          contextWindow,
          policy: httpPolicyFrom(config),
          keyHint: host.keyHint('anthropic', tier),
        }),
      };
    },
  },
  // VS Code's language models: only the extension host can reach them (ProviderHost.hosted).
  { id: 'vscode-lm', tiers: ['frontier'] },
];

export function providerRow(id: ProviderKind): ProviderRow {
  const row = ROWS.find((r) => r.id === id);
  if (!row) throw new Error(`no provider is registered as "${id}"`);
  return row;
}

export function providerRows(): readonly ProviderRow[] {
  return ROWS;
}

/** The chat provider `id` gives `tier`, built for this host, or why there is none. */
export async function chatProviderFor(id: ProviderKind, tier: Tier, config: BantamConfig, host: ProviderHost): Promise<ProviderLookup> {
  const row = providerRow(id);
  if (!row.tiers.includes(tier)) return { unavailable: `${id} can't answer ${tier} tasks.` };
  const build = row.chat ?? host.hosted?.[id];
  if (!build) return { unavailable: `${id} is not available here.` };
  return build(config, tier, host);
}
