// The completion engine: strings the pipeline stages together for one keystroke.
//   prefilter -> typing-through cache -> context -> prompt -> LRU/prefetch cache -> debounce
//   -> generate -> postprocess
// The cheap cache checks run before the debounce so that typing through a shown suggestion, or
// landing on a prefetched position, answers instantly. Every stage is timed; the timings feed the
// stats command, the status bar and the benchmark.
import type { CompletionConfig } from '../config';
import { CompletionCache } from './completionCache';
import type { CompletionSource, CompletionStats } from './completionStats';
import { AdaptiveDebounce } from './debounce';
import { planGeneration } from './generationPlan';
import { detectIndentStyle } from './indentStyle';
import { postprocess } from './postprocess';
import { prefilter } from './prefilter';
import { buildBaselinePsmPrompt, buildPrompt, promptWindow } from './promptBuilder';
import type {
  BuiltPrompt,
  CompletionBackend,
  CompletionRequest,
  ContextSnippet,
  FimFamily,
  GenerationPlan,
  GenerationResult,
} from './types';

/** Lines of the current document that the prompt carries already (1-based, inclusive). */
export interface VisibleLines {
  startLine: number;
  endLine: number;
}

/** Supplies context snippets for a request (core/context's retrieval, through the index worker). */
export interface ContextSource {
  snippets(
    request: CompletionRequest,
    budgetTokens: number,
    signal: AbortSignal,
    visibleLines: VisibleLines,
  ): Promise<ContextSnippet[]>;
}

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
  text: string;
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
}

export interface EngineDeps {
  backend: () => CompletionBackend | undefined | Promise<CompletionBackend | undefined>;
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
  text: string;
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
  private prefetch: { key: string; result: Promise<string | null>; controller: AbortController } | undefined;
  /** Key of the request now at the model, so a prefetch for the same position doesn't displace it. */
  private inflightKey: string | undefined;

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
    const finish = (outcome: EngineTimings['outcome'], text?: string, source?: CompletionSource) => {
      timings.outcome = outcome;
      timings.totalMs = this.now() - start;
      if (timings.reachedModel && timings.modelMs !== undefined) {
        timings.overheadMs = Math.max(0, timings.totalMs - timings.debounceMs - timings.modelMs);
      }
      this.deps.onTimings?.(timings, request);
      if (text === undefined || source === undefined) return undefined;
      return this.show(request, text, source, timings);
    };

    const verdict = prefilter(request, config);
    if (!verdict.ok) return finish('filtered');
    this.deps.stats?.recordRequest();

    const typed = this.cache.typedThrough(request);
    if (typed !== undefined) return finish('typed-through', typed, 'typed-through');

    const backend = await this.deps.backend();
    if (!backend) return finish('error');
    try {
      const family = await backend.family();
      if (signal.aborted) return this.cancelled(finish);
      const prepared = await this.prepare(request, family, config, signal);
      if (signal.aborted) return this.cancelled(finish);

      const cached = this.cache.get(prepared.key);
      if (cached !== undefined) return cached === null ? finish('empty') : finish('cache', cached, 'cache');
      if (this.prefetch?.key === prepared.key) {
        const prefetched = await this.prefetch.result;
        if (signal.aborted) return this.cancelled(finish);
        if (prefetched !== null) return finish('prefetch', prefetched, 'prefetch');
        if (this.cache.get(prepared.key) === null) return finish('empty');
      } else {
        // The user went elsewhere: a prefetch for another position would only hold up the model.
        this.cancelPrefetch();
      }

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

      const text = postprocess(result.text, request, prepared.plan, detectIndentStyle(request.text));
      this.cache.set(prepared.key, text);
      if (text === null) return finish('empty');
      return finish('model', text, 'model');
    } catch (error) {
      if (signal.aborted) return this.cancelled(finish);
      this.deps.stats?.recordError();
      this.deps.log?.(`completion failed: ${(error as Error).message}`);
      finish('error');
      throw error;
    }
  }

  /** The user accepted suggestion `id`: count it and prefetch the suggestion after it. */
  accepted(id: number): void {
    const shown = this.shown.get(id);
    if (!shown) return;
    this.deps.stats?.recordAccepted();
    this.shown.delete(id);
    const { request, text } = shown;
    this.cache.recordAccepted(request.uri);
    const next: CompletionRequest = {
      ...request,
      text: request.text.slice(0, request.offset) + text + request.text.slice(request.offset),
      offset: request.offset + text.length,
      explicit: false,
    };
    void this.startPrefetch(next);
  }

  dispose(): void {
    this.cancelPrefetch();
    this.debounce.dispose();
    this.shown.clear();
  }

  private cancelPrefetch(): void {
    this.prefetch?.controller.abort();
    this.prefetch = undefined;
  }

  private async startPrefetch(request: CompletionRequest): Promise<void> {
    const config = this.deps.config();
    if (!prefilter(request, config).ok) return;
    const backend = await this.deps.backend();
    if (!backend) return;
    try {
      const family = await backend.family();
      this.cancelPrefetch();
      const controller = new AbortController();
      const prepared = await this.prepare(request, family, config, controller.signal);
      // Already answered, or VS Code already asked for this position before the accept command ran.
      if (this.cache.get(prepared.key) !== undefined || this.inflightKey === prepared.key) return;
      const result = this.generate(backend, prepared, config, controller.signal).then((r) => {
        this.deps.stats?.recordModelCall(r.ttftMs);
        if (r.stoppedBy === 'abort') return null;
        const text = postprocess(r.text, request, prepared.plan, detectIndentStyle(request.text));
        this.cache.set(prepared.key, text);
        return text;
      });
      this.prefetch = { key: prepared.key, result: result.catch(() => null), controller };
      await this.prefetch.result;
    } catch (error) {
      this.deps.log?.(`prefetch failed: ${(error as Error).message}`);
    }
  }

  private async prepare(
    request: CompletionRequest,
    family: FimFamily,
    config: CompletionConfig,
    signal: AbortSignal,
  ): Promise<Prepared> {
    const experiment = this.deps.experiment;
    const plan = planGeneration(request, family, config);
    if (experiment?.fixedMaxTokens !== undefined) {
      // Exactly N tokens per request: no stop strings, so every layout generates the same amount.
      plan.maxTokens = experiment.fixedMaxTokens;
      plan.stop = [];
    }
    if (experiment?.layout === 'psm-baseline') {
      const prompt = buildBaselinePsmPrompt(request, family, config.budgets);
      return { prompt, plan, key: preparedKey(prompt, plan) };
    }
    // One window computation per keystroke: retrieval leaves its lines out, the prompt is cut by it.
    const window = promptWindow(request, config.budgets);
    const snippets =
      this.deps.context && config.budgets.contextTokens > 0
        ? await this.deps.context.snippets(request, config.budgets.contextTokens, signal, {
            startLine: window.startLine,
            endLine: window.endLine,
          })
        : [];
    const prompt = buildPrompt(request, family, config.budgets, snippets, { window });
    return { prompt, plan, key: preparedKey(prompt, plan) };
  }

  private generate(
    backend: CompletionBackend,
    prepared: Prepared,
    config: CompletionConfig,
    signal: AbortSignal,
    onFirstToken?: () => void,
  ): Promise<GenerationResult> {
    return backend.generate(prepared.prompt, {
      maxTokens: prepared.plan.maxTokens,
      stop: prepared.plan.stop,
      timeoutMs: prepared.plan.timeoutMs,
      temperature: config.temperature,
      signal,
      fresh: this.deps.experiment?.freshSequence ?? false,
      ignoreEos: this.deps.experiment?.fixedMaxTokens !== undefined,
      onFirstToken,
    });
  }

  private cancelled(finish: (outcome: EngineTimings['outcome']) => EngineSuggestion | undefined): undefined {
    finish('cancelled');
    this.deps.stats?.recordCancelled();
    return undefined;
  }

  private show(
    request: CompletionRequest,
    text: string,
    source: CompletionSource,
    timings: EngineTimings,
  ): EngineSuggestion {
    const id = this.nextId++;
    this.cache.rememberShown(request, text);
    this.shown.set(id, { request, text });
    // Only the latest few can still be accepted; keep the map small.
    if (this.shown.size > 16) this.shown.delete(this.shown.keys().next().value as number);
    this.deps.stats?.recordShown(source, timings.totalMs);
    return { id, text, source, latencyMs: timings.totalMs, timings };
  }
}
