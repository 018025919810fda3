// The integration-test driver: runs the suites bundled in dist/test/integration.js inside a real
// VS Code extension host and reports their counts. It builds nothing (run scripts/build.mjs first).
//
// Default host: code-server (VS Code 1.100.3 server + web workbench, installed by
// scripts/setupTestHost.mjs) opened in headless Debian chromium through playwright-core. The server
// starts an extension host only when a workbench connects, so a browser is required. The URL's
// payload names the extension under development and the tests file; the workbench then calls run()
// in the extension host and reports the exit code through window.codeAutomationExit.
// When env VSCODE_EXECUTABLE points at a desktop VS Code, @vscode/test-electron's runTests() is
// used instead. Either way the suites write their counts to BANTAM_TEST_RESULTS (a JSON file) and
// their reporter lines to BANTAM_TEST_LOG, which is streamed here.
//
// The "vsix" run (--vsix [FILE]) checks the package instead of the checkout: code-server's own
// `--install-extension FILE --extensions-dir DIR` installs the .vsix (offline) into the run's fresh
// extensions folder, and the workbench is opened WITHOUT the repo as a development extension, so
// the installed copy is the one that runs. VS Code only runs extensionTestsPath when some
// extensionDevelopmentPath is given, so the payload names a throwaway folder holding nothing but a
// package.json (a do-nothing extension with another id). The suites still come from
// dist/test/integration.js; BANTAM_TEST_SUITES=vsix makes it load only test/integration/vsix.test.ts
// (and the normal run only the `default` group).
//
// The "multi-root" suites (--suites multi-root, or multiRoot.test) need a workspace of several
// folders: the driver writes one in the run's temp folder (folders `app` and `lib` and a
// `bantam.code-workspace` naming them) and opens the .code-workspace file (code-server's `workspace`
// URL parameter instead of `folder`). They run on their own, never mixed with other suites.
//
// Usage: node scripts/runIntegration.mjs [--workspace DIR] [--timeout SECONDS] [--grep PATTERN]
//                                        [--suites LIST] [--vsix [FILE]] [--verbose] [--keep]
//   --workspace  folder or .code-workspace file to open (default: a fresh temp copy of examples/workspace,
//                or for the multi-root suites a fresh two-folder workspace)
//   --timeout    overall limit (default 900, or env BANTAM_INTEGRATION_TIMEOUT)
//   --grep       only tests whose full title matches (passed to mocha as BANTAM_TEST_GREP)
//   --suites     suite groups/names to load (BANTAM_TEST_SUITES; default `default`, or `vsix` with --vsix)
//   --vsix       install FILE (default this machine's package, dist/bantam-linux-x64.vsix here, built by
//                `npm run package`) and test that copy;
//                the completion test uses env BANTAM_TEST_MODEL (default .cache/models/bantam-tiny-qwen2.gguf)
//   --verbose    stream the host's log (server, browser console, extension host) as it comes
//   --keep       keep the temp folder (user data, logs, workspace copy) for inspection
// The team-server suite starts the llama-server named by env BANTAM_LLAMA_SERVER, else the one
// `npm run llama-server` built for this machine; scripts/test.mjs builds it first when there is none.
// Other scripts import runIntegration(options) from here; it resolves to
//   { ok, passed, failed, failures: [{ title, error }], error?, durationMs }.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync, readFileSync, readdirSync, rmSync, cpSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { codeServerEntry, chromiumPath, isTestHostReady, testHostDir } from './setupTestHost.mjs';
import { serverPath as llamaServerPath } from './buildLlamaServer.mjs';
import { hostTarget, vsixPath } from './platformTargets.mjs';
import { startKeyboardChannel } from './testKeyboard.mjs';

export const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const testsFile = join(repoRoot, 'dist', 'test', 'integration.js');
/** The package for the machine the test host runs on (`npm run package` writes one per target). */
export const defaultVsixPath = join(repoRoot, vsixPath(hostTarget()?.target ?? 'linux-x64'));
export const tinyModelPath = join(repoRoot, '.cache', 'models', 'bantam-tiny-qwen2.gguf');
const EXTENSION_ID = 'bantam.bantam';
const HOST_LOG_LINES = 400;

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage',
];

/** User settings for a fresh profile: nothing phones home, nothing pops up over the editor. */
export const QUIET_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'git.autofetch': false,
  'typescript.disableAutomaticTypeAcquisition': true,
  'npm.fetchOnlinePackageInfo': false,
};

/** Keeps the last lines of the host's log, to print when something goes wrong. */
class LineLog {
  constructor(echo) {
    this.lines = [];
    this.echo = echo;
  }
  add(source, text) {
    for (const line of String(text).replace(/\r/g, '').split('\n')) {
      if (!line.trim()) continue;
      const entry = `[${source}] ${line}`;
      this.lines.push(entry);
      if (this.lines.length > HOST_LOG_LINES) this.lines.shift();
      if (this.echo) console.log(entry);
    }
  }
  print(header) {
    console.log(`${header} (last ${this.lines.length} lines):`);
    for (const l of this.lines) console.log(`  ${l}`);
  }
}

/** Streams lines appended to a file (the suites' reporter output) to our stdout. */
function tailFile(file, write = (s) => process.stdout.write(s)) {
  let offset = 0;
  const poll = () => {
    if (!existsSync(file)) return;
    const size = statSync(file).size;
    if (size <= offset) return;
    const fd = openSync(file, 'r');
    try {
      const buf = Buffer.alloc(size - offset);
      readSync(fd, buf, 0, buf.length, offset);
      offset = size;
      write(buf.toString('utf8'));
    } finally {
      closeSync(fd);
    }
  };
  const timer = setInterval(poll, 200);
  return () => {
    clearInterval(timer);
    poll();
  };
}

/** BANTAM_LLAMA_SERVER for the host: as given, else the server `npm run llama-server` built here, if any. */
function llamaServerEnv() {
  if (process.env.BANTAM_LLAMA_SERVER) return {};
  try {
    const path = llamaServerPath();
    return existsSync(path) ? { BANTAM_LLAMA_SERVER: path } : {};
  } catch {
    return {}; // node-llama-cpp is not installed: the suite says what to do
  }
}

/** Environment for the host: ours, minus anything tying it to an outer VS Code, plus the suites' settings. */
function hostEnv(extra) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE') continue;
    env[k] = v;
  }
  return Object.assign(env, extra);
}

/** Prints the extension host's own log files (activation errors land there) and Bantam's output channels. */
function printExtensionHostLogs(logsDir) {
  if (!existsSync(logsDir)) return;
  const files = readdirSync(logsDir, { recursive: true })
    .map(String)
    .filter((f) => /exthost\.log$/i.test(f) || /bantam/i.test(f))
    .map((f) => join(logsDir, f))
    .filter((f) => statSync(f).isFile());
  for (const f of files) {
    const lines = readFileSync(f, 'utf8').trimEnd().split('\n').slice(-120);
    console.log(`${f} (last ${lines.length} lines):`);
    for (const l of lines) console.log(`  ${l}`);
  }
}

function readResults(file) {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Resolves to the first outcome among `promises`, a timeout at `deadline`, or an abort. */
function firstOf(promises, deadline, abortSignal) {
  let timer;
  let onAbort;
  return Promise.race([
    ...promises,
    new Promise((r) => { timer = setTimeout(() => r({ error: 'timed out waiting for the suites to finish' }), Math.max(0, deadline - Date.now())); }),
    new Promise((r) => {
      onAbort = () => r({ error: `interrupted (${abortSignal.reason})` });
      if (abortSignal.aborted) onAbort();
      else abortSignal.addEventListener('abort', onAbort, { once: true });
    }),
  ]).finally(() => {
    clearTimeout(timer);
    abortSignal.removeEventListener('abort', onAbort);
  });
}

function killGroup(child, signal) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try { child.kill(signal); } catch { /* already gone */ }
  }
}

/** Stops a process started with `detached: true`, with everything it spawned. */
export async function stopChild(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
  // The leader is gone; take down anything left in its group (extension host, language servers).
  try { process.kill(-child.pid, 'SIGKILL'); } catch { /* nothing left */ }
}

/**
 * Starts code-server on 127.0.0.1 (port 0: the OS picks a free one) with its own profile under
 * `profileDir`; resolves `url` to its base URL once it listens. Used by `npm start` as well.
 */
export function startCodeServer({ profileDir, workspace, env = {}, onOutput = () => undefined, port = 0 }) {
  const userDataDir = join(profileDir, 'user-data');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  const settings = join(userDataDir, 'User', 'settings.json');
  if (!existsSync(settings)) writeFileSync(settings, JSON.stringify(QUIET_SETTINGS, null, 2));
  const config = join(profileDir, 'code-server.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const args = [
    codeServerEntry(),
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir', userDataDir,
    '--extensions-dir', join(profileDir, 'extensions'),
    '--config', config,
    workspace,
  ];
  const child = spawn(process.execPath, args, {
    // EXTENSIONS_GALLERY='{}': no gallery look-ups. VSCODE_OPTIONS as FIELD-NOTES advise; code-server
    // 4.100.3 does not read it (the payload is honoured without it) but newer builds may.
    env: hostEnv({ EXTENSIONS_GALLERY: '{}', VSCODE_OPTIONS: '--enable-smoke-test-driver', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group, so the extension host and its children die with it
  });
  const url = new Promise((resolveUrl, reject) => {
    let seen = '';
    const onData = (d) => {
      onOutput(String(d));
      seen += d;
      const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(seen);
      if (m) {
        resolveUrl(m[1]);
        seen = '';
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code, signal) => reject(new Error(`code-server exited (${code ?? signal}) before listening`)));
  });
  return { child, url };
}

/** The workbench URL that opens `workspace` with the extension under development (and runs its tests, if given). */
export function workbenchUrl(baseUrl, { workspace, extensionDevelopmentPath, extensionTestsPath }) {
  const authority = new URL(baseUrl).host;
  const remote = (p) => `vscode-remote://${authority}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(extensionDevelopmentPath)],
    ...(extensionTestsPath ? [['extensionTestsPath', remote(extensionTestsPath)]] : []),
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  const opens = workspace.endsWith('.code-workspace') ? 'workspace' : 'folder';
  const query = new URLSearchParams({ [opens]: remote(workspace), payload: JSON.stringify(payload) });
  return `${baseUrl}/?${query}`;
}

/** Runs `node <code-server> ...args` to completion (within `deadline`), its output into `log`. */
async function runCodeServerCli(args, { log, deadline, abortSignal }) {
  const child = spawn(process.execPath, [codeServerEntry(), ...args], {
    env: hostEnv({ EXTENSIONS_GALLERY: '{}' }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const collect = (d) => {
    output += d;
    log.add('install', d);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  try {
    const outcome = await firstOf([
      new Promise((r) => child.once('exit', (code, signal) => r({ exitCode: code ?? signal }))),
      new Promise((r) => child.once('error', (e) => r({ error: e.message }))),
    ], deadline, abortSignal);
    return { ...outcome, output };
  } finally {
    await stopChild(child);
  }
}

/**
 * Installs `vsix` into `extensionsDir` with code-server's own CLI (as a user would), offline, and
 * checks that it landed there. Resolves to the installed extension's folder.
 */
async function installVsix({ vsix, profileDir, extensionsDir, log, deadline, abortSignal }) {
  const userDataDir = join(profileDir, 'user-data');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  // Its own config file: without --config code-server writes one under ~/.config.
  const config = join(profileDir, 'code-server.yaml');
  writeFileSync(config, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
  const outcome = await runCodeServerCli(
    ['--install-extension', vsix, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--config', config],
    { log, deadline, abortSignal },
  );
  if (outcome.error) throw new Error(`installing ${vsix} failed: ${outcome.error}`);
  if (outcome.exitCode !== 0 || !/successfully installed/i.test(outcome.output)) {
    throw new Error(`installing ${vsix} failed (exit ${outcome.exitCode}): ${outcome.output.trim().split('\n').slice(-5).join(' | ')}`);
  }
  let entries = [];
  try {
    entries = JSON.parse(readFileSync(join(extensionsDir, 'extensions.json'), 'utf8'));
  } catch { /* checked below */ }
  const entry = entries.find((e) => String(e?.identifier?.id).toLowerCase() === EXTENSION_ID);
  const dir = entry?.location?.path ?? (entry?.relativeLocation ? join(extensionsDir, entry.relativeLocation) : undefined);
  if (!dir || !existsSync(join(dir, 'package.json'))) {
    throw new Error(`code-server reported ${vsix} installed, but ${extensionsDir} holds no ${EXTENSION_ID}`);
  }
  return dir;
}

/**
 * A do-nothing development extension (a package.json only, another id): VS Code runs
 * extensionTestsPath only when an extensionDevelopmentPath is set, and this one loads no Bantam code.
 */
function writeProbeExtension(dir) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({
    name: 'vsix-test-probe',
    displayName: 'Bantam vsix test probe',
    publisher: 'bantam-test',
    version: '0.0.0',
    private: true,
    engines: { vscode: '*' },
  }, null, 2));
  return dir;
}

async function runInCodeServer({ tmp, env, log, workspace, deadline, abortSignal, extensionDevelopmentPath = repoRoot }) {
  if (!isTestHostReady()) {
    throw new Error(`the test host is not installed at ${testHostDir()}; run: node scripts/setupTestHost.mjs`);
  }
  if (!existsSync(chromiumPath())) throw new Error(`no browser at ${chromiumPath()}; run: apt-get install -y chromium`);
  const { chromium } = await import('playwright-core');
  let server;
  let browser;
  let page;
  // Suites press real keys through it (test/integration/keyboard.ts).
  const keyboard = await startKeyboardChannel(() => page);
  try {
    const started = startCodeServer({
      profileDir: tmp,
      workspace,
      env: { ...env, BANTAM_TEST_KEYS_URL: keyboard.url },
      onOutput: (text) => log.add('server', text),
    });
    server = started.child;
    const serverExit = new Promise((r) => server.once('exit', (code, signal) => r({ error: `code-server exited (${code ?? signal}) during the run` })));
    const listening = await firstOf([started.url.then((url) => ({ url }), (e) => ({ error: e.message }))], deadline, abortSignal);
    if (listening.error) return listening;
    browser = await chromium.launch({
      executablePath: chromiumPath(),
      headless: true,
      args: CHROMIUM_ARGS,
      env: { ...process.env, HOME: join(tmp, 'browser-home') },
      // Playwright's own handlers would exit the process on Ctrl-C and leave code-server running.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    page = await browser.newPage();
    let exit;
    const exited = new Promise((r) => { exit = r; });
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      log.add(`host:${type}`, Array.isArray(args) ? args.map(String).join(' ') : String(args));
    });
    await page.exposeFunction('codeAutomationExit', (code) => exit({ exitCode: code }));
    // The workbench's own log/info lines arrive twice (console and codeAutomationLog); keep one.
    page.on('console', (m) => {
      if (m.type() === 'warning' || m.type() === 'error') log.add(`browser:${m.type()}`, m.text());
    });
    page.on('pageerror', (e) => log.add('browser:pageerror', e.stack || e.message));
    page.on('crash', () => exit({ error: 'the browser page crashed' }));
    const url = workbenchUrl(listening.url, { workspace, extensionDevelopmentPath, extensionTestsPath: testsFile });
    log.add('driver', `opening ${url}`);
    const loaded = page.goto(url, { waitUntil: 'domcontentloaded', timeout: Math.max(1000, deadline - Date.now()) })
      .then(() => new Promise(() => undefined), (e) => ({ error: `could not open the workbench: ${e.message}` }));
    return await firstOf([exited, serverExit, loaded], deadline, abortSignal);
  } finally {
    if (browser) await browser.close().catch(() => undefined);
    await stopChild(server);
    await keyboard.close();
  }
}

/** Desktop VS Code through @vscode/test-electron, in a child process so a timeout can end it. */
async function runInDesktop({ tmp, env, log, workspace, deadline, executable, abortSignal }) {
  const options = {
    vscodeExecutablePath: executable,
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: testsFile,
    extensionTestsEnv: env,
    launchArgs: [workspace, `--user-data-dir=${join(tmp, 'user-data')}`, `--extensions-dir=${join(tmp, 'extensions')}`, '--disable-telemetry'],
  };
  mkdirSync(join(tmp, 'user-data', 'User'), { recursive: true });
  writeFileSync(join(tmp, 'user-data', 'User', 'settings.json'), JSON.stringify(QUIET_SETTINGS, null, 2));
  const script = `
    const { runTests } = require('@vscode/test-electron');
    runTests(JSON.parse(process.env.BANTAM_RUNTESTS_OPTIONS)).then(
      (code) => process.exit(code),
      (err) => { console.error(String((err && err.message) || err)); process.exit(1); });`;
  const child = spawn(process.execPath, ['-e', script], {
    cwd: repoRoot,
    env: hostEnv({ BANTAM_RUNTESTS_OPTIONS: JSON.stringify(options) }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout.on('data', (d) => log.add('vscode', d));
  child.stderr.on('data', (d) => log.add('vscode', d));
  try {
    return await firstOf([new Promise((r) => child.once('exit', (code, signal) => r({ exitCode: code ?? signal })))], deadline, abortSignal);
  } finally {
    await stopChild(child);
  }
}

const MULTI_ROOT_SUITES = ['multi-root', 'multiRoot.test'];

/** True when the suites asked for are the multi-root ones; refuses a mix (one run opens one workspace). */
export function wantsMultiRoot(suites) {
  const names = suites.split(',').map((s) => s.trim()).filter(Boolean);
  const multi = names.filter((n) => MULTI_ROOT_SUITES.includes(n));
  if (multi.length > 0 && multi.length < names.length) {
    throw new Error(`the multi-root suites open their own two-folder workspace: run them alone (--suites multi-root), not with ${names.filter((n) => !MULTI_ROOT_SUITES.includes(n)).join(', ')}`);
  }
  return multi.length > 0;
}

/** Writes folders `app` and `lib` under `dir` and a .code-workspace naming them; returns the file. */
export function writeMultiRootWorkspace(dir) {
  for (const name of ['app', 'lib']) mkdirSync(join(dir, name, 'src'), { recursive: true });
  const file = join(dir, 'bantam.code-workspace');
  writeFileSync(file, JSON.stringify({ folders: [{ path: 'app' }, { path: 'lib' }], settings: {} }, null, 2));
  return file;
}

/** Runs the integration suites once. Never throws: problems come back as `error`. */
export async function runIntegration(options = {}) {
  const started = Date.now();
  const timeoutSec = Number(options.timeout ?? process.env.BANTAM_INTEGRATION_TIMEOUT ?? 900);
  const deadline = started + timeoutSec * 1000;
  const log = new LineLog(Boolean(options.verbose));
  const tmp = mkdtempSync(join(tmpdir(), 'bantam-it-'));
  const vsix = options.vsix ? resolve(options.vsix === true ? defaultVsixPath : options.vsix) : undefined;
  const resultsFile = join(tmp, 'results.json');
  const logFile = join(tmp, 'mocha.log');
  let stopTail = () => undefined;
  let outcome;
  // Ctrl-C or a kill: stop waiting, and let the run's finally{} take the host and browser down.
  const abort = new AbortController();
  const onSignal = (sig) => abort.abort(sig);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);
  try {
    if (!existsSync(testsFile) || !existsSync(join(repoRoot, 'dist', 'extension.js'))) {
      throw new Error('dist/ is not built; run: node scripts/build.mjs');
    }
    const suites = options.suites ?? (vsix ? 'vsix' : process.env.BANTAM_TEST_SUITES || 'default');
    let workspace;
    if (options.workspace) {
      workspace = resolve(options.workspace);
      if (!existsSync(workspace)) throw new Error(`workspace folder ${workspace} does not exist`);
    } else if (wantsMultiRoot(suites)) {
      workspace = writeMultiRootWorkspace(join(tmp, 'multi-root'));
    } else {
      workspace = join(tmp, 'workspace');
      const example = join(repoRoot, 'examples', 'workspace');
      if (existsSync(example)) cpSync(example, workspace, { recursive: true });
      else mkdirSync(workspace, { recursive: true });
    }
    const env = {
      BANTAM_TEST_RESULTS: resultsFile,
      BANTAM_TEST_LOG: logFile,
      BANTAM_TEST_WORKSPACE: workspace,
      // The run's own shared model host: never one a user (or another run) has running.
      BANTAM_MODEL_HOST_DIR: join(tmp, 'hosts'),
      BANTAM_TEST_SUITES: suites,
      ...(options.grep ? { BANTAM_TEST_GREP: options.grep } : {}),
      ...llamaServerEnv(),
      ...(options.env ?? {}),
    };
    const executable = options.vscodeExecutable ?? process.env.VSCODE_EXECUTABLE;
    let extensionDevelopmentPath = repoRoot;
    if (vsix) {
      if (executable) throw new Error('the vsix run needs the code-server test host; unset VSCODE_EXECUTABLE');
      if (!existsSync(vsix)) throw new Error(`${vsix} does not exist; run: npm run package`);
      const model = options.model ?? process.env.BANTAM_TEST_MODEL ?? tinyModelPath;
      if (!existsSync(model)) throw new Error(`test model missing: ${model}; run: node scripts/makeTestModels.mjs --tiny`);
      if (!isTestHostReady()) {
        throw new Error(`the test host is not installed at ${testHostDir()}; run: node scripts/setupTestHost.mjs`);
      }
      const extensionsDir = join(tmp, 'extensions');
      const installStarted = Date.now();
      const installedAt = await installVsix({ vsix, profileDir: tmp, extensionsDir, log, deadline, abortSignal: abort.signal });
      console.log(`vsix: installed ${vsix} into ${installedAt} (${((Date.now() - installStarted) / 1000).toFixed(1)}s)`);
      extensionDevelopmentPath = writeProbeExtension(join(tmp, 'probe-extension'));
      Object.assign(env, { BANTAM_TEST_EXTENSIONS_DIR: extensionsDir, BANTAM_TEST_REPO_ROOT: repoRoot, BANTAM_TEST_MODEL: model });
    }
    stopTail = tailFile(logFile);
    const mode = executable ? `desktop VS Code (${executable})` : 'code-server + headless chromium';
    const what = vsix ? `the installed ${basename(vsix)}` : 'the checkout as the development extension';
    console.log(`integration: running suites [${env.BANTAM_TEST_SUITES}] in ${mode} with ${what}, workspace ${workspace}`);
    const run = executable ? runInDesktop : runInCodeServer;
    outcome = await run({ tmp, env, log, workspace, deadline, executable, abortSignal: abort.signal, extensionDevelopmentPath });
  } catch (e) {
    outcome = { error: e instanceof Error ? e.message : String(e) };
  } finally {
    stopTail();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
  }

  const results = readResults(resultsFile);
  const report = {
    ok: false,
    passed: results?.passed ?? 0,
    failed: results?.failed ?? 0,
    failures: results?.failures ?? [],
    durationMs: Date.now() - started,
  };
  if (outcome.error) report.error = outcome.error;
  else if (!results) report.error = `the suites wrote no results (host exit code ${outcome.exitCode}); they did not run`;
  else if (outcome.exitCode !== 0 && report.failed === 0) report.error = `the host exited with code ${outcome.exitCode}`;
  report.ok = !report.error && report.failed === 0 && report.passed > 0;
  if (!report.ok && !report.error && report.passed === 0 && report.failed === 0) report.error = 'no tests ran';

  if (!report.ok && !abort.signal.aborted) {
    if (!options.verbose && log.lines.length) log.print('host log');
    printExtensionHostLogs(join(tmp, 'user-data', 'logs'));
  }
  if (options.keep) console.log(`integration: kept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
  return report;
}

async function main() {
  const { values, positionals } = parseArgs({
    options: {
      workspace: { type: 'string' },
      timeout: { type: 'string' },
      grep: { type: 'string' },
      suites: { type: 'string' },
      vsix: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  if (positionals.length > 0 && !values.vsix) throw new Error(`unexpected argument ${positionals[0]} (a .vsix goes after --vsix)`);
  // `--vsix` alone tests this machine's package (defaultVsixPath); `--vsix FILE` that file.
  const vsix = values.vsix ? (positionals[0] ?? true) : undefined;
  const report = await runIntegration({ ...values, vsix, timeout: values.timeout ? Number(values.timeout) : undefined });
  for (const f of report.failures) console.log(`FAILED ${f.title}\n  ${f.error}`);
  if (report.error) console.log(`integration: ${report.error}`);
  console.log(`integration: ${report.passed} passed, ${report.failed} failed in ${(report.durationMs / 1000).toFixed(1)}s`);
  process.exitCode = report.ok ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
