// Measures what one step of speculative decoding costs on this machine: k drafted tokens (plus the
// last accepted one) evaluated in one batch with a sampled next token at every position, as a
// verify step does, after a prompt of realistic length. k = 0 is plain one-token decoding. Runs
// node-llama-cpp in this process on the same model file and settings as the model host, because the
// host has no request that evaluates a chosen batch; the host is closed first so they don't compete.
import { performance } from 'node:perf_hooks';
import type { Token } from 'node-llama-cpp' with { 'resolution-mode': 'import' };
import { percentile } from '../src/core/kernel/percentile';

export interface VerifyBatchCost {
  draftTokens: number;
  /** Median (nearest rank) ms of one batch of draftTokens + 1 positions. */
  verifyBatchMs: number;
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
    const out: VerifyBatchCost[] = [];
    for (const k of options.draftLengths) {
      const batch = drafts.slice(0, k + 1).map((token) => [token, { generateNext: { token: true } }] as [Token, { generateNext: { token: boolean } }]);
      const times: number[] = [];
      for (let r = 0; r < options.repeats + 1; r++) {
        const started = performance.now();
        await sequence.controlledEvaluate(batch);
        const ms = performance.now() - started;
        await sequence.eraseContextTokenRanges([{ start: prompt.length, end: sequence.nextTokenIndex }]);
        // The first batch of each size warms its buffers up; it is not counted.
        if (r > 0) times.push(ms);
      }
      out.push({ draftTokens: k, verifyBatchMs: percentile(times, 50), samples: times.length });
    }
    return out;
  } finally {
    await context.dispose();
    await model.dispose();
    await llama.dispose();
  }
}
