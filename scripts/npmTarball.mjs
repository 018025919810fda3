// One npm package's published tarball, fetched with `npm pack NAME@VERSION` into a cache folder and
// checked against the integrity (sha512) the caller already knows: pinned in a script or read from
// package-lock.json, never taken from the download itself. Used by scripts/buildLlamaServer.mjs (the
// llama.cpp source of a pinned node-llama-cpp release) and scripts/packagePlatforms.mjs (other
// platforms' prebuilt node-llama-cpp packages). Only the npm registry is contacted, through npm's
// own client and configuration (registry mirror, proxy, cache); nothing is installed.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** The file name npm gives a package's tarball: `@scope/name` 1.2.3 -> scope-name-1.2.3.tgz. */
export function tarballFileName(name, version) {
  return `${name.replace(/^@/, '').replace(/\//g, '-')}-${version}.tgz`;
}

/** An integrity string (`sha512-<base64>`) for these bytes. */
export function integrityOf(bytes) {
  return `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
}

/** True when `file` holds exactly the bytes `integrity` (one or more `sha512-...` entries) names. */
export function matchesIntegrity(file, integrity) {
  const actual = integrityOf(readFileSync(file));
  return integrity.split(/\s+/).filter(Boolean).includes(actual);
}

/**
 * Path of NAME@VERSION's tarball in `dir`, downloaded with `npm pack` when it is not there already
 * or no longer matches. Throws, naming the package and the reason, when npm cannot fetch it or the
 * bytes differ from `integrity`. `npm` is the command to run (tests point it at a stand-in).
 */
export function fetchNpmTarball({ name, version, integrity, dir, npm = process.platform === 'win32' ? 'npm.cmd' : 'npm', log = () => {} }) {
  if (!/^sha512-/.test(integrity ?? '')) throw new Error(`${name}@${version}: no sha512 integrity to check the download against`);
  const file = join(dir, tarballFileName(name, version));
  if (existsSync(file)) {
    if (matchesIntegrity(file, integrity)) return file;
    log(`${name}@${version}: the cached ${file} does not match its integrity; downloading it again`);
    rmSync(file, { force: true });
  }
  // Into a fresh folder first, so an interrupted download never sits in the cache under the final name.
  const staging = join(dir, `.download-${process.pid}-${tarballFileName(name, version)}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    log(`${name}@${version}: downloading from the npm registry`);
    const r = spawnSync(npm, ['pack', `${name}@${version}`, '--pack-destination', staging, '--json', '--loglevel', 'error', '--ignore-scripts'], {
      cwd: staging,
      encoding: 'utf8',
      timeout: 10 * 60_000,
      shell: process.platform === 'win32',
    });
    if (r.status !== 0) throw new Error(`could not download ${name}@${version} from the npm registry: ${npmFailure(r)}`);
    const packed = join(staging, tarballFileName(name, version));
    if (!existsSync(packed)) throw new Error(`could not download ${name}@${version}: npm pack left no ${tarballFileName(name, version)}`);
    if (!matchesIntegrity(packed, integrity)) {
      throw new Error(`${name}@${version}: the downloaded tarball's sha512 (${integrityOf(readFileSync(packed))}) is not the expected ${integrity}`);
    }
    mkdirSync(dir, { recursive: true });
    renameSync(packed, file);
    return file;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** What npm said when `npm pack --json` failed: its JSON error's code and summary, else its first error lines. */
function npmFailure(r) {
  if (r.error) return r.error.message;
  try {
    const { error } = JSON.parse(r.stdout);
    if (error?.summary) return `${error.code ? `${error.code}: ` : ''}${error.summary}`;
  } catch {
    // not JSON: read stderr
  }
  const lines = `${r.stderr ?? ''}`
    .split('\n')
    .map((l) => l.replace(/^npm (error|ERR!)\s*/, '').trim())
    .filter((l) => l && !l.startsWith('at ') && !/complete log of this run/.test(l));
  return lines.slice(0, 3).join(' ') || `npm pack exited ${r.status ?? r.signal}`;
}

/** Extracts `members` (paths inside the tarball, e.g. package/llama/gitRelease.bundle) into `into`. */
export function extractFromTarball(tarball, into, members = []) {
  mkdirSync(into, { recursive: true });
  const r = spawnSync('tar', ['-xzf', tarball, '-C', into, ...members], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`could not unpack ${tarball}: ${(r.error?.message ?? r.stderr ?? '').trim()}`);
}
