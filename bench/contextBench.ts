// The codebase-context benchmark (`npm run bench:context [-- --quick] [--tree DIR] [--skip-ttft]`).
//  1. Indexing: a large real code tree available offline (default: this repository's node_modules,
//     thousands of .ts/.js files) indexed from scratch by the real index worker thread, exactly as
//     the extension runs it. Files/s, lines/s, the process's peak RSS (host + worker), and the
//     longest stall of this (host) thread's event loop while the worker indexes.
//  2. Retrieval: typing replayed in files of that tree; per keystroke the document change and a
//     retrieval go to the worker as the extension sends them; round-trip latency p50/p95.
//  3. Recall (bench/recallBench.ts): on real projects available offline, the share of call sites
//     whose callee's definition retrieval sends, with the callee typed and on the empty call line, at
//     512 and 2,048 tokens, next to a workspace-wide Jaccard "similar snippets" baseline.
//     --recall-only runs this part alone; --recall-held-out adds the held-out set (bench/recallCorpus.ts:
//     other packages of node_modules and of Python's library, Go modules from Debian's golang-*-dev);
//     --recall-corpus DIR adds each folder of DIR as a held-out project; --recall-samples N call
//     sites per language (default 60, 10 with --quick);
//     --recall-misses prints every miss at 512 tokens.
//  4. TTFT with context on vs off: the completion benchmark's real-time typing traces with the
//     'bantam' and 'context' variants (bench/completionBench.ts --only bantam,context).
// Prints its figures; the last line is one JSON object.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { promptWindowLines } from '../src/core/completion/promptBuilder';
import { configFrom } from '../src/core/config';
import type { IndexProgress } from '../src/core/context/contextTypes';
import { ContextService } from '../src/core/context/contextService';
import { languageForPath } from '../src/core/context/languages/registry';
import { TREE_EXCLUDES } from './benchTree';
import { now } from './clock';
import { distribution } from './distribution';
import { machineInfo } from './machineInfo';
import { measureRecall, recallJson, recallLine, type RecallReport } from './recallBench';
import { SeededRandom } from './seededRandom';

const root = resolve(__dirname, '..', '..');

interface Options {
  quick: boolean;
  tree: string;
  skipTtft: boolean;
  maxFiles: number;
  recallOnly: boolean;
  recallCorpus: string | undefined;
  recallHeldOut: boolean;
  recallSamples: number;
  recallMisses: boolean;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      tree: { type: 'string', default: join(root, 'node_modules') },
      'skip-ttft': { type: 'boolean', default: false },
      'max-files': { type: 'string', default: '50000' },
      'recall-only': { type: 'boolean', default: false },
      'recall-corpus': { type: 'string' },
      'recall-held-out': { type: 'boolean', default: false },
      'recall-samples': { type: 'string' },
      'recall-misses': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const maxFiles = Number.parseInt(values['max-files'], 10);
  if (!Number.isInteger(maxFiles) || maxFiles < 1) throw new Error(`--max-files needs a whole number, got ${values['max-files']}`);
  const recallSamples = Number.parseInt(values['recall-samples'] ?? (values.quick ? '10' : '60'), 10);
  if (!Number.isInteger(recallSamples) || recallSamples < 1) throw new Error(`--recall-samples needs a whole number, got ${values['recall-samples']}`);
  return {
    quick: values.quick,
    tree: resolve(values.tree),
    skipTtft: values['skip-ttft'],
    maxFiles: values.quick ? Math.min(maxFiles, 1500) : maxFiles,
    recallOnly: values['recall-only'],
    recallCorpus: values['recall-corpus'] === undefined ? undefined : resolve(values['recall-corpus']),
    recallHeldOut: values['recall-held-out'],
    recallSamples,
    recallMisses: values['recall-misses'],
  };
}


interface IndexFigures {
  progress: IndexProgress;
  seconds: number;
  peakRssMb: number;
  baseRssMb: number;
  maxStallMs: number;
  p99StallMs: number;
}

async function measureIndexing(client: ContextService): Promise<IndexFigures> {
  const baseRssMb = process.memoryUsage.rss() / 2 ** 20;
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 20);
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const start = now();
  let lastPrint = 0;
  const progress = await client.index((p) => {
    if (now() - lastPrint > 2000) {
      lastPrint = now();
      console.log(`  ${p.phase}: ${p.done}/${p.total} files`);
    }
  });
  const seconds = (now() - start) / 1000;
  loop.disable();
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  return {
    progress,
    seconds,
    peakRssMb: peakRss / 2 ** 20,
    baseRssMb,
    // monitorEventLoopDelay reports delay beyond its 1 ms timer: the stall itself.
    maxStallMs: loop.max / 1e6,
    p99StallMs: loop.percentile(99) / 1e6,
  };
}

/** Files of the tree to type in: TS/JS sources of a workable size, spread over the tree. */
function pickFiles(tree: string, files: readonly string[], count: number): { file: string; text: string }[] {
  const candidates = files.filter((f) => {
    const lang = languageForPath(f);
    return (lang === 'typescript' || lang === 'javascript') && !f.endsWith('.d.ts');
  });
  const picked: { file: string; text: string }[] = [];
  const step = Math.max(1, Math.floor(candidates.length / (count * 3)));
  for (let i = 0; i < candidates.length && picked.length < count; i += step) {
    const text = readFileSync(join(tree, candidates[i]!), 'utf8');
    const lines = text.split('\n').length;
    if (lines >= 60 && lines <= 3000 && text.length < 200_000) picked.push({ file: candidates[i]!, text });
  }
  return picked;
}

/** Replays typing of whole lines; every keystroke sends the change and a retrieval, as the extension does. */
async function measureRetrieval(
  client: ContextService,
  files: readonly { file: string; text: string }[],
  linesPerFile: number,
): Promise<{ latencies: number[]; snippets: number[]; tokens: number[] }> {
  const random = new SeededRandom(11);
  const budgets = configFrom().completion.budgets;
  const latencies: number[] = [];
  const snippets: number[] = [];
  const tokens: number[] = [];
  for (const { file, text: original } of files) {
    const languageId = languageForPath(file) === 'typescript' ? 'typescript' : 'javascript';
    client.events!.documentOpened(file, languageId, original);
    const lines = original.split('\n');
    for (let n = 0; n < linesPerFile; n++) {
      // A non-trivial line past the imports, retyped from empty.
      let target = -1;
      for (let tries = 0; tries < 20 && target < 0; tries++) {
        const candidate = 20 + Math.floor(random.next() * (lines.length - 25));
        const trimmed = lines[candidate]?.trim() ?? '';
        if (trimmed.length >= 12 && trimmed.length <= 100) target = candidate;
      }
      if (target < 0) continue;
      const line = lines[target]!;
      const indent = line.length - line.trimStart().length;
      const before = lines.slice(0, target).join('\n') + '\n' + line.slice(0, indent);
      const after = '\n' + lines.slice(target + 1).join('\n');
      for (let typed = 0; typed <= line.length - indent; typed++) {
        const text = before + line.slice(indent, indent + typed) + after;
        const offset = before.length + typed;
        const start = now();
        client.events!.documentChanged(file, text, [{ startLine: target + 1, endLine: target + 1, lineDelta: 0 }]);
        const result = await client.retrieve({
          file,
          languageId,
          text,
          offset,
          budgetTokens: budgets.contextTokens,
          visibleLines: promptWindowLines({ text, offset }, budgets),
        });
        latencies.push(now() - start);
        snippets.push(result.snippets.length);
        tokens.push(result.tokens);
      }
    }
    client.events!.documentChanged(file, original, []);
    client.events!.documentClosed(file);
  }
  return { latencies, snippets, tokens };
}

/** The completion benchmark's bantam and context variants, in a child process; its JSON line. */
function measureTtft(quick: boolean): Record<string, unknown> | undefined {
  const args = [join(root, 'out', 'bench', 'completionBench.js'), '--only', 'bantam,context', ...(quick ? ['--quick'] : [])];
  console.log(`\n== TTFT with context on vs off: node ${args.join(' ')} ==`);
  const child = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = (child.stdout ?? '').trimEnd().split('\n');
  for (const line of lines.slice(0, -1)) console.log(`  | ${line}`);
  if (child.status !== 0) {
    console.log(`  completion benchmark failed (exit ${child.status})`);
    return undefined;
  }
  return JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>;
}

/** Seed of the call-site sample: the same sites on every machine and run. */
const RECALL_SEED = 16;

async function measureRecallPart(options: Options): Promise<RecallReport> {
  console.log(`\n== Recall: the callee's definition among the snippets (${options.recallSamples} call sites per language) ==`);
  const report = await measureRecall({
    repoRoot: root,
    perLanguage: options.recallSamples,
    seed: RECALL_SEED,
    heldOutDir: options.recallCorpus,
    heldOutSet: options.recallHeldOut,
    showMisses: options.recallMisses,
    log: (line) => console.log(line),
  });
  console.log('  share of call sites hit, at 512 / 2,048 tokens:');
  for (const [group, tally] of Object.entries(report.byLanguage)) console.log(recallLine(group, tally));
  for (const [kind, tally] of Object.entries(report.byKind)) console.log(recallLine(`callee ${kind}`, tally));
  console.log(recallLine('overall', report.overall));
  if (report.heldOut) console.log(recallLine('held-out', report.heldOut));
  const excluded = Object.entries(report.excluded).map(([rule, n]) => `${rule} ${n}`).join(', ');
  console.log(`  calls of project callees the sampler left out (occurrences, all sets): ${excluded || 'none'}`);
  return report;
}

const round = (v: number, digits = 1): number | null => (Number.isFinite(v) ? Number(v.toFixed(digits)) : null);

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const machine = machineInfo();
  console.log(`Bantam context benchmark${options.quick ? ' (quick)' : ''}: ${machine.cpu}, ${machine.cores} cores, ${machine.ram_gb} GB, Node ${machine.node}`);
  if (options.recallOnly) {
    const recall = await measureRecallPart(options);
    console.log('');
    console.log(JSON.stringify({ bench: 'context', ...recallJson(recall), quick: options.quick, machine }));
    return;
  }
  console.log(`tree ${options.tree} (excludes ${TREE_EXCLUDES.join(', ')}; at most ${options.maxFiles} files)`);

  const storage = mkdtempSync(join(tmpdir(), 'bantam-bench-index-'));
  const start = (): ContextService => {
    const service = new ContextService({
      workerPath: join(root, 'dist', 'indexWorker.js'),
      grammarDir: join(root, 'grammars'),
      root: options.tree,
      storageDir: storage,
      settings: () => ({ ...configFrom().context, enabled: true, exclude: TREE_EXCLUDES, maxFiles: options.maxFiles }),
      log: () => {},
    });
    service.start();
    return service;
  };
  const client = start();
  try {
    console.log('\n== Indexing from scratch, in the worker thread ==');
    const index = await measureIndexing(client);
    const { progress } = index;
    const parsed = progress.done - progress.cached;
    const filesPerS = parsed / index.seconds;
    const linesPerS = (progress.lines ?? NaN) / index.seconds;
    console.log(
      `  ${progress.done} files indexed (${progress.cached} from cache), ${progress.skipped} skipped, ${progress.lines ?? '?'} lines ` +
        `in ${index.seconds.toFixed(1)} s: ${filesPerS.toFixed(0)} files/s, ${linesPerS.toFixed(0)} lines/s`,
    );
    console.log(`  peak RSS ${index.peakRssMb.toFixed(0)} MB (before: ${index.baseRssMb.toFixed(0)} MB), host event loop: longest stall ${index.maxStallMs.toFixed(1)} ms, p99 ${index.p99StallMs.toFixed(1)} ms`);

    console.log('\n== Restart: the same tree again with the persisted cache ==');
    await client.close();
    const again = start();
    try {
      const restartStart = now();
      const warm = await again.index();
      const restartS = (now() - restartStart) / 1000;
      console.log(`  ${warm.done} files, ${warm.cached} from the cache, in ${restartS.toFixed(1)} s`);

      console.log('\n== Retrieval per keystroke (typing whole lines in files of the tree) ==');
      const files = pickFiles(options.tree, await again.indexedFiles(), options.quick ? 6 : 20);
      const retrieval = await measureRetrieval(again, files, options.quick ? 2 : 4);
      const latency = distribution(retrieval.latencies);
      const snippetCount = distribution(retrieval.snippets);
      const tokenCount = distribution(retrieval.tokens);
      console.log(
        `  ${latency.n} keystrokes in ${files.length} files: p50 ${latency.p50.toFixed(2)} ms, p95 ${latency.p95.toFixed(2)} ms, max ${latency.max.toFixed(1)} ms; ` +
          `snippets p50 ${snippetCount.p50}, context tokens p50 ${tokenCount.p50}`,
      );

      const recall = await measureRecallPart(options);

      const ttft = options.skipTtft ? undefined : measureTtft(options.quick);
      const variants = (ttft?.variants ?? {}) as Record<string, { ttft_p50_ms?: number; ttft_p95_ms?: number }>;
      const withContext = variants.context?.ttft_p50_ms ?? NaN;
      const without = variants.bantam?.ttft_p50_ms ?? NaN;
      if (ttft) console.log(`  ttft p50 with context ${withContext} ms, without ${without} ms`);

      const result = {
        bench: 'context',
        index_files_per_s: round(filesPerS, 0),
        index_lines_per_s: round(linesPerS, 0),
        index_files: progress.done,
        index_skipped: progress.skipped,
        index_seconds: round(index.seconds),
        index_peak_rss_mb: round(index.peakRssMb, 0),
        restart_seconds: round(restartS),
        restart_cached_files: warm.cached,
        retrieval_p50_ms: round(latency.p50, 2),
        retrieval_p95_ms: round(latency.p95, 2),
        retrieval_keystrokes: latency.n,
        max_event_loop_stall_ms: round(index.maxStallMs),
        ttft_p50_ms_with_context: round(withContext),
        ttft_p95_ms_with_context: round(variants.context?.ttft_p95_ms ?? NaN),
        ttft_p50_ms_without_context: round(without),
        ...recallJson(recall),
        targets: {
          index_files_per_s_ge_300: filesPerS >= 300,
          retrieval_p95_le_15: latency.p95 <= 15,
          max_event_loop_stall_le_50: index.maxStallMs <= 50,
          ttft_p50_with_context_le_150: Number.isFinite(withContext) ? withContext <= 150 : null,
          recall_newline_512_ge_045: recall.overall.n > 0 ? recall.overall.hits.newline_512! / recall.overall.n >= 0.45 : null,
          recall_typed_512_ge_097: recall.overall.n > 0 ? recall.overall.hits.typed_512! / recall.overall.n >= 0.97 : null,
        },
        tree: options.tree,
        quick: options.quick,
        machine,
      };
      console.log('');
      console.log(JSON.stringify(result));
    } finally {
      await again.close();
    }
  } finally {
    await client.close();
    rmSync(storage, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`context benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
