// Makes the generated GGUF test models (idempotent: a model already there with the right kind,
// generator version and size is kept), and optionally proves them in node-llama-cpp and measures
// the speed proxy. Runs the built code in out/ (building it first if it is missing).
//
// Usage: node scripts/makeTestModels.mjs [--tiny] [--proxy] [--dir .cache/models] [--verify] [--speed [--reps N]]
//   --tiny     the tiny qwen2 FIM model and its no-FIM twin (~230 KB each)
//   --proxy    the Qwen2.5-Coder-0.5B speed proxy (~530 MB, about a second to write)
//              (neither flag: all three)
//   --dir DIR  where to put them (default <repo>/.cache/models)
//   --verify   load each model in node-llama-cpp: infill support, the tiny model's answer, the
//              proxy's characters per token on this repo's code
//   --speed    the proxy's prompt (1000 tokens) and generation (48 tokens) tok/s for threads 1|2 x
//              flash attention off|on, medians of N interleaved repetitions (--reps, default 3)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const known = new Set(['--tiny', '--proxy', '--verify', '--speed', '--dir', '--reps']);
for (const a of args) {
  if (a.startsWith('--') && !known.has(a)) {
    console.error(`unknown option ${a}\nusage: node scripts/makeTestModels.mjs [--tiny] [--proxy] [--dir DIR] [--verify] [--speed [--reps N]]`);
    process.exit(2);
  }
}
const dirIndex = args.indexOf('--dir');
const dir = dirIndex >= 0 && args[dirIndex + 1] ? resolve(args[dirIndex + 1]) : join(root, '.cache', 'models');
const repsIndex = args.indexOf('--reps');
const reps = repsIndex >= 0 ? Math.max(1, Number.parseInt(args[repsIndex + 1] ?? '', 10) || 3) : 3;
const all = !flag('--tiny') && !flag('--proxy');
const kinds = [...(all || flag('--tiny') ? ['tiny', 'nofim'] : []), ...(all || flag('--proxy') ? ['speed-proxy'] : [])];

const built = join(root, 'out', 'test', 'support', 'gguf');
if (!existsSync(join(built, 'testModels.js')) || !existsSync(join(built, 'llamaProbe.js'))) {
  console.log('out/ has no built test-model code yet: running node scripts/build.mjs');
  spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit', cwd: root });
  if (!existsSync(join(built, 'testModels.js'))) {
    console.error('The build did not produce out/test/support/gguf/testModels.js; fix the build and run this again.');
    process.exit(1);
  }
}
const require = createRequire(import.meta.url);
const models = require(join(built, 'testModels.js'));
const probe = require(join(built, 'llamaProbe.js'));

const mb = (bytes) => `${(bytes / 1e6).toFixed(bytes < 1e6 ? 3 : 1)} MB`;
const paths = {};
for (const kind of kinds) {
  const r = await models.ensureTestModel(kind, dir);
  paths[kind] = r.path;
  console.log(`${r.generated ? 'wrote ' : 'kept  '} ${r.path}  ${mb(r.bytes)}  ${r.ms.toFixed(0)} ms`);
}

const summary = { models: paths };

if (flag('--verify')) {
  const prefix = 'function add(a, b) {\n  return ';
  const suffix = ';\n}\n';
  for (const kind of kinds) {
    const p = await probe.probeInfill(paths[kind], prefix, suffix, 16);
    const answer = p.text === undefined ? '' : ` answer ${JSON.stringify(p.text)} in ${p.infillMs.toFixed(0)} ms`;
    console.log(`${kind}: loaded in ${p.loadMs.toFixed(0)} ms, infillSupported ${p.infillSupported}${answer}`);
    const ok =
      kind === 'nofim'
        ? !p.infillSupported
        : p.infillSupported && (kind !== 'tiny' || p.text === models.TINY_MODEL_TEXT);
    if (!ok) {
      console.error(`${kind}: not as expected`);
      process.exitCode = 1;
    }
    summary[kind] = { loadMs: Math.round(p.loadMs), infillSupported: p.infillSupported, text: p.text };
  }
  if (paths['speed-proxy']) {
    const code = probe.sampleCode(sourceFiles());
    const t = await probe.charsPerToken(paths['speed-proxy'], code);
    console.log(`speed-proxy: ${code.length} chars of this repo's TypeScript -> ${t.tokens} tokens, ${t.charsPerToken.toFixed(2)} chars/token`);
    summary.charsPerToken = Number(t.charsPerToken.toFixed(2));
  }
}

if (flag('--speed')) {
  if (!paths['speed-proxy']) paths['speed-proxy'] = (await models.ensureTestModel('speed-proxy', dir)).path;
  const configs = [
    { threads: 1, flashAttention: false },
    { threads: 1, flashAttention: true },
    { threads: 2, flashAttention: false },
    { threads: 2, flashAttention: true },
  ];
  const loadBefore = loadavg().map((x) => x.toFixed(2)).join(' ');
  const results = await probe.measureSpeed(paths['speed-proxy'], configs, {
    promptTokens: 1000,
    genTokens: 48,
    repetitions: reps,
    text: probe.sampleCode(sourceFiles()),
    onProgress: (line) => console.log(`  ${line}`),
  });
  console.log(`\nmedian (best) of ${reps} runs; load average before: ${loadBefore}`);
  console.log('| threads | flash attention | prompt tok/s | generation tok/s |');
  console.log('|---|---|---|---|');
  for (const r of results) {
    console.log(
      `| ${r.threads} | ${r.flashAttention ? 'on' : 'off'} | ${r.promptTokPerS.toFixed(0)} (${r.promptBestTokPerS.toFixed(0)}) | ${r.genTokPerS.toFixed(1)} (${r.genBestTokPerS.toFixed(1)}) |`,
    );
  }
  summary.speed = results.map((r) => ({
    threads: r.threads,
    flashAttention: r.flashAttention,
    promptTokPerS: Number(r.promptTokPerS.toFixed(1)),
    genTokPerS: Number(r.genTokPerS.toFixed(1)),
    promptBestTokPerS: Number(r.promptBestTokPerS.toFixed(1)),
    genBestTokPerS: Number(r.genBestTokPerS.toFixed(1)),
  }));
  summary.loadAverage = loadBefore;
}

console.log(JSON.stringify(summary));

function sourceFiles() {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) out.push(p);
    }
  };
  walk(join(root, 'src'));
  return out.sort();
}
