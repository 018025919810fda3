// Chat with a model in a local Ollama server: POST {host}/api/chat, streamed as NDJSON lines
// `{"message":{"content"},"done":false}` and a last line with `done: true`, `done_reason`,
// `prompt_eval_count` and `eval_count`; an `{"error": "..."}` line is Ollama failing mid-answer.
// Spoken over the shared HTTP layer so retries, timeouts, aborts and messages behave exactly as
// with the other chat providers; the stream is read by the decoder completion uses (ollamaStream.ts).

import { staysOnPrivateNetwork } from '../http/hostLocality';
import type { ChatProvider, ChatRequest, ChatResult, FinishReason, Tier } from '../../kernel/chatTypes';
import { endpointLabel, type Endpoint } from '../http/httpErrors';
import type { BodyDecoder, HttpDeps, TextSink } from '../http/httpStream';
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
import { DEFAULT_OLLAMA_HOST, ollamaEndpointWords } from './ollamaServer';
import { OllamaStreamDecoder } from './ollamaStream';

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
    this.host = (options.host?.trim() || DEFAULT_OLLAMA_HOST).replace(/\/+$/, '');
    this.model = options.model.trim();
    this.apiKey = options.apiKey?.trim() ?? '';
    this.tier = options.tier ?? 'local';
    this.leavesMachine = !staysOnPrivateNetwork(this.host);
    this.keepAlive = options.keepAlive;
    this.numCtx = options.numCtx;
    const words = ollamaEndpointWords(this.model);
    this.endpoint = endpointFor({
      ...words,
      baseUrl: this.host,
      model: this.model,
      apiKey: this.apiKey,
      keyHint: options.keyHint ?? words.keyHint,
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
    if (!this.endpoint.valid) throw invalidBaseUrlError(this.endpoint, DEFAULT_OLLAMA_HOST);
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
      decoder: chatDecoder,
    });
  }

  dispose(): void {
    this.lifetime.dispose();
  }
}

const DONE_REASONS: Readonly<Record<string, FinishReason>> = { stop: 'stop', length: 'length' };

/** /api/chat: a line's text is `message.content`; a last line without a done_reason is a plain stop. */
function chatDecoder(sink: TextSink, facts: ChatStreamFacts): BodyDecoder {
  return new OllamaStreamDecoder(
    sink,
    facts,
    (line) => line['message']?.content,
    (reason) => (facts.finishReason = reason !== undefined ? (DONE_REASONS[reason] ?? 'other') : 'stop'),
  );
}
