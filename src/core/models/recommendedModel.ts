// Which Qwen2.5-Coder base GGUF Bantam recommends for this machine. Base (not instruct) models are
// the ones trained for fill-in-the-middle. Size follows RAM, capped by CPU cores because on a CPU
// without a GPU a bigger model mostly means slower ghost text.

export interface RecommendedModel {
  /** node-llama-cpp model URI. */
  uri: string;
  /** File name the download produces. */
  fileName: string;
  label: string;
  /** Approximate download size in bytes. */
  approxBytes: number;
}

const GiB = 1024 ** 3;

export const RECOMMENDED_MODELS = {
  '0.5b': {
    uri: 'hf:ggml-org/Qwen2.5-Coder-0.5B-Q8_0-GGUF/qwen2.5-coder-0.5b-q8_0.gguf',
    fileName: 'qwen2.5-coder-0.5b-q8_0.gguf',
    label: 'Qwen2.5-Coder 0.5B base, Q8_0',
    approxBytes: 531_000_000,
  },
  '1.5b': {
    uri: 'hf:ggml-org/Qwen2.5-Coder-1.5B-Q8_0-GGUF/qwen2.5-coder-1.5b-q8_0.gguf',
    fileName: 'qwen2.5-coder-1.5b-q8_0.gguf',
    label: 'Qwen2.5-Coder 1.5B base, Q8_0',
    approxBytes: 1_650_000_000,
  },
  '3b': {
    uri: 'hf:ggml-org/Qwen2.5-Coder-3B-Q8_0-GGUF/qwen2.5-coder-3b-q8_0.gguf',
    fileName: 'qwen2.5-coder-3b-q8_0.gguf',
    label: 'Qwen2.5-Coder 3B base, Q8_0',
    approxBytes: 3_290_000_000,
  },
} as const satisfies Record<string, RecommendedModel>;

/**
 * Under 12 GiB of RAM or at most 4 cores: 0.5B (a 2-core CPU reads ~255 prompt tok/s with it; 1.5B is
 * ~3x slower, which loses the "instant" feel). 12-32 GiB and 6+ cores: 1.5B. 32 GiB+ and 12+ cores: 3B.
 */
export function recommendModel(totalMemBytes: number, cpuCores: number): RecommendedModel {
  if (totalMemBytes >= 32 * GiB && cpuCores >= 12) return RECOMMENDED_MODELS['3b'];
  if (totalMemBytes >= 12 * GiB && cpuCores >= 6) return RECOMMENDED_MODELS['1.5b'];
  return RECOMMENDED_MODELS['0.5b'];
}

/** True for node-llama-cpp model URIs (`hf:user/repo/file.gguf`, `hf:user/repo:quant`). */
export function isModelUri(value: string): boolean {
  return /^hf:/i.test(value.trim());
}
