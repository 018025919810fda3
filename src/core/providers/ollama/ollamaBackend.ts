// The completion backend that asks a local Ollama server (/api/tags, /api/show, /api/generate), over
// the HTTP layer every network provider shares (http/).
//
// Two ways to prompt, chosen per request:
//  - raw mode: when /api/show shows a FIM family Bantam knows and the prompt was rendered for that
//    family, Bantam's own prompt text (with its repo-level context and KV-friendly layout) is sent
//    with `raw: true`, bypassing Ollama's template;
//  - suffix mode: otherwise `prompt` = prefix and `suffix` = suffix, and Ollama's template for the
//    model lays out the FIM prompt. Slower to reuse the cache, but right for any model that can insert.
//
// Results and cancellation (the same rules as the other backends, see CompletionBackend; the shared
// part is http/networkCompletion.ts):
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
//  - Every failure rejects with a BackendError (worded in ollamaErrors.ts), including a stream that
//    breaks off mid-way ('http': the partial text is not returned, since it may end anywhere).
//  - No retries and no time limits of the HTTP layer's own: a suggestion that comes late is worth
//    nothing, and `timeoutMs` already bounds a generation (`requestTimeoutMs` the metadata requests).

import type {
  BuiltPrompt,
  CompletionBackend,
  FimFamily,
  GenerateOptions,
  GenerationResult,
} from '../../kernel/completionTypes';
import { ABORTED, raceAbort } from '../../kernel/abort';
import { BackendError } from '../../kernel/backendError';
import type { Endpoint } from '../http/httpErrors';
import { DEFAULT_HTTP_POLICY, type HttpPolicy } from '../http/httpPolicy';
import { requestJson, streamRequest, type FetchLike, type HttpDeps } from '../http/httpStream';
import { streamCompletion, type StoppedBy } from '../http/networkCompletion';
import { baseUrlOf, endpointFor, httpDeps, RequestLifetime } from '../http/networkProvider';
import { invalidHostError, modelMissingError, noInsertError, ollamaError, ollamaFailure, type OllamaErrorContext } from './ollamaErrors';
import { fimFamilyOfServedModel } from '../../models/fimFamilies';
import { factsFromShow } from './ollamaFamily';
import { sameModelName } from './ollamaModelName';
import { DEFAULT_OLLAMA_HOST, ollamaEndpointWords, ollamaServerUrl } from './ollamaServer';
import { OllamaStreamDecoder, type OllamaStreamFacts } from './ollamaStream';

/**
 * What family() answers when the model's family is unknown. Prompts rendered for it are only used
 * for their prefix and suffix (suffix mode), so any family would do; Qwen is Bantam's default model.
 */
export const FALLBACK_FAMILY: FimFamily = 'qwen';

const DEFAULT_REQUEST_TIMEOUT_MS = 5000;

/** Generation: one attempt, no limits but the caller's timeoutMs, no cap on the answer. */
const GENERATE_POLICY: HttpPolicy = {
  ...DEFAULT_HTTP_POLICY,
  firstByteTimeoutMs: Infinity,
  idleTimeoutMs: Infinity,
  totalTimeoutMs: Infinity,
  maxRetries: 0,
  maxRetryAfterMs: Infinity,
  maxResponseChars: Infinity,
};

const HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

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
  /** The fetch requests use; tests inject one. Default: the global fetch. */
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
  private readonly numCtx: number | undefined;
  /** The server's URL (see ollamaServerUrl); undefined when the host is not an address. */
  private readonly url: string | undefined;
  private readonly endpoint: Endpoint;
  private readonly context: OllamaErrorContext;
  /** /api/tags and /api/show: as GENERATE_POLICY, within requestTimeoutMs. */
  private readonly metadataPolicy: HttpPolicy;
  private readonly deps: HttpDeps;
  private readonly lifetime = new RequestLifetime('The Ollama backend has been shut down. Reload the window to start it again.');
  private profileRequest: Promise<ModelProfile> | undefined;

  constructor(options: OllamaBackendOptions) {
    this.host = baseUrlOf(options.host, DEFAULT_OLLAMA_HOST);
    this.model = options.model.trim();
    this.keepAlive = options.keepAlive;
    this.numCtx = options.numCtx;
    this.url = ollamaServerUrl(this.host);
    this.endpoint = endpointFor({ ...ollamaEndpointWords(this.model), baseUrl: this.url ?? this.host, model: this.model });
    this.context = { host: this.host, model: this.model };
    const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.metadataPolicy = { ...GENERATE_POLICY, totalTimeoutMs: requestTimeoutMs };
    this.deps = httpDeps(options);
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
    try {
      const tags = await this.metadata('GET', '/api/tags');
      if (!listedModelNames(tags).some((name) => sameModelName(name, this.model))) {
        return { ok: false, error: modelMissingError(this.context) };
      }
      // A check is the moment to notice a re-pulled or re-created model.
      this.forgetProfile();
      const profile = await this.profile();
      const mode = profile.family !== undefined ? 'raw' : 'suffix';
      if (mode === 'suffix' && profile.capabilities !== undefined && !profile.capabilities.includes('insert')) {
        return { ok: false, error: noInsertError(this.context) };
      }
      return { ok: true, model: this.model, family: profile.family, mode };
    } catch (error) {
      return { ok: false, error: ollamaError(error, this.context) };
    }
  }

  async generate(prompt: BuiltPrompt, options: GenerateOptions): Promise<GenerationResult> {
    const facts: OllamaStreamFacts = {};
    let doneReason: string | undefined;
    const streamed = await streamCompletion(this.lifetime, options, () => performance.now(), async ({ signal, onText, stops }) => {
      const profile = await raceAbort(this.profile(), signal);
      if (profile === ABORTED) return 'abort';
      const raw = profile.family !== undefined && profile.family === prompt.family;
      try {
        await streamRequest({
          endpoint: this.endpoint,
          url: `${this.serverUrl()}/api/generate`,
          headers: HEADERS,
          body: { ...this.request(prompt, options, stops, raw), stream: true },
          policy: GENERATE_POLICY,
          deps: this.deps,
          signal,
          onText,
          decoder: (sink) => new OllamaStreamDecoder(sink, facts, (line) => line['response'], (reason) => (doneReason = reason)),
          describe: ollamaFailure(this.context, true),
        });
      } catch (error) {
        // The model may be pulled (or re-created) before the next request: look again then.
        if (error instanceof BackendError && error.code === 'model-missing') this.forgetProfile();
        throw error;
      }
      return stoppedByDoneReason(doneReason);
    });
    return {
      text: streamed.text,
      promptTokens: facts.inputTokens ?? prompt.estimatedTokens,
      reusedTokens: 0,
      generatedTokens: facts.outputTokens ?? streamed.pieces,
      ttftMs: streamed.ttftMs,
      totalMs: streamed.totalMs,
      stoppedBy: streamed.stoppedBy,
    };
  }

  /** Ends every generation in flight (they resolve with stoppedBy 'abort'); later calls reject. */
  dispose(): void {
    this.lifetime.dispose();
  }

  private request(prompt: BuiltPrompt, options: GenerateOptions, stops: string[], raw: boolean): Record<string, unknown> {
    const modelOptions: Record<string, unknown> = { temperature: options.temperature, num_predict: options.maxTokens };
    if (stops.length > 0) modelOptions['stop'] = stops;
    if (this.numCtx !== undefined) modelOptions['num_ctx'] = this.numCtx;
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
    const show = await this.metadata('POST', '/api/show', { model: this.model });
    const facts = factsFromShow(this.model, show);
    return { family: fimFamilyOfServedModel(facts), capabilities: facts.capabilities };
  }

  private forgetProfile(): void {
    this.profileRequest = undefined;
  }

  private metadata(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    return requestJson({
      endpoint: this.endpoint,
      method,
      url: `${this.serverUrl()}${path}`,
      headers: HEADERS,
      body,
      policy: this.metadataPolicy,
      deps: this.deps,
      describe: ollamaFailure(this.context),
    });
  }

  private serverUrl(): string {
    if (this.url === undefined) throw invalidHostError(this.context);
    return this.url;
  }
}

function stoppedByDoneReason(reason: string | undefined): StoppedBy {
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
