// The completion backend that asks a local Ollama server, through the `ollama` npm client.
//
// Two ways to prompt, chosen per request:
//  - raw mode: when /api/show shows a FIM family Bantam knows and the prompt was rendered for that
//    family, Bantam's own prompt text (with its repo-level context and KV-friendly layout) is sent
//    with `raw: true`, bypassing Ollama's template;
//  - suffix mode: otherwise `prompt` = prefix and `suffix` = suffix, and Ollama's template for the
//    model lays out the FIM prompt. Slower to reuse the cache, but right for any model that can insert.
//
// Results and cancellation (the same rules as the other backends, see types.ts):
//  - `options.signal` aborting resolves with the text so far and stoppedBy 'abort' (never rejects),
//    and closes the HTTP connection so Ollama stops generating. An already-aborted signal sends nothing.
//  - `options.timeoutMs` elapsing resolves with the text so far and stoppedBy 'timeout'.
//  - Stop strings go to Ollama and are enforced here too: the text is cut at the first one and the
//    stream closed, stoppedBy 'stop'. Ollama reports a stop string it matched itself as done_reason
//    "stop", the same as end-of-sequence, so those come back as 'eos'.
//  - promptTokens / generatedTokens come from the final chunk's prompt_eval_count / eval_count; when
//    the stream was cut short there is no final chunk, and they fall back to the prompt's estimate and
//    the number of streamed pieces. Ollama does not say how much of the prompt its cache reused, so
//    reusedTokens is 0; `fresh` is ignored for the same reason (Ollama has no "clear cache" call).
//  - Every failure rejects with a BackendError (see ollamaErrors.ts), including a stream that breaks
//    off mid-way ('http': the partial text is not returned, since it may end anywhere).

import { Ollama } from 'ollama';
import type { AbortableAsyncIterator, GenerateRequest, GenerateResponse, Options } from 'ollama';
import type {
  BuiltPrompt,
  CompletionBackend,
  FimFamily,
  GenerateOptions,
  GenerationResult,
} from '../../kernel/completionTypes';
import { ABORTED, raceAbort, whenAborted } from '../../kernel/abort';
import { BackendError } from '../../kernel/backendError';
import {
  modelMissingError,
  noInsertError,
  OllamaStreamError,
  toBackendError,
  type OllamaErrorContext,
} from './ollamaErrors';
import { ollamaFetch, type FetchLike, type StreamWatcher } from './ollamaFetch';
import { fimFamilyOfServedModel } from '../../models/fimFamilies';
import { factsFromShow } from './ollamaFamily';
import { sameModelName } from './ollamaModelName';
import { generationCut } from '../../syntax/completionExtent';

export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';

/**
 * What family() answers when the model's family is unknown. Prompts rendered for it are only used
 * for their prefix and suffix (suffix mode), so any family would do; Qwen is Bantam's default model.
 */
export const FALLBACK_FAMILY: FimFamily = 'qwen';

const DEFAULT_REQUEST_TIMEOUT_MS = 5000;

export interface OllamaBackendOptions {
  /** Ollama's address; default http://127.0.0.1:11434. */
  host?: string;
  /** The model as Ollama names it, e.g. `qwen2.5-coder:1.5b-base`. */
  model: string;
  /** How long Ollama keeps the model loaded after a request (`keep_alive`), e.g. '30m' or seconds. */
  keepAlive?: string | number;
  /** Limit for the metadata requests (/api/tags, /api/show); generation has its own timeoutMs. Default 5000. */
  requestTimeoutMs?: number;
  /**
   * Context window to ask for (`num_ctx`). Ollama silently drops the start of a prompt longer than
   * its window (2048-4096 tokens by default), so set this when prompts carry a lot of context.
   */
  numCtx?: number;
  /** The fetch the client uses; tests inject one. Default: the global fetch. */
  fetch?: FetchLike;
}

/** What the model looks like to Bantam, from /api/show; cached per backend. */
interface ModelProfile {
  family: FimFamily | undefined;
  capabilities: string[] | undefined;
}

export type OllamaCheckResult =
  | {
      ok: true;
      model: string;
      /** The detected FIM family; undefined when unknown (completions then use Ollama's suffix mode). */
      family: FimFamily | undefined;
      mode: 'raw' | 'suffix';
    }
  | { ok: false; error: BackendError };

export class OllamaBackend implements CompletionBackend {
  readonly id = 'ollama';
  readonly host: string;
  readonly model: string;
  private readonly keepAlive: string | number | undefined;
  private readonly requestTimeoutMs: number;
  private readonly numCtx: number | undefined;
  private readonly baseFetch: FetchLike;
  private profileRequest: Promise<ModelProfile> | undefined;
  /** Cancel functions of the generations in flight, so dispose() can end them. */
  private readonly running = new Set<() => void>();
  private disposed = false;

  constructor(options: OllamaBackendOptions) {
    this.host = (options.host?.trim() || DEFAULT_OLLAMA_HOST).replace(/\/+$/, '');
    this.model = options.model.trim();
    this.keepAlive = options.keepAlive;
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.numCtx = options.numCtx;
    // Looked up at call time, not captured, so a fetch installed later (or stubbed) is used.
    // Redirects are never followed: the code would go wherever the server points.
    this.baseFetch = options.fetch ?? ((input, init) => fetch(input, { ...init, redirect: 'error' }));
  }

  /** The family to render prompts in; FALLBACK_FAMILY when unknown (generate then uses suffix mode). */
  async family(): Promise<FimFamily> {
    return (await this.detectedFamily()) ?? FALLBACK_FAMILY;
  }

  /** The FIM family detected from /api/show, or undefined when it is not one Bantam can render. */
  async detectedFamily(): Promise<FimFamily | undefined> {
    return (await this.profile()).family;
  }

  /** Is Ollama up, is the model pulled, and how will completions be prompted? Never throws. */
  async check(): Promise<OllamaCheckResult> {
    const ctx = this.errorContext();
    try {
      const tags: unknown = await this.client(AbortSignal.timeout(this.requestTimeoutMs)).list();
      if (!listedModelNames(tags).some((name) => sameModelName(name, this.model))) {
        return { ok: false, error: modelMissingError(ctx) };
      }
      // A check is the moment to notice a re-pulled or re-created model.
      this.forgetProfile();
      const profile = await this.profile();
      const mode = profile.family !== undefined ? 'raw' : 'suffix';
      if (mode === 'suffix' && profile.capabilities !== undefined && !profile.capabilities.includes('insert')) {
        return { ok: false, error: noInsertError(ctx) };
      }
      return { ok: true, model: this.model, family: profile.family, mode };
    } catch (error) {
      return { ok: false, error: toBackendError(error, ctx) };
    }
  }

  async generate(prompt: BuiltPrompt, options: GenerateOptions): Promise<GenerationResult> {
    if (this.disposed) {
      throw new BackendError('aborted', 'The Ollama backend has been shut down. Reload the window to start it again.');
    }
    const started = performance.now();
    let text = '';
    let pieces = 0;
    let ttftMs = Number.NaN;
    let final: GenerateResponse | undefined;
    let cutByStop = false;
    const result = (stoppedBy: GenerationResult['stoppedBy']): GenerationResult => ({
      text,
      promptTokens: final?.prompt_eval_count ?? prompt.estimatedTokens,
      reusedTokens: 0,
      generatedTokens: final?.eval_count ?? pieces,
      ttftMs,
      totalMs: performance.now() - started,
      stoppedBy,
    });
    if (options.signal?.aborted) return result('abort');

    const controller = new AbortController();
    let cancelledBy: 'abort' | 'timeout' | undefined;
    let stream: AbortableAsyncIterator<GenerateResponse> | undefined;
    const cancel = (why: 'abort' | 'timeout'): void => {
      if (cancelledBy !== undefined) return;
      cancelledBy = why;
      controller.abort();
      stream?.abort();
    };
    const onAbort = (): void => cancel('abort');
    const unlisten = whenAborted(options.signal, onAbort);
    const timer =
      Number.isFinite(options.timeoutMs) && options.timeoutMs > 0
        ? setTimeout(() => cancel('timeout'), options.timeoutMs)
        : undefined;
    this.running.add(onAbort);

    let serverError: string | undefined;
    const watcher: StreamWatcher = { onErrorLine: (message) => (serverError = message) };
    const stops = options.stop.filter((s) => s.length > 0);
    const longestStop = stops.reduce((n, s) => Math.max(n, s.length), 0);
    try {
      const profile = await raceAbort(this.profile(), controller.signal);
      if (profile === ABORTED) return result(cancelledBy ?? 'abort');
      const raw = profile.family !== undefined && profile.family === prompt.family;
      const client = this.client(controller.signal, watcher);
      stream = await client.generate({ ...this.request(prompt, options, stops, raw), stream: true });
      for await (const part of stream) {
        if (part.done) final = part;
        if (part.response) {
          if (Number.isNaN(ttftMs)) {
            ttftMs = performance.now() - started;
            options.onFirstToken?.();
          }
          // A stop string can straddle two pieces, so look back over the old text by its length.
          const searchFrom = Math.max(0, text.length - longestStop + 1);
          text += part.response;
          pieces += 1;
          const cut = generationCut(text, stops, options.extent, searchFrom);
          if (cut !== undefined) {
            text = text.slice(0, cut);
            cutByStop = true;
            stream.abort();
            break;
          }
        }
        if (part.done) break;
      }
    } catch (error) {
      if (cancelledBy === undefined) {
        const cause = serverError !== undefined ? new OllamaStreamError(serverError) : error;
        const mapped = toBackendError(cause, { ...this.errorContext(), streaming: stream !== undefined });
        // The model may be pulled (or re-created) before the next request: look again then.
        if (mapped.code === 'model-missing') this.forgetProfile();
        throw mapped;
      }
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      unlisten();
      this.running.delete(onAbort);
    }
    if (cancelledBy !== undefined) return result(cancelledBy);
    return result(cutByStop ? 'stop' : stoppedByDoneReason(final?.done_reason));
  }

  /** Ends every generation in flight (they resolve with stoppedBy 'abort'); later calls reject. */
  dispose(): void {
    this.disposed = true;
    for (const cancel of [...this.running]) cancel();
    this.running.clear();
  }

  private request(prompt: BuiltPrompt, options: GenerateOptions, stops: string[], raw: boolean): GenerateRequest {
    const modelOptions: Partial<Options> = { temperature: options.temperature, num_predict: options.maxTokens };
    if (stops.length > 0) modelOptions.stop = stops;
    if (this.numCtx !== undefined) modelOptions.num_ctx = this.numCtx;
    const common = {
      model: this.model,
      options: modelOptions,
      ...(this.keepAlive !== undefined ? { keep_alive: this.keepAlive } : {}),
    };
    if (raw) return { ...common, prompt: prompt.text, raw: true };
    // Ollama only applies the FIM part of a template when the suffix is non-empty; an empty one
    // (cursor at the end of the file) would be rendered as a chat turn. A newline is what the end
    // of most files holds anyway.
    return { ...common, prompt: prompt.prefix, suffix: prompt.suffix === '' ? '\n' : prompt.suffix };
  }

  private profile(): Promise<ModelProfile> {
    if (this.profileRequest === undefined) {
      const request = this.loadProfile();
      this.profileRequest = request;
      // Failures are not cached: Ollama may be started or the model pulled a moment later.
      request.catch(() => {
        if (this.profileRequest === request) this.profileRequest = undefined;
      });
    }
    return this.profileRequest;
  }

  private async loadProfile(): Promise<ModelProfile> {
    try {
      const show: unknown = await this.client(AbortSignal.timeout(this.requestTimeoutMs)).show({ model: this.model });
      const facts = factsFromShow(this.model, show);
      return { family: fimFamilyOfServedModel(facts), capabilities: facts.capabilities };
    } catch (error) {
      throw toBackendError(error, this.errorContext());
    }
  }

  private forgetProfile(): void {
    this.profileRequest = undefined;
  }

  /**
   * A client per request: each carries its own abort signal in its fetch, and the client's list of
   * ongoing streams (only pruned when a stream completes) never outlives the request.
   */
  private client(signal: AbortSignal, watcher?: StreamWatcher): Ollama {
    return new Ollama({ host: this.host, fetch: ollamaFetch(this.baseFetch, signal, watcher) });
  }

  private errorContext(): OllamaErrorContext {
    return { host: this.host, model: this.model, requestTimeoutMs: this.requestTimeoutMs };
  }
}

/** Index of the earliest stop string in `text` at or after `from`, if any. */

function stoppedByDoneReason(reason: string | undefined): GenerationResult['stoppedBy'] {
  return reason === 'length' ? 'maxTokens' : 'eos';
}

/** Names in an /api/tags answer (both `name` and `model`, which differ on some servers). */
function listedModelNames(tags: unknown): string[] {
  const models = (tags as { models?: unknown } | null)?.models;
  if (!Array.isArray(models)) return [];
  return models.flatMap((m: unknown) => {
    const entry = (m ?? {}) as { name?: unknown; model?: unknown };
    return [entry.name, entry.model].filter((n): n is string => typeof n === 'string');
  });
}
