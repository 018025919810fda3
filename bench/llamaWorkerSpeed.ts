// Measures the embedded llama worker end to end (client -> child process -> llama.cpp) on this
// machine, to choose the thread and flash-attention defaults: prompt and generation rates, the
// cold first token for a ~1000-token FIM prompt, the first token after typing two characters
// (KV prefix reuse), and the same request repeated. Run with the speed proxy model:
//   node scripts/build.mjs && node scripts/makeTestModels.mjs --proxy
//   node out/bench/llamaWorkerSpeed.js [--model path.gguf] [--threads 1,2] [--flash on,off] [--batch 256] [--reps 5]
//                                       [--busy 1] [--duty 40/50]   (N processes alongside, each busy for
//                                       40 ms of every 50 ms; without --duty always busy)
// Prints a table and, last, one JSON line with every figure.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { BuiltPrompt, GenerationResult } from '../src/core/kernel/completionTypes';
import { LocalLlamaBackend } from '../src/core/providers/local/localLlamaBackend';

const root = resolve(__dirname, '..', '..');
const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    threads: { type: 'string', default: '1,2' },
    flash: { type: 'string', default: 'on,off' },
    reps: { type: 'string', default: '5' },
    batch: { type: 'string', default: '256' },
    busy: { type: 'string', default: '0' },
    duty: { type: 'string' },
    'prompt-tokens': { type: 'string', default: '1000' },
  },
});

function findProxy(): string {
  const dir = join(root, '.cache', 'models');
  const found = existsSync(dir) ? readdirSync(dir).filter((f) => /proxy.*\.gguf$/.test(f)) : [];
  if (found.length === 0) throw new Error('no speed proxy in .cache/models; run node scripts/makeTestModels.mjs --proxy');
  return join(dir, found.sort()[0]!);
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function prompt(prefix: string, suffix: string): BuiltPrompt {
  const text = `<|fim_prefix|>${prefix}<|fim_suffix|>${suffix}<|fim_middle|>`;
  return { family: 'qwen', text, prefix, suffix, prefixStart: 0, estimatedTokens: 0 };
}

const codeLine = (i: number): string => `  const value${i} = compute(input[${i}], options.scale * ${i}); // step ${i}\n`;

interface Row {
  threads: number;
  flashAttention: boolean;
  batchSize: number;
  promptTokPerS: number;
  genTokPerS: number;
  promptTokens: number;
  coldTtftMs: number;
  coldTtftRuns: number[];
  append2TtftMs: number;
  append2TtftRuns: number[];
  append2Reused: number;
  repeatTtftMs: number;
}

async function measure(modelPath: string, threads: number, flashAttention: boolean, batchSize: number, reps: number, target: number): Promise<Row> {
  const backend = new LocalLlamaBackend({
    workerPath: join(root, 'dist', 'modelHost.js'),
    modelPath,
    threads,
    flashAttention,
    batchSize,
    contextSize: 4096,
    host: { shared: false },
  });
  try {
    const info = await backend.load();
    process.stderr.write(`loaded in ${Math.round(info.loadMs)} ms (threads ${threads}, flash ${flashAttention}, batch ${batchSize})\n`);
    const rates = await backend.measureRates(512, 32);

    // A prefix of about `target` tokens, and a 64-token suffix, as the engine would send.
    let prefix = 'export function pipeline(input: number[], options: Options): number {\n';
    for (let i = 0; (await backend.tokenCount(prefix)) < target - 64; i += 8) {
      for (let j = i; j < i + 8; j++) prefix += codeLine(j);
    }
    let suffix = '';
    for (let i = 0; (await backend.tokenCount(suffix)) < 64; i++) suffix += `  check(value${i});\n`;
    const opts = { maxTokens: 1, stop: [], timeoutMs: 120_000, temperature: 0 };

    const cold: GenerationResult[] = [];
    for (let r = 0; r < Math.max(2, Math.ceil(reps / 2)); r++) cold.push(await backend.generate(prompt(prefix, suffix), { ...opts, fresh: true }));

    const append: GenerationResult[] = [];
    let typed = prefix;
    await backend.generate(prompt(typed, suffix), opts);
    for (let r = 0; r < reps; r++) {
      typed += r % 2 === 0 ? 're' : 'x.';
      append.push(await backend.generate(prompt(typed, suffix), opts));
    }

    const repeat: GenerationResult[] = [];
    for (let r = 0; r < reps; r++) repeat.push(await backend.generate(prompt(typed, suffix), opts));

    return {
      threads,
      flashAttention,
      batchSize,
      promptTokPerS: rates.promptTokPerS,
      genTokPerS: rates.genTokPerS,
      promptTokens: cold[0]!.promptTokens,
      coldTtftMs: median(cold.map((r) => r.ttftMs)),
      coldTtftRuns: cold.map((r) => Math.round(r.ttftMs)),
      append2TtftMs: median(append.map((r) => r.ttftMs)),
      append2TtftRuns: append.map((r) => Math.round(r.ttftMs)),
      append2Reused: median(append.map((r) => r.reusedTokens)),
      repeatTtftMs: median(repeat.map((r) => r.ttftMs)),
    };
  } finally {
    backend.dispose();
  }
}

async function main(): Promise<void> {
  const modelPath = values.model ?? findProxy();
  const threadsList = values.threads!.split(',').map(Number);
  const flashList = values.flash!.split(',').map((f) => f.trim() === 'on');
  const batches = values.batch!.split(',').map(Number);
  const reps = Number(values.reps);
  const target = Number(values['prompt-tokens']);
  const rows: Row[] = [];
  // Other processes competing for the 2 cores (the editor, a language server), to see stalls.
  const [busyMs, periodMs] = (values.duty ?? '1/0').split('/').map(Number);
  const load = values.duty
    ? `setInterval(() => { const end = Date.now() + ${busyMs}; while (Date.now() < end); }, ${periodMs});`
    : 'for (;;) {}';
  const busy: ChildProcess[] = Array.from({ length: Number(values.busy) }, () =>
    spawn(process.execPath, ['-e', load], { stdio: 'ignore' }),
  );
  try {
    for (const batch of batches) {
      for (const flash of flashList) {
        for (const threads of threadsList) rows.push(await measure(modelPath, threads, flash, batch, reps, target));
      }
    }
  } finally {
    for (const b of busy) b.kill();
  }
  const fmt = (n: number, d = 0): string => n.toFixed(d).padStart(8);
  console.log(`model ${modelPath}, ${busy.length} busy process(es) alongside${values.duty ? ` (busy ${busyMs} ms every ${periodMs} ms)` : ''}`);
  console.log('batch  threads  flash  prompt t/s  gen t/s  prompt tok  cold ttft ms  +2 chars ttft ms  repeat ttft ms');
  for (const r of rows) {
    console.log(
      `${String(r.batchSize).padStart(5)}  ${String(r.threads).padStart(7)}  ${(r.flashAttention ? 'on' : 'off').padStart(5)}  ${fmt(r.promptTokPerS, 1)}    ${fmt(r.genTokPerS, 1)} ` +
        ` ${fmt(r.promptTokens)}    ${fmt(r.coldTtftMs)}      ${fmt(r.append2TtftMs)}        ${fmt(r.repeatTtftMs)}` +
        `   cold ${JSON.stringify(r.coldTtftRuns)} +2 ${JSON.stringify(r.append2TtftRuns)}`,
    );
  }
  console.log(JSON.stringify({ bench: 'llamaWorkerSpeed', model: modelPath, busy: busy.length, duty: values.duty ?? null, rows }));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
