// Inline completion through an OpenAI-compatible server's legacy /completions endpoint (vLLM,
// llama.cpp server, LM Studio, a team's inference box): Bantam's own rendered FIM prompt goes out as
// `prompt`, and `choices[0].text` streams back as SSE until `data: [DONE]`.
//
// The same rules as the other completion backends (see ollamaBackend.ts):
//  - `options.signal` aborting resolves with the text so far and stoppedBy 'abort' (never rejects);
//  - `options.timeoutMs` elapsing resolves with the text so far and stoppedBy 'timeout';
//  - stop strings are sent (OpenAI accepts at most 4) and all of them enforced here as well: the text
//    is cut at the first one and the stream closed, stoppedBy 'stop'. A server's finish_reason "stop"
//    is end-of-sequence unless it names the string it matched (vLLM's `stop_reason`);
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
import { BackendError } from '../../kernel/backendError';
import { DEFAULT_HTTP_POLICY, type HttpPolicy } from '../http/httpPolicy';
import { endpointLabel, type Endpoint } from '../http/httpErrors';
import { streamRequest, type BodyDecoder, type HttpDeps, type TextSink } from '../http/httpStream';
import { endpointFor, httpDeps, httpPolicy, invalidBaseUrlError, type NetworkProviderOptions } from '../http/networkProvider';
import { openAiName, OpenAiStreamDecoder } from './openAiChatProvider';
import { fimFamilyFromModelName } from '../../models/fimFamilies';
import { generationCut } from '../../syntax/completionExtent';
import { whenAborted } from '../../kernel/abort';

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
  private readonly running = new Set<() => void>();
  private disposed = false;

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
    if (this.disposed) {
      throw new BackendError('aborted', `${this.label} has been shut down. Reload the window to use it again.`);
    }
    if (!this.endpoint.valid) throw invalidBaseUrlError(this.endpoint, 'http://127.0.0.1:8080/v1');
    const started = this.deps.now();
    let text = '';
    let ttftMs = Number.NaN;
    const facts: CompletionFacts = {};
    const result = (stoppedBy: GenerationResult['stoppedBy']): GenerationResult => ({
      text,
      promptTokens: facts.inputTokens ?? prompt.estimatedTokens,
      reusedTokens: 0,
      generatedTokens: facts.outputTokens ?? estimateTokens(text),
      ttftMs,
      totalMs: this.deps.now() - started,
      stoppedBy,
    });
    if (options.signal?.aborted) return result('abort');

    const controller = new AbortController();
    let cancelledBy: 'abort' | 'timeout' | 'stop' | undefined;
    const cancel = (why: 'abort' | 'timeout' | 'stop'): void => {
      if (cancelledBy !== undefined) return;
      cancelledBy = why;
      controller.abort();
    };
    const onAbort = (): void => cancel('abort');
    const unlisten = whenAborted(options.signal, onAbort);
    this.running.add(onAbort);
    const timer =
      Number.isFinite(options.timeoutMs) && options.timeoutMs > 0 ? setTimeout(() => cancel('timeout'), options.timeoutMs) : undefined;

    const stops = options.stop.filter((s) => s.length > 0);
    const longestStop = stops.reduce((n, s) => Math.max(n, s.length), 0);
    const onText = (chunk: string): void => {
      if (cancelledBy !== undefined) return;
      if (Number.isNaN(ttftMs)) {
        ttftMs = this.deps.now() - started;
        options.onFirstToken?.();
      }
      // A stop string can straddle two chunks, so look back over the old text by its length.
      const searchFrom = Math.max(0, text.length - longestStop + 1);
      text += chunk;
      const cut = generationCut(text, stops, options.extent, searchFrom);
      if (cut !== undefined) {
        text = text.slice(0, cut);
        cancel('stop');
      }
    };

    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream' };
    if (this.apiKey !== '') headers['authorization'] = `Bearer ${this.apiKey}`;
    try {
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
        signal: controller.signal,
        onText,
        decoder: (sink) => completionDecoder(sink, facts),
      });
      if (cancelledBy !== undefined) return result(cancelledBy);
      if (outcome.end === 'timeout') return result('timeout');
      if (outcome.end === 'length' || facts.finishReason === 'length') return result('maxTokens');
      return result(typeof facts.stopReason === 'string' ? 'stop' : 'eos');
    } catch (error) {
      if (cancelledBy !== undefined) return result(cancelledBy);
      throw error;
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      unlisten();
      this.running.delete(onAbort);
    }
  }

  /** Ends every generation in flight (they resolve with stoppedBy 'abort'); later calls reject. */
  dispose(): void {
    this.disposed = true;
    for (const cancel of [...this.running]) cancel();
    this.running.clear();
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
