// bench:windows's verdicts on issue 14's targets, and the JSON keys the lead reads.
import * as assert from 'node:assert/strict';
import { distribution } from '../../../bench/distribution';
import type { MemorySummary } from '../../../bench/rssSampler';
import { buildWindowsResult, readFigures, windowsVerdict, type ReadFigures, type WayFigures } from '../../../bench/windowsReport';
import type { WayKey } from '../../../bench/windowWays';

const memory = (rssPeakMb: number): MemorySummary => ({ samples: 10, processes: 1, rssPeakMb, rssMedianMb: rssPeakMb, pssPeakMb: rssPeakMb, pssMedianMb: rssPeakMb });
const reads = (newTokensP50: number, newTokensP95: number, promptTokensP50 = 140): ReadFigures => ({ reads: 5, newTokensP50, newTokensP95, promptTokensP50, keystrokesP50: 1 });

function way(key: WayKey, rssPeakMb: number, ttftP50: number, afterSwitch: ReadFigures, withinWindow: ReadFigures): WayFigures {
  return {
    way: key,
    memory: memory(rssPeakMb),
    ttft: { ...distribution([ttftP50]), p95: ttftP50 * 2 },
    ttftByWindow: [distribution([ttftP50])],
    requests: 100,
    reachedModel: 50,
    afterSwitch,
    withinWindow,
    ttftAfterSwitch: distribution([ttftP50 * 1.5]),
    ttftWithinWindow: distribution([ttftP50]),
    foreignCores: 0.05,
    loadMs: 1000,
    wallMs: 60_000,
    errors: 0,
  };
}

describe('bench:windows verdict', () => {
  const single = way('single', 800, 120, reads(4, 9), reads(4, 9));
  const slot = way('shared-slot', 700, 900, reads(120, 140, 150), reads(30, 60, 150));

  it('a shared host within 1.4x the memory and 1.2x the first token of a single window, reading only new keystrokes after a switch: all met', () => {
    const bantam = way('bantam', 1100, 140, reads(5, 8), reads(4, 9));
    const verdict = windowsVerdict({ bantam, single, 'shared-slot': slot });
    assert.ok(Math.abs(verdict.rssRatio - 1100 / 800) < 1e-9);
    assert.ok(Math.abs(verdict.ttftRatio - 140 / 120) < 1e-9);
    assert.deepEqual(verdict.targets, {
      bantam_rss_le_1_4x_single: true,
      bantam_ttft_p50_le_1_2x_single: true,
      bantam_switch_reads_only_new_keystrokes: true,
      shared_slot_switch_rereads_evicted: true,
    });
  });

  it('three processes worth of memory, a slower first token and a full re-read after a switch: each target missed', () => {
    const bantam = way('bantam', 2400, 150, reads(130, 140), reads(4, 9));
    const cheapSlot = way('shared-slot', 700, 900, reads(20, 40, 150), reads(30, 60, 150));
    assert.deepEqual(windowsVerdict({ bantam, single, 'shared-slot': cheapSlot }).targets, {
      bantam_rss_le_1_4x_single: false,
      bantam_ttft_p50_le_1_2x_single: false,
      bantam_switch_reads_only_new_keystrokes: false,
      shared_slot_switch_rereads_evicted: false,
    });
  });

  it('a way that did not run, or reads that were never reported, give no verdict rather than a guess', () => {
    const bantam = way('bantam', 1100, 140, readFigures([]), reads(4, 9));
    const verdict = windowsVerdict({ bantam });
    assert.deepEqual(verdict.targets, {
      bantam_rss_le_1_4x_single: null,
      bantam_ttft_p50_le_1_2x_single: null,
      bantam_switch_reads_only_new_keystrokes: null,
      shared_slot_switch_rereads_evicted: null,
    });
  });

  it('the JSON carries each way under its prefix, the ratios and the targets', () => {
    const bantam = way('bantam', 1100, 140, reads(5, 8), reads(4, 9));
    const ways = { bantam, 'per-process': way('per-process', 2400, 130, reads(5, 8), reads(4, 9)), 'shared-slot': slot, single };
    const machine = { cpu: 'test', cores: 2, ram_gb: 8, node: 'v20', platform: 'linux' };
    const result = buildWindowsResult(ways, windowsVerdict(ways), { machine, model: 'm.gguf', quick: true, seed: 7, windows: 3, switches: 4, runS: 60, llamaVscode: 'sized' });
    assert.equal(result['bantam_rss_mb'], 1100);
    assert.equal(result['per_process_rss_mb'], 2400);
    assert.equal(result['shared_slot_rss_mb'], 700);
    assert.equal(result['single_window_rss_mb'], 800);
    assert.equal(result['bantam_ttft_p50_ms'], 140);
    assert.equal(result['single_window_ttft_p50_ms'], 120);
    assert.equal(result['bantam_new_tokens_after_switch_p50'], 5);
    assert.equal(result['shared_slot_new_tokens_after_switch_p50'], 120);
    assert.equal(result['bantam_ttft_after_switch_p50_ms'], 210);
    assert.equal(result['bantam_rss_ratio'], 1.38);
    assert.equal(result['bantam_ttft_ratio'], 1.17);
    assert.equal((result['targets'] as Record<string, boolean>)['bantam_rss_le_1_4x_single'], true);
    // The JSON line must survive a round trip (no NaN or undefined figures).
    assert.deepEqual(JSON.parse(JSON.stringify(result)), result);
  });
});
