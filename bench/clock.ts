// Real-time waiting for the replay: sleeps to absolute deadlines so small timer overshoots don't
// accumulate over a trace, and reports how late each deadline was met.
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';

export function now(): number {
  return performance.now();
}

/** Waits until `deadline` (a performance.now() value); returns how late it woke, in ms. */
export async function sleepUntil(deadline: number): Promise<number> {
  const wait = deadline - performance.now();
  if (wait > 0.5) await delay(wait);
  return Math.max(0, performance.now() - deadline);
}

export function sleep(ms: number): Promise<void> {
  return delay(ms).then(() => undefined);
}
