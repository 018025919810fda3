// scripts/nativeBinary.mjs reads a native binary's format and CPU from its header bytes; the package
// tests trust it to tell a darwin-arm64 file from a linux-x64 one. Checked on crafted headers of every
// format it knows and on the real binaries installed here (node-llama-cpp's Linux builds, node itself).
import * as assert from 'node:assert/strict';
import { closeSync, openSync, readFileSync, readSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../support/repoRoot';
import { loadScript, type BinaryFormat, type NativeBinaryModule, type PlatformTargetsModule } from '../../support/packagingScripts';

/** An ELF header: 64- or 32-bit, little-endian, with e_machine. */
function elf(bits: 32 | 64, machine: number): Buffer {
  const b = Buffer.alloc(64);
  b.set([0x7f, 0x45, 0x4c, 0x46, bits === 64 ? 2 : 1, 1, 1]);
  b.writeUInt16LE(3, 16); // ET_DYN
  b.writeUInt16LE(machine, 18);
  return b;
}

/** A thin Mach-O header with its cputype. */
function machO(bits: 32 | 64, cpu: number): Buffer {
  const b = Buffer.alloc(32);
  b.writeUInt32LE(bits === 64 ? 0xfeedfacf : 0xfeedface, 0);
  b.writeUInt32LE(cpu, 4);
  return b;
}

/** A universal Mach-O header with one slice per cputype. */
function fatMachO(cpus: number[]): Buffer {
  const b = Buffer.alloc(8 + cpus.length * 20);
  b.writeUInt32BE(0xcafebabe, 0);
  b.writeUInt32BE(cpus.length, 4);
  cpus.forEach((cpu, i) => b.writeUInt32BE(cpu, 8 + i * 20));
  return b;
}

/** A PE file's start: the DOS header pointing at "PE\0\0", the COFF machine and the optional header's magic. */
function pe(machine: number, optionalMagic: number, peOffset = 0x80): Buffer {
  const b = Buffer.alloc(peOffset + 0x100);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(peOffset, 0x3c);
  b.write('PE\0\0', peOffset, 'latin1');
  b.writeUInt16LE(machine, peOffset + 4);
  b.writeUInt16LE(optionalMagic, peOffset + 24);
  return b;
}

function head(file: string, bytes: number): Buffer {
  const b = Buffer.alloc(bytes);
  const fd = openSync(file, 'r');
  try {
    return b.subarray(0, readSync(fd, b, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}

describe('nativeBinary: formats from header bytes', () => {
  let nb: NativeBinaryModule;
  before(async () => {
    nb = await loadScript<NativeBinaryModule>('nativeBinary.mjs');
  });

  const crafted: Array<[string, () => Buffer, BinaryFormat | undefined]> = [
    ['ELF 64-bit x86-64', () => elf(64, 0x3e), { format: 'elf', bits: 64, arch: 'x64' }],
    ['ELF 64-bit AArch64', () => elf(64, 0xb7), { format: 'elf', bits: 64, arch: 'arm64' }],
    ['ELF 32-bit ARM', () => elf(32, 0x28), { format: 'elf', bits: 32, arch: 'arm' }],
    ['ELF 64-bit RISC-V', () => elf(64, 0xf3), { format: 'elf', bits: 64, arch: 'riscv64' }],
    ['Mach-O 64-bit arm64', () => machO(64, 0x0100000c), { format: 'mach-o', bits: 64, arch: 'arm64' }],
    ['Mach-O 64-bit x86_64', () => machO(64, 0x01000007), { format: 'mach-o', bits: 64, arch: 'x64' }],
    ['Mach-O 32-bit i386', () => machO(32, 0x7), { format: 'mach-o', bits: 32, arch: 'ia32' }],
    ['universal Mach-O', () => fatMachO([0x01000007, 0x0100000c]), { format: 'mach-o', bits: 64, arch: 'universal', arches: ['x64', 'arm64'] }],
    ['PE32+ AMD64', () => pe(0x8664, 0x20b), { format: 'pe', bits: 64, arch: 'x64' }],
    ['PE32+ ARM64', () => pe(0xaa64, 0x20b, 0xf8), { format: 'pe', bits: 64, arch: 'arm64' }],
    ['PE32 i386', () => pe(0x14c, 0x10b), { format: 'pe', bits: 32, arch: 'ia32' }],
    ['an unknown ELF machine', () => elf(64, 0x99), { format: 'elf', bits: 64, arch: 'unknown (0x99)' }],
    ['a Java class file (same magic as universal Mach-O)', () => Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 0x41, 0, 0]), undefined],
    ['WebAssembly', () => Buffer.from([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), undefined],
    ['text', () => Buffer.from('#!/usr/bin/env node\nconsole.log(1)\n'), undefined],
    ['nothing', () => Buffer.alloc(0), undefined],
  ];
  for (const [name, bytes, expected] of crafted) {
    it(name, () => assert.deepEqual(nb.binaryFormat(bytes()), expected));
  }

  it('a DOS stub whose PE header lies past the bytes read is PE of unknown CPU, never a match', () => {
    const found = nb.binaryFormat(pe(0x8664, 0x20b, 0x2000).subarray(0, 0x100));
    assert.equal(found?.format, 'pe');
    assert.match(found?.arch ?? '', /^unknown/);
    assert.equal(nb.isFormat(found, { format: 'pe', arch: 'x64' }), false);
  });

  it('isFormat wants the format, the CPU and 64 bits; a universal file never matches one CPU', () => {
    const arm64 = nb.binaryFormat(machO(64, 0x0100000c));
    assert.equal(nb.isFormat(arm64, { format: 'mach-o', arch: 'arm64' }), true);
    assert.equal(nb.isFormat(arm64, { format: 'mach-o', arch: 'x64' }), false);
    assert.equal(nb.isFormat(arm64, { format: 'elf', arch: 'arm64' }), false);
    assert.equal(nb.isFormat(nb.binaryFormat(pe(0x14c, 0x10b)), { format: 'pe', arch: 'ia32' }), false);
    assert.equal(nb.isFormat(nb.binaryFormat(fatMachO([0x0100000c])), { format: 'mach-o', arch: 'arm64' }), false);
    assert.equal(nb.isFormat(undefined, { format: 'elf', arch: 'x64' }), false);
  });

  it('describes formats the way `file` names them', () => {
    assert.equal(nb.describeFormat(nb.binaryFormat(machO(64, 0x0100000c))), 'Mach-O 64-bit arm64');
    assert.equal(nb.describeFormat(nb.binaryFormat(pe(0xaa64, 0x20b))), 'PE32+ arm64');
    assert.equal(nb.describeFormat(nb.binaryFormat(elf(64, 0x3e))), 'ELF 64-bit x64');
    assert.equal(nb.describeFormat(undefined), 'not a native binary');
  });

  it('names native files by extension, versioned .so included', () => {
    for (const p of ['a/llama-addon.node', 'libggml.dylib', 'libggml-cpu-zen4.so', 'ggml.dll', 'x.exe', 'libvulkan.so.1', 'libc.so.6.0']) assert.equal(nb.looksNative(p), true, p);
    for (const p of ['a.js', 'so.txt', '_nlcBuildMetadata.json', 'tree-sitter-c.wasm']) assert.equal(nb.looksNative(p), false, p);
  });

  it("node's own executable has this machine's format", () => {
    const expected = { linux: 'elf', darwin: 'mach-o', win32: 'pe' }[process.platform as string];
    assert.ok(expected, `no expected format for ${process.platform}`);
    const found = nb.binaryFormat(head(process.execPath, nb.HEADER_BYTES));
    assert.equal(found?.format, expected);
    assert.equal(found?.bits, 64);
    // A universal node (some macOS installs) holds this CPU among its slices.
    assert.ok(found?.arch === process.arch || found?.arches?.includes(process.arch), `${nb.describeFormat(found)} on ${process.arch}`);
  });

  it('every binary in the installed node-llama-cpp packages Bantam ships has the format and CPU its build metadata names', async () => {
    const { PLATFORM_TARGETS } = await loadScript<PlatformTargetsModule>('platformTargets.mjs');
    const shipped = new Set(PLATFORM_TARGETS.flatMap((t) => t.packages));
    const formats: Record<string, BinaryFormat['format']> = { linux: 'elf', mac: 'mach-o', win: 'pe' };
    const packagesDir = join(repoRoot, 'node_modules', '@node-llama-cpp');
    let checked = 0;
    // npm installs the Linux ones here (linux-arm64's package also declares x64). Not linux-armv7l:
    // its 3.21.1 package holds aarch64 binaries, as this reader found; Bantam doesn't ship it.
    for (const name of readdirSync(packagesDir).filter((n) => shipped.has(n))) {
      const bins = join(packagesDir, name, 'bins');
      for (const folder of readdirSync(bins)) {
        const meta = JSON.parse(readFileSync(join(bins, folder, '_nlcBuildMetadata.json'), 'utf8')) as { buildOptions: { platform: string; arch: string } };
        const { platform, arch } = meta.buildOptions;
        for (const file of readdirSync(join(bins, folder)).filter((f) => nb.looksNative(f))) {
          const found = nb.binaryFormat(head(join(bins, folder, file), nb.HEADER_BYTES));
          assert.ok(nb.isFormat(found, { format: formats[platform], arch }), `${name}/${folder}/${file}: ${nb.describeFormat(found)}, not ${platform} ${arch}`);
          checked++;
        }
      }
    }
    assert.ok(checked >= 10, `only ${checked} binaries found under ${packagesDir}`);
  });
});
