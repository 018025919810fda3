// Chat with a model in a local Ollama server: POST {host}/api/chat, streamed as NDJSON lines
// `{"message":{"content"},"done":false}` and a last line with `done: true`, `done_reason`,
// `prompt_eval_count` and `eval_count`; an `{"error": "..."}` line is Ollama failing mid-answer.
// Spoken over the shared HTTP layer (not the `ollama` npm client) so retries, timeouts, aborts and
// messages behave exactly as with the other providers.

import { staysOnPrivateNetwork } from '../http/hostLocality';
import type { ChatProvider, ChatRequest, ChatResult, FinishReason, Tier } from '../../kernel/chatTypes';
import { endpointLabel, serverMessageOf, StreamErrorEvent, type Endpoint } from '../http/httpErrors';
import { FeederDecoder, type HttpDeps, type TextSink } from '../http/httpStream';
import { ndjsonFeeder } from '../http/ndjsonLines';
import { runChat, type ChatStreamFacts } from '../http/networkChat';
import {
  endpointFor,
  httpDeps,
  httpPolicy,
  invalidBaseUrlError,
  RequestLifetime,
  shutDownMessage,
  type NetworkProviderOptions,
} from '../http/networkProvider';
import type { HttpPolicy } from '../http/httpPolicy';

export const DEFAULT_OLLAMA_CHAT_HOST = 'http://127.0.0.1:11434';

export interface OllamaChatOptions extends NetworkProviderOptions {
  /** Ollama's address; default http://127.0.0.1:11434. */
  host?: string;
  /** `keep_alive`, e.g. '30m'. */
  keepAlive?: string | number;
  /** `num_ctx`: Ollama silently drops the start of a prompt longer than its window (2048-4096 by default). */
  numCtx?: number;
}

export class OllamaChatProvider implements ChatProvider {
  readonly kind = 'ollama';
  readonly tier: Tier;
  readonly label: string;
  readonly leavesMachine: boolean;
  readonly model: string;
  private readonly host: string;
  private readonly endpoint: Endpoint & { valid: boolean };
  private readonly apiKey: string;
  private readonly keepAlive: string | number | undefined;
  private readonly numCtx: number | undefined;
  private readonly policy: HttpPolicy;
  private readonly deps: HttpDeps;
  private readonly windowTokens: number;
  private readonly lifetime: RequestLifetime;

  constructor(options: OllamaChatOptions) {
    this.host = (options.host?.trim() || DEFAULT_OLLAMA_CHAT_HOST).replace(/\/+$/, '');
    this.model = options.model.trim();
    this.apiKey = options.apiKey?.trim() ?? '';
    this.tier = options.tier ?? 'local';
    this.leavesMachine = !staysOnPrivateNetwork(this.host);
    this.keepAlive = options.keepAlive;
    this.numCtx = options.numCtx;
    this.endpoint = endpointFor({
      name: 'Ollama',
      baseUrl: this.host,
      model: this.model,
      api: 'an Ollama server, such as http://127.0.0.1:11434',
      apiKey: this.apiKey,
      keyHint: options.keyHint ?? 'Check the credentials of the proxy in front of Ollama.',
      modelMissingHint: `Run \`ollama pull ${this.model}\`.`,
    });
    this.label = endpointLabel(this.endpoint);
    this.lifetime = new RequestLifetime(shutDownMessage(this.endpoint));
    this.policy = httpPolicy(options.policy);
    this.deps = httpDeps(options);
    this.windowTokens = options.contextWindow;
  }

  async contextWindow(): Promise<number> {
    return this.windowTokens;
  }

  async chat(request: ChatRequest): Promise<ChatResult> {
    if (!this.endpoint.valid) throw invalidBaseUrlError(this.endpoint, DEFAULT_OLLAMA_CHAT_HOST);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.apiKey !== '') headers['authorization'] = `Bearer ${this.apiKey}`;
    const options: Record<string, unknown> = { temperature: request.temperature, num_predict: request.maxTokens };
    if (request.stop && request.stop.length > 0) options['stop'] = request.stop;
    if (this.numCtx !== undefined) options['num_ctx'] = this.numCtx;
    return runChat({
      endpoint: this.endpoint,
      url: `${this.host}/api/chat`,
      headers,
      body: {
        model: this.model,
        messages: request.messages.map(({ role, content }) => ({ role, content })),
        stream: true,
        options,
        ...(this.keepAlive !== undefined ? { keep_alive: this.keepAlive } : {}),
      },
      policy: this.policy,
      deps: this.deps,
      lifetime: this.lifetime,
      request,
      decoder: (sink, facts) => new OllamaChatDecoder(sink, facts),
    });
  }

  dispose(): void {
    this.lifetime.dispose();
  }
}

const DONE_REASONS: Readonly<Record<string, FinishReason>> = { stop: 'stop', length: 'length' };

class OllamaChatDecoder extends FeederDecoder {
  protected readonly feeder = ndjsonFeeder((line) => this.onLine(line));
  private finished = false;

  constructor(
    private readonly sink: TextSink,
    private readonly facts: ChatStreamFacts,
  ) {
    super();
  }

  done(): boolean {
    return this.finished;
  }

  private onLine(line: Record<string, any>): void {
    if (line['error'] !== undefined) throw new StreamErrorEvent(serverMessageOf(line));
    if (typeof line['model'] === 'string' && line['model'] !== '') this.facts.model = line['model'];
    const content = line['message']?.content;
    if (typeof content === 'string') this.sink.text(content);
    if (line['done'] === true) {
      this.finished = true;
      if (typeof line['prompt_eval_count'] === 'number') this.facts.inputTokens = line['prompt_eval_count'];
      if (typeof line['eval_count'] === 'number') this.facts.outputTokens = line['eval_count'];
      const reason = line['done_reason'];
      this.facts.finishReason = typeof reason === 'string' ? (DONE_REASONS[reason] ?? 'other') : 'stop';
    }
  }
}
