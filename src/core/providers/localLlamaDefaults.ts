// Defaults for the embedded llama worker, chosen by measurement on the target machine (2 vCPUs, no
// GPU, Qwen2.5-Coder-0.5B-shaped Q8_0 proxy); the figures are in the worker's measurement notes
// (bench/llamaWorkerSpeed.ts prints them). Every value can be overridden by the caller.

export const LOCAL_LLAMA_DEFAULTS = {
  /** See bench/llamaWorkerSpeed.ts for threads 1 vs 2 on 2 vCPUs. */
  threads: 2,
  /** Flash attention roughly halves long-prompt evaluation on CPU. */
  flashAttention: true,
  /** Prompt budgets plus generation fit comfortably; more context only costs memory. */
  contextSize: 4096,
  /**
   * Tokens per decode call. A long prompt is evaluated in batches of this size and an abort lands
   * between batches, so it also bounds how long a superseded request keeps the CPU.
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

/** How long past its own deadline the client waits for the worker before answering 'timeout' itself. */
export const LOCAL_LLAMA_TIMEOUT_GRACE_MS = 500;
