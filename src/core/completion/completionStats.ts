// Session statistics for inline completion: latency percentiles, cache hit rate and acceptance
// rate, fed by the engine and the editor layer, read by the status bar and the stats command.
import { percentile } from '../kernel/percentile';

/** How a shown (or attempted) suggestion was produced. */
export type CompletionSource = 'model' | 'cache' | 'typed-through' | 'prefetch';

export interface CompletionStatsSnapshot {
  /** Requests that reached the engine after the prefilter. */
  requests: number;
  /** Suggestions shown to the user. */
  shown: number;
  accepted: number;
  /** Answers served without a model call (typing through, LRU, prefetch). */
  cacheHits: number;
  modelCalls: number;
  cancelled: number;
  errors: number;
  /** Places where the cursor came to rest and the model read the prompt ahead. */
  readAheads: number;
  /** Keystroke-to-suggestion latency of shown suggestions, all sources. */
  latencyP50Ms: number;
  latencyP95Ms: number;
  /** Time to first token of model calls. */
  ttftP50Ms: number;
  ttftP95Ms: number;
  cacheHitRate: number;
  acceptanceRate: number;
  lastLatencyMs: number | undefined;
}

/** Keeps at most `window` recent latency samples so a long session stays O(1) in memory. */
export class CompletionStats {
  private readonly latencies: number[] = [];
  private readonly ttfts: number[] = [];
  private counts = { requests: 0, shown: 0, accepted: 0, cacheHits: 0, modelCalls: 0, cancelled: 0, errors: 0, readAheads: 0 };
  private last: number | undefined;

  constructor(private readonly window = 2000) {}

  recordRequest(): void {
    this.counts.requests++;
  }

  recordShown(source: CompletionSource, latencyMs: number): void {
    this.counts.shown++;
    if (source !== 'model') this.counts.cacheHits++;
    this.push(this.latencies, latencyMs);
    this.last = latencyMs;
  }

  recordModelCall(ttftMs: number): void {
    this.counts.modelCalls++;
    if (Number.isFinite(ttftMs)) this.push(this.ttfts, ttftMs);
  }

  recordAccepted(): void {
    this.counts.accepted++;
  }

  recordCancelled(): void {
    this.counts.cancelled++;
  }

  recordError(): void {
    this.counts.errors++;
  }

  recordReadAhead(): void {
    this.counts.readAheads++;
  }

  get lastLatencyMs(): number | undefined {
    return this.last;
  }

  snapshot(): CompletionStatsSnapshot {
    const c = this.counts;
    const answered = c.cacheHits + c.modelCalls;
    return {
      ...c,
      latencyP50Ms: percentile(this.latencies, 50),
      latencyP95Ms: percentile(this.latencies, 95),
      ttftP50Ms: percentile(this.ttfts, 50),
      ttftP95Ms: percentile(this.ttfts, 95),
      cacheHitRate: answered === 0 ? 0 : c.cacheHits / answered,
      acceptanceRate: c.shown === 0 ? 0 : c.accepted / c.shown,
      lastLatencyMs: this.last,
    };
  }

  private push(list: number[], value: number): void {
    list.push(value);
    if (list.length > this.window) list.shift();
  }
}
