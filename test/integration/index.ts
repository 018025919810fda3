// Entry point VS Code calls inside the extension host (extensionTestsPath): runs the integration
// suites with mocha and reports to the driver (scripts/runIntegration.mjs).
//
// Reporting: the reporter's lines go to the file named by BANTAM_TEST_LOG when set, which the
// driver streams to its stdout (in code-server the host's console only reaches the browser, mixed
// with the workbench's own log); otherwise to console.log. The counts and failures go to
// BANTAM_TEST_RESULTS as JSON.
// Suites are listed here explicitly: esbuild bundles them into dist/test/integration.js, and they
// must be loaded after mocha has installed describe/it as globals.
import * as fs from 'fs';
import * as path from 'path';
import { SourceMap } from 'module';
import { format } from 'util';
import Mocha from 'mocha';

/**
 * Suites in run order, each in a group. Add a line per new suite file. The `default` group is the
 * normal run (the repo loaded as the extension under development); the `vsix` group runs against the
 * packaged extension installed from this machine's dist/bantam-<target>.vsix (scripts/runIntegration.mjs
 * --vsix); the `multi-root` group runs in a two-folder workspace the driver writes (its own run).
 */
const suites: ReadonlyArray<[name: string, group: 'default' | 'vsix' | 'multi-root', load: () => unknown]> = [
  ['activation.test', 'default', () => require('./activation.test')],
  ['completion.test', 'default', () => require('./completion.test')],
  ['ollama.test', 'default', () => require('./ollama.test')],
  ['teamServer.test', 'default', () => require('./teamServer.test')],
  ['ghostText.test', 'default', () => require('./ghostText.test')],
  ['context.test', 'default', () => require('./context.test')],
  ['frontier.test', 'default', () => require('./frontier.test')],
  ['frontierRouting.test', 'default', () => require('./frontierRouting.test')],
  ['chat.test', 'default', () => require('./chat.test')],
  ['hostileWorkspace.test', 'default', () => require('./hostileWorkspace.test')],
  ['nextEdit.test', 'default', () => require('./nextEdit.test')],
  ['vsix.test', 'vsix', () => require('./vsix.test')],
  ['multiRoot.test', 'multi-root', () => require('./multiRoot.test')],
];

/**
 * The suites this run loads: env BANTAM_TEST_SUITES is a comma-separated list of group names and/or
 * suite names (`vsix`, `completion.test`, ...); unset or empty means the `default` group.
 */
function selectedSuites(): ReadonlyArray<[name: string, load: () => unknown]> {
  const wanted = (process.env.BANTAM_TEST_SUITES || 'default').split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = wanted.filter((w) => !suites.some(([name, group]) => w === name || w === group));
  if (unknown.length > 0) throw new Error(`BANTAM_TEST_SUITES names no suite or group: ${unknown.join(', ')}`);
  return suites.filter(([name, group]) => wanted.includes(name) || wanted.includes(group)).map(([name, , load]) => [name, load]);
}

export interface IntegrationResults {
  passed: number;
  failed: number;
  failures: Array<{ title: string; error: string; stack?: string }>;
  durationMs: number;
}

function makeSink(): (line: string) => void {
  const logFile = process.env.BANTAM_TEST_LOG;
  if (!logFile) return (line) => console.log(line);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  // Synchronous appends keep the order and survive the host being killed right after.
  return (line) => fs.appendFileSync(logFile, `${line}\n`);
}

function writeResults(results: IntegrationResults): void {
  const file = process.env.BANTAM_TEST_RESULTS;
  if (!file) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(results, null, 2));
}

let bundleMap: SourceMap | null | undefined;

/**
 * Rewrites frames in this bundle to their TypeScript source lines. The extension host loads the
 * bundle without --enable-source-maps, so failures would otherwise point into dist/.
 */
function mapStack(stack: string): string {
  if (bundleMap === undefined) {
    try {
      bundleMap = new SourceMap(JSON.parse(fs.readFileSync(`${__filename}.map`, 'utf8')));
    } catch {
      bundleMap = null;
    }
  }
  const map = bundleMap;
  if (!map) return stack;
  // mocha has already made some frames relative to the working directory.
  const names = [__filename, path.relative(process.cwd(), __filename)].map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const frame = new RegExp(`(?:${names.join('|')}):(\\d+):(\\d+)`, 'g');
  return stack.replace(frame, (whole, line: string, column: string) => {
    const entry = map.findEntry(Number(line) - 1, Number(column) - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
    if (!entry.originalSource || entry.originalLine === undefined || entry.originalColumn === undefined) return whole;
    const source = entry.originalSource.startsWith('file://') ? new URL(entry.originalSource).pathname : path.resolve(path.dirname(__filename), entry.originalSource);
    return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}

function describeError(err: unknown): { error: string; stack?: string } {
  if (err instanceof Error) return { error: err.message, stack: err.stack };
  return { error: String(err) };
}

export function run(): Promise<void> {
  const sink = makeSink();
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => sink(format(...args));

  const grep = process.env.BANTAM_TEST_GREP;
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: false,
    timeout: Number(process.env.BANTAM_TEST_TIMEOUT_MS) || 60_000,
    ...(grep ? { grep } : {}),
  });

  const results: IntegrationResults = { passed: 0, failed: 0, failures: [], durationMs: 0 };
  const started = Date.now();

  // Installs describe/it/before... as globals, as `mocha.loadFiles` would before each file.
  mocha.suite.emit('pre-require', globalThis, 'integration', mocha);
  let selected: ReadonlyArray<[name: string, load: () => unknown]> = [];
  try {
    selected = selectedSuites();
  } catch (err) {
    results.failed++;
    results.failures.push({ title: 'selecting suites', ...describeError(err) });
    sink(describeError(err).error);
  }
  for (const [name, load] of selected) {
    try {
      load();
    } catch (err) {
      results.failed++;
      results.failures.push({ title: `loading suite ${name}`, ...describeError(err) });
      sink(`failed to load suite ${name}: ${describeError(err).stack ?? describeError(err).error}`);
    }
  }

  return new Promise<void>((resolve, reject) => {
    try {
      const runner = mocha.run(() => {
        results.durationMs = Date.now() - started;
        writeResults(results);
        if (results.failed > 0) reject(new Error(`${results.failed} integration test(s) failed`));
        else resolve();
      });
      runner.on('pass', () => {
        results.passed++;
      });
      runner.on('fail', (test, err) => {
        // The reporter prints failures at the end, so mapping the stack here is in time.
        if (err instanceof Error && err.stack) err.stack = mapStack(err.stack);
        results.failed++;
        results.failures.push({ title: test.fullTitle(), ...describeError(err) });
      });
    } catch (err) {
      results.failed++;
      results.failures.push({ title: 'running mocha', ...describeError(err) });
      results.durationMs = Date.now() - started;
      writeResults(results);
      reject(err);
    }
  });
}
