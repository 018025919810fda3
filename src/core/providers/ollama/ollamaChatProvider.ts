// Chat with a model in a local Ollama server: POST {host}/api/chat, streamed as NDJSON lines
// `{"message":{"content"},"done":false}` and a last line with `done: true`, `done_reason`,
// `prompt_eval_count` and `eval_count`; an `{"error": "..."}` line is Ollama failing mid-answer.
// Spoken over the shared HTTP layer so retries, timeouts, aborts and messages behave exactly as
// with the other chat providers; the stream is read by the decoder completion uses (ollamaStream.ts).

import type { ChatRequest, FinishReason } from '../../kernel/chatTypes';
import type { BodyDecoder, TextSink } from '../http/httpStream';
import { NetworkChatProvider, type ChatStreamFacts, type ChatWire } from '../http/networkChat';
import { baseUrlOf, type NetworkProviderOptions } from '../http/networkProvider';
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

export class OllamaChatProvider extends NetworkChatProvider {
  readonly kind = 'ollama';
  private readonly keepAlive: string | number | undefined;
  private readonly numCtx: number | undefined;

  constructor(options: OllamaChatOptions) {
    super(options, {
      baseUrl: baseUrlOf(options.host, DEFAULT_OLLAMA_HOST),
      tier: 'local',
      words: ollamaEndpointWords(options.model.trim()),
      exampleUrl: DEFAULT_OLLAMA_HOST,
    });
    this.keepAlive = options.keepAlive;
    this.numCtx = options.numCtx;
  }

  protected wire(request: ChatRequest): ChatWire {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.apiKey !== '') headers['authorization'] = `Bearer ${this.apiKey}`;
    const options: Record<string, unknown> = { temperature: request.temperature, num_predict: request.maxTokens };
    if (request.stop && request.stop.length > 0) options['stop'] = request.stop;
    if (this.numCtx !== undefined) options['num_ctx'] = this.numCtx;
    return {
      path: '/api/chat',
      headers,
      body: {
        model: this.model,
        messages: request.messages.map(({ role, content }) => ({ role, content })),
        stream: true,
        options,
        ...(this.keepAlive !== undefined ? { keep_alive: this.keepAlive } : {}),
      },
      decoder: chatDecoder,
    };
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
