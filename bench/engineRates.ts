// Are the two engines comparable? Measures the prompt and generation rates of Bantam's model host
// (the llama worker, node-llama-cpp's prebuilt llama.cpp) and of a llama-server built from a pinned
// llama.cpp release (scripts/buildLlamaServer.mjs; v0.5.0, one after the worker's v0.4.0, whose
// llama-server fails some completions), on the same model, thread count, flash-attention
// setting and context size, each on a fresh 512-token prompt with 64 tokens generated, best of N.
// A latency comparison between them means something only if these agree within 15%; otherwise the
// figures must be normalised by rate.
//   npm run bench:engines [-- --model PATH] [--reps N]
// Prints both engines' rates and, last, one JSON object.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { configFrom } from '../src/core/config';
import { LocalLlamaBackend } from '../src/core/providers/local/localLlamaBackend';
import { resolveBenchModel } from './benchModel';
import { waitForQuietMachine } from './cpuContention';
import { bestRates, LlamaServerProcess, llamaServerBinary, ratesComparable, type EngineRates } from '../test/support/llamaServer';
import { machineInfo } from './machineInfo';

const root = resolve(__dirname, '..', '..');

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { model: { type: 'string' }, reps: { type: 'string', default: '3' } } });
  const reps = Math.max(1, Number.parseInt(values.reps, 10) || 3);
  const model = resolveBenchModel(root, values.model);
  const config = configFrom({});
  const machine = machineInfo();
  const load = (await waitForQuietMachine(machine.cores, 0.3, 60_000, (l) => console.log(`  other processes use ${l.toFixed(2)} cores; waiting up to a minute for them to settle`))) ?? Number.NaN;

  const worker = new LocalLlamaBackend({
    workerPath: join(root, 'dist', 'modelHost.js'),
    modelPath: model,
    threads: config.embedded.threads > 0 ? config.embedded.threads : undefined,
    flashAttention: config.embedded.flashAttention,
    contextSize: config.embedded.contextSize,
    // Its own host: nothing else the user runs shares (or slows) the measured one.
    host: { shared: false },
  });
  const info = (await worker.load()).info;
  const threads = info.threads;
  const { rates: w } = await bestRates(reps, () => worker.measureRates());
  worker.dispose();

  const binary = llamaServerBinary(root);
  const server = new LlamaServerProcess(binary, { model, threads, flashAttention: info.flashAttention, contextSize: info.contextSize });
  await server.start();
  let s: EngineRates;
  try {
    s = (await bestRates(reps, () => server.measureRates())).rates;
  } finally {
    await server.stop();
  }

  const comparable = ratesComparable(w, s);
  const fmt = (r: EngineRates): string => `prompt ${r.promptTokPerS.toFixed(0)} tok/s, generation ${r.genTokPerS.toFixed(1)} tok/s`;
  console.log(`Engine rates: ${machine.cpu}, ${machine.cores} cores; ${model.split('/').pop()}; ${threads} thread(s), flash attention ${info.flashAttention ? 'on' : 'off'}, context ${info.contextSize}; best of ${reps}`);
  console.log(`  Bantam's model host (node-llama-cpp)  ${fmt(w)}`);
  console.log(`  llama-server (${binary.split('/').slice(-2, -1)[0]})  ${fmt(s)}`);
  console.log(`  ratio (server / worker): prompt ${(s.promptTokPerS / w.promptTokPerS).toFixed(2)}, generation ${(s.genTokPerS / w.genTokPerS).toFixed(2)}; ${comparable ? 'within 15%: latencies compare as they are' : 'NOT within 15%: compare latencies normalised by rate'}`);
  console.log(`  other processes used ${load.toFixed(2)} cores before the measurements`);
  console.log(
    JSON.stringify({
      bench: 'engines',
      worker_prompt_tok_per_s: Math.round(w.promptTokPerS),
      worker_gen_tok_per_s: Math.round(w.genTokPerS * 10) / 10,
      llama_server_prompt_tok_per_s: Math.round(s.promptTokPerS),
      llama_server_gen_tok_per_s: Math.round(s.genTokPerS * 10) / 10,
      engines_within_15pct: comparable,
      threads,
      flash_attention: info.flashAttention,
      server_build: binary.split('/').slice(-2, -1)[0],
      foreign_cpu_cores: Math.round(load * 100) / 100,
      machine,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
