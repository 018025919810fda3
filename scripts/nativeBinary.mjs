// Reads what kind of native binary a file is from its first bytes: the object format (ELF, Mach-O,
// PE) and the CPU it was built for. The package tests check every native file in each platform's
// .vsix with it (a darwin-arm64 package must hold only Mach-O arm64 files, and so on).
//
//   ELF     7f 45 4c 46; EI_CLASS (byte 4) 2 = 64-bit; EI_DATA (byte 5) 1 = little-endian;
//           e_machine (u16 at 18): 0x3e x86-64, 0xb7 AArch64, 0x28 ARM, 0x03 i386, 0xf3 RISC-V
//   Mach-O  magic (u32 LE at 0) 0xfeedfacf = 64-bit, 0xfeedface = 32-bit; cputype (u32 LE at 4):
//           0x01000007 x86-64, 0x0100000c arm64. A universal file (0xcafebabe, big-endian) lists
//           each slice's cputype.
//   PE      "MZ" at 0; e_lfanew (u32 LE at 0x3c) points at "PE\0\0", then the COFF header's machine
//           (u16): 0x8664 AMD64, 0xaa64 ARM64, 0x14c i386; the optional header's magic (u16 at
//           e_lfanew + 24): 0x20b = PE32+ (64-bit), 0x10b = PE32.

/** Bytes enough to read any of the headers above (a PE header usually starts before 0x200). */
export const HEADER_BYTES = 4096;

const ELF_MACHINES = { 0x3e: 'x64', 0xb7: 'arm64', 0x28: 'arm', 0x03: 'ia32', 0xf3: 'riscv64' };
const MACH_O_CPUS = { 0x01000007: 'x64', 0x0100000c: 'arm64', 0x7: 'ia32', 0xc: 'arm' };
const PE_MACHINES = { 0x8664: 'x64', 0xaa64: 'arm64', 0x14c: 'ia32', 0x1c4: 'arm' };

const hex = (n) => `0x${n.toString(16)}`;

/**
 * The binary format of `bytes` (a file's start), or undefined when it is none of ELF, Mach-O or PE:
 *   { format: 'elf' | 'mach-o' | 'pe', bits: 32 | 64, arch: 'x64' | 'arm64' | 'ia32' | 'arm' | 'riscv64' | 'unknown (0x..)',
 *     arches?: string[] (a universal Mach-O's slices; arch is then 'universal') }
 */
export function binaryFormat(bytes) {
  const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes);
  if (b.length >= 20 && b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46) {
    const bits = b[4] === 2 ? 64 : 32;
    const machine = b[5] === 2 ? b.readUInt16BE(18) : b.readUInt16LE(18);
    return { format: 'elf', bits, arch: ELF_MACHINES[machine] ?? `unknown (${hex(machine)})` };
  }
  if (b.length >= 8) {
    const magic = b.readUInt32LE(0);
    if (magic === 0xfeedfacf || magic === 0xfeedface) {
      const cpu = b.readUInt32LE(4);
      return { format: 'mach-o', bits: magic === 0xfeedfacf ? 64 : 32, arch: MACH_O_CPUS[cpu] ?? `unknown (${hex(cpu)})` };
    }
    // Universal (fat) Mach-O. Java class files share the magic; their next word (a version) is
    // large, a fat header's (the number of slices) is small.
    const slices = b.readUInt32BE(4);
    if (b.readUInt32BE(0) === 0xcafebabe && slices > 0 && slices < 20 && b.length >= 8 + slices * 20) {
      const arches = [];
      for (let i = 0; i < slices; i++) {
        const cpu = b.readUInt32BE(8 + i * 20);
        arches.push(MACH_O_CPUS[cpu] ?? `unknown (${hex(cpu)})`);
      }
      return { format: 'mach-o', bits: 64, arch: 'universal', arches };
    }
  }
  if (b.length >= 0x40 && b[0] === 0x4d && b[1] === 0x5a) {
    const pe = b.readUInt32LE(0x3c);
    if (pe + 26 > b.length || b.readUInt32BE(pe) !== 0x50450000) return { format: 'pe', bits: 32, arch: 'unknown (no PE header in the bytes read)' };
    const machine = b.readUInt16LE(pe + 4);
    const optionalMagic = b.readUInt16LE(pe + 24);
    return { format: 'pe', bits: optionalMagic === 0x20b ? 64 : 32, arch: PE_MACHINES[machine] ?? `unknown (${hex(machine)})` };
  }
  return undefined;
}

/** "Mach-O 64-bit arm64", "PE32+ x64", "ELF 64-bit x64", for messages. */
export function describeFormat(found) {
  if (!found) return 'not a native binary';
  if (found.format === 'pe') return `${found.bits === 64 ? 'PE32+' : 'PE32'} ${found.arch}`;
  const name = found.format === 'elf' ? 'ELF' : 'Mach-O';
  return found.arches ? `${name} universal (${found.arches.join(', ')})` : `${name} ${found.bits}-bit ${found.arch}`;
}

/** True when `found` is a 64-bit binary of `expected`'s format and CPU (a universal Mach-O never is). */
export function isFormat(found, expected) {
  return !!found && found.format === expected.format && found.bits === 64 && found.arch === expected.arch;
}

/** True for a file name that should be a native binary (by its extension). */
export function looksNative(path) {
  return /\.(node|dylib|so|dll|exe)$/i.test(path) || /\.so\.\d+(\.\d+)*$/.test(path);
}
