// Defaults for the embedded llama worker, chosen by measurement on the target machine (2 vCPUs, no
// GPU, the Qwen2.5-Coder-0.5B-shaped Q8_0 speed proxy, ~1040-token FIM prompt; reproduce with
// bench/llamaWorkerSpeed.ts). Every value can be overridden by the caller.
//
// Threads, measured (median ms to first token; "+2 chars" = typing two characters, KV prefix reused):
//   another process wanting CPU       threads 1: cold / +2 chars     threads 2: cold / +2 chars
//   none (idle)                           2806 / 420                     1453 / 235
//   25 ms busy every 50 ms                2742 / 403                     1992 / 299
//   300 ms busy every 1000 ms             2850 / 404                     2180 / 332
//   40 ms busy every 50 ms                2790 / 404                     2949 / 478
//   always busy (and a loaded machine)    6403 / 855                    20908 / 7988
// ("N ms busy every M ms": bench --busy 1 --duty N/M.) Two threads win by up to 1.8x on an idle
// machine and lose by up to 9x once another process keeps a core busy (llama.cpp's worker threads
// spin at barriers, so a descheduled thread stalls the other; generation fell to 0.6 tok/s). While
// the user types, the editor and language servers compete for the cores in bursts; the cost is
// lopsided (a steady 400 ms against seconds-long stalls), so the default leaves one core free.
// Users on an otherwise idle machine can set two threads.
//
// Flash attention, threads 1, batch 512: cold 2772 ms on vs 3716 off; +2 chars 402 vs 384 (noise);
// generation speed equal. On: it never lost by more than noise and wins on long prompts.

import { availableParallelism } from 'node:os';

/** One core for the editor, the rest for the model; a single core when there are only two. */
export function defaultThreads(logicalCores: number = availableParallelism()): number {
  return Math.max(1, Math.min(logicalCores - 1, 8));
}

export const LOCAL_LLAMA_DEFAULTS = {
  flashAttention: true,
  /** Prompt budgets plus generation fit comfortably; more context only costs memory. */
  contextSize: 4096,
  /**
   * Tokens per decode call. A long prompt is evaluated in batches of this size and an abort or a
   * newer request lands between batches; 256 vs 512 made no measurable throughput difference, and
   * 256 halves the wait (about 0.6 s at one thread) when a newer request diverges early.
   */
  batchSize: 256,
} as const;

/** Worker restart backoff after a crash: first delay, cap, and how long a healthy run resets it. */
export interface RestartPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  healthyResetMs: number;
}

export const LOCAL_LLAMA_RESTART: Readonly<RestartPolicy> = {
  initialDelayMs: 250,
  maxDelayMs: 10_000,
  healthyResetMs: 60_000,
};

/** Longest the client waits for a first token (a cold prompt on a slow CPU) before giving up itself. */
export const LOCAL_LLAMA_PROMPT_DEADLINE_MS = 60_000;

/** How long past its own deadline the client waits for the worker before answering 'timeout' itself. */
export const LOCAL_LLAMA_TIMEOUT_GRACE_MS = 500;
