// Entry point of a short-lived child process (bundled to dist/gpuProbe.js): opens node-llama-cpp's
// binding for the accelerator named in argv[2] (as the model host would), reports the GPU and its
// memory over IPC, and exits. A separate process because a GPU binding must never load into the
// extension host (a driver crash would take it down), and it is needed before any model exists:
// to choose which model to download.
import { probeGpu } from '../core/providers/local/host/llamaAccelerator';
import { GPU_CHOICES, type GpuChoice } from '../core/kernel/accelerators';

async function main(): Promise<void> {
  const choice = process.argv[2] as GpuChoice;
  if (!process.send || !GPU_CHOICES.includes(choice)) {
    process.stderr.write(`usage: fork gpuProbe.js <${GPU_CHOICES.join('|')}> with an IPC channel\n`);
    process.exit(2);
  }
  try {
    const report = await probeGpu(await import('node-llama-cpp'), choice);
    process.send({ type: 'gpu', report }, () => process.exit(0));
  } catch (e) {
    process.send({ type: 'error', message: (e as Error).message }, () => process.exit(1));
  }
}

void main();
