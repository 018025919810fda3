// The one interface every chat-capable model speaks, local or frontier: OpenAI-compatible servers,
// Anthropic, Ollama, the embedded llama worker and VS Code's language-model API. The router, the
// palette commands, the CLI and the chat panel only ever see these shapes. A provider streams text
// through `onText`, stops when `signal` aborts, and rejects only with a BackendError whose message
// a user can act on (and which never contains an API key).

/** Where a provider's model runs: on this machine (or the team's own server), or a frontier service. */
export type Tier = 'local' | 'frontier';

/** The backends Bantam can talk to for chat-style tasks. */
export type ProviderKind = 'openai' | 'anthropic' | 'ollama' | 'embedded' | 'vscode-lm';

export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

export interface ChatRequest {
  /** System messages may appear only first; providers that take a separate system field lift it out. */
  messages: ChatMessage[];
  /** Most tokens to generate. */
  maxTokens: number;
  temperature: number;
  stop?: string[];
  /** Aborting ends the request end to end (HTTP request aborted, worker stops generating). */
  signal?: AbortSignal;
  /** Each piece of answer text as it arrives, in order; their concatenation is ChatResult.text. */
  onText?: (chunk: string) => void;
}

export interface ChatUsage {
  inputTokens: number;
  outputTokens: number;
  /** True when the provider did not report usage and the numbers are Bantam's estimate. */
  estimated: boolean;
}

export type FinishReason = 'stop' | 'length' | 'abort' | 'timeout' | 'other';

export interface ChatResult {
  text: string;
  usage: ChatUsage;
  finishReason: FinishReason;
  /** The model that answered, as the provider named it (may differ from the configured alias). */
  model: string;
  /** ms from sending the request to the first text (NaN when there was none). */
  ttftMs: number;
  totalMs: number;
  /** Attempts made, 1 when the first succeeded (429/5xx retries add to it). */
  attempts: number;
}

export interface ChatProvider {
  readonly kind: ProviderKind;
  readonly tier: Tier;
  /** Human-readable name for messages and the routing log, e.g. "Anthropic (api.anthropic.com)" or "Ollama (127.0.0.1:11434)". */
  readonly label: string;
  /** The configured model name. */
  readonly model: string;
  /** True when its endpoint is neither this machine nor a private address (hostLocality.ts). */
  readonly leavesMachine?: boolean;
  /** Tokens the model accepts (prompt + answer); used to decide whether a task fits locally. */
  contextWindow(): Promise<number>;
  /** Rejects with BackendError ('aborted' when the signal aborted before any text). */
  chat(request: ChatRequest): Promise<ChatResult>;
  dispose(): void;
}

/** A provider that is ready, or why it is not (user-facing: what to set up). */
export type ProviderLookup = { provider: ChatProvider } | { unavailable: string };
