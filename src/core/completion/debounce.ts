// How long to wait after a keystroke before calling the model, adapted to the user's typing rhythm
// and to how long the model has been taking. On two cores a request that is overtaken by the next
// keystroke is not free: it holds the model until it is aborted and delays the request that matters.
//
// Rule (clamped to [minMs, maxMs]):
//   rhythm   = median of the last 8 gaps between keystrokes, ignoring gaps over 1 s (pauses, not
//              rhythm) and under 5 ms (duplicate events); known once there are 2 such gaps.
//   latency  = moving average (weight 0.3 for the newest) of recorded model latencies.
//   no rhythm yet                       -> initialMs (default: midpoint of the range)
//   minMs + latency <= rhythm           -> minMs: the answer lands before the next keystroke
//                                          is due, so ask at once (slow, steady typists)
//   otherwise                           -> 1.25 x rhythm: wait for a gap clearly longer than the
//                                          user's usual one, i.e. a pause (fast typists)
// wait() counts from the last recorded keystroke, so time already spent before it is not waited twice.
// The clock and timers are injectable so tests drive time by hand.
import { whenAborted } from '../kernel/abort';

export interface DebounceConfig {
  minMs: number;
  maxMs: number;
  /** Delay before any rhythm is known; defaults to the midpoint of [minMs, maxMs]. */
  initialMs?: number;
}

export interface DebounceTimer {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemTimer: DebounceTimer = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

const RHYTHM_WINDOW = 8;
const PAUSE_MS = 1000;
const DUPLICATE_MS = 5;
const PAUSE_FACTOR = 1.25;
const LATENCY_WEIGHT = 0.3;

export class AdaptiveDebounce {
  private config: DebounceConfig;
  private readonly gaps: number[] = [];
  private lastKeystroke: number | undefined;
  private latency: number | undefined;
  private readonly pending = new Set<(value: boolean) => void>();
  private disposed = false;

  constructor(config: DebounceConfig, private readonly timer: DebounceTimer = systemTimer) {
    this.config = { ...config };
  }

  configure(config: DebounceConfig): void {
    this.config = { ...config };
  }

  recordKeystroke(now: number = this.timer.now()): void {
    if (this.lastKeystroke !== undefined) {
      const gap = now - this.lastKeystroke;
      if (gap >= DUPLICATE_MS && gap <= PAUSE_MS) {
        this.gaps.push(gap);
        if (this.gaps.length > RHYTHM_WINDOW) this.gaps.shift();
      }
    }
    this.lastKeystroke = now;
  }

  recordLatency(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    this.latency = this.latency === undefined ? ms : this.latency + LATENCY_WEIGHT * (ms - this.latency);
  }

  /** The user's typical gap between keystrokes, once known. */
  rhythmMs(): number | undefined {
    if (this.gaps.length < 2) return undefined;
    const sorted = [...this.gaps].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  }

  /** The delay the next wait() aims for, counted from the last keystroke. */
  delayMs(): number {
    const { minMs, maxMs } = this.config;
    const rhythm = this.rhythmMs();
    let delay: number;
    if (rhythm === undefined) delay = this.config.initialMs ?? (minMs + maxMs) / 2;
    else if (this.latency !== undefined && minMs + this.latency <= rhythm) delay = minMs;
    else delay = PAUSE_FACTOR * rhythm;
    return Math.min(maxMs, Math.max(minMs, delay));
  }

  /** Resolves true after the delay, or false as soon as `signal` aborts (or on dispose). */
  wait(signal?: AbortSignal): Promise<boolean> {
    if (this.disposed || signal?.aborted) return Promise.resolve(false);
    const now = this.timer.now();
    const elapsed = this.lastKeystroke === undefined ? 0 : Math.max(0, now - this.lastKeystroke);
    const remaining = this.delayMs() - elapsed;
    if (remaining <= 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      let settled = false;
      const finish = (value: boolean) => {
        if (settled) return;
        settled = true;
        this.timer.clearTimeout(handle);
        unlisten();
        this.pending.delete(finish);
        resolve(value);
      };
      const handle = this.timer.setTimeout(() => finish(true), remaining);
      const unlisten = whenAborted(signal, () => finish(false));
      this.pending.add(finish);
    });
  }

  /** Number of waits still running (for tests and leak checks). */
  pendingWaits(): number {
    return this.pending.size;
  }

  dispose(): void {
    this.disposed = true;
    for (const finish of [...this.pending]) finish(false);
  }
}
