// Which Qwen2.5-Coder base GGUF Bantam recommends for a machine: a pure function over a machine
// description (RAM, cores, and the GPU with its memory), so the table is tested with simulated
// machines. Base (not instruct) models are the ones trained for fill-in-the-middle. Instant ghost
// text comes first: a model is recommended only where it answers a keystroke in a fraction of a
// second, not merely where it fits.

export interface RecommendedModel {
  /** node-llama-cpp model URI. */
  uri: string;
  /** File name the download produces. */
  fileName: string;
  label: string;
  /** Approximate download size in bytes. */
  approxBytes: number;
}

/** The GPU llama.cpp can use, as node-llama-cpp reports it. */
export interface MachineGpu {
  kind: 'metal' | 'cuda' | 'vulkan';
  /** The GPU's memory in bytes (for unified memory, what the GPU may address). */
  vramBytes: number;
  /** Memory shared with the CPU (Apple silicon, integrated GPUs). */
  unified: boolean;
}

/** What the recommendation looks at. */
export interface MachineProfile {
  ramBytes: number;
  /** Logical CPU cores. */
  cpuCores: number;
  /** Null when there is none, or bantam.embedded.gpu is 'off'. */
  gpu: MachineGpu | null;
}

const GiB = 1024 ** 3;

// The exact repositories and file names of llama.cpp's own FIM presets (llama-server
// --fim-qwen-{1.5b,3b,7b}-default, and 0.5B as their speculative draft), all Q8_0: at these sizes
// 4-bit quantization costs FIM quality, and on a GPU the whole model fits anyway.
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
  '7b': {
    uri: 'hf:ggml-org/Qwen2.5-Coder-7B-Q8_0-GGUF/qwen2.5-coder-7b-q8_0.gguf',
    fileName: 'qwen2.5-coder-7b-q8_0.gguf',
    label: 'Qwen2.5-Coder 7B base, Q8_0',
    approxBytes: 8_100_000_000,
  },
} as const satisfies Record<string, RecommendedModel>;

export type ModelSize = keyof typeof RECOMMENDED_MODELS;

/**
 * On unified memory the GPU shares RAM with the editor, the browser and the OS, so only half of it
 * counts as the GPU's.
 */
const UNIFIED_SHARE = 0.5;

/**
 * Memory a GPU can give the model: a discrete GPU's VRAM, half of RAM on Apple silicon. An integrated
 * GPU on other platforms counts as none: it reads the same slow RAM as the CPU, so it speeds nothing up.
 */
export function gpuMemoryForModel(machine: MachineProfile): number {
  const gpu = machine.gpu;
  if (!gpu) return 0;
  if (gpu.unified) return gpu.kind === 'metal' ? machine.ramBytes * UNIFIED_SHARE : 0;
  return gpu.vramBytes;
}

/** One row of the table: the first row a machine satisfies gives its model. */
interface Row {
  size: ModelSize;
  fits(machine: MachineProfile, gpuMemory: number): boolean;
}

/**
 * The table, biggest first (the README's "Models" section lists it):
 * - 7B: 16 GiB of GPU memory and 16 GiB of RAM (to load it). On Apple silicon only from 36 GiB of
 *   RAM (Pro and Max chips): the base chips' memory bandwidth (68-120 GB/s) reads 8 GB of weights
 *   at under 15 tokens/s, too slow for ghost text.
 * - 3B: 8 GiB of GPU memory and 8 GiB of RAM (Apple silicon with 16 GiB).
 * - 1.5B: 4 GiB of GPU memory (Apple silicon with 8 GiB); or, on the CPU, 12+ cores and 16 GiB of
 *   RAM: llama.cpp gets 8 threads (defaultThreads), which read a prompt about as fast as 2 threads
 *   read the 0.5B model (the 1.5B model is ~3x slower per thread; FIELD-NOTES).
 * - 0.5B everywhere else: on 2 cores it reads ~255 prompt tokens/s and writes 34-39 tokens/s.
 * Bigger models never go on the CPU alone: 3B on a CPU answers a keystroke in seconds, not in a blink.
 */
const TABLE: readonly Row[] = [
  { size: '7b', fits: (m, gpu) => gpu >= 16 * GiB && m.ramBytes >= 16 * GiB && (!m.gpu?.unified || m.ramBytes >= 36 * GiB) },
  { size: '3b', fits: (m, gpu) => gpu >= 8 * GiB && m.ramBytes >= 8 * GiB },
  { size: '1.5b', fits: (m, gpu) => gpu >= 4 * GiB || (m.cpuCores >= 12 && m.ramBytes >= 16 * GiB) },
];

export function recommendModelSize(machine: MachineProfile): ModelSize {
  const gpuMemory = gpuMemoryForModel(machine);
  return TABLE.find((row) => row.fits(machine, gpuMemory))?.size ?? '0.5b';
}

export function recommendModel(machine: MachineProfile): RecommendedModel {
  return RECOMMENDED_MODELS[recommendModelSize(machine)];
}

/** True for node-llama-cpp model URIs (`hf:user/repo/file.gguf`, `hf:user/repo:quant`). */
export function isModelUri(value: string): boolean {
  return /^hf:/i.test(value.trim());
}
