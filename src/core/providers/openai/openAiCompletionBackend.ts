// Inline completion through an OpenAI-compatible server's legacy /completions endpoint (vLLM,
// llama.cpp server, LM Studio, a team's inference box): Bantam's own rendered FIM prompt goes out as
// `prompt`, and `choices[0].text` streams back as SSE until `data: [DONE]`.
//
// The rules every server completion backend keeps (abort and time limit resolve with the text so far,
// stop strings and the extent cut it) are http/networkCompletion.ts's; here:
//  - stop strings are sent (OpenAI accepts at most 4) and all of them enforced there as well. A
//    server's finish_reason "stop" is end-of-sequence unless it names the string it matched (vLLM's
//    `stop_reason`);
//  - promptTokens / generatedTokens come from the streamed `usage` when the server sends it, else
//    Bantam's estimates; the server does not say how much of its cache it reused, so reusedTokens is 0.
// No retries by default: a keystroke's suggestion that comes seconds late is worth nothing.

import { estimateTokens } from '../../kernel/tokenEstimate';
import type {
  BuiltPrompt,
  CompletionBackend,
  FimFamily,
  GenerateOptions,
  GenerationResult,
} from '../../kernel/completionTypes';
import { DEFAULT_HTTP_POLICY, type HttpPolicy } from '../http/httpPolicy';
import { endpointLabel, type Endpoint } from '../http/httpErrors';
import { streamRequest, type BodyDecoder, type HttpDeps, type TextSink } from '../http/httpStream';
import { streamCompletion } from '../http/networkCompletion';
import { endpointFor, httpDeps, httpPolicy, invalidBaseUrlError, RequestLifetime, shutDownMessage, type NetworkProviderOptions } from '../http/networkProvider';
import { openAiName, OpenAiStreamDecoder } from './openAiChatProvider';
import { fimFamilyFromModelName } from '../../models/fimFamilies';

/** The family assumed when neither the options nor the model name say: Bantam's default model is Qwen. */
export const OPENAI_FALLBACK_FAMILY: FimFamily = 'qwen';

/** OpenAI's limit on stop sequences per request; the rest are enforced client-side only. */
const MAX_SERVER_STOPS = 4;

export interface OpenAiCompletionOptions extends Omit<NetworkProviderOptions, 'contextWindow' | 'tier'> {
  /** Up to and including the API version, e.g. http://127.0.0.1:8080/v1. */
  baseUrl: string;
  /** The model's FIM prompt family; 'auto' or absent guesses it from the model name. */
  family?: FimFamily | 'auto';
}

export class OpenAiCompletionBackend implements CompletionBackend {
  readonly id = 'openai';
  readonly label: string;
  readonly model: string;
  private readonly baseUrl: string;
  private readonly endpoint: Endpoint & { valid: boolean };
  private readonly apiKey: string;
  private readonly fimFamily: FimFamily | undefined;
  private readonly policy: HttpPolicy;
  private readonly deps: HttpDeps;
  private readonly lifetime: RequestLifetime;

  constructor(options: OpenAiCompletionOptions) {
    this.baseUrl = options.baseUrl.trim().replace(/\/+$/, '');
    this.model = options.model.trim();
    this.apiKey = options.apiKey?.trim() ?? '';
    this.fimFamily =
      options.family !== undefined && options.family !== 'auto' ? options.family : fimFamilyFromModelName(this.model);
    this.endpoint = endpointFor({
      name: openAiName(this.baseUrl),
      baseUrl: this.baseUrl,
      model: this.model,
      api: 'an OpenAI-compatible API (it usually ends in /v1)',
      apiKey: this.apiKey,
      keyHint: options.keyHint,
      modelMissingHint: "Check the configured completion model name against the server's /models list.",
    });
    this.label = endpointLabel(this.endpoint);
    this.lifetime = new RequestLifetime(shutDownMessage(this.endpoint));
    this.policy = httpPolicy(options.policy, { ...DEFAULT_HTTP_POLICY, maxRetries: 0 });
    this.deps = httpDeps(options);
  }

  async family(): Promise<FimFamily> {
    return this.fimFamily ?? OPENAI_FALLBACK_FAMILY;
  }

  /** The family named in the options or recognised in the model name; undefined when it was guessed. */
  detectedFamily(): FimFamily | undefined {
    return this.fimFamily;
  }

  async generate(prompt: BuiltPrompt, options: GenerateOptions): Promise<GenerationResult> {
    const facts: CompletionFacts = {};
    const streamed = await streamCompletion(this.lifetime, options, this.deps.now, async ({ signal, onText, stops }) => {
      if (!this.endpoint.valid) throw invalidBaseUrlError(this.endpoint, 'http://127.0.0.1:8080/v1');
      const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream' };
      if (this.apiKey !== '') headers['authorization'] = `Bearer ${this.apiKey}`;
      const outcome = await streamRequest({
        endpoint: this.endpoint,
        url: `${this.baseUrl}/completions`,
        headers,
        body: {
          model: this.model,
          prompt: prompt.text,
          max_tokens: options.maxTokens,
          temperature: options.temperature,
          stream: true,
          stream_options: { include_usage: true },
          ...(stops.length > 0 ? { stop: stops.slice(0, MAX_SERVER_STOPS) } : {}),
        },
        policy: this.policy,
        deps: this.deps,
        signal,
        onText,
        decoder: (sink) => completionDecoder(sink, facts),
      });
      if (outcome.end === 'timeout') return 'timeout';
      if (outcome.end === 'length' || facts.finishReason === 'length') return 'maxTokens';
      return typeof facts.stopReason === 'string' ? 'stop' : 'eos';
    });
    return {
      text: streamed.text,
      promptTokens: facts.inputTokens ?? prompt.estimatedTokens,
      reusedTokens: 0,
      generatedTokens: facts.outputTokens ?? estimateTokens(streamed.text),
      ttftMs: streamed.ttftMs,
      totalMs: streamed.totalMs,
      stoppedBy: streamed.stoppedBy,
    };
  }

  /** Ends every generation in flight (they resolve with stoppedBy 'abort'); later calls reject. */
  dispose(): void {
    this.lifetime.dispose();
  }
}

interface CompletionFacts {
  inputTokens?: number;
  outputTokens?: number;
  finishReason?: string;
  /** vLLM: the stop string (or token id) that ended generation; null for end-of-sequence. */
  stopReason?: unknown;
}

/** /completions: `choices[0].text`, `finish_reason` (and vLLM's `stop_reason`). */
function completionDecoder(sink: TextSink, facts: CompletionFacts): BodyDecoder {
  return new OpenAiStreamDecoder(
    facts,
    (choice) => {
      if (typeof choice.text === 'string') sink.text(choice.text);
      if (typeof choice.finish_reason === 'string') {
        facts.finishReason = choice.finish_reason;
        facts.stopReason = choice.stop_reason;
      }
    },
    () => facts.finishReason !== undefined,
  );
}

/** Index of the earliest stop string in text at or after `from`, if any. */
