// Gathers streamed answer chunks into at most one 'delta' message per interval. A local model can
// emit a token every few milliseconds and each message to the webview costs a serialisation and a
// markdown re-render, so the panel gets the text in batches it can keep up with. Nothing is lost or
// reordered: the emitted texts concatenate to exactly the pushed chunks once flush() has run.

/** A timer source, injectable so tests advance time instead of waiting. */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const SYSTEM_TIMERS: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Shortest gap between two deltas (~30 frames a second). */
export const DELTA_INTERVAL_MS = 30;

export class DeltaCoalescer {
  private pending = '';
  private lastEmit = Number.NEGATIVE_INFINITY;
  private timer: { handle: unknown } | undefined;

  constructor(
    private readonly emit: (text: string) => void,
    private readonly now: () => number,
    private readonly timers: Timers = SYSTEM_TIMERS,
    private readonly intervalMs = DELTA_INTERVAL_MS,
  ) {}

  /** Adds a chunk: sent at once when the last delta is an interval old, else with the next batch. */
  push(chunk: string): void {
    if (!chunk) return;
    this.pending += chunk;
    if (this.timer) return;
    const wait = this.lastEmit + this.intervalMs - this.now();
    if (wait <= 0) {
      this.emitPending();
      return;
    }
    this.timer = {
      handle: this.timers.set(() => {
        this.timer = undefined;
        this.emitPending();
      }, wait),
    };
  }

  /** Sends whatever is pending now (the answer ended) and cancels the batch timer. */
  flush(): void {
    if (this.timer) {
      this.timers.clear(this.timer.handle);
      this.timer = undefined;
    }
    this.emitPending();
  }

  private emitPending(): void {
    if (!this.pending) return;
    const text = this.pending;
    this.pending = '';
    this.lastEmit = this.now();
    this.emit(text);
  }
}
