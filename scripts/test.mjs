// `npm test`: builds, makes the test models, runs the unit tests (mocha in plain Node over
// out/test/unit), the webview tests (mocha over out/test/webview, which drive the chat app in
// headless Debian chromium through playwright-core), the integration suites (inside a real VS Code,
// via scripts/runIntegration.mjs; the team-server suite needs a real llama-server, built once per
// machine by scripts/buildLlamaServer.mjs when there is none; then the multi-root suites in a
// two-folder workspace of their own) and the vsix part (`npm run package`, which writes one .vsix per
// platform; test/package/ opens every one and checks its contents and the format of its native
// binaries; then this machine's package, dist/bantam-linux-x64.vsix here, is installed into a fresh
// extensions folder of the same host and checked by test/integration/vsix.test.ts), then prints one
// summary per part and, last, exactly one line `N passed, N failed` with the totals.
// Exits non-zero when a test failed or a part could not run.
//
// Usage: node scripts/test.mjs [--unit] [--webview] [--integration] [--vsix] [--grep PATTERN] [--verbose]
//   --unit, --webview, --integration, --vsix  run only the parts named (default: all four)
//   --grep     passed to every mocha run
//   --verbose  stream the integration host's log
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureSystemPackages, ensureTestHost, installMissing, missingBuildTools } from './setupTestHost.mjs';
import { defaultVsixPath, repoRoot, runIntegration } from './runIntegration.mjs';
import { ensureLlamaServer, serverPath as llamaServerPath } from './buildLlamaServer.mjs';

const { values: flags } = parseArgs({
  options: {
    unit: { type: 'boolean', default: false },
    webview: { type: 'boolean', default: false },
    integration: { type: 'boolean', default: false },
    vsix: { type: 'boolean', default: false },
    grep: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});
const allParts = !flags.unit && !flags.webview && !flags.integration && !flags.vsix;
const runUnit = flags.unit || allParts;
const runWebview = flags.webview || allParts;
const runIntegrationPart = flags.integration || allParts;
const runVsixPart = flags.vsix || allParts;

const seconds = (ms) => `${(ms / 1000).toFixed(1)}s`;

function step(label, args) {
  console.log(`\n> node ${args.join(' ')}`);
  const started = Date.now();
  const r = spawnSync(process.execPath, args, { cwd: repoRoot, stdio: 'inherit' });
  const ok = r.status === 0;
  if (!ok) console.log(`${label} failed (${r.status ?? r.signal ?? r.error})`);
  return { ok, ms: Date.now() - started };
}

function testFiles(part) {
  const dir = join(repoRoot, 'out', 'test', part);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.test.js'));
}

/**
 * Runs mocha's CLI over out/test/<part> as a child (so .mocharc and per-test-file state behave as
 * with `npx mocha`).
 */
function runMochaPart(part) {
  const started = Date.now();
  if (testFiles(part).length === 0) {
    return Promise.resolve({ passed: 0, failed: 0, error: `no ${part} tests found under out/test/${part}`, ms: 0 });
  }
  const spec = `out/test/${part}/**/*.test.js`;
  const args = [join(repoRoot, 'node_modules', 'mocha', 'bin', 'mocha.js'), '--reporter', 'spec', '--no-color',
    ...(flags.grep ? ['--grep', flags.grep] : []), spec];
  console.log(`\n> mocha ${spec}`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.on('close', (code, signal) => {
      const passing = /^\s*(\d+) passing/m.exec(out);
      const failing = /^\s*(\d+) failing/m.exec(out);
      const result = { passed: passing ? Number(passing[1]) : 0, failed: failing ? Number(failing[1]) : 0, ms: Date.now() - started };
      if (!passing && !failing) result.error = `mocha ended (${code ?? signal}) without a summary`;
      else if (code !== 0 && result.failed === 0) result.error = `mocha exited with code ${code ?? signal}`;
      resolve(result);
    });
  });
}

/** The chat app in headless chromium: needs Debian's chromium (the integration host's browser). */
function runWebviewTests() {
  const missing = ensureSystemPackages({ forInstall: false });
  if (missing.includes('chromium')) {
    return Promise.resolve({ passed: 0, failed: 0, error: 'chromium is missing; install it with: apt-get install -y chromium', ms: 0 });
  }
  return runMochaPart('webview');
}

/** Runs `npm <args>` in the checkout, output inherited. */
function npmStep(label, args) {
  console.log(`\n> npm ${args.join(' ')}`);
  const started = Date.now();
  const r = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, { cwd: repoRoot, stdio: 'inherit' });
  const ok = r.status === 0;
  if (!ok) console.log(`${label} failed (${r.status ?? r.signal ?? r.error})`);
  return { ok, ms: Date.now() - started };
}

/**
 * The team-server suite needs a real llama-server: build it once per machine (about 5 minutes on 2
 * cores) when there is none. If it can't be built, the suite fails with the reason given here.
 */
function prepareLlamaServer() {
  if (process.env.BANTAM_LLAMA_SERVER || process.env.BANTAM_LLAMA_SERVER_ERROR) return;
  try {
    // Only a build needs the tools: a machine that has the server gets nothing installed.
    if (!existsSync(llamaServerPath())) installMissing(missingBuildTools);
    process.env.BANTAM_LLAMA_SERVER = ensureLlamaServer();
  } catch (e) {
    process.env.BANTAM_LLAMA_SERVER_ERROR = e instanceof Error ? e.message : String(e);
    console.log(`llama-server: ${process.env.BANTAM_LLAMA_SERVER_ERROR}`);
  }
}

async function runIntegrationTests(options = {}) {
  const started = Date.now();
  try {
    await ensureTestHost({ quiet: false });
  } catch (e) {
    return { passed: 0, failed: 0, error: `test host unavailable: ${e instanceof Error ? e.message : e}`, ms: Date.now() - started };
  }
  const missing = ensureSystemPackages({ forInstall: false });
  if (missing.length) {
    return { passed: 0, failed: 0, error: `missing system packages; install them with: apt-get install -y ${missing.join(' ')}`, ms: 0 };
  }
  console.log('');
  const report = await runIntegration({ grep: flags.grep, verbose: flags.verbose, ...options });
  for (const f of report.failures) console.log(`FAILED ${f.title}\n  ${f.error}`);
  return { passed: report.passed, failed: report.failed, error: report.error, ms: Date.now() - started };
}

/**
 * Packages the extension as users get it (one .vsix per platform), checks every package's contents,
 * then runs the vsix suite against this machine's package installed in the test host.
 */
async function runVsixTests() {
  const started = Date.now();
  const packaged = npmStep('packaging', ['run', 'package']);
  // `npm run package` leaves production bundles in dist/; put the development build (with source
  // maps, also for the suites' stack traces) back. The .vsix files already hold their own copy.
  const rebuilt = step('build', ['scripts/build.mjs']);
  if (!packaged.ok) return { passed: 0, failed: 0, error: 'not run: npm run package failed', ms: Date.now() - started };
  if (!rebuilt.ok) return { passed: 0, failed: 0, error: 'not run: the build after packaging failed', ms: Date.now() - started };
  console.log(`vsix: packaged every platform in ${seconds(packaged.ms)}`);
  const contents = await runMochaPart('package');
  const r = await runIntegrationTests({ vsix: defaultVsixPath });
  const error = [contents.error && `package contents: ${contents.error}`, r.error].filter(Boolean).join('; ') || undefined;
  return { passed: contents.passed + r.passed, failed: contents.failed + r.failed, error, ms: Date.now() - started };
}

/**
 * Unit tests start shared model hosts (as the extension and CLI do): give them a folder of this run's
 * own, never the user's, and stop what is left there at the end rather than leaving it to idle out.
 */
function isolateModelHosts() {
  process.env.BANTAM_MODEL_HOST_DIR ??= mkdtempSync(join(tmpdir(), 'bantam-hosts-'));
  const dir = process.env.BANTAM_MODEL_HOST_DIR;
  return async () => {
    const hostScript = join(repoRoot, 'dist', 'modelHost.js');
    const compiled = join(repoRoot, 'out', 'src', 'core', 'providers', 'local', 'hostConnection.js');
    if (!existsSync(hostScript) || !existsSync(compiled)) return;
    const { stopModelHost } = createRequire(import.meta.url)(compiled);
    await stopModelHost({ hostScript, dir, log: () => undefined }).catch(() => undefined);
  };
}

async function main() {
  const parts = [];
  const problems = [];
  const stopModelHosts = isolateModelHosts();

  const build = step('build', ['scripts/build.mjs']);
  if (!build.ok) problems.push('the build failed');
  // The build strips types without checking them; tests and benchmarks are checked here too.
  const types = step('type check', [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.', '--noEmit']);
  if (!types.ok) problems.push('the type check failed (npm run typecheck)');

  if (build.ok && existsSync(join(repoRoot, 'scripts', 'makeTestModels.mjs'))) {
    const models = step('test model generation', ['scripts/makeTestModels.mjs', '--tiny']);
    if (!models.ok) problems.push('making the test models failed');
  }

  if (runUnit) {
    const r = build.ok ? await runMochaPart('unit') : { passed: 0, failed: 0, error: 'not run: the build failed', ms: 0 };
    parts.push(['unit', r]);
  }
  if (runWebview) {
    parts.push(['webview', build.ok ? await runWebviewTests() : { passed: 0, failed: 0, error: 'not run: the build failed', ms: 0 }]);
  }
  if (runIntegrationPart) {
    if (build.ok) prepareLlamaServer();
    const r = build.ok ? await runIntegrationTests() : { passed: 0, failed: 0, error: 'not run: the build failed', ms: 0 };
    parts.push(['integration', r]);
    // The multi-root suites open their own two-folder workspace, so they are a run of their own.
    const multi = build.ok ? await runIntegrationTests({ suites: 'multi-root' }) : { passed: 0, failed: 0, error: 'not run: the build failed', ms: 0 };
    parts.push(['multi-root', multi]);
  }
  if (runVsixPart) {
    const r = build.ok ? await runVsixTests() : { passed: 0, failed: 0, error: 'not run: the build failed', ms: 0 };
    parts.push(['vsix', r]);
  }

  await stopModelHosts();

  console.log('\nSummary');
  let passed = 0;
  let failed = 0;
  for (const [name, r] of parts) {
    passed += r.passed;
    failed += r.failed;
    const note = r.error ? ` -- ${r.error}` : '';
    console.log(`  ${`${name}:`.padEnd(13)} ${r.passed} passing, ${r.failed} failing (${seconds(r.ms)})${note}`);
  }
  const partFailed = parts.some(([, r]) => r.error);
  for (const p of problems) console.log(`  problem: ${p}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 || partFailed || problems.length > 0 ? 1 : 0;
}

await main();
