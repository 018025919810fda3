// `npm run bench:nextedit`: how fast the next-edit model rewrites its window on this machine. Replays
// edit traces of real multi-site changes (bench/fixtures/nextEdit/traces.json: rename a parameter and
// its uses, add a field and its initialisation, change a call's signature and its callers) as the
// editor sees them: each step typed as keystrokes into the pipeline's EditHistory, and the next edit
// asked for with the pipeline's own prompt (buildNextEditInput: Sweep's window around the cursor, the
// history within its budget; Sweep's prompt), see nextEditTrace.ts. Each prompt goes to three clients
// of one model host, each with its own KV sequence on weights loaded once: the next-edit client
// (a rewrite client, prompt lookup on), a second one that reads the prompt ahead during the editor's
// wait before it asks, and a plain client (no prompt lookup). Reports prompt tokens, reused tokens,
// time to first token with no read-ahead and after a read-ahead, the window rewrite without prompt
// lookup, the measured cost of a verify batch of k drafted tokens, and the rewrite time MODELED at
// draft acceptance 0.7 and 0.9: the default model is the 0.5B speed proxy, whose random weights never
// accept a draft, so acceptance is assumed, not measured. Targets: ttft p50 <= 300 ms; modeled
// rewrite at 0.9 <= 1.5 s. The last line is one JSON object.
//   --quick           one trace, two steps, short rewrites, few repeats: a smoke check
//   --model PATH      the GGUF to run (default: the Qwen2.5-Coder-0.5B-shaped speed proxy)
//   --verbose         forward the model host's log lines
//   --no-wait-idle    start at once even if other processes are busy
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { configFrom } from '../src/core/config';
import { createNextEditModel, NEXT_EDIT_PROMPT_LOOKUP } from '../src/core/nextEdit/nextEditModel';
import { EAGERNESS_POLICIES } from '../src/core/nextEdit/nextEditTiming';
import { SWEEP_FILE_SEP } from '../src/core/nextEdit/sweepPrompt';
import { LocalLlamaBackend, type ModelHostChoice } from '../src/core/providers/local/localLlamaBackend';
import { resolveBenchModel } from './benchModel';
import { settleMachine } from './cpuContention';
import { distribution } from './distribution';
import { machineInfo } from './machineInfo';
import { loadTraces, traceSteps } from './nextEditTrace';
import { bestDraftLength } from './speculativeTime';
import { measureVerifyBatches } from './verifyBatch';

const root = resolve(__dirname, '..', '..');
const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    model: { type: 'string' },
    verbose: { type: 'boolean', default: false },
    'no-wait-idle': { type: 'boolean', default: false },
  },
});

const TARGET_TTFT_P50_MS = 300;
const TARGET_MODELED_REWRITE_MS = 1500;
const ACCEPTANCES = [0.7, 0.9] as const;
/** The editor's wait after the last keystroke before it asks (default eagerness): the read-ahead's time. */
const READ_AHEAD_MS = EAGERNESS_POLICIES.medium.baseWaitMs;

interface StepRecord {
  trace: string;
  step: number;
  promptTokens: number;
  reusedTokens: number;
  outputTokens: number;
  /** Hunks in the history (steps typed close together coalesce into one). */
  historyHunks: number;
  /** No read-ahead: the request reads whatever of its prompt the previous request did not leave cached. */
  ttftMs: number;
  /** After a read-ahead of this prompt that had READ_AHEAD_MS to run before the request superseded it. */
  ttftAfterReadAheadMs: number;
  /** Prompt tokens cached when the request after the read-ahead came. */
  reusedAfterReadAhead: number;
  /** Whether the read-ahead read the whole prompt within the wait. */
  readAheadFinished: boolean;
  /** With prompt lookup (the product's client); on random weights every draft is rejected. */
  lookupRewriteMs: number;
  draftsAccepted: number;
  draftsRejected: number;
  /** The plain client: one token per step. */
  plainRewriteMs: number;
  plainTtftMs: number;
}

const round = (n: number): number => Math.round(n * 10) / 10;

async function main(): Promise<void> {
  const quick = args.quick === true;
  const modelPath = resolveBenchModel(root, args.model);
  const cores = await settleMachine(machineInfo().cores, args['no-wait-idle'] !== true);
  const config = configFrom({ 'embedded.contextSize': 4096 });
  const hostDir = mkdtempSync(join(tmpdir(), 'bantam-nextedit-bench-'));
  // One private host for both clients, as the user's shared host serves completion and next-edit.
  const host: ModelHostChoice = { dir: hostDir, shared: true, idleExitMs: 1000 };
  const log = args.verbose ? (line: string): void => console.log(`    ${line}`) : undefined;
  const hostScript = join(root, 'dist', 'modelHost.js');

  const deps = { hostScript, modelPath, host, ...(log ? { log } : {}) };
  const lookup = createNextEditModel(config, deps);
  const readAhead = createNextEditModel(config, deps);
  const plain = new LocalLlamaBackend({
    workerPath: hostScript,
    modelPath,
    flashAttention: config.embedded.flashAttention,
    contextSize: config.embedded.contextSize,
    purpose: 'rewrite',
    clientName: 'next-edit bench (no prompt lookup)',
    host,
    ...(log ? { log } : {}),
  });
  if (!readAhead.readPrompt) throw new Error('the embedded next-edit model has no readPrompt');
  const readPrompt = readAhead.readPrompt.bind(readAhead);

  const traces = loadTraces(root);
  const steps = quick ? traceSteps(traces.slice(0, 1), 2) : traceSteps(traces);
  const info = await plain.load();
  // The next-edit clients load on first use: load them now (one token read), so no step's timings,
  // and no read-ahead's wait, include a load.
  for (const model of [lookup, readAhead]) await model.rewrite({ ...steps[0]!.prompt, text: SWEEP_FILE_SEP }, { maxTokens: 1, timeoutMs: 300_000, ignoreEos: true });
  console.log(`next-edit benchmark: ${steps.length} steps of ${quick ? 1 : traces.length} traces on ${modelPath}`);
  console.log(`  ${info.info.threads} threads, flash attention ${info.info.flashAttention ? 'on' : 'off'}, prompt lookup drafts up to ${NEXT_EDIT_PROMPT_LOOKUP.maxDraftTokens} tokens, read-ahead during the editor's ${READ_AHEAD_MS} ms wait`);

  const records: StepRecord[] = [];
  let lastPrompt = '';
  try {
    for (const step of steps) {
      const { prompt } = step;
      lastPrompt = prompt.text;
      // Sweep answers with the header line's break, the window, and the break before the next block.
      const expectedTokens = await plain.tokenCount(`\n${step.expectedWindow}\n`);
      const outputTokens = quick ? Math.min(32, expectedTokens) : expectedTokens;
      const options = { maxTokens: outputTokens, timeoutMs: 300_000, ignoreEos: true };
      const withLookup = await lookup.rewrite(prompt, options);
      const without = await plain.generateText(prompt.text, { ...options, stop: [], temperature: 0 });
      // The editor's wait: the read-ahead starts at the last keystroke and the request comes when the
      // wait ends, superseding the read if it is still running (what it read stays cached).
      const reading = readPrompt(prompt, new AbortController().signal);
      await new Promise((r) => setTimeout(r, READ_AHEAD_MS));
      const afterRead = await readAhead.rewrite(prompt, { maxTokens: 1, timeoutMs: 300_000, ignoreEos: true });
      const read = await reading;
      const record: StepRecord = {
        trace: step.trace,
        step: step.step,
        promptTokens: withLookup.promptTokens,
        reusedTokens: withLookup.reusedTokens,
        outputTokens: withLookup.generatedTokens,
        historyHunks: step.hunks.length,
        ttftMs: withLookup.ttftMs,
        ttftAfterReadAheadMs: afterRead.ttftMs,
        reusedAfterReadAhead: afterRead.reusedTokens,
        readAheadFinished: read.stoppedBy === 'maxTokens',
        lookupRewriteMs: withLookup.totalMs,
        draftsAccepted: withLookup.drafts?.accepted ?? 0,
        draftsRejected: withLookup.drafts?.rejected ?? 0,
        plainRewriteMs: without.totalMs,
        plainTtftMs: without.ttftMs,
      };
      records.push(record);
      console.log(
        `  ${step.trace}, step ${step.step} (${record.historyHunks} hunks): prompt ${record.promptTokens} tokens (${record.reusedTokens} reused), ` +
          `ttft ${Math.round(record.ttftMs)} ms with no read-ahead, ${Math.round(record.ttftAfterReadAheadMs)} ms after a ${READ_AHEAD_MS} ms read-ahead ` +
          `(${record.reusedAfterReadAhead} cached${record.readAheadFinished ? ', read finished' : ''}), ` +
          `rewrite of ${record.outputTokens} tokens ${Math.round(record.plainRewriteMs)} ms without prompt lookup, ` +
          `${Math.round(record.lookupRewriteMs)} ms with it (drafts ${record.draftsAccepted} accepted, ${record.draftsRejected} rejected)`,
      );
    }
  } finally {
    lookup.dispose();
    readAhead.dispose();
    plain.dispose();
  }
  // Let the private host see its clients go and exit before this process loads the model itself.
  await new Promise((r) => setTimeout(r, 2500));
  rmSync(hostDir, { recursive: true, force: true });

  const verify = await measureVerifyBatches({
    modelPath,
    threads: info.info.threads,
    flashAttention: info.info.flashAttention,
    contextSize: config.embedded.contextSize,
    prompt: lastPrompt,
    // Batches of k + 1 = 4, 8, 12, 16 tokens: the host cuts CPU drafts to whole mat-mul tiles (tileAlignedDrafts.ts).
    draftLengths: quick ? [0, 3, 7] : [0, 3, 7, 11, 15],
    repeats: quick ? 3 : 10,
  });
  console.log(`  verify batch (k drafts + 1 in one batch, measured): ${verify.map((v) => `k=${v.draftTokens} ${round(v.verifyBatchMs)} ms`).join(', ')}`);
  console.log(`  same batch, next token at the last position only: ${verify.map((v) => `k=${v.draftTokens} ${round(v.lastLogitsOnlyMs)} ms`).join(', ')}`);
  console.log(`  same batch on an empty cache: ${verify.map((v) => `k=${v.draftTokens} ${round(v.emptyCacheMs)} ms`).join(', ')}`);

  const drafting = verify.filter((v) => v.draftTokens > 0);
  const modeled = Object.fromEntries(
    ACCEPTANCES.map((a) => {
      const perStep = records.map((r) => bestDraftLength(drafting, { ttftMs: r.ttftMs, outputTokens: r.outputTokens }, a));
      const ms = distribution(perStep.map((p) => p.modeledMs));
      const lengths = [...new Set(perStep.map((p) => p.draftTokens))];
      console.log(`  MODELED rewrite at draft acceptance ${a}: p50 ${Math.round(ms.p50)} ms, p95 ${Math.round(ms.p95)} ms (best k: ${lengths.join(', ')})`);
      return [`acceptance_${a}`, { p50_ms: round(ms.p50), p95_ms: round(ms.p95), draft_tokens: lengths }];
    }),
  );

  const ttft = distribution(records.map((r) => r.ttftMs));
  const ttftAfterRead = distribution(records.map((r) => r.ttftAfterReadAheadMs));
  // ttft_p50_ms, the issue's target, is the read-ahead scenario: it is what the user waits after the
  // editor's wait, since the editor's trigger reads the prompt ahead during that wait (eagerness
  // medium: 600 ms). The no-read-ahead figure is what a request with no wait before it (Suggest Next
  // Edit, the request after an accept that missed the prefetch) waits; the modeled rewrite times build
  // on it, the more cautious of the two.
  const plainMs = distribution(records.map((r) => r.plainRewriteMs));
  const modeled09 = (modeled['acceptance_0.9'] as { p50_ms: number }).p50_ms;
  console.log(`  ttft p50 after the editor's ${READ_AHEAD_MS} ms read-ahead ${Math.round(ttftAfterRead.p50)} ms (target <= ${TARGET_TTFT_P50_MS}); with no read-ahead ${Math.round(ttft.p50)} ms`);
  console.log(`  MODELED rewrite at 0.9 p50 ${Math.round(modeled09)} ms (target <= ${TARGET_MODELED_REWRITE_MS})`);
  console.log(
    JSON.stringify({
      bench: 'nextedit',
      quick,
      model: modelPath,
      machine: { ...machineInfo(), cores },
      threads: info.info.threads,
      prompt_lookup_max_draft_tokens: NEXT_EDIT_PROMPT_LOOKUP.maxDraftTokens,
      steps: records.length,
      history_hunks: distribution(records.map((r) => r.historyHunks)),
      prompt_tokens: distribution(records.map((r) => r.promptTokens)),
      reused_tokens: distribution(records.map((r) => r.reusedTokens)),
      output_tokens: distribution(records.map((r) => r.outputTokens)),
      ttft_p50_ms: round(ttftAfterRead.p50),
      ttft_no_read_ahead_p50_ms: round(ttft.p50),
      ttft_after_read_ahead_p50_ms: round(ttftAfterRead.p50),
      read_ahead: {
        note: `the prompt read during the editor's ${READ_AHEAD_MS} ms wait (eagerness medium), then the request (what the editor does; ttft_p50_ms is this); ttft_ms is with no read-ahead`,
        wait_ms: READ_AHEAD_MS,
        ttft_ms: ttftAfterRead,
        cached_tokens: distribution(records.map((r) => r.reusedAfterReadAhead)),
        finished_within_wait: records.filter((r) => r.readAheadFinished).length,
      },
      ttft_ms: ttft,
      rewrite_without_prompt_lookup_ms: plainMs,
      rewrite_with_prompt_lookup_measured_ms: distribution(records.map((r) => r.lookupRewriteMs)),
      drafts_measured: { accepted: records.reduce((n, r) => n + r.draftsAccepted, 0), rejected: records.reduce((n, r) => n + r.draftsRejected, 0) },
      verify_batch_measured: verify.map((v) => ({
        draft_tokens: v.draftTokens,
        ms: round(v.verifyBatchMs),
        last_logits_only_ms: round(v.lastLogitsOnlyMs),
        empty_cache_ms: round(v.emptyCacheMs),
        samples: v.samples,
      })),
      modeled: {
        note: 'MODELED, not measured: the speed proxy has random weights and never accepts a draft; times assume each draft token is accepted with this probability, from the measured ttft and verify batch costs',
        ...modeled,
      },
      targets: {
        ttft_p50_ms: TARGET_TTFT_P50_MS,
        ttft_met: ttftAfterRead.p50 <= TARGET_TTFT_P50_MS,
        modeled_rewrite_at_0_9_ms: TARGET_MODELED_REWRITE_MS,
        modeled_rewrite_met: modeled09 <= TARGET_MODELED_REWRITE_MS,
      },
      records,
    }),
  );
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? e.stack ?? e.message : e);
    process.exit(1);
  },
);
