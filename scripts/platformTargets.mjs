// The platforms Bantam is packaged for: one .vsix per VS Code target, each holding that platform's
// prebuilt node-llama-cpp packages and nothing of any other platform. Read by
// scripts/packagePlatforms.mjs (what goes into each package) and by the package tests (what each
// package's native binaries must be).
//
// Which node-llama-cpp packages (3.21.1; the loader asks for its CPU build, `gpu: false`, except on
// Apple Silicon where the Metal build is the only one published):
//   darwin-arm64  mac-arm64-metal   Metal and the Apple CPU variants (M1, M2/M3, M4)
//   darwin-x64    mac-x64           CPU (x86 variants from Sandy Bridge to Sapphire Rapids / Zen 4)
//   win32-x64     win-x64 + win-x64-vulkan      CPU, and Vulkan for AMD, Intel and NVIDIA GPUs
//   win32-arm64   win-arm64         CPU
//   linux-x64     linux-x64 + linux-x64-vulkan  CPU, and Vulkan
//   linux-arm64   linux-arm64       CPU (no GPU build is published for it)
// Left out: the CUDA builds (win-x64-cuda + -ext: 314 MB compressed, eight times the largest
// package; linux-x64-cuda + -ext: 540 MB unpacked) and linux-armv7l / linux-riscv64 (targets
// Bantam doesn't ship; the linux-armv7l 3.21.1 package holds aarch64 binaries anyway).
// Vulkan is in because it adds about 26 MB compressed per package (a linux-x64 package of 41 MB
// instead of 15); the README says how a user runs on CUDA instead.

/** The native binary format of a target: what nativeBinary.mjs's binaryFormat() reports. */
const MACH_O_ARM64 = { format: 'mach-o', arch: 'arm64' };
const MACH_O_X64 = { format: 'mach-o', arch: 'x64' };
const PE_X64 = { format: 'pe', arch: 'x64' };
const PE_ARM64 = { format: 'pe', arch: 'arm64' };
const ELF_X64 = { format: 'elf', arch: 'x64' };
const ELF_ARM64 = { format: 'elf', arch: 'arm64' };

/**
 * One row per VS Code target: `packages` are @node-llama-cpp/<name> packages at node-llama-cpp's own
 * version, `binary` the format every native file in the package must have, `accelerators` what the
 * package can run on (for the printed summary and the README).
 */
export const PLATFORM_TARGETS = [
  { target: 'darwin-arm64', platform: 'darwin', arch: 'arm64', packages: ['mac-arm64-metal'], binary: MACH_O_ARM64, accelerators: 'CPU, Metal' },
  { target: 'darwin-x64', platform: 'darwin', arch: 'x64', packages: ['mac-x64'], binary: MACH_O_X64, accelerators: 'CPU' },
  { target: 'win32-x64', platform: 'win32', arch: 'x64', packages: ['win-x64', 'win-x64-vulkan'], binary: PE_X64, accelerators: 'CPU, Vulkan' },
  { target: 'win32-arm64', platform: 'win32', arch: 'arm64', packages: ['win-arm64'], binary: PE_ARM64, accelerators: 'CPU' },
  { target: 'linux-x64', platform: 'linux', arch: 'x64', packages: ['linux-x64', 'linux-x64-vulkan'], binary: ELF_X64, accelerators: 'CPU, Vulkan' },
  { target: 'linux-arm64', platform: 'linux', arch: 'arm64', packages: ['linux-arm64'], binary: ELF_ARM64, accelerators: 'CPU' },
];

/** The row for a VS Code target name, or undefined. */
export function platformTarget(target) {
  return PLATFORM_TARGETS.find((t) => t.target === target);
}

/** The target of the machine this runs on (the package the integration host installs), or undefined. */
export function hostTarget(platform = process.platform, arch = process.arch) {
  return PLATFORM_TARGETS.find((t) => t.platform === platform && t.arch === arch);
}

/** Where `npm run package` writes a target's package, relative to the checkout. */
export function vsixPath(target) {
  return `dist/bantam-${target}.vsix`;
}
