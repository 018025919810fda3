#!/usr/bin/env node
// Builds llama-server from a pinned llama.cpp release into a cache folder outside the checkout, once
// per machine, release and CPU feature set. Nothing built is committed; this is never an npm install
// step. The benchmark's llama.vscode baseline and the team-server integration tests use the result.
//
// Which llama.cpp: release v0.5.0, the source node-llama-cpp 3.22.1 ships as a git bundle
// (llama/gitRelease.bundle in its npm tarball). It is pinned here, apart from the node-llama-cpp
// version Bantam runs (package.json), because v0.4.0 (node-llama-cpp 3.21.1's) answers some
// /completion and /v1/completions requests with HTTP 500 "The model produced output that does not
// match the expected Content-only format" (its output parser rejects some generated token sequences
// of the random-weight test models; reasoning_format none, special false and streaming don't avoid
// it), which breaks bench:engines, the llama.vscode baseline of bench:completion and the team-server
// suite. The tarball is fetched with `npm pack node-llama-cpp@3.22.1` (the npm registry is the only
// network this needs; node_modules is never read or touched), checked against the sha512 pinned
// below, and kept in the cache folder (source/).
//
// CPU features: node-llama-cpp's prebuilt binary picks, at run time, the best of many CPU variants.
// A build for "the native CPU" (-march=native) can die with an illegal instruction in a VM that
// reports features it traps (AMX here), and a build with only AVX2 reads prompts at a fraction of
// the prebuilt's rate. So the build enables exactly the x86 features /proc/cpuinfo lists from a
// known set (AVX, AVX2, FMA, F16C, BMI2, AVX-512 F/VBMI/VNNI/BF16, AVX-VNNI), never AMX; elsewhere
// (Apple Silicon, arm64) llama.cpp's native defaults are safe.
//
// Usage: node scripts/buildLlamaServer.mjs [--quiet] [--force]
//   prints the server's path as its last line; exits 1 with the reason when it cannot build.
// Env:   BANTAM_LLAMA_SERVER_DIR  cache root (default ${XDG_CACHE_HOME:-~/.cache}/bantam/llama-server)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, copyFileSync, chmodSync } from 'node:fs';
import { cpus, homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { extractFromTarball, fetchNpmTarball } from './npmTarball.mjs';

/** The llama.cpp release llama-server is built from, and the npm package that ships its source. */
export const LLAMA_SERVER_SOURCE = {
  release: 'v0.5.0',
  package: 'node-llama-cpp',
  version: '3.22.1',
  // `npm view node-llama-cpp@3.22.1 dist.integrity`
  integrity: 'sha512-bltIipuWmc123H7tMIgDGKSsSrhmhlQYeVUC48XTjVW7XGJJiJJyCdlTMzQ/LiWoPkGDpcL4FviDpgw7qfTiDw==',
};

/** x86 flags from /proc/cpuinfo and the ggml option each one turns on. AMX is left out on purpose. */
const X86_FEATURES = [
  ['avx', 'GGML_AVX'],
  ['avx2', 'GGML_AVX2'],
  ['fma', 'GGML_FMA'],
  ['f16c', 'GGML_F16C'],
  ['bmi2', 'GGML_BMI2'],
  ['avx_vnni', 'GGML_AVX_VNNI'],
  ['avx512f', 'GGML_AVX512'],
  ['avx512vbmi', 'GGML_AVX512_VBMI'],
  ['avx512_vnni', 'GGML_AVX512_VNNI'],
  ['avx512_bf16', 'GGML_AVX512_BF16'],
];

export function cacheRoot() {
  if (process.env.BANTAM_LLAMA_SERVER_DIR) return process.env.BANTAM_LLAMA_SERVER_DIR;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'bantam', 'llama-server');
}

/**
 * Unpacks the pinned release's llama.cpp source (a git bundle) from its npm tarball into `work` and
 * returns the bundle's path; throws when the tarball can't be had or names another release.
 */
function sourceBundle(work, log) {
  const { package: name, version, integrity, release } = LLAMA_SERVER_SOURCE;
  const tarball = fetchNpmTarball({ name, version, integrity, dir: join(cacheRoot(), 'source'), log: (line) => log(`llama-server: ${line}`) });
  extractFromTarball(tarball, work, ['package/llama/gitRelease.bundle', 'package/llama/llama.cpp.info.json']);
  const tag = JSON.parse(readFileSync(join(work, 'package', 'llama', 'llama.cpp.info.json'), 'utf8')).tag;
  if (tag !== release) throw new Error(`${name}@${version} ships llama.cpp ${tag}, not the pinned ${release}`);
  return join(work, 'package', 'llama', 'gitRelease.bundle');
}

/** The CPU feature options for this machine, and a short name for the set. */
export function cpuOptions(cpuinfo = readCpuinfo(), arch = process.arch) {
  if (arch !== 'x64') return { name: arch, options: [] };
  const flags = new Set((/^flags\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? '').split(/\s+/));
  const on = X86_FEATURES.filter(([flag]) => flags.has(flag));
  const options = ['-DGGML_NATIVE=OFF', ...X86_FEATURES.map(([flag, option]) => `-D${option}=${flags.has(flag) ? 'ON' : 'OFF'}`), '-DGGML_AMX_TILE=OFF', '-DGGML_AMX_INT8=OFF', '-DGGML_AMX_BF16=OFF'];
  return { name: `x64-${on.map(([flag]) => flag.replace(/_/g, '')).join('-') || 'baseline'}`, options };
}

function readCpuinfo() {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return '';
  }
}

function which(tool) {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).status === 0;
}

/** Where the server for this release and CPU lives. */
export function serverPath() {
  const { name } = cpuOptions();
  return join(cacheRoot(), `${LLAMA_SERVER_SOURCE.release}-${name}`, process.platform === 'win32' ? 'llama-server.exe' : 'llama-server');
}

/** True when `path` runs and reports its version (a binary built for the wrong CPU dies here). */
function runs(path) {
  const r = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  return { ok: r.status === 0, why: r.signal ? `it died with ${r.signal}${r.signal === 'SIGILL' ? ' (an instruction this CPU does not allow)' : ''}` : (r.stderr || r.stdout || '').trim().split('\n').slice(-3).join(' ') };
}

/** Builds (if needed) and returns the server's path; throws with the reason. */
export function ensureLlamaServer({ quiet = false, force = false } = {}) {
  const log = (line) => {
    if (!quiet) console.log(line);
  };
  const tag = LLAMA_SERVER_SOURCE.release;
  const cpu = cpuOptions();
  const target = join(cacheRoot(), `${tag}-${cpu.name}`);
  const binary = join(target, process.platform === 'win32' ? 'llama-server.exe' : 'llama-server');
  if (!force && existsSync(binary) && runs(binary).ok) return binary;

  const missing = ['git', 'cmake', 'c++', 'make'].filter((tool) => !which(tool));
  if (missing.length > 0) {
    throw new Error(`building llama-server needs ${missing.join(', ')}; on Debian or Ubuntu: apt-get install -y git cmake g++ make`);
  }
  const work = join(cacheRoot(), `build-${tag}-${cpu.name}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const logFile = join(work, 'build.log');
  const step = (what, command, args, cwd) => {
    log(`llama-server: ${what}`);
    const r = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    writeFileSync(logFile, `$ ${command} ${args.join(' ')}\n${r.stdout ?? ''}${r.stderr ?? ''}\n`, { flag: 'a' });
    if (r.status !== 0) {
      const tail = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
      throw new Error(`${what} failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`}); the whole log is in ${logFile}:\n${tail}`);
    }
  };
  const started = Date.now();
  const src = join(work, 'src');
  const bundle = sourceBundle(work, log);
  step(`unpacking llama.cpp ${tag} from ${LLAMA_SERVER_SOURCE.package} ${LLAMA_SERVER_SOURCE.version}'s bundle`, 'git', ['clone', '--quiet', bundle, src], work);
  const build = join(work, 'build');
  step(`configuring (${cpu.name})`, 'cmake', [
    '-S', src, '-B', build,
    '-DCMAKE_BUILD_TYPE=Release',
    '-DBUILD_SHARED_LIBS=OFF',
    '-DLLAMA_BUILD_TESTS=OFF',
    '-DLLAMA_BUILD_EXAMPLES=OFF',
    '-DLLAMA_BUILD_SERVER=ON',
    '-DLLAMA_CURL=OFF',
    '-DLLAMA_OPENSSL=OFF',
    ...cpu.options,
  ], work);
  step(`compiling llama-server on ${cpus().length} cores (about 5 minutes on 2)`, 'cmake', ['--build', build, '--target', 'llama-server', '-j', String(Math.max(1, cpus().length))], work);

  const built = [join(build, 'bin', 'llama-server'), join(build, 'bin', 'Release', 'llama-server.exe'), join(build, 'bin', 'llama-server.exe')].find(existsSync);
  if (!built) throw new Error(`the build finished but left no llama-server under ${join(build, 'bin')}; see ${logFile}`);
  const check = runs(built);
  if (!check.ok) throw new Error(`the llama-server built for ${cpu.name} does not run: ${check.why}`);
  const staging = `${target}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  copyFileSync(built, join(staging, process.platform === 'win32' ? 'llama-server.exe' : 'llama-server'));
  chmodSync(join(staging, process.platform === 'win32' ? 'llama-server.exe' : 'llama-server'), 0o755);
  writeFileSync(join(staging, 'build-info.json'), `${JSON.stringify({ release: tag, cpu: cpu.name, options: cpu.options, buildSeconds: Math.round((Date.now() - started) / 1000) }, null, 2)}\n`);
  rmSync(target, { recursive: true, force: true });
  renameSync(staging, target);
  rmSync(work, { recursive: true, force: true });
  log(`llama-server: built in ${Math.round((Date.now() - started) / 1000)} s`);
  return binary;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { quiet: { type: 'boolean', default: false }, force: { type: 'boolean', default: false } } });
  try {
    console.log(ensureLlamaServer(values));
  } catch (error) {
    console.error(`llama-server: ${error instanceof Error ? error.message : error}`);
    process.exitCode = 1;
  }
}
