// The frontier-routing benchmark (`npm run bench:ask [-- --quick] [--tree DIR]`): what Bantam itself
// adds to "Ask About Codebase" and "Edit Across Files", with the model's own time taken out.
//  1. Codebase search on a large real tree (default: this repository's node_modules, indexed by the
//     real index worker): round-trip latency per question, and how often the file defining the
//     identifier a question names is among the excerpts picked.
//  2. Inline completion while a search runs: the worker answers one thing at a time, so a completion
//     retrieval asked during a search waits for it; its latency then vs idle.
//  3. Overhead to first token: question -> search -> prompt -> router -> HTTP -> first streamed text,
//     against a loopback OpenAI-compatible server that answers at once (so everything measured is
//     Bantam's), next to the bare HTTP round trip to that server.
//  4. Edit planning: a multi-file search/replace answer parsed, matched against the files on disk
//     and turned into a unified diff.
// Prints its figures; the last line is one JSON object.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runAnswerTask } from '../src/core/chat/codeTasks';
import { QUESTION_CONTEXT_TOKENS } from '../src/core/chat/promptBudget';
import { promptWindowLines } from '../src/core/completion/promptBuilder';
import { configFrom } from '../src/core/config';
import { ContextService } from '../src/core/context/contextService';
import { languageForPath } from '../src/core/context/languages/registry';
import { diskReader } from '../src/core/edits/diskApply';
import { planFromAnswer } from '../src/core/edits/editPipeline';
import { unifiedDiff } from '../src/core/edits/unifiedDiff';
import { OpenAiChatProvider } from '../src/core/providers/openai/openAiChatProvider';
import { Router } from '../src/core/routing/router';
import { RoutingLog } from '../src/core/routing/routingLog';
import { startFakeProviderServer } from '../test/support/fakeProviderServer';
import { TREE_EXCLUDES } from './benchTree';
import { now } from './clock';
import { distribution, type Distribution } from './distribution';
import { machineInfo } from './machineInfo';
import { SeededRandom } from './seededRandom';

const root = resolve(__dirname, '..', '..');

interface Question {
  text: string;
  /** The identifier the question names and the file defining it (undefined for free-text questions). */
  name?: string;
  file?: string;
}

const FREE_QUESTIONS = [
  'how are requests retried after a timeout?',
  'where is the configuration file parsed and validated?',
  'how does the parser report syntax errors?',
  'what happens when the stream is closed early?',
  'how are command line arguments handled?',
  'where are environment variables read?',
];

const TEMPLATES = [
  (name: string) => `where is ${name} defined and what calls it?`,
  (name: string) => `what does ${name} do with invalid input?`,
  (name: string) => `how is ${name} used, and can it throw?`,
];

/** Identifiers defined in files spread over the tree, each with its file: what questions name. */
function definedNames(tree: string, files: readonly string[], wanted: number, random: SeededRandom): Question[] {
  const sources = files.filter((f) => /\.(ts|js|mjs|cjs)$/.test(f) && !f.endsWith('.d.ts'));
  const seen = new Set<string>();
  const picked: Question[] = [];
  for (let tries = 0; picked.length < wanted && tries < wanted * 20; tries++) {
    const file = sources[Math.floor(random.next() * sources.length)]!;
    let text: string;
    try {
      text = readFileSync(join(tree, file), 'utf8');
    } catch {
      continue;
    }
    const names = [...text.matchAll(/\b(?:function|class)\s+([A-Za-z_$][\w$]{5,40})\b/g)].map((m) => m[1]!);
    const name = names[Math.floor(random.next() * names.length)];
    if (!name || seen.has(name)) continue;
    seen.add(name);
    picked.push({ text: TEMPLATES[picked.length % TEMPLATES.length]!(name), name, file });
  }
  return picked;
}

function show(label: string, d: Distribution, unit = 'ms'): void {
  console.log(`  ${label}: n ${d.n}, p50 ${d.p50.toFixed(1)} ${unit}, p95 ${d.p95.toFixed(1)} ${unit}, max ${d.max.toFixed(1)} ${unit}`);
}

const round = (v: number, digits = 1): number | null => (Number.isFinite(v) ? Number(v.toFixed(digits)) : null);

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { quick: { type: 'boolean', default: false }, tree: { type: 'string', default: join(root, 'node_modules') } },
    strict: true,
  });
  const quick = values.quick;
  const tree = resolve(values.tree);
  const machine = machineInfo();
  console.log(`Bantam ask benchmark${quick ? ' (quick)' : ''}: ${machine.cpu}, ${machine.cores} cores, ${machine.ram_gb} GB, Node ${machine.node}`);
  const storage = mkdtempSync(join(tmpdir(), 'bantam-bench-ask-'));
  const client = new ContextService({
    workerPath: join(root, 'dist', 'indexWorker.js'),
    grammarDir: join(root, 'grammars'),
    root: tree,
    storageDir: storage,
    settings: () => ({ ...configFrom().context, enabled: true, exclude: TREE_EXCLUDES, maxFiles: quick ? 1500 : 50_000 }),
    log: () => {},
    // A failed search would otherwise count as a miss without a word.
    warn: (line) => console.log(`  ${line}`),
  });
  client.start();
  const fake = await startFakeProviderServer({ script: { chunks: ['The', ' total', ' is', ' computed', ' in', ' src/cart.ts:12.'] } });
  try {
    console.log(`\n== Indexing ${tree} (excludes ${TREE_EXCLUDES.join(', ')}) ==`);
    const indexStart = now();
    const progress = await client.index();
    console.log(`  ${progress.done} files in ${((now() - indexStart) / 1000).toFixed(1)} s`);
    const files = await client.indexedFiles();
    const random = new SeededRandom(7);
    const named = definedNames(tree, files, quick ? 12 : 60, random);
    const questions: Question[] = [...named, ...FREE_QUESTIONS.map((text) => ({ text }))];

    console.log('\n== Codebase search ==');
    const searchMs: number[] = [];
    let found = 0;
    for (const q of questions) {
      const start = now();
      const result = await client.searchCodebase({ question: q.text, budgetTokens: QUESTION_CONTEXT_TOKENS });
      searchMs.push(now() - start);
      if (q.name && result?.snippets.some((s) => s.file === q.file && s.text.includes(q.name!))) found++;
    }
    const search = distribution(searchMs);
    show(`${questions.length} questions (${named.length} naming an identifier)`, search);
    const foundRate = named.length ? found / named.length : NaN;
    console.log(`  the defining file's excerpt was picked for ${found} of ${named.length} named identifiers (${(foundRate * 100).toFixed(0)}%)`);

    console.log('\n== Completion retrieval idle vs during a search ==');
    const typed = named.find((q) => q.file && languageForPath(q.file))!;
    const text = readFileSync(join(tree, typed.file!), 'utf8');
    const offset = Math.floor(text.length / 2);
    const budgets = configFrom().completion.budgets;
    const retrieveOnce = async () => {
      const start = now();
      await client.retrieve({
        file: typed.file!,
        languageId: '',
        text,
        offset,
        budgetTokens: budgets.contextTokens,
        visibleLines: promptWindowLines({ text, offset }, budgets),
      });
      return now() - start;
    };
    const idle: number[] = [];
    const during: number[] = [];
    for (const q of questions.slice(0, quick ? 8 : 30)) {
      idle.push(await retrieveOnce());
      const searching = client.searchCodebase({ question: q.text, budgetTokens: QUESTION_CONTEXT_TOKENS });
      // A keystroke a moment later: the search has reached the worker and occupies it.
      await new Promise((r) => setTimeout(r, 2));
      during.push(await retrieveOnce());
      await searching;
    }
    const idleD = distribution(idle);
    const duringD = distribution(during);
    show('idle', idleD);
    show('asked 2 ms after a search started', duringD);

    console.log('\n== Overhead to first token (loopback server answering at once) ==');
    const provider = new OpenAiChatProvider({ baseUrl: `${fake.url}/v1`, model: 'gpt-4.1', contextWindow: 128_000, tier: 'frontier' });
    const router = new Router({
      providers: { local: async () => ({ unavailable: 'not used' }), frontier: async () => ({ provider }) },
      config: () => configFrom().routing,
      trusted: () => true,
      consent: { ensure: async () => 'send' },
      log: new RoutingLog(),
    });
    const firstToken: number[] = [];
    const roundTrip: number[] = [];
    for (const q of questions) {
      const start = now();
      let first = NaN;
      const result = await client.searchCodebase({ question: q.text, budgetTokens: QUESTION_CONTEXT_TOKENS });
      await runAnswerTask(router, { kind: 'multi-file-question', question: q.text, context: result?.snippets ?? [] }, {
        onText: () => {
          if (Number.isNaN(first)) first = now() - start;
        },
      });
      firstToken.push(first);
      const bare = now();
      await provider.chat({ messages: [{ role: 'user', content: q.text }], maxTokens: 16, temperature: 0 });
      roundTrip.push(now() - bare);
    }
    const firstD = distribution(firstToken);
    const roundD = distribution(roundTrip);
    show('question to first streamed text', firstD);
    show('bare HTTP round trip to the same server', roundD);

    console.log('\n== Edit planning (parse, match, diff) ==');
    const editable = named.map((q) => q.file!).filter((f, i, all) => all.indexOf(f) === i).slice(0, 6);
    const blocks: string[] = [];
    for (const file of editable) {
      const lines = readFileSync(join(tree, file), 'utf8').split('\n');
      const at = lines.findIndex((l, i) => i > 5 && l.trim().length > 20 && lines.indexOf(l) === i);
      if (at < 0) continue;
      const search = lines.slice(at, at + 3).join('\n');
      blocks.push(`${file}\n<<<<<<< SEARCH\n${search}\n=======\n// edited by the benchmark\n${search}\n>>>>>>> REPLACE`);
    }
    const answer = `Here are the changes.\n\n${blocks.join('\n\n')}\n`;
    const planMs: number[] = [];
    let changed = 0;
    let problems: string[] = [];
    const read = diskReader(tree);
    for (let i = 0; i < (quick ? 5 : 20); i++) {
      const start = now();
      const plan = await planFromAnswer(answer, read);
      unifiedDiff(plan.changes);
      planMs.push(now() - start);
      changed = plan.changes.length;
      problems = plan.messages;
    }
    const planD = distribution(planMs);
    show(`${blocks.length} edits to ${changed} files planned and diffed`, planD);
    if (problems.length) console.log(`  problems: ${problems.join('; ')}`);

    const result = {
      bench: 'ask',
      index_files: progress.done,
      search_p50_ms: round(search.p50),
      search_p95_ms: round(search.p95),
      search_questions: search.n,
      defining_file_found_rate: round(foundRate, 2),
      retrieval_p95_ms_idle: round(idleD.p95),
      retrieval_p95_ms_during_search: round(duringD.p95),
      overhead_to_first_token_p50_ms: round(firstD.p50),
      overhead_to_first_token_p95_ms: round(firstD.p95),
      bare_round_trip_p50_ms: round(roundD.p50),
      edit_plan_p50_ms: round(planD.p50, 2),
      edit_plan_files: changed,
      tree,
      quick,
      machine,
    };
    console.log('');
    console.log(JSON.stringify(result));
  } finally {
    await fake.close();
    await client.close();
    rmSync(storage, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`ask benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
