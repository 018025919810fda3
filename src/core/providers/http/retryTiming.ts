// When to try an HTTP request again: exponential backoff with jitter and the server's own Retry-After
// (seconds, an HTTP date, or OpenAI's `retry-after-ms`); the wait itself is kernel/abort.ts's
// abortableSleep. Kept apart from the request loop so the arithmetic is testable without a server.

import type { HttpPolicy } from './httpPolicy';

/**
 * The delay before retry number `retry` (1 for the first retry): base * 2^(retry-1), capped, with
 * "equal jitter" (half fixed, half random) so many clients that failed together don't return together.
 */
export function backoffDelay(policy: HttpPolicy, retry: number, random: () => number): number {
  const exponential = Math.min(policy.maxBackoffMs, policy.baseBackoffMs * 2 ** Math.max(0, retry - 1));
  const half = exponential / 2;
  return Math.round(half + half * Math.min(1, Math.max(0, random())));
}

/**
 * The wait the server asked for, in ms, or undefined when it said nothing usable.
 * `retry-after-ms` (OpenAI) wins over `retry-after`, which is either seconds or an HTTP date.
 */
export function retryAfterMs(headers: Headers, now: number): number | undefined {
  const precise = headers.get('retry-after-ms');
  if (precise !== null && /^\s*\d+(\.\d+)?\s*$/.test(precise)) return Math.ceil(Number(precise));
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** "250 ms", "45 s", "3 min", "2 h": how long to wait, for messages. */
export function describeWait(ms: number): string {
  if (!Number.isFinite(ms)) return 'a long while';
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  return `${Math.ceil(minutes / 60)} h`;
}
