// Where the embedded model runs, in words: the accelerator, the layers on the GPU, the memory and
// the threads, as the status bar's tooltip and the stats command show them. Built from what the
// model host reported after loading (AcceleratorInfo in the `loaded` message).
import { acceleratorName } from '../../kernel/accelerators';
import type { AcceleratorInfo } from './llamaProtocol';

/** What the model host reported about where the loaded model runs. */
export interface ModelRuntime {
  accelerator: AcceleratorInfo;
  /** Threads the context evaluates with. */
  threads: number;
  /** The model host serving this window: the user's shared one, or a private one. */
  host?: { pid: number | undefined; shared: boolean };
}


/** Bytes for reading: "890 MB", "1.25 GB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes <= 0) return '0 MB';
  const mb = bytes / 1e6;
  return mb >= 1000 ? `${(mb / 1000).toFixed(2)} GB` : `${Math.max(1, Math.round(mb))} MB`;
}

/** "CUDA (NVIDIA GeForce RTX 4070)", "Metal (Apple M2, unified memory)", "CPU". */
export function acceleratorText(a: AcceleratorInfo): string {
  const details = [...a.devices, ...(a.kind !== 'cpu' && a.unifiedMemory ? ['unified memory'] : [])];
  return details.length > 0 ? `${acceleratorName(a.kind)} (${details.join(', ')})` : acceleratorName(a.kind);
}

/** "25 of 25 layers on the GPU" (or "none of 25" on the CPU). */
export function layersText(a: AcceleratorInfo): string {
  return `${a.gpuLayers === 0 ? 'none' : a.gpuLayers} of ${a.totalLayers} layers on the GPU`;
}

/** "1.20 GB VRAM, 310 MB RAM"; VRAM only when some is used. */
export function memoryText(a: AcceleratorInfo): string {
  const parts = [...(a.vramUsedBytes > 0 ? [`${formatBytes(a.vramUsedBytes)} VRAM`] : []), `${formatBytes(a.ramUsedBytes)} RAM`];
  return parts.join(', ');
}

/** "2 (of 8 math cores)": llama.cpp caps its threads at the cores useful for math. */
export function threadsText(r: ModelRuntime): string {
  return `${r.threads} (of ${r.accelerator.cpuMathCores} math cores)`;
}

/** "shared by every window (pid 4120)": memory above is the host's, all windows' together. */
export function hostText(host: NonNullable<ModelRuntime['host']>): string {
  const pid = host.pid === undefined ? '' : ` (pid ${host.pid})`;
  return host.shared ? `shared by every window${pid}; its memory covers them all` : `this window's own${pid}`;
}

/** The runtime as labelled lines (tooltip, stats). The CPU fallback's reason is a sentence of its own: `accelerator.fallback`. */
export function runtimeLines(r: ModelRuntime): Array<[label: string, value: string]> {
  const a = r.accelerator;
  return [
    ['Accelerator', acceleratorText(a)],
    ['GPU layers', layersText(a)],
    ['Memory', memoryText(a)],
    ['Threads', threadsText(r)],
    ...(r.host ? [['Model host', hostText(r.host)] as [string, string]] : []),
  ];
}
