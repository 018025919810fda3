// Chat through Anthropic's Messages API: POST {baseUrl}/v1/messages with `x-api-key` and
// `anthropic-version`, the system prompt in its own field, `stream: true`. The reply is SSE with
// named events: message_start (input tokens, model), content_block_start/delta/stop (text arrives as
// `text_delta`s), message_delta (stop_reason, output tokens), message_stop (the documented end),
// ping, and `error` (e.g. overloaded_error, which before any text is retried like an HTTP 529).

import type { ChatMessage, ChatRequest, FinishReason } from '../../kernel/chatTypes';
import { MalformedReplyError, serverMessageOf, StreamErrorEvent } from '../http/httpErrors';
import { FeederDecoder, type TextSink } from '../http/httpStream';
import { NetworkChatProvider, type ChatStreamFacts, type ChatWire } from '../http/networkChat';
import { baseUrlOf, contextWindowHint, type NetworkProviderOptions } from '../http/networkProvider';
import { parseEventJson, sseFeeder } from '../http/sseEvents';

export const ANTHROPIC_VERSION = '2023-06-01';
export const DEFAULT_ANTHROPIC_BASE_URL = 'https://api.anthropic.com';

export interface AnthropicChatOptions extends NetworkProviderOptions {
  /** Without the API version, e.g. https://api.anthropic.com (a trailing /v1 is tolerated). */
  baseUrl?: string;
}

export class AnthropicChatProvider extends NetworkChatProvider {
  readonly kind = 'anthropic';

  constructor(options: AnthropicChatOptions) {
    super(options, {
      baseUrl: baseUrlOf(options.baseUrl, DEFAULT_ANTHROPIC_BASE_URL).replace(/\/v1$/, ''),
      tier: 'frontier',
      words: {
        name: 'Anthropic',
        api: 'the Anthropic API, such as https://api.anthropic.com',
        modelMissingHint: 'Check the configured model name against Anthropic’s model list.',
        contextHint: contextWindowHint('bantam.anthropic.contextWindow'),
      },
      exampleUrl: DEFAULT_ANTHROPIC_BASE_URL,
    });
  }

  protected wire(request: ChatRequest): ChatWire {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      'anthropic-version': ANTHROPIC_VERSION,
    };
    if (this.apiKey !== '') headers['x-api-key'] = this.apiKey;
    const { system, messages } = liftSystem(request.messages);
    return {
      path: '/v1/messages',
      headers,
      body: {
        model: this.model,
        max_tokens: request.maxTokens,
        ...(system !== '' ? { system } : {}),
        messages,
        stream: true,
        temperature: request.temperature,
        ...(request.stop && request.stop.length > 0 ? { stop_sequences: request.stop } : {}),
      },
      decoder: (sink, facts) => new AnthropicDecoder(sink, facts),
    };
  }
}

/**
 * The Messages API takes the system prompt as a field and only user/assistant turns in `messages`.
 * System messages belong first (ChatRequest's rule); any that are not are lifted too rather than
 * sent as a role the API refuses.
 */
export function liftSystem(messages: readonly ChatMessage[]): {
  system: string;
  messages: Array<{ role: 'user' | 'assistant'; content: string }>;
} {
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content);
  const turns = messages
    .filter((m): m is ChatMessage & { role: 'user' | 'assistant' } => m.role !== 'system')
    .map(({ role, content }) => ({ role, content }));
  return { system: system.join('\n\n'), messages: turns };
}

const STOP_REASONS: Readonly<Record<string, FinishReason>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
};

/** The HTTP status each documented error type stands for, so stream errors retry like statuses. */
const ERROR_STATUS: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

class AnthropicDecoder extends FeederDecoder {
  protected readonly feeder = sseFeeder((event) => this.onEvent(event.event, event.data));
  private stopped = false;

  constructor(
    private readonly sink: TextSink,
    private readonly facts: ChatStreamFacts,
  ) {
    super();
  }

  done(): boolean {
    return this.stopped;
  }

  private onEvent(name: string | undefined, data: string): void {
    const value = parseEventJson(data);
    if (typeof value !== 'object' || value === null) throw new MalformedReplyError(`a ${name ?? 'message'} event that is not an object`);
    const event = value as Record<string, any>;
    switch (event['type'] ?? name) {
      case 'message_start': {
        const message = event['message'];
        if (typeof message?.model === 'string') this.facts.model = message.model;
        const usage = message?.usage;
        if (typeof usage?.input_tokens === 'number') {
          // Cached prompt tokens are reported apart; the prompt was all of them.
          this.facts.inputTokens =
            usage.input_tokens + numberOr0(usage.cache_creation_input_tokens) + numberOr0(usage.cache_read_input_tokens);
        }
        break;
      }
      case 'content_block_delta': {
        const delta = event['delta'];
        if (delta?.type === 'text_delta' && typeof delta.text === 'string') this.sink.text(delta.text);
        break;
      }
      case 'message_delta': {
        const reason = event['delta']?.stop_reason;
        if (typeof reason === 'string') this.facts.finishReason = STOP_REASONS[reason] ?? 'other';
        const output = event['usage']?.output_tokens;
        if (typeof output === 'number') this.facts.outputTokens = output;
        break;
      }
      case 'message_stop':
        this.stopped = true;
        break;
      case 'error': {
        const server = serverMessageOf(event);
        throw new StreamErrorEvent(server, server.type !== undefined ? ERROR_STATUS[server.type] : undefined);
      }
      default:
        // ping, content_block_start/stop, and event types added after this was written.
        break;
    }
  }
}

function numberOr0(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
