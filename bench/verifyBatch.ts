// Measures what one step of speculative decoding costs on this machine: k drafted tokens (plus the
// last accepted one) evaluated in one batch with a sampled next token at every position, as a
// verify step does, after a prompt of realistic length. k = 0 is plain one-token decoding. Runs
// node-llama-cpp in this process on the same model file and settings as the model host, because the
// host has no request that evaluates a chosen batch; the host is closed first so they don't compete.
// Each batch is also timed with a next token at its last position only, and on an empty cache, to
// show where a verify batch's time goes (output projection per position; attention over the prompt).
import { performance } from 'node:perf_hooks';
import type { Token } from 'node-llama-cpp' with { 'resolution-mode': 'import' };
import { percentile } from '../src/core/kernel/percentile';

export interface VerifyBatchCost {
  draftTokens: number;
  /** Median (nearest rank) ms of one batch of draftTokens + 1 positions. */
  verifyBatchMs: number;
  /**
   * The same batch with a next token only at its last position: verifyBatchMs minus this is the
   * output projection (vocabulary x embedding) and sampling of the draftTokens other positions.
   */
  lastLogitsOnlyMs: number;
  /**
   * The same batch on an empty cache: verifyBatchMs minus this is the batch's attention over the
   * prompt (llama.cpp's CPU flash attention reads all of the cache once per query row for batches
   * under 64 rows).
   */
  emptyCacheMs: number;
  samples: number;
}

export interface VerifyBatchOptions {
  modelPath: string;
  threads: number;
  flashAttention: boolean;
  contextSize: number;
  /** The prompt read before each batch (a real next-edit prompt), as text. */
  prompt: string;
  draftLengths: readonly number[];
  repeats: number;
}

export async function measureVerifyBatches(options: VerifyBatchOptions): Promise<VerifyBatchCost[]> {
  const { getLlama } = await import('node-llama-cpp');
  const llama = await getLlama({ gpu: false, build: 'never', usePrebuiltBinaries: true, skipDownload: true, progressLogs: false });
  const model = await llama.loadModel({ modelPath: options.modelPath, gpuLayers: 0, defaultContextFlashAttention: options.flashAttention });
  const maxBatch = Math.max(...options.draftLengths) + 1;
  const context = await model.createContext({
    contextSize: options.contextSize,
    threads: options.threads,
    flashAttention: options.flashAttention,
    batchSize: Math.max(256, maxBatch),
    sequences: 1,
  });
  try {
    const sequence = context.getSequence();
    const prompt = model.tokenize(options.prompt, true);
    await sequence.evaluateWithoutGeneratingNewTokens(prompt);
    // Draft tokens are the window's own tokens (what prompt lookup copies).
    const drafts: Token[] = prompt.slice(-maxBatch);
    type Batch = [Token, { generateNext: { token: boolean } }][];
    const batchOf = (k: number, everyPosition: boolean): Batch =>
      drafts.slice(0, k + 1).map((token, i) => [token, { generateNext: { token: everyPosition || i === k } }]);
    /** Median ms of `batch` after the first `kept` cache tokens; the first run warms buffers up and is not counted. */
    const time = async (batch: Batch, kept: number): Promise<{ ms: number; samples: number }> => {
      const times: number[] = [];
      for (let r = 0; r < options.repeats + 1; r++) {
        const started = performance.now();
        await sequence.controlledEvaluate(batch);
        const ms = performance.now() - started;
        await sequence.eraseContextTokenRanges([{ start: kept, end: sequence.nextTokenIndex }]);
        if (r > 0) times.push(ms);
      }
      return { ms: percentile(times, 50), samples: times.length };
    };
    const out: VerifyBatchCost[] = [];
    for (const k of options.draftLengths) {
      const full = await time(batchOf(k, true), prompt.length);
      const lastOnly = await time(batchOf(k, false), prompt.length);
      out.push({ draftTokens: k, verifyBatchMs: full.ms, lastLogitsOnlyMs: lastOnly.ms, emptyCacheMs: Number.NaN, samples: full.samples });
    }
    // Only the first prompt token stays: each batch then attends to almost nothing.
    await sequence.eraseContextTokenRanges([{ start: 1, end: sequence.nextTokenIndex }]);
    for (const cost of out) cost.emptyCacheMs = (await time(batchOf(cost.draftTokens, true), 1)).ms;
    return out;
  } finally {
    await context.dispose();
    await model.dispose();
    await llama.dispose();
  }
}
