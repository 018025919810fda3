// The inline-completion latency benchmark (`npm run bench:completion [-- --quick]`).
// Replays seeded, human-paced typing traces over real-size TypeScript and Python files against the
// real engine and the real llama worker, once per variant (Bantam's layout with one long-lived KV
// sequence; the same prompt on a fresh sequence; the standard PSM layout with prefix reuse only),
// each variant in its own worker process and strictly one after another (2 cores). It measures the
// machine's prompt and generation rates to give each request its model floor, prints a table per
// variant, and ends with one JSON line. Knobs: bench/benchOptions.ts.
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { configFrom } from '../src/core/config';
import { CompletionEngine } from '../src/core/completion/engine';
import { buildPrompt } from '../src/core/completion/promptBuilder';
import { LocalLlamaBackend } from '../src/core/providers/local/localLlamaBackend';
import { defaultThreads } from '../src/core/providers/local/localLlamaDefaults';
import { parseBenchOptions, type BenchOptions } from './benchOptions';
import { resolveBenchModel } from './benchModel';
import { buildResult, printComparison, printVariant } from './benchReport';
import { now, sleep } from './clock';
import { calibrateCostCurve, type CostCurve } from './costCurve';
import { CpuContention, settleMachine } from './cpuContention';
import { loadFixtures } from './fixtures';
import { machineInfo } from './machineInfo';
import { bestRates, LlamaServerProcess, llamaServerBinary } from '../test/support/llamaServer';
import { LLAMA_VSCODE_SHIPPED, LLAMA_VSCODE_SIZED, LlamaVscodeClient } from './llamaVscodeClient';
import { SampleRecorder, type RequestPhase } from './requestSamples';
import { SimulatedDocument } from './simulatedDocument';
import { generateTrace, type TraceOptions } from './traceGenerator';
import { TraceReplayer } from './traceReplayer';
import type { FileTrace } from './typingTrace';
import { summarize, type VariantRun, type VariantSummary } from './variantSummary';
import { DEFAULT_VARIANTS, FIXED_MAX_TOKENS, VARIANTS, type VariantSpec } from './variants';
import { startBenchContext, type BenchContext } from './benchContext';

const UNCAPPED_TIMEOUT_MS = 30_000;

// out/bench/completionBench.js -> repository root.
const root = resolve(__dirname, '..', '..');

interface Sizing {
  trace: TraceOptions;
  /** New-token counts the cost curve is measured at, and repeats per point. */
  curveSizes: number[];
  curveRepeats: number;
  /** Isolated requests per file for the fresh-sequence baseline (each costs a full prompt, ~4-5 s). */
  freshSamplesPerFile: number;
}

function sizing(quick: boolean): Sizing {
  // Full: ~40 s of typing per file x 4 files per real-time variant, 6 fresh samples per file,
  // about 9-10 minutes in all here. Quick: 2 files, ~12 s each, 2 fresh samples per file.
  return quick
    ? {
        trace: { budgetMs: 12_000, maxEditPoints: 2, maxSpanChars: 110 },
        freshSamplesPerFile: 2,
        curveSizes: [1, 24, 128],
        curveRepeats: 2,
      }
    : {
        trace: { budgetMs: 34_000, maxEditPoints: 4, maxSpanChars: 220 },
        freshSamplesPerFile: 6,
        curveSizes: [1, 2, 4, 8, 16, 24, 32, 48, 64, 128, 256],
        curveRepeats: 3,
      };
}

/** Baseline (c): llama.vscode's client against a real llama-server on the same model and threads. */
async function runServerVariant(spec: VariantSpec, traces: FileTrace[], modelPath: string, options: BenchOptions): Promise<VariantRun> {
  const config = configFrom(options.settings);
  const cores = await settleMachine(machineInfo().cores, options.waitIdle);
  const started = now();
  const binary = llamaServerBinary(root);
  const threads = config.embedded.threads > 0 ? config.embedded.threads : defaultThreads();
  const shipped = options.llamaVscode === 'shipped';
  const server = new LlamaServerProcess(binary, {
    model: modelPath,
    threads,
    flashAttention: config.embedded.flashAttention,
    // As shipped, llama.vscode's server runs with --ctx-size 0: the model's whole context.
    contextSize: shipped ? 0 : config.embedded.contextSize,
    cacheReuse: 256,
    slots: 1,
  });
  const loadStart = now();
  await server.start();
  const loadMs = now() - loadStart;
  const recorder = new SampleRecorder();
  const settings = shipped ? LLAMA_VSCODE_SHIPPED : LLAMA_VSCODE_SIZED;
  const client = new LlamaVscodeClient(server, FIXED_MAX_TOKENS, recorder.onTimings, options.seed, settings);
  console.log(`  ${spec.key}: llama.vscode ${options.llamaVscode}: ${settings.nPrefix} lines above, ${settings.nSuffix} below, ring of ${settings.ringChunks} chunks`);
  try {
    const { rates, measured } = await bestRates(options.quick ? 1 : 3, () => server.measureRates());
    console.log(
      `  ${spec.key}: llama-server ${binary.split('/').slice(-2, -1)[0]} ready in ${loadMs.toFixed(0)} ms (${threads} threads, flash attention ` +
        `${config.embedded.flashAttention ? 'on' : 'off'}, context ${shipped ? "the model's" : config.embedded.contextSize}, --cache-reuse 256); rates (best of ${measured.length}): ` +
        `prompt ${rates.promptTokPerS.toFixed(0)} tok/s, generation ${rates.genTokPerS.toFixed(1)} tok/s`,
    );
    const pids = () => (server.pid === undefined ? [] : [server.pid]);
    const contention = new CpuContention(cores);
    contention.begin(pids());
    const replayer = new TraceReplayer(client, recorder);
    const replays: VariantRun['replays'] = [];
    for (const trace of traces) {
      const fileContention = new CpuContention(cores);
      fileContention.begin(pids());
      const counts = await replayer.replay(trace);
      const fileForeign = fileContention.end(pids());
      replays.push({ file: trace.name, counts, foreignCores: fileForeign });
      const mine = recorder.samples.filter((s) => s.file === trace.name && s.phase !== 'prime');
      console.log(
        `  ${spec.key}: ${trace.name} done in ${(counts.elapsedMs / 1000).toFixed(1)} s, ${mine.length} requests, ` +
          `${mine.filter((s) => s.timings.firstTokenMs !== undefined).length} answers${counts.errors ? `, ${counts.errors} errors (${counts.lastError})` : ''}`,
      );
    }
    const foreignCores = contention.end(pids());
    return { spec, samples: recorder.samples, replays, rates, loadMs, wallMs: now() - started, foreignCores, threads };
  } finally {
    client.dispose();
    await server.stop();
    await sleep(1000);
  }
}

async function runVariant(
  spec: VariantSpec,
  traces: FileTrace[],
  modelPath: string,
  options: BenchOptions,
  size: Sizing,
  /** Measure the cost curve in this variant's worker (done once, by the first variant). */
  calibrate: boolean,
): Promise<{ run: VariantRun; curve: CostCurve | undefined }> {
  const config = configFrom(options.settings);
  const cores = await settleMachine(machineInfo().cores, options.waitIdle);
  const started = now();
  const backend = new LocalLlamaBackend({
    workerPath: join(root, 'dist', 'modelHost.js'),
    modelPath,
    // 0 means "the measured default", which the backend applies when given nothing.
    threads: config.embedded.threads > 0 ? config.embedded.threads : undefined,
    flashAttention: config.embedded.flashAttention,
    contextSize: config.embedded.contextSize,
    log: options.verbose ? (line) => console.log(`    ${line}`) : undefined,
    // Its own host: nothing else the user runs shares (or slows) the measured one.
    host: { shared: false },
  });
  // Cold priming requests and the isolated fresh-sequence samples measure what a full prompt costs,
  // so they run without the product's generation timeout (3 s by default, which a cold ~1,100-token
  // prompt on one thread exceeds: it would come back with no first token and no figure at all).
  // Real-time typing keeps the engine's defaults.
  const uncapped = configFrom({ ...options.settings, 'completion.timeoutMs': UNCAPPED_TIMEOUT_MS });
  let phase: RequestPhase = 'trace';
  const recorder = new SampleRecorder();
  const engineLog: string[] = [];
  let benchContext: BenchContext | undefined;
  if (spec.context) {
    benchContext = await startBenchContext(root, traces);
    console.log(`  ${spec.key}: indexed ${benchContext.files} files of the fixture workspace`);
  }
  const engine = new CompletionEngine({
    backend: () => backend,
    loadedBackend: () => backend,
    context: benchContext?.context,
    config: () => (phase === 'trace' ? config : uncapped).completion,
    experiment: {
      ...spec.experiment,
      prefetchOnShow: options.prefetchOnShow,
      readAhead: options.readAhead && spec.experiment.readAhead !== false,
    },
    onTimings: recorder.onTimings,
    log: (message) => {
      engineLog.push(message);
      if (options.verbose) console.log(`    engine: ${message}`);
    },
  });
  try {
    const loadStart = now();
    await backend.load();
    const loadMs = now() - loadStart;
    const info = backend.modelInfo?.info;
    const threads = info?.threads ?? NaN;
    let curve: CostCurve | undefined;
    if (calibrate) {
      const first = traces[0]!;
      const doc = new SimulatedDocument(first.relativePath, first.languageId, first.initialText, first.initialOffset);
      const base = buildPrompt(doc.request(), await backend.family(), config.completion.budgets, []);
      curve = await calibrateCostCurve(backend, base, size.curveSizes, size.curveRepeats);
      console.log(
        `  ${spec.key}: cost curve (new tokens on a cached ${first.name} prompt -> ms to first token): ` +
          curve.points.map((p) => `${p.newTokens}->${p.ttftMs.toFixed(0)}`).join(', '),
      );
    }
    // Rates drop the KV cache, so measure before the traces: the first priming request is then cold.
    // One measurement swings several-fold when anything else wakes up on a 2-core machine; the
    // best of a few is the machine's real capability, which is what a floor should use.
    const { rates, measured } = await bestRates(options.quick ? 1 : 3, () => backend.measureRates());
    console.log(
      `  ${spec.key}: model loaded in ${loadMs.toFixed(0)} ms (${threads} threads, flash attention ${info?.flashAttention ? 'on' : 'off'}, ` +
        `context ${info?.contextSize}); rates (best of ${measured.length}): prompt ` +
        `${rates.promptTokPerS.toFixed(0)} tok/s [${measured.map((r) => r.promptTokPerS.toFixed(0)).join(', ')}], ` +
        `generation ${rates.genTokPerS.toFixed(1)} tok/s [${measured.map((r) => r.genTokPerS.toFixed(1)).join(', ')}]`,
    );

    const contention = new CpuContention(cores);
    const pids = () => (backend.pid === undefined ? [] : [backend.pid]);
    contention.begin(pids());
    const replayer = new TraceReplayer(engine, recorder, (next) => {
      phase = next;
    });
    const replays: VariantRun['replays'] = [];
    for (const trace of traces) {
      const fileContention = new CpuContention(cores);
      fileContention.begin(pids());
      const counts =
        spec.mode === 'real-time' ? await replayer.replay(trace) : await replayer.replaySampled(trace, size.freshSamplesPerFile);
      const fileForeign = fileContention.end(pids());
      replays.push({ file: trace.name, counts, foreignCores: fileForeign });
      const mine = recorder.samples.filter((s) => s.file === trace.name && s.phase !== 'prime');
      const firstTokens = mine.filter((s) => s.timings.firstTokenMs !== undefined).length;
      console.log(
        `  ${spec.key}: ${trace.name} done in ${(counts.elapsedMs / 1000).toFixed(1)} s, ${mine.length} requests, ` +
          `${firstTokens} first tokens${counts.errors ? `, ${counts.errors} errors (${counts.lastError})` : ''}` +
          (fileForeign !== undefined && fileForeign >= 0.3 ? `; other processes used ${fileForeign.toFixed(2)} cores meanwhile` : ''),
      );
    }
    const foreignCores = contention.end(pids());
    if (recorder.untaggedCount > 0) console.log(`  ${spec.key}: ${recorder.untaggedCount} timings for requests the bench did not send`);
    if (engineLog.length > 0 && !options.verbose) console.log(`  ${spec.key}: engine log (last 3): ${engineLog.slice(-3).join(' | ')}`);
    return { run: { spec, samples: recorder.samples, replays, rates, loadMs, wallMs: now() - started, foreignCores, threads }, curve };
  } finally {
    engine.dispose();
    backend.dispose();
    benchContext?.dispose();
    // Let the killed worker release both cores before the next variant loads.
    await sleep(1000);
  }
}

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  const size = sizing(options.quick);
  const workerPath = join(root, 'dist', 'modelHost.js');
  if (!existsSync(workerPath)) throw new Error(`${workerPath} is missing; run node scripts/build.mjs first`);
  const modelPath = resolveBenchModel(root, options.model);
  const machine = machineInfo();

  const traces = loadFixtures(root, options.quick).map((f) => generateTrace(f, options.seed, size.trace));
  const variants = VARIANTS.filter((v) => (options.only ?? DEFAULT_VARIANTS).includes(v.key));
  const plannedS = traces.reduce((a, t) => a + t.plannedMs, 0) / 1000;
  console.log(`Bantam completion benchmark${options.quick ? ' (quick)' : ''}: ${machine.cpu}, ${machine.cores} cores, ${machine.ram_gb} GB, Node ${machine.node}`);
  console.log(`model ${modelPath}`);
  if (Object.keys(options.settings).length > 0) console.log(`settings overridden: ${JSON.stringify(options.settings)}`);
  console.log(`traces (seed ${options.seed}), ${plannedS.toFixed(0)} s of typing per real-time variant:`);
  for (const t of traces) {
    const keys = t.steps.filter((s) => s.kind !== 'pause').length;
    const points = t.editPoints.map((p) => `${p.kind === 'lines' ? `${p.text.split('\n').length} lines` : 'rest of line'} @${p.line}`).join(', ');
    console.log(`  ${t.name.padEnd(26)} ${t.initialText.split('\n').length} lines, ${keys} keystrokes, ${(t.plannedMs / 1000).toFixed(1)} s: ${points}`);
  }
  console.log(
    `fresh-sequence baseline: ${size.freshSamplesPerFile} isolated requests per file at evenly spaced trace states ` +
      `(no generation timeout, like the cold priming requests)`,
  );

  const started = now();
  const runs: VariantRun[] = [];
  let curve: CostCurve | undefined;
  for (const spec of variants) {
    console.log(`\nrunning ${spec.label}...`);
    if (spec.server) {
      runs.push(await runServerVariant(spec, traces, modelPath, options));
      continue;
    }
    const result = await runVariant(spec, traces, modelPath, options, size, curve === undefined);
    runs.push(result.run);
    curve ??= result.curve;
  }
  const summaries: VariantSummary[] = runs.map((run) => summarize(run, curve));
  if (options.dump) {
    const lines = runs.flatMap((run) => run.samples.map((sample) => JSON.stringify({ variant: run.spec.key, ...sample })));
    writeFileSync(options.dump, `${lines.join('\n')}\n`);
    console.log(`request records written to ${options.dump}`);
  }

  for (const s of summaries) printVariant(s);
  printComparison(summaries);
  const traceNote =
    `${traces.length} files, real-time replay of ${plannedS.toFixed(0)} s planned typing per variant; ` +
    `fresh baseline sampled at ${size.freshSamplesPerFile} states per file, one isolated request each, no timeout`;
  const result = buildResult(summaries, machine, {
    model: modelPath.split('/').pop() ?? modelPath,
    quick: options.quick,
    seed: options.seed,
    wallMs: now() - started,
    traceNote,
    curve,
    settings: options.settings,
    productTimeoutMs: configFrom(options.settings).completion.timeoutMs,
  });
  console.log('');
  console.log(JSON.stringify(result));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`completion benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
