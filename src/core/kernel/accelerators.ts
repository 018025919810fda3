// The accelerators a local model can run on, and the choice the user makes among them
// (bantam.embedded.gpu): shared by the settings, the model host's protocol and the machine probe.

/** Which accelerator the user asked for; 'off' runs on the CPU. */
export type GpuChoice = 'auto' | 'metal' | 'cuda' | 'vulkan' | 'off';
export const GPU_CHOICES: readonly GpuChoice[] = ['auto', 'metal', 'cuda', 'vulkan', 'off'];

/** What a model runs on: one of llama.cpp's GPU builds, or the CPU. */
export type AcceleratorKind = 'metal' | 'cuda' | 'vulkan' | 'cpu';
export const ACCELERATOR_KINDS: readonly AcceleratorKind[] = ['metal', 'cuda', 'vulkan', 'cpu'];

const NAMES: Record<AcceleratorKind, string> = { metal: 'Metal', cuda: 'CUDA', vulkan: 'Vulkan', cpu: 'CPU' };

/** "Metal", "CUDA", "Vulkan" or "CPU": how the user names an accelerator. */
export function acceleratorName(kind: AcceleratorKind): string {
  return NAMES[kind];
}
