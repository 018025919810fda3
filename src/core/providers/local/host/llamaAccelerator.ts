// Opens the llama.cpp binding for the accelerator the user chose (bantam.embedded.gpu) from the
// prebuilt binaries only, and falls back to the CPU build with a sentence saying why when the GPU
// build can't load: no driver or runtime on this machine, a build this platform doesn't have, or a
// binary that fails node-llama-cpp's self-test. Also reads what the loaded model ended up using.

// node-llama-cpp is ESM-only; its types are imported in ESM resolution mode and the module itself via import().
import type { Llama, LlamaGpuType, LlamaModel, LlamaOptions } from 'node-llama-cpp' with { 'resolution-mode': 'import' };
import type { GpuProbeReport } from '../../../models/machineProfile';
import { acceleratorName } from '../../../kernel/accelerators';
import type { AcceleratorInfo, AcceleratorKind, GpuChoice } from '../llamaProtocol';
import { prebuiltGpu } from './prebuiltBuild';

type NodeLlamaCpp = typeof import('node-llama-cpp', { with: { 'resolution-mode': 'import' } });

/** getLlama options other than the GPU (logging, never building or downloading). */
export type LlamaBaseOptions = Omit<LlamaOptions, 'gpu'>;

export interface OpenedLlama {
  llama: Llama;
  /** Why the model runs on the CPU although a GPU was asked for or found; null when nothing fell back. */
  fallback: string | null;
  /**
   * The model must run on the CPU: the user said 'off', or it fell back. Usually the binding is then
   * the CPU build; on Apple Silicon it is the Metal build (the only one published), used with no layers on the GPU.
   */
  cpuOnly: boolean;
}

export function acceleratorOf(gpu: LlamaGpuType): AcceleratorKind {
  return gpu === false ? 'cpu' : gpu;
}

/** What the user can do about a GPU build that did not load: fix the driver, or say CPU on purpose. */
const FIX_DRIVER =
  "install or update the GPU driver (then run 'Bantam: Stop the Shared Model Host' so the model loads again), or set bantam.embedded.gpu to 'off' to run on the CPU without this message";
/** What the user can do about a GPU build this platform or installation lacks. */
const PICK_ANOTHER = "set bantam.embedded.gpu to 'auto' to use another GPU build (or 'off' for the CPU)";

/** The sentence shown when the model runs on the CPU instead of the GPU (`reason` says why). */
export function cpuFallbackMessage(reason: string, remedy = FIX_DRIVER): string {
  return `Bantam runs the model on the CPU: ${reason}; ${remedy}.`;
}

async function gpuTypes(nlc: NodeLlamaCpp, include: 'supported' | 'allValid'): Promise<LlamaGpuType[]> {
  try {
    return await nlc.getLlamaGpuTypes(include);
  } catch {
    return [];
  }
}

/**
 * The binding for `choice`. 'off' is the CPU build. 'auto' lets node-llama-cpp try the GPU builds
 * whose drivers it finds, best first, then the CPU: that ending on the CPU is a fallback only when a
 * GPU was found. A named GPU is tried alone (node-llama-cpp throws when it can't load it), then the CPU.
 * Throws only when not even the CPU build loads.
 */
export async function openLlama(nlc: NodeLlamaCpp, choice: GpuChoice, base: LlamaBaseOptions): Promise<OpenedLlama> {
  const cpu = async (fallback: string | null): Promise<OpenedLlama> => ({ llama: await nlc.getLlama({ ...base, gpu: prebuiltGpu() }), fallback, cpuOnly: true });
  if (choice === 'off') return cpu(null);

  if (choice === 'auto') {
    const found = (await gpuTypes(nlc, 'supported')).filter((t): t is Exclude<LlamaGpuType, false> => t !== false);
    const names = found.map((t) => acceleratorName(t)).join(' or ');
    let llama: Llama;
    try {
      llama = await nlc.getLlama({ ...base, gpu: 'auto' });
    } catch (e) {
      if (found.length === 0) return cpu(null);
      return cpu(cpuFallbackMessage(`the ${names} build of llama.cpp could not load (${(e as Error).message})`));
    }
    const fallback = llama.gpu === false && found.length > 0 ? cpuFallbackMessage(`a ${names} GPU was found but its llama.cpp build could not load`) : null;
    return { llama, fallback, cpuOnly: llama.gpu === false };
  }

  const name = acceleratorName(choice);
  // node-llama-cpp quietly turns a GPU this platform can't have (Metal off macOS) into 'auto'; say so instead.
  if (!(await gpuTypes(nlc, 'allValid')).includes(choice)) {
    return cpu(cpuFallbackMessage(`${name} is not available on ${process.platform}-${process.arch}`, PICK_ANOTHER));
  }
  try {
    return { llama: await nlc.getLlama({ ...base, gpu: choice }), fallback: null, cpuOnly: false };
  } catch (e) {
    if (!(await gpuTypes(nlc, 'supported')).includes(choice)) {
      return cpu(cpuFallbackMessage(`no ${name} driver or runtime was found, so its llama.cpp build could not load`));
    }
    // The driver is there: the build is missing from this installation (Bantam's package leaves CUDA out) or fails its self-test.
    const detail = e instanceof nlc.NoBinaryFoundError ? 'it is not part of this installation or does not run here' : (e as Error).message;
    return cpu(cpuFallbackMessage(`the ${name} build of llama.cpp could not load (${detail})`, PICK_ANOTHER));
  }
}

/** Where the model ended up and what it and its context cost, as node-llama-cpp reports (read after the context exists). */
export async function readAccelerator(llama: Llama, model: LlamaModel, fallback: string | null, cpuOnly: boolean): Promise<AcceleratorInfo> {
  const [devices, vram, usage] = await Promise.all([
    llama.getGpuDeviceNames().catch(() => [] as string[]),
    llama.getVramState().catch(() => ({ total: 0, used: 0, free: 0, unifiedSize: 0 })),
    llama.getLlamaMemoryUsage().catch(() => ({ gpuVram: 0, cpuRam: 0 })),
  ]);
  const bytes = (n: number): number => (Number.isFinite(n) && n > 0 ? Math.round(n) : 0);
  const totalLayers = model.fileInsights.totalLayers;
  return {
    kind: cpuOnly ? 'cpu' : acceleratorOf(llama.gpu),
    devices: cpuOnly || llama.gpu === false ? [] : devices,
    gpuLayers: cpuOnly ? 0 : Math.min(model.gpuLayers, totalLayers),
    totalLayers,
    vramUsedBytes: bytes(usage.gpuVram),
    ramUsedBytes: bytes(usage.cpuRam),
    vramTotalBytes: bytes(vram.total),
    unifiedMemory: vram.unifiedSize > 0,
    cpuMathCores: llama.cpuMathCores,
    fallback,
  };
}

/** For dist/gpuProbe.js: opens the binding `choice` gives (as a model load would), reads the GPU's memory, and closes it again. */
export async function probeGpu(nlc: NodeLlamaCpp, choice: GpuChoice): Promise<GpuProbeReport> {
  const { llama, fallback, cpuOnly } = await openLlama(nlc, choice, {
    build: 'never',
    usePrebuiltBinaries: true,
    skipDownload: true,
    progressLogs: false,
    logLevel: nlc.LlamaLogLevel.error,
    logger: () => undefined,
  });
  try {
    const [vram, devices] = await Promise.all([llama.getVramState(), llama.getGpuDeviceNames().catch(() => [] as string[])]);
    const onGpu = !cpuOnly && llama.gpu !== false;
    return {
      kind: onGpu ? acceleratorOf(llama.gpu) : 'cpu',
      devices: onGpu ? devices : [],
      vramBytes: onGpu ? Math.max(0, Math.round(vram.total)) : 0,
      unified: onGpu && vram.unifiedSize > 0,
      cpuMathCores: llama.cpuMathCores,
      fallback,
    };
  } finally {
    await llama.dispose().catch(() => undefined);
  }
}
