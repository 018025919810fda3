// The router's ProviderSource inside VS Code: builds the local and frontier chat providers from the
// current settings, with keys from SecretStorage, the embedded model from the completion service
// (one worker, one model for completion and chat), and VS Code's language models.
import type { BantamConfig } from '../core/config';
import { LocalChatProvider } from '../core/providers/local/localChatProvider';
import type { LocalLlamaBackend } from '../core/providers/local/localLlamaBackend';
import {
  anthropicProvider,
  ollamaChatProvider,
  openAiProvider,
  type ProviderKeys,
} from '../core/providers/providerFactory';
import type { ProviderLookup } from '../core/kernel/chatTypes';
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
  constructor(private readonly options: ChatProvidersOptions) {}

  private async keys(): Promise<ProviderKeys> {
    const [anthropic, openai] = await Promise.all([this.options.keys.get('anthropic'), this.options.keys.get('openai')]);
    return { anthropic, openai };
  }

  async local(): Promise<ProviderLookup> {
    const config = this.options.config();
    switch (config.routing.localProvider) {
      case 'ollama':
        return ollamaChatProvider(config);
      case 'openai':
        return openAiProvider(config, await this.keys(), { keyHint: () => KEY_HINT }, 'local');
      case 'embedded': {
        if (config.completion.backend !== 'embedded' || !config.completion.enabled) {
          return {
            unavailable:
              "The embedded model runs only while it serves inline completion (bantam.completion.backend 'embedded', completions on); set bantam.routing.localProvider to 'ollama' or 'openai' to use another local model.",
          };
        }
        return {
          provider: new LocalChatProvider({
            backend: this.options.embedded,
            model: config.completion.model ? config.completion.model.split(/[\\/]/).pop()! : 'recommended model',
            contextSize: config.embedded.contextSize,
          }),
        };
      }
    }
  }

  async frontier(): Promise<ProviderLookup> {
    const config = this.options.config();
    switch (config.routing.frontierProvider) {
      case 'anthropic':
        return anthropicProvider(config, await this.keys(), { keyHint: () => KEY_HINT });
      case 'openai':
        return openAiProvider(config, await this.keys(), { keyHint: () => KEY_HINT }, 'frontier');
      case 'vscode-lm': {
        const model = await findVscodeLmModel(config.vscodeLm).catch(() => undefined);
        return model ? { provider: new VscodeLmProvider(model) } : { unavailable: noVscodeLmModelMessage(config.vscodeLm) };
      }
    }
  }
}
