// API keys for network providers, kept only in VS Code's SecretStorage (the OS keychain on desktop).
// They never go to settings, logs, error messages or the webview: providers receive the key as a
// constructor argument and report errors without it. "Bantam: Set API Key" and "Clear API Key".
import * as vscode from 'vscode';
import type { KeyedProvider } from '../core/providers/registry';
import type { UserPrompts } from './userPrompts';

const SECRET_PREFIX = 'bantam.apiKey.';

const PROVIDERS: readonly { label: string; value: KeyedProvider; detail: string }[] = [
  { label: 'Anthropic', value: 'anthropic', detail: 'Used when bantam.routing.frontierProvider is "anthropic".' },
  {
    label: 'OpenAI-compatible server',
    value: 'openai',
    detail: 'OpenAI, OpenRouter, or a team server at bantam.openai.baseUrl (leave unset if the server needs no key).',
  },
];

export class ApiKeys implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<KeyedProvider>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscription = secrets.onDidChange((event) => {
      const provider = event.key.startsWith(SECRET_PREFIX) ? event.key.slice(SECRET_PREFIX.length) : '';
      if (provider === 'anthropic' || provider === 'openai') this.changed.fire(provider);
    });
  }

  async get(provider: KeyedProvider): Promise<string | undefined> {
    return (await this.secrets.get(SECRET_PREFIX + provider)) || undefined;
  }

  /** Asks which provider and the key, then stores it. Returns the provider whose key was set. */
  async promptAndStore(prompts: UserPrompts, provider?: KeyedProvider): Promise<KeyedProvider | undefined> {
    const target = provider ?? (await prompts.pick('Bantam: set the API key for…', PROVIDERS));
    if (!target) return undefined;
    const name = PROVIDERS.find((p) => p.value === target)!.label;
    const key = await prompts.askSecret({
      title: `Bantam: ${name} API key`,
      prompt: 'Stored in VS Code\'s secret storage only; never in settings or logs.',
    });
    if (!key) return undefined;
    await this.secrets.store(SECRET_PREFIX + target, key);
    void vscode.window.showInformationMessage(`Bantam: the ${name} API key is stored in VS Code's secret storage.`);
    return target;
  }

  async promptAndClear(prompts: UserPrompts): Promise<KeyedProvider | undefined> {
    const target = await prompts.pick('Bantam: clear the API key for…', PROVIDERS);
    if (!target) return undefined;
    await this.secrets.delete(SECRET_PREFIX + target);
    void vscode.window.showInformationMessage(`Bantam: the ${PROVIDERS.find((p) => p.value === target)!.label} API key was removed.`);
    return target;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
