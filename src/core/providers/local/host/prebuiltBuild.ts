// Which of node-llama-cpp's prebuilt llama.cpp builds the model host asks getLlama() for. Bantam runs
// the model on the CPU build (`gpu: false`) everywhere except on Apple Silicon: node-llama-cpp
// publishes only a Metal build for it (@node-llama-cpp/mac-arm64-metal, which carries the Apple CPU
// variants as well), and asking for `false` there finds no prebuilt binary at all.

export type PrebuiltGpu = false | 'metal';

/** The `gpu` option that selects the prebuilt build Bantam ships for this platform and CPU. */
export function prebuiltGpu(platform: NodeJS.Platform = process.platform, arch: string = process.arch): PrebuiltGpu {
  return platform === 'darwin' && arch === 'arm64' ? 'metal' : false;
}
