// The several-windows benchmark (`npm run bench:windows [-- --quick]`), Bantam issue 14: three
// simulated VS Code windows, each typing its own file's trace, the user switching window every
// 10-20 s (bench/windowSchedule.ts), served three ways in the same run: one shared model host with a
// KV sequence per window (Bantam), one model process per window, and one sequence shared by all (a
// real llama-server with one slot, llama.vscode's requests from each window); plus a single window
// alone as the reference. Per way it samples the serving processes' memory, and measures keystroke ->
// first token and the prompt tokens read again after each switch. Ways run strictly one after
// another (2 cores). Ends with one JSON line. Knobs: bench/windowsOptions.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { configFrom } from '../src/core/config';
import { CompletionEngine } from '../src/core/completion/engine';
import type { LocalLlamaBackend } from '../src/core/providers/local/localLlamaBackend';
import { defaultThreads } from '../src/core/providers/local/localLlamaDefaults';
import { LlamaServerProcess, llamaServerBinary } from '../test/support/llamaServer';
import { resolveBenchModel } from './benchModel';
import { now, sleep } from './clock';
import { CpuContention, settleMachine } from './cpuContention';
import { distribution } from './distribution';
import { loadFixtures } from './fixtures';
import { LLAMA_VSCODE_SHIPPED, LLAMA_VSCODE_SIZED, LlamaVscodeClient } from './llamaVscodeClient';
import { machineInfo } from './machineInfo';
import type { RequestPhase } from './requestSamples';
import { MemorySampler } from './rssSampler';
import { accountReads } from './switchAccounting';
import { generateTrace } from './traceGenerator';
import { TraceReplayer, type ReplayTarget } from './traceReplayer';
import type { FileTrace } from './typingTrace';
import { FIXED_MAX_TOKENS, VARIANTS } from './variants';
import { playSchedule } from './windowPlayer';
import { WindowSampleRecorder } from './windowRecorder';
import { switchSchedule, type WindowSegment } from './windowSchedule';
import { parseWindowsOptions, type WindowsOptions } from './windowsOptions';
import { buildWindowsResult, printVerdict, printWay, switchFigures, windowsVerdict, type WayFigures } from './windowsReport';
import { WAY_LABELS, windowBackend, type WayKey } from './windowWays';

const WINDOWS = 3;
/** Priming a file (its first, cold prompt) runs without the product's 3 s generation timeout, as in bench:completion. */
const UNCAPPED_TIMEOUT_MS = 30_000;

// out/bench/windowsBench.js -> repository root.
const root = resolve(__dirname, '..', '..');

/** What a way leaves running while the schedule plays: the windows' replayers and how to stop them. */
interface WayHarness {
  replayers: TraceReplayer[];
  /** The serving processes, each once. */
  pids(): number[];
  /** Loads the model(s); resolves with the time it took. */
  load(): Promise<number>;
  dispose(): Promise<void>;
}

/** Windows served by Bantam's engine and model host(s): shared, one per window, or a single window alone. */
function engineHarness(way: Exclude<WayKey, 'shared-slot'>, windows: number, modelPath: string, recorder: WindowSampleRecorder, options: WindowsOptions): WayHarness {
  const config = configFrom({});
  const uncapped = configFrom({ 'completion.timeoutMs': UNCAPPED_TIMEOUT_MS });
  const hostDir = mkdtempSync(join(tmpdir(), 'bantam-windows-'));
  const log = options.verbose ? (line: string) => console.log(`    ${line}`) : undefined;
  const experiment = VARIANTS.find((v) => v.key === 'bantam')!.experiment;
  const backends: LocalLlamaBackend[] = [];
  const engines: CompletionEngine[] = [];
  const replayers: TraceReplayer[] = [];
  for (let i = 0; i < windows; i++) {
    const backend = windowBackend(way, i, { root, modelPath, config, hostDir, log });
    let phase: RequestPhase = 'prime';
    const engine = new CompletionEngine({
      backend: () => backend,
      loadedBackend: () => backend,
      config: () => (phase === 'trace' ? config : uncapped).completion,
      experiment,
      onTimings: recorder.onTimings,
      log: log ? (message) => log(`window ${i + 1} engine: ${message}`) : undefined,
    });
    backends.push(backend);
    engines.push(engine);
    replayers.push(
      new TraceReplayer(engine, recorder, (next) => {
        phase = next;
      }),
    );
  }
  return {
    replayers,
    // Clients of one shared host report the same pid: each process counts once (CPU and memory alike).
    pids: () => [...new Set(backends.flatMap((b) => (b.pid === undefined ? [] : [b.pid])))],
    load: async () => {
      const started = now();
      // One after another: with a shared host the first starts it and the others connect to it.
      for (const backend of backends) await backend.load();
      return now() - started;
    },
    dispose: async () => {
      for (const engine of engines) engine.dispose();
      for (const backend of backends) backend.dispose();
      // Let the killed hosts release both cores before the next way loads.
      await sleep(1000);
      rmSync(hostDir, { recursive: true, force: true });
    },
  };
}

/** One llama-server with one slot (--cache-reuse 256, as llama.vscode's docs recommend); each window runs llama.vscode's client. */
function serverHarness(windows: number, modelPath: string, recorder: WindowSampleRecorder, options: WindowsOptions): WayHarness {
  const config = configFrom({});
  const shipped = options.llamaVscode === 'shipped';
  const server = new LlamaServerProcess(llamaServerBinary(root), {
    model: modelPath,
    threads: config.embedded.threads > 0 ? config.embedded.threads : defaultThreads(),
    flashAttention: config.embedded.flashAttention,
    // As shipped, llama.vscode's server runs with --ctx-size 0: the model's whole context.
    contextSize: shipped ? 0 : config.embedded.contextSize,
    cacheReuse: 256,
    slots: 1,
  });
  const settings = shipped ? LLAMA_VSCODE_SHIPPED : LLAMA_VSCODE_SIZED;
  const clients = Array.from({ length: windows }, (_, i) => new LlamaVscodeClient(server, FIXED_MAX_TOKENS, recorder.onTimings, options.seed + i, settings));
  return {
    replayers: clients.map((client: ReplayTarget) => new TraceReplayer(client, recorder)),
    pids: () => (server.pid === undefined ? [] : [server.pid]),
    load: async () => {
      const started = now();
      await server.start();
      return now() - started;
    },
    dispose: async () => {
      for (const client of clients) client.dispose();
      await server.stop();
      await sleep(1000);
    },
  };
}

async function runWay(way: WayKey, traces: FileTrace[], schedule: WindowSegment[], modelPath: string, options: WindowsOptions): Promise<WayFigures> {
  const cores = await settleMachine(machineInfo().cores, options.waitIdle);
  const started = now();
  const windows = way === 'single' ? 1 : traces.length;
  const recorder = new WindowSampleRecorder(new Map(traces.slice(0, windows).map((t, i) => [t.name, i])));
  const harness = way === 'shared-slot' ? serverHarness(windows, modelPath, recorder, options) : engineHarness(way, windows, modelPath, recorder, options);
  const memory = new MemorySampler(() => harness.pids());
  try {
    memory.start();
    const loadMs = await harness.load();
    console.log(`  ${way}: loaded in ${loadMs.toFixed(0)} ms, serving process${harness.pids().length === 1 ? '' : 'es'} ${harness.pids().join(', ')}`);
    // The user opens the windows one after another; each primes its file (untimed).
    for (const [i, replayer] of harness.replayers.entries()) await replayer.open(traces[i]!);
    const contention = new CpuContention(cores);
    contention.begin(harness.pids());
    await playSchedule(harness.replayers, schedule, recorder);
    const foreignCores = contention.end(harness.pids());
    let errors = 0;
    for (const replayer of harness.replayers) errors += (await replayer.finish()).errors;
    const memorySummary = memory.stop();
    const timed = recorder.windowSamples.filter((s) => s.phase === 'trace');
    const firstTokens = (samples: typeof timed): number[] => samples.flatMap((s) => (s.timings.firstTokenMs === undefined ? [] : [s.timings.firstTokenMs]));
    const ttft = distribution(firstTokens(timed));
    const figures: WayFigures = {
      way,
      memory: memorySummary,
      ttft,
      ttftByWindow: harness.replayers.map((_, i) => distribution(firstTokens(timed.filter((s) => s.window === i)))),
      requests: timed.length,
      reachedModel: timed.filter((s) => s.timings.reachedModel).length,
      ...switchFigures(accountReads(recorder.fired, recorder.modelReads()), accountReads(recorder.fired, recorder.firstTokens())),
      foreignCores,
      loadMs,
      wallMs: now() - started,
      errors,
    };
    console.log(`  ${way}: done, ${figures.requests} requests, ${ttft.n} first tokens, ${plural(switchesIn(schedule), 'switch', 'switches')}`);
    return figures;
  } finally {
    memory.stop();
    await harness.dispose();
  }
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function switchesIn(schedule: readonly WindowSegment[]): number {
  return Math.max(0, schedule.length - 1);
}

async function main(): Promise<void> {
  const options = parseWindowsOptions(process.argv.slice(2));
  const modelPath = resolveBenchModel(root, options.model);
  const machine = machineInfo();
  const schedule = switchSchedule(options.seed, { windows: WINDOWS, runMs: options.runMs });
  const runMs = schedule[schedule.length - 1]!.endMs;
  // Each trace is long enough for its window to type through the whole run alone (the reference).
  const fixtures = loadFixtures(root, false).slice(0, WINDOWS);
  const traces = fixtures.map((f) => generateTrace(f, options.seed, { budgetMs: runMs, maxEditPoints: 40, maxSpanChars: 220 }));

  console.log(`Bantam several-windows benchmark${options.quick ? ' (quick)' : ''}: ${machine.cpu}, ${machine.cores} cores, ${machine.ram_gb} GB, Node ${machine.node}`);
  console.log(`model ${modelPath}; llama.vscode settings ${options.llamaVscode}`);
  console.log(`windows (seed ${options.seed}):`);
  for (const [i, t] of traces.entries()) {
    const keys = t.steps.filter((s) => s.kind !== 'pause').length;
    const short = t.plannedMs < runMs ? ` (shorter than the run: the window idles once it is done)` : '';
    console.log(`  window ${i + 1}: ${t.name.padEnd(26)} ${plural(t.editPoints.length, 'edit point')}, ${keys} keystrokes, ${(t.plannedMs / 1000).toFixed(0)} s of typing${short}`);
  }
  console.log(
    `schedule: ${(runMs / 1000).toFixed(0)} s per way, ${plural(switchesIn(schedule), 'switch', 'switches')}: ` +
      schedule.map((s) => `w${s.window + 1} ${((s.endMs - s.startMs) / 1000).toFixed(1)} s`).join(', '),
  );

  const single: WindowSegment[] = [{ window: 0, startMs: 0, endMs: runMs }];
  const ways: Partial<Record<WayKey, WayFigures>> = {};
  for (const way of options.ways) {
    console.log(`\nrunning ${WAY_LABELS[way]}...`);
    ways[way] = await runWay(way, traces, way === 'single' ? single : schedule, modelPath, options);
  }
  for (const figures of Object.values(ways)) printWay(figures);
  if (ways.bantam && ways.bantam.memory.processes > 1) {
    console.log(`\nnote: the Bantam way ran ${ways.bantam.memory.processes} model processes, not one shared host: its figures are not Bantam's`);
  }
  const verdict = windowsVerdict(ways);
  printVerdict(verdict);
  const result = buildWindowsResult(ways, verdict, {
    machine,
    model: modelPath.split('/').pop() ?? modelPath,
    quick: options.quick,
    seed: options.seed,
    windows: WINDOWS,
    switches: switchesIn(schedule),
    runS: runMs / 1000,
    llamaVscode: options.llamaVscode,
  });
  console.log('');
  console.log(JSON.stringify(result));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`windows benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
