// The stats command's markdown: every figure of the snapshot appears, rounded for reading.
import * as assert from 'node:assert/strict';
import { CompletionStats, type CompletionStatsSnapshot } from '../../../src/core/completion/completionStats';
import { renderStatsReport } from '../../../src/core/completion/statsReport';

function snapshot(overrides: Partial<CompletionStatsSnapshot> = {}): CompletionStatsSnapshot {
  return {
    requests: 40,
    shown: 24,
    accepted: 6,
    cacheHits: 9,
    modelCalls: 27,
    cancelled: 11,
    errors: 2,
    readAheads: 5,
    latencyP50Ms: 123.4,
    latencyP95Ms: 456.6,
    ttftP50Ms: 87.5,
    ttftP95Ms: 210,
    cacheHitRate: 0.25,
    acceptanceRate: 0.25,
    lastLatencyMs: 99,
    ...overrides,
  };
}

/** The value cell of the table row named `measure`. */
function row(report: string, measure: string): string {
  const line = report.split('\n').find((l) => l.startsWith(`| ${measure} |`));
  assert.ok(line, `no row "${measure}" in\n${report}`);
  return line.slice(`| ${measure} |`.length, -1).trim();
}

describe('renderStatsReport', () => {
  const report = renderStatsReport(snapshot({ cacheHitRate: 9 / 36, acceptanceRate: 6 / 24 }), 'embedded', 'qwen2.5-coder-0.5b-q8_0');

  const rows: Array<[string, string]> = [
    ['suggestion latency p50', '123 ms'],
    ['suggestion latency p95', '457 ms'],
    ['model first token p50', '88 ms'],
    ['model first token p95', '210 ms'],
    ['cache hit rate', '25.0%'],
    ['acceptance rate', '25.0%'],
    ['requests', '40'],
    ['suggestions shown', '24'],
    ['accepted', '6'],
    ['model calls', '27'],
    ['served from cache', '9'],
    ['cancelled (you kept typing)', '11'],
    ['errors', '2'],
    ['places read ahead (where the cursor came to rest)', '5'],
  ];
  for (const [measure, value] of rows) {
    it(`${measure}: ${value}`, () => {
      assert.equal(row(report, measure), value);
    });
  }

  it('says where the embedded model runs, and why the CPU when the GPU build could not load', () => {
    const fallback = "Bantam runs the model on the CPU: no Vulkan driver or runtime was found, so its llama.cpp build could not load; install or update the GPU driver, or set bantam.embedded.gpu to 'off' to run on the CPU without this message.";
    const accelerator = { kind: 'cpu', devices: [], gpuLayers: 0, totalLayers: 25, vramUsedBytes: 0, ramUsedBytes: 890_000_000, vramTotalBytes: 0, unifiedMemory: false, cpuMathCores: 2, fallback } as const;
    const r = renderStatsReport(snapshot(), 'embedded', 'm', undefined, { accelerator: { ...accelerator, devices: [] }, threads: 1 });
    assert.equal(row(r, 'accelerator'), 'CPU');
    assert.equal(row(r, 'gpu layers'), 'none of 25 layers on the GPU');
    assert.equal(row(r, 'memory'), '890 MB RAM');
    assert.equal(row(r, 'threads'), '1 (of 2 math cores)');
    assert.ok(r.split('\n').includes(fallback), r);
    // A server backend has no runtime rows.
    assert.ok(!renderStatsReport(snapshot(), 'ollama', 'm').includes('| accelerator |'));
  });

  it('says how fast the model reads and how much of the budgets a prompt carries', () => {
    const budgets = { prefixTokens: 128, suffixTokens: 8, farSuffixTokens: 32, contextTokens: 64 };
    const slow = renderStatsReport(snapshot(), 'embedded', 'm', { budgets, scale: 0.125, promptTokPerS: 124.6 });
    assert.equal(row(slow, 'model reads prompts at'), '125 tokens/s');
    assert.equal(
      row(slow, 'prompt size'),
      '12.5% of the budgets (128 tokens before the cursor), so that a new place reads within bantam.completion.coldPromptMs',
    );
    const full = { prefixTokens: 1024, suffixTokens: 8, farSuffixTokens: 256, contextTokens: 512 };
    const fast = renderStatsReport(snapshot(), 'embedded', 'm', { budgets: full, scale: 1, promptTokPerS: 2000 });
    assert.equal(row(fast, 'prompt size'), 'the budgets as set (1024 tokens before the cursor)');
    assert.equal(row(report, 'model reads prompts at'), '–', 'nothing measured yet');
  });

  it('names the backend and the model', () => {
    assert.match(report, /^Backend: embedded {2}$/m);
    assert.match(report, /^Model: qwen2\.5-coder-0\.5b-q8_0$/m);
  });

  it('rates keep one decimal', () => {
    const r = renderStatsReport(snapshot({ cacheHitRate: 2 / 3, acceptanceRate: 1 / 8 }), 'ollama', 'm');
    assert.equal(row(r, 'cache hit rate'), '66.7%');
    assert.equal(row(r, 'acceptance rate'), '12.5%');
  });

  it('an empty session shows dashes for latencies and names', () => {
    const r = renderStatsReport(new CompletionStats().snapshot(), '', '');
    assert.equal(row(r, 'suggestion latency p50'), '–');
    assert.equal(row(r, 'model first token p95'), '–');
    assert.equal(row(r, 'cache hit rate'), '0.0%');
    assert.equal(row(r, 'requests'), '0');
    assert.match(r, /^Backend: – {2}$/m);
    assert.match(r, /^Model: –$/m);
  });

  it('is a markdown table under a title', () => {
    assert.ok(report.startsWith('# Bantam completion stats'));
    assert.ok(report.includes('| measure | value |\n| --- | --- |\n'));
  });
});
