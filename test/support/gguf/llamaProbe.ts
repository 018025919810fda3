// Loads generated models in node-llama-cpp to prove they are real: the tiny model must report
// infill support and say its planned text, the speed proxy must tokenize code like Qwen2.5-Coder
// does. Also measures the proxy's prompt and generation speed per thread count and flash-attention
// setting, which is how Bantam's embedded-model defaults were chosen.
import { readFileSync } from 'node:fs';
import type { Llama, LlamaModel } from 'node-llama-cpp' with { 'resolution-mode': 'import' };

let llamaPromise: Promise<Llama> | undefined;

/** One CPU-only llama.cpp binding per process (getLlama costs ~0.5 s). */
export function sharedLlama(): Promise<Llama> {
  llamaPromise ??= import('node-llama-cpp').then(({ getLlama, LlamaLogLevel }) =>
    getLlama({ gpu: false, logLevel: LlamaLogLevel.error }),
  );
  return llamaPromise;
}

export interface InfillProbe {
  loadMs: number;
  infillSupported: boolean;
  /** The infill answer, when supported. */
  text: string | undefined;
  infillMs: number;
}

/**
 * Loads the model, asks one infill (threads 1: on a busy 2-core machine llama.cpp's second thread
 * can stall a tiny model for seconds) and disposes everything again.
 */
export async function probeInfill(modelPath: string, prefix: string, suffix: string, maxTokens = 24): Promise<InfillProbe> {
  const llama = await sharedLlama();
  const { LlamaCompletion } = await import('node-llama-cpp');
  const started = performance.now();
  const model = await llama.loadModel({ modelPath });
  try {
    const context = await model.createContext({ contextSize: 2048, threads: 1 });
    try {
      const loadMs = performance.now() - started;
      const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
      let text: string | undefined;
      const t0 = performance.now();
      if (completion.infillSupported) text = await completion.generateInfillCompletion(prefix, suffix, { maxTokens });
      return {
        loadMs,
        infillSupported: completion.infillSupported,
        text,
        infillMs: performance.now() - t0,
      };
    } finally {
      await context.dispose();
    }
  } finally {
    await model.dispose();
  }
}

/** Characters per token of `text` under the model's own tokenizer. */
export async function charsPerToken(modelPath: string, text: string): Promise<{ tokens: number; charsPerToken: number }> {
  const llama = await sharedLlama();
  const model = await llama.loadModel({ modelPath, vocabOnly: true });
  try {
    const tokens = model.tokenize(text).length;
    return { tokens, charsPerToken: text.length / tokens };
  } finally {
    await model.dispose();
  }
}

export interface SpeedConfig {
  threads: number;
  flashAttention: boolean;
}

export interface SpeedResult extends SpeedConfig {
  /** Medians over the repetitions. */
  promptTokPerS: number;
  genTokPerS: number;
  /** Best runs: closest to the machine's speed when nothing else competes for the cores. */
  promptBestTokPerS: number;
  genBestTokPerS: number;
  promptRuns: number[];
  genRuns: number[];
}

export interface SpeedOptions {
  promptTokens: number;
  genTokens: number;
  repetitions: number;
  /** Source text the prompt is cut from (repeated as needed). */
  text: string;
  onProgress?: (line: string) => void;
}

/**
 * Prompt-evaluation and generation speed for each config. Repetitions run interleaved (A B C D,
 * A B C D, ...) so background load on a shared machine spreads over all configs alike.
 */
export async function measureSpeed(modelPath: string, configs: SpeedConfig[], options: SpeedOptions): Promise<SpeedResult[]> {
  const llama = await sharedLlama();
  const model = await llama.loadModel({ modelPath });
  try {
    const prompt = promptTokens(model, options.text, options.promptTokens);
    const contexts = [];
    for (const c of configs) {
      const context = await model.createContext({
        contextSize: 4096,
        batchSize: 512,
        threads: { ideal: c.threads, min: c.threads },
        flashAttention: c.flashAttention,
      });
      const sequence = context.getSequence();
      // Warm-up: the first evaluation allocates compute buffers and pages the weights in.
      await sequence.evaluateWithoutGeneratingNewTokens(prompt.slice(0, 64));
      await sequence.clearHistory();
      contexts.push({ config: c, context, sequence, promptRuns: [] as number[], genRuns: [] as number[] });
    }
    try {
      for (let rep = 0; rep < options.repetitions; rep++) {
        for (const x of contexts) {
          await x.sequence.clearHistory();
          const t0 = performance.now();
          await x.sequence.evaluateWithoutGeneratingNewTokens(prompt.slice(0, -1));
          const promptS = (performance.now() - t0) / 1000;
          x.promptRuns.push((prompt.length - 1) / promptS);

          // Greedy decoding from the last prompt token; the token count, not the text, matters.
          let generated = 0;
          const t1 = performance.now();
          for await (const _token of x.sequence.evaluate(prompt.slice(-1), { temperature: 0 })) {
            if (++generated >= options.genTokens) break;
          }
          const genS = (performance.now() - t1) / 1000;
          x.genRuns.push(generated / genS);
          options.onProgress?.(
            `rep ${rep + 1} threads ${x.config.threads} flash ${x.config.flashAttention}: prompt ${(
              (prompt.length - 1) / promptS
            ).toFixed(1)} tok/s, gen ${(generated / genS).toFixed(1)} tok/s`,
          );
        }
      }
    } finally {
      for (const x of contexts) await x.context.dispose();
    }
    return contexts.map((x) => ({
      ...x.config,
      promptTokPerS: median(x.promptRuns),
      genTokPerS: median(x.genRuns),
      promptBestTokPerS: Math.max(...x.promptRuns),
      genBestTokPerS: Math.max(...x.genRuns),
      promptRuns: x.promptRuns,
      genRuns: x.genRuns,
    }));
  } finally {
    await model.dispose();
  }
}

function promptTokens(model: LlamaModel, text: string, count: number): ReturnType<LlamaModel['tokenize']> {
  let tokens = model.tokenize(text);
  if (tokens.length === 0) throw new Error('empty prompt text');
  while (tokens.length < count) tokens = [...tokens, ...tokens];
  return tokens.slice(0, count);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Some code to tokenize and to use as a prompt: this repository's own sources. */
export function sampleCode(files: string[]): string {
  return files.map((f) => readFileSync(f, 'utf8')).join('\n');
}
