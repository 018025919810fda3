// Test helper: the packaging scripts' ES modules (scripts/*.mjs run before any build, so they are
// plain JavaScript), loaded with import() and given the types the tests use.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './repoRoot';

/** scripts/nativeBinary.mjs: binaryFormat() and friends. */
export interface BinaryFormat {
  format: 'elf' | 'mach-o' | 'pe';
  bits: 32 | 64;
  arch: string;
  arches?: string[];
}
export interface ExpectedFormat {
  format: BinaryFormat['format'];
  arch: string;
}
export interface NativeBinaryModule {
  HEADER_BYTES: number;
  binaryFormat(bytes: Uint8Array): BinaryFormat | undefined;
  describeFormat(found: BinaryFormat | undefined): string;
  isFormat(found: BinaryFormat | undefined, expected: ExpectedFormat): boolean;
  looksNative(path: string): boolean;
}

/** scripts/platformTargets.mjs: one row per VS Code target. */
export interface PlatformTarget {
  target: string;
  platform: NodeJS.Platform;
  arch: string;
  packages: string[];
  binary: ExpectedFormat;
  accelerators: string;
}
export interface PlatformTargetsModule {
  PLATFORM_TARGETS: PlatformTarget[];
  hostTarget(platform?: string, arch?: string): PlatformTarget | undefined;
  vsixPath(target: string): string;
}

/** scripts/npmTarball.mjs. */
export interface NpmTarballModule {
  tarballFileName(name: string, version: string): string;
  integrityOf(bytes: Uint8Array): string;
  fetchNpmTarball(options: { name: string; version: string; integrity: string; dir: string; npm?: string; log?: (line: string) => void }): string;
}

/** Loads scripts/<file> (an ES module). */
export async function loadScript<T>(file: string): Promise<T> {
  return (await import(pathToFileURL(join(repoRoot, 'scripts', file)).href)) as T;
}
