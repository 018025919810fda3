// bench:windows's simulated user: which of the open windows is in front, and for how long. The user
// stays in a window 10-20 s (uniform, from the seed), then switches to another one; the first round
// visits every window once, so a short run still types in all of them. Plain data, made ahead of the
// run, so every way of serving the windows replays the same switches.
import { SeededRandom } from './seededRandom';

export interface WindowSegment {
  /** Index of the window in front. */
  window: number;
  /** From the start of the run, in ms. */
  startMs: number;
  endMs: number;
}

export interface ScheduleOptions {
  windows: number;
  /** The schedule runs until a segment ends at or after this. */
  runMs: number;
  minDwellMs?: number;
  maxDwellMs?: number;
}

export const MIN_DWELL_MS = 10_000;
export const MAX_DWELL_MS = 20_000;

/** Segments back to back from 0, each in a different window from the one before; window 0 first. */
export function switchSchedule(seed: number, options: ScheduleOptions): WindowSegment[] {
  const { windows, runMs, minDwellMs = MIN_DWELL_MS, maxDwellMs = MAX_DWELL_MS } = options;
  if (windows < 1) throw new Error('a schedule needs at least one window');
  if (!(minDwellMs > 0 && maxDwellMs >= minDwellMs)) throw new Error('dwell times must be positive, min <= max');
  const rng = SeededRandom.stream(seed, 'window switches');
  const segments: WindowSegment[] = [];
  const unvisited = new Set(Array.from({ length: windows }, (_, i) => i));
  let window = 0;
  let at = 0;
  while (at < runMs) {
    unvisited.delete(window);
    const endMs = at + Math.round(rng.uniform(minDwellMs, maxDwellMs));
    segments.push({ window, startMs: at, endMs });
    at = endMs;
    if (windows === 1) continue;
    const pool = unvisited.size > 0 ? [...unvisited] : Array.from({ length: windows }, (_, i) => i).filter((i) => i !== window);
    window = rng.pick(pool);
  }
  return segments;
}
