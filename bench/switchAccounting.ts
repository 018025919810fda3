// "New prompt tokens after a switch": which model reads came first in a window after the user came
// back to it, how many prompt tokens each one had to evaluate (prompt tokens minus those reused from
// the KV cache), and how many keystrokes that window had seen since its previous model read. A
// server slot shared by all windows has to read again what another window's prompt evicted; a KV
// sequence per window reads only what was typed since.
import type { RequestPhase } from './requestSamples';

/** One document change handed to a window's completion provider, in the order they were fired. */
export interface FiredRequest {
  /** Order over the whole run (all windows). */
  seq: number;
  window: number;
  /** Index of the schedule segment during which it was fired. */
  segment: number;
  phase: RequestPhase;
}

/**
 * A fired request that reached the model and reported its prompt. Requests cancelled before the model
 * host answered report nothing; what they read stays in the KV cache, so the next read's new tokens
 * can be fewer than the keystrokes since the previous reported read.
 */
export interface ModelRead {
  seq: number;
  promptTokens: number;
  /** Prompt tokens evaluated, i.e. not reused from the cache. */
  newTokens: number;
}

/** A read (or any per-request figure) placed in its window and segment. */
export type Counted<T> = T & {
  window: number;
  segment: number;
  /** Document changes in this window since its previous counted read, this one included. */
  keystrokes: number;
};

export type CountedRead = Counted<ModelRead>;

export interface SwitchAccount<T = ModelRead> {
  /** The first read of a window in each segment: the first after the user switched to it. */
  afterSwitch: Counted<T>[];
  /** Every later read within the same segment. */
  withinWindow: Counted<T>[];
}

/**
 * Sorts the reads into after-switch and within-window ones; priming reads (opening the file) count in
 * neither. Any per-request figure keyed by `seq` sorts the same way (e.g. the first-token times).
 */
export function accountReads<T extends { seq: number }>(fired: readonly FiredRequest[], reads: readonly T[]): SwitchAccount<T> {
  const readOf = new Map(reads.map((r) => [r.seq, r]));
  const sinceLastRead = new Map<number, number>();
  const segmentsRead = new Set<string>();
  const account: SwitchAccount<T> = { afterSwitch: [], withinWindow: [] };
  for (const f of [...fired].sort((a, b) => a.seq - b.seq)) {
    const read = readOf.get(f.seq);
    if (f.phase === 'prime') {
      if (read) sinceLastRead.set(f.window, 0);
      continue;
    }
    const keystrokes = (sinceLastRead.get(f.window) ?? 0) + 1;
    sinceLastRead.set(f.window, keystrokes);
    if (!read) continue;
    sinceLastRead.set(f.window, 0);
    const key = `${f.window}/${f.segment}`;
    const counted: Counted<T> = { ...read, window: f.window, segment: f.segment, keystrokes };
    if (segmentsRead.has(key)) account.withinWindow.push(counted);
    else account.afterSwitch.push(counted);
    segmentsRead.add(key);
  }
  return account;
}
