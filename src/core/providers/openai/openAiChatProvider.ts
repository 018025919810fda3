// Chat through an OpenAI-compatible server: OpenAI itself, or a team's vLLM, llama.cpp server, LM
// Studio or OpenRouter. POST {baseUrl}/chat/completions with `stream: true` and usage requested in
// the stream; the reply is SSE `data:` chunks carrying `choices[0].delta.content`, a chunk with
// `finish_reason`, a last chunk with `usage` (empty choices), then `data: [DONE]`. An `{"error"}`
// object inside the stream is the server failing after it started. The tier is the caller's call:
// the same wire format serves a local-tier team server and a frontier service.

import type { ChatRequest, FinishReason } from '../../kernel/chatTypes';
import { MalformedReplyError, serverMessageOf, StreamErrorEvent } from '../http/httpErrors';
import { FeederDecoder, type BodyDecoder, type TextSink } from '../http/httpStream';
import { NetworkChatProvider, type ChatStreamFacts, type ChatWire } from '../http/networkChat';
import { baseUrlOf, contextWindowHint, type NetworkProviderOptions } from '../http/networkProvider';
import { parseEventJson, sseFeeder } from '../http/sseEvents';

export interface OpenAiChatOptions extends NetworkProviderOptions {
  /** Up to and including the API version, e.g. https://api.openai.com/v1 or http://127.0.0.1:8080/v1. */
  baseUrl: string;
}

export class OpenAiChatProvider extends NetworkChatProvider {
  readonly kind = 'openai';

  constructor(options: OpenAiChatOptions) {
    const baseUrl = baseUrlOf(options.baseUrl);
    super(options, {
      baseUrl,
      tier: 'frontier',
      words: {
        name: openAiName(baseUrl),
        api: 'an OpenAI-compatible API (it usually ends in /v1)',
        modelMissingHint: "Check the configured model name against the server's /models list.",
        contextHint: contextWindowHint('bantam.openai.contextWindow', "llama-server's -c, vLLM's --max-model-len"),
      },
      exampleUrl: 'https://api.openai.com/v1',
    });
  }

  protected wire(request: ChatRequest): ChatWire {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream' };
    if (this.apiKey !== '') headers['authorization'] = `Bearer ${this.apiKey}`;
    return { path: '/chat/completions', headers, body: openAiChatBody(this.baseUrl, this.model, request), decoder: chatDecoder };
  }
}

/** OpenAI's reasoning models (o1, o3, o4-mini, gpt-5...) refuse any temperature but the default. */
const FIXED_TEMPERATURE_MODEL = /^(o\d|gpt-5)/i;

/**
 * The /chat/completions body. OpenAI's own API has replaced `max_tokens` with
 * `max_completion_tokens` (its reasoning models refuse the old name); other OpenAI-compatible
 * servers (vLLM, llama.cpp, LM Studio, OpenRouter) all read `max_tokens`.
 */
export function openAiChatBody(baseUrl: string, model: string, request: ChatRequest): Record<string, unknown> {
  const openAi = openAiName(baseUrl) === 'OpenAI';
  const fixedTemperature = openAi && FIXED_TEMPERATURE_MODEL.test(model);
  return {
    model,
    messages: request.messages.map(({ role, content }) => ({ role, content })),
    stream: true,
    stream_options: { include_usage: true },
    ...(openAi ? { max_completion_tokens: request.maxTokens } : { max_tokens: request.maxTokens }),
    ...(fixedTemperature ? {} : { temperature: request.temperature }),
    ...(request.stop && request.stop.length > 0 ? { stop: request.stop } : {}),
  };
}

/** "OpenAI" for OpenAI's own API, else the generic name (the host in the label says which server). */
export function openAiName(baseUrl: string): string {
  try {
    return new URL(baseUrl).hostname === 'api.openai.com' ? 'OpenAI' : 'OpenAI-compatible server';
  } catch {
    return 'OpenAI-compatible server';
  }
}

const FINISH: Readonly<Record<string, FinishReason>> = { stop: 'stop', length: 'length' };

/**
 * Decodes an OpenAI-style SSE stream (/chat/completions and /completions alike): usage, the model,
 * in-stream errors, `[DONE]`; `onChoice` reads the first choice's text and finish reason. A stream
 * that closes right after its finish_reason chunk without `[DONE]` (some servers do) is whole.
 */
export class OpenAiStreamDecoder extends FeederDecoder {
  protected readonly feeder = sseFeeder((event) => this.onData(event.data));
  private sawDone = false;
  private endedAfterFinish = false;

  constructor(
    private readonly facts: { inputTokens?: number; outputTokens?: number; model?: string },
    private readonly onChoice: (choice: Record<string, any>) => void,
    private readonly finished: () => boolean,
  ) {
    super();
  }

  override flush(): void {
    super.flush();
    this.endedAfterFinish = this.finished();
  }

  done(): boolean {
    return this.sawDone || this.endedAfterFinish;
  }

  private onData(data: string): void {
    if (data.trim() === '[DONE]') {
      this.sawDone = true;
      return;
    }
    const chunk = parseEventJson(data);
    if (typeof chunk !== 'object' || chunk === null) throw new MalformedReplyError('a chunk that is not an object');
    const record = chunk as Record<string, any>;
    if (record['error'] !== undefined) throw openAiStreamError(record['error']);
    if (typeof record['model'] === 'string' && record['model'] !== '') this.facts.model = record['model'];
    readUsage(record['usage'], this.facts);
    const choices = record['choices'];
    if (!Array.isArray(choices)) {
      if (record['usage'] !== undefined) return;
      throw new MalformedReplyError('a chunk without choices');
    }
    if (choices[0] !== undefined && choices[0] !== null) this.onChoice(choices[0]);
  }
}

/** /chat/completions: `choices[0].delta.content` and `finish_reason`. */
function chatDecoder(sink: TextSink, facts: ChatStreamFacts): BodyDecoder {
  return new OpenAiStreamDecoder(
    facts,
    (choice) => {
      const content = choice.delta?.content;
      if (typeof content === 'string') sink.text(content);
      const finish = choice.finish_reason;
      if (typeof finish === 'string') facts.finishReason = FINISH[finish] ?? 'other';
    },
    () => facts.finishReason !== undefined,
  );
}

/** An in-stream error; a numeric code (OpenRouter) or type server_error says it is a 5xx worth retrying. */
export function openAiStreamError(error: unknown): StreamErrorEvent {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const server = serverMessageOf({ error });
  const status =
    typeof code === 'number' && code >= 400 && code < 600 ? code : server.type === 'server_error' ? 500 : undefined;
  return new StreamErrorEvent(server, status);
}

/** OpenAI's `usage` object (also on /completions). */
export function readUsage(usage: unknown, facts: { inputTokens?: number; outputTokens?: number }): void {
  if (typeof usage !== 'object' || usage === null) return;
  const { prompt_tokens: input, completion_tokens: output } = usage as Record<string, unknown>;
  if (typeof input === 'number' && Number.isFinite(input)) facts.inputTokens = input;
  if (typeof output === 'number' && Number.isFinite(output)) facts.outputTokens = output;
}
