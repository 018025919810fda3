// The router's ProviderSource inside VS Code: the local and frontier chat providers the settings name,
// built through the provider registry with what only this host has: keys from SecretStorage, the
// embedded model from the completion service (one worker, one model for completion and chat), and
// VS Code's language models.
import type { BantamConfig } from '../core/config';
import type { ProviderLookup } from '../core/kernel/chatTypes';
import { LocalChatProvider } from '../core/providers/local/localChatProvider';
import type { LocalLlamaBackend } from '../core/providers/local/localLlamaBackend';
import { chatProviderFor, type ProviderHost } from '../core/providers/registry';
import type { ProviderSource } from '../core/routing/router';
import type { ApiKeys } from './apiKeys';
import { findVscodeLmModel, noVscodeLmModelMessage, VscodeLmProvider } from './vscodeLmProvider';

const KEY_HINT = "Run 'Bantam: Set API Key'.";

export interface ChatProvidersOptions {
  config: () => BantamConfig;
  keys: ApiKeys;
  /** The completion service's embedded backend, when the embedded model is the completion backend. */
  embedded: () => Promise<LocalLlamaBackend | undefined>;
}

export class ChatProviders implements ProviderSource {
  private readonly host: ProviderHost;
  private readonly config: () => BantamConfig;

  constructor(options: ChatProvidersOptions) {
    this.config = options.config;
    this.host = {
      keys: async () => {
        const [anthropic, openai] = await Promise.all([options.keys.get('anthropic'), options.keys.get('openai')]);
        return { anthropic, openai };
      },
      keyHint: () => KEY_HINT,
      embedded: (config) => {
        if (config.completion.backend !== 'embedded' || !config.completion.enabled) {
          return {
            unavailable:
              "The embedded model runs only while it serves inline completion (bantam.completion.backend 'embedded', completions on); set bantam.routing.localProvider to 'ollama' or 'openai' to use another local model.",
          };
        }
        return {
          provider: new LocalChatProvider({
            backend: options.embedded,
            model: config.completion.model ? config.completion.model.split(/[\\/]/).pop()! : 'recommended model',
            contextSize: config.embedded.contextSize,
          }),
        };
      },
      hosted: {
        'vscode-lm': async (config) => {
          const model = await findVscodeLmModel(config.vscodeLm).catch(() => undefined);
          return model ? { provider: new VscodeLmProvider(model) } : { unavailable: noVscodeLmModelMessage(config.vscodeLm) };
        },
      },
    };
  }

  async local(): Promise<ProviderLookup> {
    const config = this.config();
    return chatProviderFor(config.routing.localProvider, 'local', config, this.host);
  }

  async frontier(): Promise<ProviderLookup> {
    const config = this.config();
    return chatProviderFor(config.routing.frontierProvider, 'frontier', config, this.host);
  }
}
