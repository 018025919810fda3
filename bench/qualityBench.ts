// The suggestion-quality benchmark (`npm run bench:quality [-- options]`). No model weights: it
// judges what Bantam shows for given model output.
//   1. Oracle replay on real code nobody here wrote (bench/oracleReplay.ts): at every pause of a
//      typing trace an oracle writes the missing text plus seeded junk; Bantam's engine, the raw
//      output cut at its first line break, and the raw output are scored on the share of pauses with
//      a suggestion shown, useful characters over the missing text up to the end of its block, and
//      junk characters over characters shown.
//   2. Optional: a peer's post-processing suite (--peer-suite DIR, in the format of TabbyML/tabby's
//      cases: golden/**/*.toml and cases.json) run through the engine, typing and explicit.
// Options: --seed N (7), --files N per language (40; --quick: 6), --node-modules DIR (this
// checkout's), --peer-suite DIR, --verbose (the failing peer cases in full).
// The last line is one JSON object with the figures.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { machineInfo } from './machineInfo';
import { loadPeerSuite, type PeerCase } from './peerSuite';
import { runPeerCases, type PeerOutcome } from './peerSuiteRunner';
import { oracleSources } from './oracleSources';
import { replayOracle, type JunkKind, type PauseSample, type Suggester } from './oracleReplay';
import { generateTrace } from './traceGenerator';

// out/bench/qualityBench.js -> repository root.
const root = resolve(__dirname, '..', '..');

interface Options {
  seed: number;
  files: number;
  nodeModules: string;
  peerSuite: string | undefined;
  verbose: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      seed: { type: 'string' },
      files: { type: 'string' },
      quick: { type: 'boolean', default: false },
      'node-modules': { type: 'string' },
      'peer-suite': { type: 'string' },
      verbose: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const options: Options = {
    seed: values.seed === undefined ? 7 : Number.parseInt(values.seed, 10),
    files: values.files !== undefined ? Number.parseInt(values.files, 10) : values.quick ? 6 : 40,
    nodeModules: resolve(values['node-modules'] ?? resolve(root, 'node_modules')),
    peerSuite: values['peer-suite'] === undefined ? undefined : resolve(values['peer-suite']),
    verbose: values.verbose,
  };
  if (!Number.isFinite(options.seed) || !(options.files > 0)) throw new Error('--seed and --files need positive integers');
  return options;
}

interface Figures {
  pauses: number;
  shownRate: number;
  usefulRatio: number;
  junkRatio: number;
}

function figures(samples: readonly PauseSample[], who: Suggester): Figures {
  let shown = 0;
  let useful = 0;
  let junk = 0;
  let shownChars = 0;
  let block = 0;
  for (const s of samples) {
    const score = s.scores[who];
    if (score.shown) shown++;
    useful += score.useful;
    junk += score.junk;
    shownChars += score.shownChars;
    block += s.blockChars;
  }
  const ratio = (a: number, b: number): number => (b === 0 ? 0 : Math.round((a / b) * 1000) / 1000);
  return { pauses: samples.length, shownRate: ratio(shown, samples.length), usefulRatio: ratio(useful, block), junkRatio: ratio(junk, shownChars) };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

function printFigures(title: string, rows: Array<[string, Figures]>): void {
  console.log(`\n${title}`);
  console.log(`  ${'who'.padEnd(30)} ${'pauses'.padStart(7)} ${'shown'.padStart(8)} ${'useful'.padStart(8)} ${'junk'.padStart(8)}`);
  for (const [label, f] of rows) {
    console.log(`  ${label.padEnd(30)} ${String(f.pauses).padStart(7)} ${pct(f.shownRate).padStart(8)} ${pct(f.usefulRatio).padStart(8)} ${pct(f.junkRatio).padStart(8)}`);
  }
}

async function runOracle(options: Options): Promise<{ samples: PauseSample[]; files: number; complete: number; typos: number }> {
  const sources = oracleSources({ nodeModules: options.nodeModules, perLanguage: options.files, seed: options.seed });
  const samples: PauseSample[] = [];
  let complete = 0;
  let typos = 0;
  let files = 0;
  for (const source of sources) {
    let trace;
    try {
      trace = generateTrace(source, options.seed, { budgetMs: 34_000, maxEditPoints: 4, maxSpanChars: 220 });
    } catch {
      continue; // no line in the file worth retyping
    }
    const result = await replayOracle(trace, options.seed);
    samples.push(...result.samples);
    complete += result.completePauses;
    typos += result.typoPauses;
    files++;
  }
  return { samples, files, complete, typos };
}

function printPeer(cases: readonly PeerCase[], outcomes: readonly PeerOutcome[], verbose: boolean): void {
  const byId = new Map(cases.map((c) => [c.id, c]));
  const count = (pick: (o: PeerOutcome) => boolean, filter: (o: PeerOutcome) => boolean = () => true): string =>
    `${outcomes.filter((o) => filter(o) && pick(o)).length}/${outcomes.filter(filter).length}`;
  console.log(`\npeer suite: ${cases.length} cases`);
  console.log(`  typing-triggered  ${count((o) => o.typing)}   explicit  ${count((o) => o.explicit)}`);
  console.log(`  golden files      ${count((o) => o.typing, (o) => o.kind === 'golden')} typing, ${count((o) => o.explicit, (o) => o.kind === 'golden')} explicit`);
  console.log(`  cases the peer itself fails (notEqual / bad case): ${count((o) => o.typing, (o) => o.peerFails)} typing`);
  const failing = outcomes.filter((o) => !o.typing);
  if (failing.length > 0) console.log(`  failing typing-triggered: ${failing.map((o) => o.id + (o.peerFails ? ' (peer fails too)' : '')).join(', ')}`);
  if (!verbose) return;
  for (const o of failing) {
    const c = byId.get(o.id)!;
    const around = (doc: string): string => JSON.stringify(doc.slice(Math.max(0, c.offset - 60), c.offset + 160));
    console.log(`\n  ${o.id}\n    model    ${JSON.stringify(c.completion)}\n    expected ${around(c.expectedDocument)}\n    bantam   ${around(o.typingDocument)}`);
  }
}

/** The pauses where Bantam showed the most junk or missed the most, to read (--verbose). */
function printWorst(samples: readonly PauseSample[]): void {
  const show = (title: string, list: PauseSample[]): void => {
    console.log(`\n${title}`);
    for (const s of list) {
      const d = s.detail;
      console.log(`  ${s.file} [${s.junk}] useful ${s.scores.bantam.useful}/${s.blockChars}, junk ${s.scores.bantam.junk}`);
      console.log(`    line   ${JSON.stringify(d.linePrefix)} █ ${JSON.stringify(d.after.slice(0, 100))}\n    hole   ${JSON.stringify(d.hole.slice(0, 200))}\n    model  ${JSON.stringify(d.raw.slice(0, 240))}`);
      console.log(`    shown  ${JSON.stringify(d.shown?.slice(0, 240))}${d.replaced ? ` (replacing ${d.replaced})` : ''}`);
    }
  };
  show('most junk shown by Bantam', [...samples].sort((a, b) => b.scores.bantam.junk - a.scores.bantam.junk).slice(0, 25));
  show('most missed by Bantam', [...samples].sort((a, b) => b.blockChars - b.scores.bantam.useful - (a.blockChars - a.scores.bantam.useful)).slice(0, 15));
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const machine = machineInfo();
  const started = performance.now();
  console.log(`Bantam suggestion-quality benchmark: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}; seed ${options.seed}`);

  const oracle = await runOracle(options);
  const who: Array<[Suggester, string]> = [
    ['bantam', 'Bantam'],
    ['firstLine', 'baseline: raw, first line only'],
    ['raw', 'baseline: raw output'],
  ];
  console.log(
    `oracle replay: ${oracle.files} files (TypeScript and JavaScript from node_modules, Python's standard library), ` +
      `${oracle.samples.length} pauses with text missing (${oracle.complete} pauses with nothing missing and ${oracle.typos} mid-typo left out)`,
  );
  const all = who.map(([key, label]): [string, Figures] => [label, figures(oracle.samples, key)]);
  printFigures('all pauses (shown = share of pauses with a suggestion; useful / missing text to the end of its block; junk / shown)', all);
  const kinds: JunkKind[] = ['clean', 'repeat-suffix', 'extra-closer', 'missing-closer', 'rambling', 'wrong-indent'];
  printFigures(
    'Bantam by what the oracle added after the missing text',
    kinds.map((k): [string, Figures] => [k, figures(oracle.samples.filter((s) => s.junk === k), 'bantam')]),
  );
  printFigures(
    'Bantam by language',
    ['typescript', 'javascript', 'python'].map((l): [string, Figures] => [l, figures(oracle.samples.filter((s) => s.languageId === l), 'bantam')]),
  );

  if (options.verbose) printWorst(oracle.samples);

  const [bantam, firstLine, raw] = who.map(([key]) => figures(oracle.samples, key));
  const json: Record<string, unknown> = {
    bench: 'quality',
    oracle_pauses: oracle.samples.length,
    oracle_files: oracle.files,
    oracle_shown_rate: bantam!.shownRate,
    oracle_useful_char_ratio: bantam!.usefulRatio,
    oracle_junk_char_ratio: bantam!.junkRatio,
    baseline_first_line_shown_rate: firstLine!.shownRate,
    baseline_first_line_useful_char_ratio: firstLine!.usefulRatio,
    baseline_first_line_junk_char_ratio: firstLine!.junkRatio,
    baseline_raw_shown_rate: raw!.shownRate,
    baseline_raw_useful_char_ratio: raw!.usefulRatio,
    baseline_raw_junk_char_ratio: raw!.junkRatio,
  };

  if (options.peerSuite) {
    const cases = loadPeerSuite(options.peerSuite);
    const outcomes = await runPeerCases(cases);
    printPeer(cases, outcomes, options.verbose);
    json['peer_cases'] = cases.length;
    json['peer_pass_typing'] = outcomes.filter((o) => o.typing).length;
    json['peer_pass_explicit'] = outcomes.filter((o) => o.explicit).length;
    json['peer_golden'] = outcomes.filter((o) => o.kind === 'golden').length;
    json['peer_golden_pass_typing'] = outcomes.filter((o) => o.kind === 'golden' && o.typing).length;
  } else {
    console.log('\npeer suite: skipped (pass --peer-suite DIR to run one)');
  }
  json['targets'] = {
    oracle_useful_ge_0_8: bantam!.usefulRatio >= 0.8,
    oracle_junk_le_0_05: bantam!.junkRatio <= 0.05,
    oracle_shown_ge_0_9: bantam!.shownRate >= 0.9,
  };
  json['seed'] = options.seed;
  json['files_per_language'] = options.files;
  json['seconds'] = Math.round((performance.now() - started) / 100) / 10;
  json['machine'] = machine;
  console.log('');
  console.log(JSON.stringify(json));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`quality benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
