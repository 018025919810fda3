// Installs the real-VS-Code test host (code-server, which embeds VS Code's server and web workbench)
// offline into a cache folder outside the checkout, once. A second run only checks a marker file.
//
// Why by hand and not `npm install code-server`: its install scripts download ripgrep from GitHub
// and run `npx node-gyp` that npm cancels without a TTY. So: install with --ignore-scripts, build
// the native modules ourselves against the local Node headers, put Debian's rg where
// @vscode/ripgrep expects its download, then do what code-server's postinstall.sh does.
//
// Usage: node scripts/setupTestHost.mjs [--force]
// Env:   BANTAM_TEST_HOST_DIR  install folder (default ${XDG_CACHE_HOME:-~/.cache}/bantam/code-server-<version>)
//        BANTAM_CHROMIUM       browser used by the driver (default /usr/bin/chromium)
// Other scripts import testHostDir(), codeServerEntry(), chromiumPath(), ensureTestHost() from here.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, readFileSync, rmSync, renameSync, copyFileSync, chmodSync, symlinkSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join, dirname, delimiter } from 'node:path';
import { pathToFileURL } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
const MARKER = '.bantam-test-host.json';

/** Folder that holds (or will hold) the installed code-server. */
export function testHostDir() {
  if (process.env.BANTAM_TEST_HOST_DIR) return process.env.BANTAM_TEST_HOST_DIR;
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'bantam', `code-server-${CODE_SERVER_VERSION}`);
}

/** code-server's Node entry point inside an installed test host. */
export function codeServerEntry(dir = testHostDir()) {
  return join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

export function chromiumPath() {
  return process.env.BANTAM_CHROMIUM || '/usr/bin/chromium';
}

export function isTestHostReady(dir = testHostDir()) {
  const marker = join(dir, MARKER);
  if (!existsSync(marker) || !existsSync(codeServerEntry(dir))) return false;
  try {
    return JSON.parse(readFileSync(marker, 'utf8')).version === CODE_SERVER_VERSION;
  } catch {
    return false;
  }
}

function which(cmd) {
  for (const d of (process.env.PATH || '').split(delimiter)) {
    if (d && existsSync(join(d, cmd))) return join(d, cmd);
  }
  return undefined;
}

/** Returns the apt packages that are missing for installing and driving the test host. */
export function missingPrerequisites({ forInstall }) {
  const missing = [];
  if (!existsSync(chromiumPath())) missing.push('chromium');
  if (forInstall) {
    if (!which('rg')) missing.push('ripgrep');
    if (!which('krb5-config') && !existsSync('/usr/include/krb5.h')) missing.push('libkrb5-dev');
    if (!which('make') || !(which('g++') || which('c++'))) missing.push('build-essential');
    if (!which('python3')) missing.push('python3');
  }
  return missing;
}

/**
 * Installs the missing apt packages when this process may (root, or passwordless sudo), so that
 * `npm test` and `npm start` set up a fresh Debian/Ubuntu machine by themselves. Returns what is
 * still missing (empty when all is there).
 */
export function ensureSystemPackages({ forInstall }) {
  return installMissing(() => missingPrerequisites({ forInstall }));
}

/** The apt packages missing for building llama-server (scripts/buildLlamaServer.mjs). */
export function missingBuildTools() {
  const missing = [];
  if (!which('make') || !(which('g++') || which('c++'))) missing.push('build-essential');
  if (!which('cmake')) missing.push('cmake');
  if (!which('git')) missing.push('git');
  return missing;
}

/** Installs what `missing()` lists, as ensureSystemPackages does; returns what is still missing. */
export function installMissing(missing) {
  const wanted = missing();
  if (wanted.length === 0) return wanted;
  const asRoot = process.getuid?.() === 0;
  const sudo = !asRoot && which('sudo') && spawnSync('sudo', ['-n', 'true']).status === 0;
  if (!which('apt-get') || (!asRoot && !sudo)) return wanted;
  const run = (args) => {
    const [cmd, ...rest] = asRoot ? args : ['sudo', '-n', ...args];
    console.log(`> ${[cmd, ...rest].join(' ')}`);
    return spawnSync(cmd, rest, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
  };
  if (run(['apt-get', 'update'])) run(['apt-get', 'install', '-y', ...wanted]);
  return missing();
}

/** The environment npm children get: no settings leaked from an outer `npm test`, never a prompt. */
function npmEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    const lower = k.toLowerCase();
    if (lower.startsWith('npm_package_') || lower.startsWith('npm_lifecycle_')) continue;
    if (['npm_config_prefix', 'npm_config_local_prefix', 'npm_config_global_prefix', 'npm_command', 'init_cwd'].includes(lower)) continue;
    env[k] = v;
  }
  Object.assign(env, {
    npm_config_yes: 'true',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_update_notifier: 'false',
    npm_config_progress: 'false',
  });
  // Build native modules against the headers shipped with this Node (node-gyp would download them).
  const nodeDir = dirname(dirname(process.execPath));
  if (existsSync(join(nodeDir, 'include', 'node', 'common.gypi')) && !env.npm_config_nodedir) {
    env.npm_config_nodedir = nodeDir;
  }
  return Object.assign(env, extra);
}

function run(label, cmd, args, cwd, env) {
  const started = Date.now();
  process.stdout.write(`  ${label} ... `);
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) {
    console.log(`FAILED after ${secs}s`);
    const out = `${r.stdout || ''}${r.stderr || ''}${r.error ? String(r.error) : ''}`.trimEnd().split('\n');
    console.log(out.slice(-80).map((l) => `    | ${l}`).join('\n'));
    throw new Error(`test host setup failed at: ${label} (${cmd} ${args.join(' ')} in ${cwd})`);
  }
  console.log(`${secs}s`);
}

function install(stage) {
  const env = npmEnv();
  const npm = 'npm';
  mkdirSync(stage, { recursive: true });
  writeFileSync(join(stage, 'package.json'), JSON.stringify({ name: 'bantam-test-host', private: true }, null, 2));

  run(`npm install code-server@${CODE_SERVER_VERSION} --ignore-scripts`, npm,
    ['install', `code-server@${CODE_SERVER_VERSION}`, '--ignore-scripts', '--omit=dev', '--no-save', '--loglevel=error'], stage, env);
  run('npm rebuild argon2 (from source)', npm, ['rebuild', 'argon2', '--build-from-source', '--loglevel=error'], stage, env);

  const cs = join(stage, 'node_modules', 'code-server');
  const vscodeDir = join(cs, 'lib', 'vscode');
  run('lib/vscode: npm install --omit=dev --ignore-scripts', npm,
    ['install', '--omit=dev', '--ignore-scripts', '--loglevel=error'], vscodeDir, env);

  // @vscode/ripgrep's postinstall skips its GitHub download when bin/ already exists.
  const rgBin = join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin');
  mkdirSync(rgBin, { recursive: true });
  copyFileSync(which('rg'), join(rgBin, 'rg'));
  chmodSync(join(rgBin, 'rg'), 0o755);
  console.log(`  placed ${which('rg')} at @vscode/ripgrep/bin/rg`);

  run('lib/vscode: npm rebuild (native modules)', npm, ['rebuild', '--loglevel=error'], vscodeDir, env);

  // The rest of code-server's postinstall.sh.
  const link = (target, path) => {
    rmSync(path, { recursive: true, force: true });
    symlinkSync(target, path);
  };
  link('node_modules', join(vscodeDir, 'node_modules.asar'));
  link('code-linux.sh', join(vscodeDir, 'bin', 'remote-cli', 'code-server'));
  link('browser-linux.sh', join(vscodeDir, 'bin', 'helpers', 'browser.sh'));
  run('lib/vscode/extensions: npm install --omit=dev', npm,
    ['install', '--omit=dev', '--loglevel=error'], join(vscodeDir, 'extensions'), env);
}

/** Checks that the installed server starts and answers /healthz. */
async function smokeTest(dir) {
  const started = Date.now();
  process.stdout.write('  smoke test: code-server starts ... ');
  const tmp = join(dir, '.smoke');
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const child = spawn(process.execPath, [codeServerEntry(dir), '--bind-addr', '127.0.0.1:0', '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--user-data-dir', join(tmp, 'u'), '--extensions-dir', join(tmp, 'e'),
    '--config', join(tmp, 'config.yaml'), tmp], { env: { ...process.env, EXTENSIONS_GALLERY: '{}' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const ok = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), 60_000);
    const onData = (d) => {
      log += d;
      const m = /HTTP server listening on (http:\/\/[^\s]+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        fetch(new URL('/healthz', m[1])).then((r) => resolve(r.ok), () => resolve(false));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', () => { clearTimeout(timer); resolve(false); });
  });
  child.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
  if (!ok) {
    console.log('FAILED');
    console.log(log.split('\n').slice(-40).map((l) => `    | ${l}`).join('\n'));
    throw new Error('the installed code-server did not start');
  }
  console.log(`${((Date.now() - started) / 1000).toFixed(1)}s`);
}

/** Removes staging folders left by interrupted installs (not those of installs still running). */
function removeAbandonedStages(dir) {
  const prefix = `${basename(dir)}.partial-`;
  for (const name of readdirSync(dirname(dir))) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = true;
    } catch {
      // no such process
    }
    if (!alive) rmSync(join(dirname(dir), name), { recursive: true, force: true });
  }
}

/** Installs the test host unless it is already there. Returns its folder. */
export async function ensureTestHost({ force = false, quiet = false } = {}) {
  const dir = testHostDir();
  if (!force && isTestHostReady(dir)) {
    if (!quiet) console.log(`test host: code-server ${CODE_SERVER_VERSION} ready at ${dir}`);
    return dir;
  }
  const missing = ensureSystemPackages({ forInstall: true });
  if (missing.length) {
    throw new Error(`missing system packages; install them with: sudo apt-get install -y ${missing.join(' ')}`);
  }
  const major = Number(process.versions.node.split('.')[0]);
  if (major !== 20) throw new Error(`code-server ${CODE_SERVER_VERSION} needs Node 20; this is Node ${process.versions.node}`);

  const started = Date.now();
  console.log(`test host: installing code-server ${CODE_SERVER_VERSION} into ${dir} (about a minute)`);
  // Build in a sibling folder and rename at the end, so an interrupted run never looks installed.
  const stage = `${dir}.partial-${process.pid}`;
  mkdirSync(dirname(dir), { recursive: true });
  removeAbandonedStages(dir);
  try {
    install(stage);
    await smokeTest(stage);
    writeFileSync(join(stage, MARKER), JSON.stringify({ version: CODE_SERVER_VERSION, node: process.version, installedAt: new Date().toISOString() }, null, 2));
    if (isTestHostReady(dir)) {
      rmSync(stage, { recursive: true, force: true }); // a concurrent run finished first
    } else {
      rmSync(dir, { recursive: true, force: true });
      renameSync(stage, dir);
    }
  } catch (e) {
    rmSync(stage, { recursive: true, force: true });
    throw e;
  }
  console.log(`test host: ready in ${((Date.now() - started) / 1000).toFixed(0)}s at ${dir}`);
  return dir;
}

async function main() {
  try {
    await ensureTestHost({ force: process.argv.includes('--force') });
    const missing = ensureSystemPackages({ forInstall: false });
    if (missing.length) {
      console.error(`test host: the driver also needs: apt-get install -y ${missing.join(' ')}`);
      process.exitCode = 1;
    }
  } catch (e) {
    console.error(`test host: ${e instanceof Error ? e.message : e}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
