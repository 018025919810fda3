// Asks once per frontier provider before the workspace's code is first sent to it, and remembers a
// "send" per provider label in a small store (VS Code's workspaceState, so consent is per
// workspace). A different label (another host, another vendor) asks again. "Keep it local" and
// "cancel" are answers for this request only and are not remembered, so the question comes back.

export type ConsentChoice = 'send' | 'local' | 'cancel';

/** What the router asks before sending code to a frontier provider. */
export interface ConsentGate {
  /** 'send' to go ahead, 'local' to answer with the local model instead, 'cancel' to send nothing. */
  ensure(providerLabel: string, files: string[]): Promise<ConsentChoice>;
}

/** The part of VS Code's Memento that consent needs. */
export interface ConsentStore {
  get(key: string): string[] | undefined;
  set(key: string, value: string[]): Promise<void> | void;
}

/** Shows the question: a modal listing the files in VS Code; the CLI prints them and answers 'send'. */
export type ConsentAsk = (providerLabel: string, files: string[]) => Promise<ConsentChoice>;

export const CONSENT_STORE_KEY = 'bantam.frontierConsent';

export class FrontierConsent implements ConsentGate {
  // One question per provider at a time: two requests racing to the same provider share one modal.
  private readonly pending = new Map<string, Promise<ConsentChoice>>();

  constructor(
    private readonly store: ConsentStore,
    private readonly ask: ConsentAsk,
    private readonly key = CONSENT_STORE_KEY,
  ) {}

  async ensure(providerLabel: string, files: string[]): Promise<ConsentChoice> {
    if (this.has(providerLabel)) return 'send';
    const inFlight = this.pending.get(providerLabel);
    if (inFlight) return inFlight;
    const question = this.question(providerLabel, files);
    this.pending.set(providerLabel, question);
    try {
      return await question;
    } finally {
      this.pending.delete(providerLabel);
    }
  }

  /** True once code may be sent to this provider without asking. */
  has(providerLabel: string): boolean {
    return this.granted().includes(providerLabel);
  }

  /** Providers the workspace has agreed to send code to. */
  granted(): string[] {
    const value: unknown = this.store.get(this.key);
    // The store is persisted state from older versions or other hands: trust only strings.
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  }

  /** Forgets consent for one provider, or for all when no label is given. */
  async revoke(providerLabel?: string): Promise<void> {
    const kept = providerLabel === undefined ? [] : this.granted().filter((label) => label !== providerLabel);
    await this.store.set(this.key, kept);
  }

  private async question(providerLabel: string, files: string[]): Promise<ConsentChoice> {
    const choice = await this.ask(providerLabel, [...files]);
    if (choice === 'send' && !this.has(providerLabel)) {
      await this.store.set(this.key, [...this.granted(), providerLabel]);
    }
    return choice;
  }
}
