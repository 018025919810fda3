// What the network chat providers (OpenAI-compatible, Anthropic, Ollama) share, written once: the
// set-up every one repeats (base URL, model, key, tier, the Endpoint their messages name, label,
// locality, HTTP policy and dependencies, context window, the lifetime dispose() ends) and one chat
// request over the shared HTTP layer (the ChatResult, estimated usage when the server reports none,
// what an abort after some text means). A provider adds only its wire format: the path, headers and
// body it sends and the decoder that reads the reply.

import { estimateTokens } from '../../kernel/tokenEstimate';
import type { ChatProvider, ChatRequest, ChatResult, FinishReason, ProviderKind, Tier } from '../../kernel/chatTypes';
import { endpointLabel, type Endpoint } from './httpErrors';
import { streamRequest, type BodyDecoder, type HttpDeps, type TextSink } from './httpStream';
import {
  endpointFor,
  httpDeps,
  httpPolicy,
  invalidBaseUrlError,
  RequestLifetime,
  shutDownMessage,
  type EndpointSpec,
  type NetworkProviderOptions,
} from './networkProvider';
import { estimateMessages } from '../../kernel/messageTokens';
import type { HttpPolicy } from './httpPolicy';
import { staysOnPrivateNetwork } from './hostLocality';

/** What a chat decoder learned from the stream besides the text. */
export interface ChatStreamFacts {
  inputTokens?: number;
  outputTokens?: number;
  /** The API's own finish reason, already mapped; undefined when the stream did not say. */
  finishReason?: FinishReason;
  /** The model the server says answered. */
  model?: string;
}

/** What a provider tells the base about itself. */
export interface NetworkChatSetup {
  /** The base URL as requests use it (see baseUrlOf). */
  baseUrl: string;
  /** The tier when the options name none. */
  tier: Tier;
  /** How its messages name and advise it; a key hint in the options wins over the one here. */
  words: Pick<EndpointSpec, 'name' | 'api' | 'keyHint' | 'modelMissingHint' | 'contextHint'>;
  /** The base URL to suggest when the configured one is not an http(s) URL. */
  exampleUrl: string;
}

/** One chat request in a provider's wire format. */
export interface ChatWire {
  /** After the base URL, e.g. "/chat/completions". */
  path: string;
  headers: Record<string, string>;
  /** Sent as JSON. */
  body: unknown;
  /** Made afresh for every attempt, with facts of its own (a failed attempt's are dropped). */
  decoder: (sink: TextSink, facts: ChatStreamFacts) => BodyDecoder;
}

export abstract class NetworkChatProvider implements ChatProvider {
  abstract readonly kind: ProviderKind;
  readonly tier: Tier;
  readonly label: string;
  readonly model: string;
  readonly leavesMachine: boolean;
  protected readonly baseUrl: string;
  /** Trimmed; '' when there is none (local servers need none). */
  protected readonly apiKey: string;
  private readonly endpoint: Endpoint & { valid: boolean };
  private readonly exampleUrl: string;
  private readonly policy: HttpPolicy;
  private readonly deps: HttpDeps;
  private readonly windowTokens: number;
  private readonly lifetime: RequestLifetime;

  protected constructor(options: NetworkProviderOptions, setup: NetworkChatSetup) {
    this.baseUrl = setup.baseUrl;
    this.model = options.model.trim();
    this.apiKey = options.apiKey?.trim() ?? '';
    this.tier = options.tier ?? setup.tier;
    this.leavesMachine = !staysOnPrivateNetwork(this.baseUrl);
    this.endpoint = endpointFor({
      ...setup.words,
      baseUrl: this.baseUrl,
      model: this.model,
      apiKey: this.apiKey,
      keyHint: options.keyHint ?? setup.words.keyHint,
    });
    this.exampleUrl = setup.exampleUrl;
    this.label = endpointLabel(this.endpoint);
    this.policy = httpPolicy(options.policy);
    this.deps = httpDeps(options);
    this.windowTokens = options.contextWindow;
    this.lifetime = new RequestLifetime(shutDownMessage(this.endpoint));
  }

  async contextWindow(): Promise<number> {
    return this.windowTokens;
  }

  async chat(request: ChatRequest): Promise<ChatResult> {
    if (!this.endpoint.valid) throw invalidBaseUrlError(this.endpoint, this.exampleUrl);
    const wire = this.wire(request);
    const { signal, end } = this.lifetime.begin(request.signal);
    // The facts of the attempt that answered; a failed attempt's are dropped with it.
    let facts: ChatStreamFacts = {};
    try {
      const outcome = await streamRequest({
        endpoint: this.endpoint,
        url: `${this.baseUrl}${wire.path}`,
        headers: wire.headers,
        body: wire.body,
        policy: this.policy,
        deps: this.deps,
        signal,
        onText: request.onText,
        decoder: (sink) => {
          facts = {};
          return wire.decoder(sink, facts);
        },
      });
      const reported = facts.inputTokens !== undefined && facts.outputTokens !== undefined;
      return {
        text: outcome.text,
        usage: {
          inputTokens: facts.inputTokens ?? estimateMessages(request.messages),
          outputTokens: facts.outputTokens ?? estimateTokens(outcome.text),
          estimated: !reported,
        },
        finishReason: outcome.end === 'complete' ? (facts.finishReason ?? 'other') : outcome.end,
        model: facts.model ?? this.model,
        ttftMs: outcome.ttftMs,
        totalMs: outcome.totalMs,
        attempts: outcome.attempts,
      };
    } finally {
      end();
    }
  }

  dispose(): void {
    this.lifetime.dispose();
  }

  /** The request in this provider's wire format. */
  protected abstract wire(request: ChatRequest): ChatWire;
}
