// The completion engine: strings the pipeline stages together for one keystroke.
//   prefilter -> typing-through cache -> prefetch -> context -> prompt -> LRU cache -> debounce
//   -> generate -> postprocess (the text to insert and the rest of the line it replaces)
// The cheap cache checks run before the debounce so that typing through a shown suggestion, or
// landing on a prefetched position, answers instantly. The moment a suggestion is shown, the
// suggestion for the document after accepting it is prefetched (one at a time; a request anywhere
// else cancels it), so Tab then Tab needs no wait, and typing through the suggestion or accepting it
// a word or a line at a time (which types through it too) keeps both the rest and the prefetch.
// With a backend whose prompt cache Bantam manages (the embedded model), the prefetch continues the
// generation it follows: its prompt is the shown suggestion's prompt with the suggestion written
// after it, which the cache holds already, so it reads a token or two instead of re-reading the
// accepted text and everything after the cursor (about 25 tokens, ~0.4 s on one slow core).
// Every stage is timed; the timings feed the stats command, the status bar and the benchmark.
import type { CompletionConfig } from '../config';
import { CompletionCache } from './completionCache';
import type { CompletionSource, CompletionStats } from './completionStats';
import { AdaptiveDebounce } from './debounce';
import { planGeneration } from './generationPlan';
import { postprocess, type ShapedSuggestion } from './postprocess';
import { prefilter } from './prefilter';
import { buildBaselinePsmPrompt, buildPrompt, promptWindow } from './promptBuilder';
import { budgetTokens, PromptSizer, type PromptSize } from './promptSizer';
import { estimateTokens } from '../kernel/tokenEstimate';
import type {
  BuiltPrompt,
  CompletionBackend,
  CompletionRequest,
  FimFamily,
  GenerationPlan,
  GenerationResult,
} from '../kernel/completionTypes';
import type { ContextSource } from '../context/contextTypes';

export interface EngineTimings {
  /** Where the suggestion came from, or why there is none. */
  outcome: CompletionSource | 'filtered' | 'cancelled' | 'empty' | 'error';
  totalMs: number;
  debounceMs: number;
  /** Keystroke to first generated token, for requests that reached the model and got one. */
  firstTokenMs?: number;
  /** Time the backend reported for its own work (tokenize, evaluate, generate). */
  modelMs?: number;
  reachedModel: boolean;
  promptTokens?: number;
  reusedTokens?: number;
  generatedTokens?: number;
  /** Everything but waiting (debounce) and model compute: the engine's own cost plus IPC. */
  overheadMs?: number;
}

export interface EngineSuggestion {
  id: number;
  /** Text to insert at the cursor. */
  text: string;
  /** Characters after the cursor, on its line, that `text` replaces (it writes them again). */
  replaceLength: number;
  source: CompletionSource;
  latencyMs: number;
  timings: EngineTimings;
}

/** Benchmark knobs: the same engine renders the baselines so that only the layout differs. */
export interface EngineExperiment {
  layout: 'bantam' | 'psm-baseline';
  /** Clear the KV cache before every request (the no-reuse baseline). */
  freshSequence: boolean;
  /** Fix generation length so layouts compare fairly. */
  fixedMaxTokens?: number;
  /** Prefetch the suggestion after accepting one as soon as it is shown (default true). */
  prefetchOnShow?: boolean;
  /** Read ahead where the cursor comes to rest (default true; peers' layouts don't). */
  readAhead?: boolean;
}

export interface EngineDeps {
  backend: () => CompletionBackend | undefined | Promise<CompletionBackend | undefined>;
  /** The backend whose model is loaded now, if any: found without building, loading or asking anything. */
  loadedBackend?: () => CompletionBackend | undefined;
  config: () => CompletionConfig;
  stats?: CompletionStats;
  context?: ContextSource;
  now?: () => number;
  experiment?: EngineExperiment;
  onTimings?: (timings: EngineTimings, request: CompletionRequest) => void;
  log?: (message: string) => void;
}

interface ShownSuggestion {
  request: CompletionRequest;
  shown: ShapedSuggestion;
  /** The prompt the suggestion was generated from, when known (not for typed-through answers). */
  prompt: BuiltPrompt | undefined;
}

/** A suggestion being worked out for the document as it will be after an accept. */
interface Prefetch {
  /** The document it is for: uri, text and cursor must all match to use it. */
  request: CompletionRequest;
  result: Promise<ShapedSuggestion | null>;
  controller: AbortController;
  /** Set once the generation ended by abort: the result says nothing about the position. */
  aborted: boolean;
  /** The prompt it was generated from, once known (so a prefetch after it can continue it). */
  prompt?: BuiltPrompt;
}

interface Prepared {
  prompt: BuiltPrompt;
  plan: GenerationPlan;
  /** Cache key: the prompt and the plan, so a change of plan (e.g. multi-line) never reuses an answer. */
  key: string;
}

function preparedKey(prompt: BuiltPrompt, plan: GenerationPlan): string {
  return `${prompt.text}\u0000${plan.multiline}|${plan.maxTokens}|${plan.stop.join('\u0001')}`;
}

export class CompletionEngine {
  private readonly cache = new CompletionCache();
  private readonly debounce: AdaptiveDebounce;
  private readonly now: () => number;
  private readonly shown = new Map<number, ShownSuggestion>();
  private nextId = 1;
  private prefetch: Prefetch | undefined;
  /** Key of the request now at the model, so a prefetch for the same position doesn't displace it. */
  private inflightKey: string | undefined;
  /** Scales the prompt budgets to how fast the backend reads a prompt (promptSizer.ts). */
  private readonly sizer = new PromptSizer();
  private sizedFor: CompletionBackend | undefined;
  private lastSize: PromptSize | undefined;
  /** The read-ahead running, if any (one at a time: a newer place replaces it). */
  private reading: AbortController | undefined;

  constructor(private readonly deps: EngineDeps) {
    this.now = deps.now ?? (() => performance.now());
    const config = deps.config();
    this.debounce = new AdaptiveDebounce({ minMs: config.debounceMinMs, maxMs: config.debounceMaxMs });
  }

  async complete(request: CompletionRequest, signal: AbortSignal): Promise<EngineSuggestion | undefined> {
    const start = this.now();
    const config = this.deps.config();
    this.debounce.configure({ minMs: config.debounceMinMs, maxMs: config.debounceMaxMs });
    // The debounce times its wait on its own clock, so it must record the keystroke on that clock too.
    this.debounce.recordKeystroke();
    const timings: EngineTimings = { outcome: 'filtered', totalMs: 0, debounceMs: 0, reachedModel: false };
    const finish = (outcome: EngineTimings['outcome'], shaped?: ShapedSuggestion, source?: CompletionSource) => {
      timings.outcome = outcome;
      timings.totalMs = this.now() - start;
      if (timings.reachedModel && timings.modelMs !== undefined) {
        timings.overheadMs = Math.max(0, timings.totalMs - timings.debounceMs - timings.modelMs);
      }
      this.deps.onTimings?.(timings, request);
      if (shaped === undefined || source === undefined) return undefined;
      return this.show(request, shaped, source, timings, shownPrompt);
    };
    let shownPrompt: BuiltPrompt | undefined;

    const verdict = prefilter(request, config);
    if (!verdict.ok) return finish('filtered');
    this.deps.stats?.recordRequest();

    const typed = this.cache.typedThrough(request);
    if (typed !== undefined) return finish('typed-through', typed, 'typed-through');

    if (this.prefetch && samePosition(this.prefetch.request, request)) {
      const prefetch = this.prefetch;
      const prefetched = await prefetch.result;
      if (signal.aborted) return this.cancelled(finish);
      shownPrompt = prefetch.prompt;
      if (!prefetch.aborted) return prefetched === null ? finish('empty') : finish('prefetch', prefetched, 'prefetch');
    } else {
      // The user went elsewhere: a prefetch for another position would only hold up the model.
      this.cancelPrefetch();
    }

    const backend = await this.deps.backend();
    if (!backend) return finish('error');
    this.learnRateOf(backend);
    try {
      const family = await backend.family();
      if (signal.aborted) return this.cancelled(finish);
      const prepared = await this.prepare(request, family, config, signal);
      if (signal.aborted) return this.cancelled(finish);
      shownPrompt = prepared.prompt;

      const cached = this.cache.get(prepared.key);
      if (cached !== undefined) return cached === null ? finish('empty') : finish('cache', cached, 'cache');

      const debounceStart = this.now();
      const waited = await this.debounce.wait(signal);
      timings.debounceMs = this.now() - debounceStart;
      if (!waited || signal.aborted) return this.cancelled(finish);

      timings.reachedModel = true;
      this.inflightKey = prepared.key;
      const result = await this.generate(backend, prepared, config, signal, () => {
        timings.firstTokenMs = this.now() - start;
      }).finally(() => {
        if (this.inflightKey === prepared.key) this.inflightKey = undefined;
      });
      timings.modelMs = result.totalMs;
      timings.promptTokens = result.promptTokens;
      timings.reusedTokens = result.reusedTokens;
      timings.generatedTokens = result.generatedTokens;
      this.deps.stats?.recordModelCall(result.ttftMs);
      if (result.stoppedBy === 'abort' || signal.aborted) return this.cancelled(finish);
      // What the user waits for is the first token; only calls that got one say how long that takes.
      if (Number.isFinite(result.ttftMs)) this.debounce.recordLatency(result.ttftMs);

      const shaped = postprocess(result.text, request, prepared.plan);
      this.cache.set(prepared.key, shaped);
      if (shaped === null) return finish('empty');
      return finish('model', shaped, 'model');
    } catch (error) {
      if (signal.aborted) return this.cancelled(finish);
      this.deps.stats?.recordError();
      this.deps.log?.(`completion failed: ${(error as Error).message}`);
      finish('error');
      throw error;
    }
  }

  /**
   * The user accepted suggestion `id` (all of it): count it, and make sure the suggestion after it
   * is on its way (it usually is: it was prefetched when the suggestion was shown).
   */
  accepted(id: number): void {
    const shown = this.shown.get(id);
    if (!shown) return;
    this.deps.stats?.recordAccepted();
    this.shown.delete(id);
    this.cache.recordAccepted(shown.request.uri);
    this.prefetchAfter(shown.request, shown.shown, shown.prompt);
  }

  /**
   * The cursor came to rest at a place where the user may type next (readAhead.ts); `request` is the
   * document as that typing would find it. Reads its prompt into the model's cache while the model
   * is idle, so the first pause there does not wait for a cold read. Nothing happens unless the
   * backend keeps a cache it can read into (the embedded model), its model is loaded already (a
   * read-ahead never starts one), and no keystroke's request is at the model (a prefetch for the
   * place the user left is called off); any request afterwards supersedes the read and keeps what
   * it read. True when a read was started.
   */
  async readAhead(request: CompletionRequest): Promise<boolean> {
    const config = this.deps.config();
    if (!config.readAhead || this.deps.experiment?.readAhead === false) return false;
    const backend = this.deps.loadedBackend?.();
    if (!backend?.readPrompt || this.inflightKey !== undefined) return false;
    // Where a suggestion could never come (disabled, language off, too large), there is nothing to read for.
    if (!prefilter({ ...request, explicit: true }, config).ok) return false;
    this.learnRateOf(backend);
    // The user left the place a prefetch still running was for (a finished one stays in the LRU).
    this.cancelPrefetch();
    this.reading?.abort();
    const controller = new AbortController();
    this.reading = controller;
    try {
      const family = await backend.family();
      const prepared = await this.prepare(request, family, config, controller.signal);
      // A keystroke or a prefetch got there first: it reads this place itself.
      if (controller.signal.aborted || this.inflightKey !== undefined || this.prefetch) return false;
      this.deps.stats?.recordReadAhead();
      await backend.readPrompt(prepared.prompt, controller.signal);
      return true;
    } catch (error) {
      this.deps.log?.(`read-ahead failed: ${(error as Error).message}`);
      return false;
    } finally {
      if (this.reading === controller) this.reading = undefined;
    }
  }

  dispose(): void {
    this.reading?.abort();
    this.cancelPrefetch();
    this.debounce.dispose();
    this.shown.clear();
  }

  private cancelPrefetch(): void {
    this.prefetch?.controller.abort();
    this.prefetch = undefined;
  }

  /** Starts working out the suggestion for the document after `shown` is accepted, unless it already is. */
  private prefetchAfter(request: CompletionRequest, shown: ShapedSuggestion, prompt: BuiltPrompt | undefined): void {
    const next = afterAccepting(request, shown);
    if (this.prefetch && samePosition(this.prefetch.request, next) && !this.prefetch.aborted) return;
    // Continuing the generation only fits when accepting leaves the rest of the line as the prompt
    // saw it, and only so far: Tab after Tab would otherwise grow one prompt without end.
    const continued = prompt && shown.replaceLength === 0 ? continuedPrompt(prompt, shown.text) : undefined;
    const room = continued && continued.estimatedTokens <= budgetTokens(this.lastSize?.budgets ?? this.deps.config().budgets) + CONTINUATION_ROOM_TOKENS;
    void this.startPrefetch(next, room ? continued : undefined);
  }

  private async startPrefetch(request: CompletionRequest, continued: BuiltPrompt | undefined): Promise<void> {
    const config = this.deps.config();
    if (!prefilter(request, config).ok) return;
    this.cancelPrefetch();
    const controller = new AbortController();
    let settle!: (value: ShapedSuggestion | null) => void;
    const prefetch: Prefetch = { request, result: new Promise((resolve) => (settle = resolve)), controller, aborted: false };
    this.prefetch = prefetch;
    const giveUp = (): void => {
      prefetch.aborted = true;
      if (this.prefetch === prefetch) this.prefetch = undefined;
      settle(null);
    };
    try {
      const backend = await this.deps.backend();
      if (!backend || controller.signal.aborted) return giveUp();
      const family = await backend.family();
      const prepared =
        continued && backend.readPrompt && this.deps.experiment?.layout !== 'psm-baseline'
          ? this.continuation(request, family, config, continued)
          : await this.prepare(request, family, config, controller.signal, true);
      if (controller.signal.aborted) return giveUp();
      prefetch.prompt = prepared.prompt;
      const cached = this.cache.get(prepared.key);
      if (cached !== undefined) return settle(cached);
      // VS Code already asked for this position (the accept came first): that answer will do.
      if (this.inflightKey === prepared.key) return giveUp();
      const result = await this.generate(backend, prepared, config, controller.signal);
      this.deps.stats?.recordModelCall(result.ttftMs);
      if (result.stoppedBy === 'abort' || controller.signal.aborted) return giveUp();
      const shaped = postprocess(result.text, request, prepared.plan);
      this.cache.set(prepared.key, shaped);
      settle(shaped);
    } catch (error) {
      this.deps.log?.(`prefetch failed: ${(error as Error).message}`);
      giveUp();
    }
  }

  /** The prefetch as a continuation of `continued` (the prompt plus the accepted text), planned for `request`. */
  private continuation(request: CompletionRequest, family: FimFamily, config: CompletionConfig, continued: BuiltPrompt): Prepared {
    const plan = this.plan(request, family, config);
    return { prompt: continued, plan, key: preparedKey(continued, plan) };
  }

  /** How to generate for `request`; a benchmark's fixed length replaces the plan's limits. */
  private plan(request: CompletionRequest, family: FimFamily, config: CompletionConfig): GenerationPlan {
    const plan = planGeneration(request, family, config);
    if (this.deps.experiment?.fixedMaxTokens !== undefined) {
      // Exactly N tokens per request: no stop strings or extent rule, so every layout generates the same amount.
      plan.maxTokens = this.deps.experiment.fixedMaxTokens;
      plan.stop = [];
      delete plan.extent;
    }
    return plan;
  }

  private async prepare(
    request: CompletionRequest,
    family: FimFamily,
    config: CompletionConfig,
    signal: AbortSignal,
    speculative = false,
  ): Promise<Prepared> {
    const experiment = this.deps.experiment;
    const plan = this.plan(request, family, config);
    // Without a context source no snippets are sent, so their budget says nothing about reading time.
    const sending = this.deps.context && experiment?.layout !== 'psm-baseline' ? config.budgets : { ...config.budgets, contextTokens: 0 };
    const size = this.sizer.fit(sending, config.coldPromptMs);
    this.lastSize = size;
    const budgets = size.budgets;
    if (experiment?.layout === 'psm-baseline') {
      const prompt = buildBaselinePsmPrompt(request, family, budgets);
      return { prompt, plan, key: preparedKey(prompt, plan) };
    }
    // One window computation per keystroke: retrieval leaves its lines out, the prompt is cut by it.
    const window = promptWindow(request, budgets);
    const snippets =
      this.deps.context && budgets.contextTokens > 0
        ? await this.deps.context.snippets(
            request,
            budgets.contextTokens,
            signal,
            { startLine: window.startLine, endLine: window.endLine },
            speculative,
          )
        : [];
    const prompt = buildPrompt(request, family, budgets, snippets, { window });
    return { prompt, plan, key: preparedKey(prompt, plan) };
  }

  /** The prompt size the last prompt was built with (budgets, scale, the reading rate assumed). */
  promptSize(): PromptSize | undefined {
    return this.lastSize;
  }

  /** Another backend (or none before) starts the sizing afresh; its own rate measurement seeds it. */
  private learnRateOf(backend: CompletionBackend): void {
    if (backend !== this.sizedFor) {
      this.sizer.reset();
      this.sizedFor = backend;
    }
    this.sizer.setMeasuredRate(backend.promptTokPerS?.());
  }

  private async generate(
    backend: CompletionBackend,
    prepared: Prepared,
    config: CompletionConfig,
    signal: AbortSignal,
    onFirstToken?: () => void,
  ): Promise<GenerationResult> {
    const result = await backend.generate(prepared.prompt, {
      maxTokens: prepared.plan.maxTokens,
      stop: prepared.plan.stop,
      timeoutMs: prepared.plan.timeoutMs,
      temperature: config.temperature,
      signal,
      fresh: this.deps.experiment?.freshSequence ?? false,
      ignoreEos: this.deps.experiment?.fixedMaxTokens !== undefined,
      onFirstToken,
      ...(prepared.plan.extent ? { extent: prepared.plan.extent } : {}),
    });
    this.sizer.observe(result);
    return result;
  }

  private cancelled(finish: (outcome: EngineTimings['outcome']) => EngineSuggestion | undefined): undefined {
    finish('cancelled');
    this.deps.stats?.recordCancelled();
    return undefined;
  }

  private show(
    request: CompletionRequest,
    shaped: ShapedSuggestion,
    source: CompletionSource,
    timings: EngineTimings,
    prompt: BuiltPrompt | undefined,
  ): EngineSuggestion {
    const id = this.nextId++;
    this.cache.rememberShown(request, shaped);
    this.shown.set(id, { request, shown: shaped, prompt });
    // Only the latest few can still be accepted; keep the map small.
    if (this.shown.size > 16) this.shown.delete(this.shown.keys().next().value as number);
    this.deps.stats?.recordShown(source, timings.totalMs);
    if (this.deps.experiment?.prefetchOnShow !== false) this.prefetchAfter(request, shaped, prompt);
    return { id, text: shaped.text, replaceLength: shaped.replaceLength, source, latencyMs: timings.totalMs, timings };
  }
}

/** The document (and cursor) after `shown` is accepted at the request's cursor. */
function afterAccepting(request: CompletionRequest, shown: ShapedSuggestion): CompletionRequest {
  const { text, offset } = request;
  return {
    ...request,
    text: text.slice(0, offset) + shown.text + text.slice(offset + shown.replaceLength),
    offset: offset + shown.text.length,
    explicit: false,
  };
}

/** How far accepted suggestions may extend a prompt beyond its budgets before a prefetch starts afresh. */
const CONTINUATION_ROOM_TOKENS = 256;

/** `prompt` with `text` already generated after it: the model goes on from there. */
function continuedPrompt(prompt: BuiltPrompt, text: string): BuiltPrompt {
  return { ...prompt, text: prompt.text + text, prefix: prompt.prefix + text, estimatedTokens: prompt.estimatedTokens + estimateTokens(text) };
}

/** Same document, same text, same cursor. */
function samePosition(a: CompletionRequest, b: CompletionRequest): boolean {
  return a.offset === b.offset && a.uri === b.uri && a.text.length === b.text.length && a.text === b.text;
}
