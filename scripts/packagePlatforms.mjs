#!/usr/bin/env node
// `npm run package` (after the production build): writes dist/bantam-<target>.vsix for each VS Code
// target in scripts/platformTargets.mjs, each holding Bantam's bundles, workers, grammars and webview
// and exactly that platform's prebuilt node-llama-cpp packages.
//
// How: `vsce ls` in the checkout lists what every package shares (.vscodeignore applied, production
// dependencies found by vsce as usual; .vscodeignore leaves out every @node-llama-cpp package and other
// platform-specific files). For each target, those files are copied into a staging folder
// (.cache/package/<target>), the target's @node-llama-cpp packages are unpacked next to node-llama-cpp
// from their npm tarballs, and `vsce package --target <target>` packs the staging folder.
//
// The tarballs: `npm pack @node-llama-cpp/<name>@<node-llama-cpp's version>` into a cache folder
// outside the checkout, each checked against the sha512 in package-lock.json, so packaging needs no
// network but the npm registry, and none at all once the cache is filled. A failed download names
// the package and why. Link-time import libraries (bins/**/*.lib, Windows) are left out: nothing
// loads them at run time.
//
// Usage: node scripts/packagePlatforms.mjs [--targets linux-x64,darwin-arm64]
// Env:   BANTAM_PLATFORM_PACKAGES_DIR  tarball cache (default ${XDG_CACHE_HOME:-~/.cache}/bantam/platform-packages)
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { extractFromTarball, fetchNpmTarball } from './npmTarball.mjs';
import { PLATFORM_TARGETS, platformTarget, vsixPath } from './platformTargets.mjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const vsce = join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');

export function platformPackagesDir() {
  if (process.env.BANTAM_PLATFORM_PACKAGES_DIR) return process.env.BANTAM_PLATFORM_PACKAGES_DIR;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'bantam', 'platform-packages');
}

/** node-llama-cpp's version, and each @node-llama-cpp package's entry in package-lock.json. */
function lockedPlatformPackages() {
  const version = JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'node-llama-cpp', 'package.json'), 'utf8')).version;
  const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8'));
  const entry = (name) => {
    const found = lock.packages?.[`node_modules/@node-llama-cpp/${name}`];
    if (!found?.integrity) throw new Error(`package-lock.json has no entry with an integrity for @node-llama-cpp/${name}: run npm install`);
    if (found.version !== version) throw new Error(`package-lock.json has @node-llama-cpp/${name} ${found.version}, but node-llama-cpp is ${version}: run npm ci`);
    return found;
  };
  return { version, entry };
}

/** What every package shares: the files `vsce ls` lists in the checkout (no @node-llama-cpp package among them). */
function sharedFiles() {
  const r = spawnSync(process.execPath, [vsce, 'ls'], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`vsce ls failed: ${(r.stderr || r.stdout).trim()}`);
  const files = r.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  const platformSpecific = files.filter((f) => f.startsWith('node_modules/@node-llama-cpp/'));
  if (platformSpecific.length > 0) throw new Error(`.vscodeignore lets ${platformSpecific[0]} into every package; it must leave out node_modules/@node-llama-cpp/**`);
  return files;
}

/** Every file under `dir`, relative to it. */
function filesUnder(dir) {
  return readdirSync(dir, { recursive: true }).map(String).filter((f) => statSync(join(dir, f)).isFile());
}

/** Stages one target's package and packs it; returns the .vsix path and its size in bytes. */
function packageTarget(row, shared, tarballs, log) {
  const staging = join(repoRoot, '.cache', 'package', row.target);
  rmSync(staging, { recursive: true, force: true });
  for (const file of shared) {
    mkdirSync(dirname(join(staging, file)), { recursive: true });
    copyFileSync(join(repoRoot, file), join(staging, file));
  }
  for (const name of row.packages) {
    const into = join(staging, 'node_modules', '@node-llama-cpp', name);
    const unpacked = join(staging, '.unpack', name);
    extractFromTarball(tarballs.get(name), unpacked);
    mkdirSync(dirname(into), { recursive: true });
    // The tarball's files sit under package/.
    for (const file of filesUnder(join(unpacked, 'package'))) {
      if (/^bins\/.*\.lib$/i.test(file.replace(/\\/g, '/'))) continue;
      mkdirSync(dirname(join(into, file)), { recursive: true });
      copyFileSync(join(unpacked, 'package', file), join(into, file));
    }
  }
  rmSync(join(staging, '.unpack'), { recursive: true, force: true });
  // The staged files are already the package's: nothing more to leave out.
  writeFileSync(join(staging, '.vscodeignore'), '# staged by scripts/packagePlatforms.mjs: every file here belongs in the package\n');
  const out = join(repoRoot, vsixPath(row.target));
  mkdirSync(dirname(out), { recursive: true });
  rmSync(out, { force: true });
  log(`package: ${row.target} (${row.packages.map((p) => `@node-llama-cpp/${p}`).join(', ')})`);
  const r = spawnSync(process.execPath, [vsce, 'package', '--target', row.target, '--allow-missing-repository', '-o', out], {
    cwd: staging,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.status !== 0) throw new Error(`vsce package --target ${row.target} failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-10).join('\n')}`);
  return { path: out, bytes: statSync(out).size };
}

/** Writes the packages for `targets` (default: all); returns [{ target, path, bytes }]. Throws with the reason. */
export function packagePlatforms({ targets = PLATFORM_TARGETS.map((t) => t.target), log = console.log } = {}) {
  const unknown = targets.filter((t) => !platformTarget(t));
  if (unknown.length > 0) throw new Error(`unknown target ${unknown.join(', ')}; known: ${PLATFORM_TARGETS.map((r) => r.target).join(', ')}`);
  const rows = targets.map(platformTarget);
  const { version, entry } = lockedPlatformPackages();
  const tarballs = new Map();
  for (const name of new Set(rows.flatMap((r) => r.packages))) {
    const { integrity } = entry(name);
    tarballs.set(name, fetchNpmTarball({ name: `@node-llama-cpp/${name}`, version, integrity, dir: platformPackagesDir(), log: (line) => log(`package: ${line}`) }));
  }
  const shared = sharedFiles();
  const written = [];
  for (const row of rows) written.push({ target: row.target, ...packageTarget(row, shared, tarballs, log) });
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { targets: { type: 'string' } } });
  try {
    const written = packagePlatforms({ targets: values.targets ? values.targets.split(',').map((t) => t.trim()).filter(Boolean) : undefined });
    for (const { target, path, bytes } of written) {
      const row = platformTarget(target);
      console.log(`${path.slice(repoRoot.length + 1).padEnd(30)} ${(bytes / 1024 / 1024).toFixed(1).padStart(6)} MB  ${row.accelerators}`);
    }
  } catch (error) {
    console.error(`package: ${error instanceof Error ? error.message : error}`);
    process.exitCode = 1;
  }
}
