// Prints the benchmark's readable tables (one block per variant, then the comparison) and builds
// the final one-line JSON object that scripts and the lead read.
import type { CostCurve } from './costCurve';
import type { Distribution } from './distribution';
import type { MachineInfo } from './machineInfo';
import type { VariantSummary } from './variantSummary';
import { ratesComparable } from '../test/support/llamaServer';

const fmt = (v: number, digits = 0): string => (Number.isFinite(v) ? v.toFixed(digits) : '-');
const pct = (v: number): string => (Number.isFinite(v) ? `${(v * 100).toFixed(0)}%` : '-');
const round = (v: number, digits = 1): number | null => (Number.isFinite(v) ? Number(v.toFixed(digits)) : null);

function row(name: string, d: Distribution, unit = 'ms'): string {
  return `  ${name.padEnd(34)}${String(d.n).padStart(6)}${fmt(d.p50).padStart(9)}${fmt(d.p95).padStart(9)}${fmt(d.max).padStart(9)}${fmt(d.mean).padStart(9)}  ${unit}`;
}

/**
 * Whether Bantam's model host and baseline (c)'s llama-server ran at comparable rates (within 15%),
 * and (c)'s first-token p50 as it would be at the model host's prompt rate: most of a first token is
 * prompt reading, so the p50 scales by the ratio of the two prompt rates.
 */
export function engineComparison(bantam: VariantSummary | undefined, server: VariantSummary | undefined): { comparable: boolean | null; normalisedP50: number } {
  if (!bantam || !server) return { comparable: null, normalisedP50: Number.NaN };
  return {
    comparable: ratesComparable(bantam.rates, server.rates),
    normalisedP50: server.ttft.p50 * (server.rates.promptTokPerS / bantam.rates.promptTokPerS),
  };
}

export function printVariant(s: VariantSummary): void {
  const lines: string[] = [];
  lines.push('', `== ${s.spec.label} ==`);
  lines.push(
    `  ${s.spec.mode}, wall ${fmt(s.wallMs / 1000, 1)} s, model load ${fmt(s.loadMs)} ms, ${s.threads} threads, ` +
      `rates: prompt ${fmt(s.rates.promptTokPerS)} tok/s, generation ${fmt(s.rates.genTokPerS, 1)} tok/s`,
  );
  const outcomes = Object.entries(s.outcomes)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  lines.push(`  requests ${s.requests}: ${outcomes}`);
  lines.push(`  reached the model ${s.reachedModel}, got a first token ${s.firstTokens}, cache hit rate ${pct(s.cacheHitRate)}`);
  if (s.spec.mode === 'real-time') {
    lines.push(
      `  pauses >= 0.5 s ${s.pauses}, suggestion on screen when the pause ended ${pct(s.pauseShownRate)}; ` +
        `type-throughs ${s.typeThroughs}, accepts ${s.accepts} (next suggestion after the accept: p50 ${fmt(s.acceptNext.p50)} ms, ` +
        `p95 ${fmt(s.acceptNext.p95)} ms over ${s.acceptNext.n}; none after ${s.acceptNextNone}); ` +
        `read ahead at ${s.readAheads} places the cursor came to rest`,
    );
  }
  if (s.spec.mode === 'real-time') {
    const a = s.atPauses;
    lines.push(
      `  keystrokes right before a pause that reached the model: ${a.requests}, first token before the next keystroke: ` +
        `${a.answered}; ttft there p50 ${fmt(a.ttftP50)} ms, p95 ${fmt(a.ttftP95)} ms ('-' = not answered within the pause)`,
    );
  }
  if (s.foreignCores !== undefined) {
    const warn = s.foreignCores >= 0.3 ? ' -- WARNING: the machine was not quiet; these figures are slowed down' : '';
    lines.push(`  other processes used ${fmt(s.foreignCores, 2)} of the cores on average during the run${warn}`);
  }
  if (s.errors > 0) lines.push(`  ERRORS ${s.errors}; last: ${s.lastError}`);
  lines.push(`  ${'metric'.padEnd(34)}${'n'.padStart(6)}${'p50'.padStart(9)}${'p95'.padStart(9)}${'max'.padStart(9)}${'mean'.padStart(9)}`);
  lines.push(row('ttft (keystroke -> 1st token)', s.ttft));
  lines.push(row('ttft minus debounce wait', s.ttftAfterDebounce));
  lines.push(row('ttft, completed requests', s.ttftCompleted));
  lines.push(row('floor ttft (same requests)', s.floorTtft));
  lines.push(row('ttft above floor', s.aboveFloor));
  lines.push(row('calibrated floor ttft', s.calibratedFloorTtft));
  lines.push(row('ttft above calibrated floor', s.aboveCalibratedFloor));
  lines.push(row('e2e (keystroke -> answer)', s.e2e));
  lines.push(row('floor e2e', s.floorE2e));
  lines.push(row('calibrated floor e2e', s.calibratedFloorE2e));
  lines.push(row('debounce wait', s.debounce));
  lines.push(row('overhead (engine + IPC)', s.overhead));
  lines.push(row('typed-through answer', s.typedThrough));
  lines.push(row('LRU cache answer', s.lruCache));
  lines.push(row('prefetch answer (after accept)', s.prefetch));
  lines.push(row('prompt tokens', s.promptTokens, 'tok'));
  lines.push(row('new (evaluated) prompt tokens', s.newTokens, 'tok'));
  lines.push(row('keystroke replay lag', s.lag));
  if (s.cold.length > 0) {
    lines.push('  cold start (untimed priming request when each file opens; measured without the generation timeout):');
    for (const c of s.cold) {
      lines.push(`    ${c.file.padEnd(28)} ttft ${fmt(c.ttftMs).padStart(6)} ms, total ${fmt(c.totalMs).padStart(6)} ms, prompt ${c.promptTokens} tok (${c.outcome})`);
    }
  }
  lines.push('  ttft by file:');
  for (const f of s.perFile) {
    const busy = f.foreignCores === undefined ? '' : `, other processes ${fmt(f.foreignCores, 2)} cores${f.foreignCores >= 0.3 ? ' (NOT QUIET)' : ''}`;
    lines.push(
      `    ${f.file.padEnd(28)} requests ${String(f.requests).padStart(4)}, first tokens ${String(f.ttft.n).padStart(4)}, ` +
        `p50 ${fmt(f.ttft.p50).padStart(6)} ms, p95 ${fmt(f.ttft.p95).padStart(6)} ms${busy}`,
    );
  }
  console.log(lines.join('\n'));
}

export interface BenchResult {
  [key: string]: unknown;
}

export function buildResult(
  summaries: VariantSummary[],
  machine: MachineInfo,
  extra: { model: string; quick: boolean; seed: number; wallMs: number; traceNote: string; curve: CostCurve | undefined; settings: Record<string, unknown>; productTimeoutMs: number },
): BenchResult {
  const by = (key: string) => summaries.find((s) => s.spec.key === key);
  const bantam = by('bantam');
  const fresh = by('fresh');
  const prefix = by('prefix');
  const context = by('context');
  const llamavscode = by('llamavscode');
  const llamavscodeP50 = llamavscode?.ttft.p50 ?? NaN;
  const ttftP50 = bantam?.ttft.p50 ?? NaN;
  const prefixP50 = prefix?.ttft.p50 ?? NaN;
  const coldFirst = bantam?.cold[0]?.ttftMs ?? NaN;
  const engines = engineComparison(bantam, llamavscode);
  const result: BenchResult = {
    bench: 'completion',
    ttft_p50_ms: round(ttftP50),
    ttft_p95_ms: round(bantam?.ttft.p95 ?? NaN),
    e2e_p50_ms: round(bantam?.e2e.p50 ?? NaN),
    e2e_p95_ms: round(bantam?.e2e.p95 ?? NaN),
    overhead_p95_ms: round(bantam?.overhead.p95 ?? NaN),
    typed_through_p95_ms: round(bantam?.typedThrough.p95 ?? NaN),
    cache_hit_rate: round(bantam?.cacheHitRate ?? NaN, 3),
    context_ttft_p50_ms: round(context?.ttft.p50 ?? NaN),
    context_ttft_p95_ms: round(context?.ttft.p95 ?? NaN),
    baseline_fresh_ttft_p50_ms: round(fresh?.ttft.p50 ?? NaN),
    baseline_prefix_ttft_p50_ms: round(prefixP50),
    floor_ttft_p50_ms: round(bantam?.floorTtft.p50 ?? NaN),
    floor_e2e_p50_ms: round(bantam?.floorE2e.p50 ?? NaN),
    calibrated_floor_ttft_p50_ms: round(bantam?.calibratedFloorTtft.p50 ?? NaN),
    calibrated_floor_e2e_p50_ms: round(bantam?.calibratedFloorE2e.p50 ?? NaN),
    cost_curve: extra.curve?.points.map((p) => [p.newTokens, round(p.ttftMs, 0)]) ?? [],
    requests: bantam?.requests ?? 0,
    model_requests: bantam?.reachedModel ?? 0,
    first_tokens: bantam?.firstTokens ?? 0,
    prompt_tok_per_s: round(bantam?.rates.promptTokPerS ?? NaN),
    gen_tok_per_s: round(bantam?.rates.genTokPerS ?? NaN),
    speedup_vs_prefix_baseline: round(prefixP50 / ttftP50, 2),
    speedup_vs_fresh_baseline: round((fresh?.ttft.p50 ?? NaN) / ttftP50, 2),
    cold_ttft_ms: round(coldFirst),
    // Cold requests are measured without the generation timeout; above it, the product shows nothing.
    cold_exceeds_product_timeout: Number.isFinite(coldFirst) ? coldFirst > extra.productTimeoutMs : null,
    cold_ttft_per_file_ms: bantam?.cold.map((c) => round(c.ttftMs)) ?? [],
    model_load_ms: round(bantam?.loadMs ?? NaN, 0),
    threads: bantam?.threads ?? summaries[0]?.threads ?? null,
    pause_shown_rate: round(bantam?.pauseShownRate ?? NaN, 3),
    read_aheads: bantam?.readAheads ?? null,
    accept_next_p50_ms: round(bantam?.acceptNext.p50 ?? NaN),
    accept_next_p95_ms: round(bantam?.acceptNext.p95 ?? NaN),
    accept_next_n: bantam?.acceptNext.n ?? 0,
    pause_ttft_p50_ms: round(bantam?.atPauses.ttftP50 ?? NaN),
    baseline_prefix_pause_ttft_p50_ms: round(prefix?.atPauses.ttftP50 ?? NaN),
    pause_answered: bantam ? `${bantam.atPauses.answered}/${bantam.atPauses.requests}` : null,
    baseline_prefix_pause_answered: prefix ? `${prefix.atPauses.answered}/${prefix.atPauses.requests}` : null,
    baseline_prefix_pause_shown_rate: round(prefix?.pauseShownRate ?? NaN, 3),
    baseline_prefix_ttft_p95_ms: round(prefix?.ttft.p95 ?? NaN),
    baseline_fresh_ttft_p95_ms: round(fresh?.ttft.p95 ?? NaN),
    baseline_llamavscode_ttft_p50_ms: round(llamavscodeP50),
    baseline_llamavscode_ttft_p95_ms: round(llamavscode?.ttft.p95 ?? NaN),
    baseline_llamavscode_e2e_p50_ms: round(llamavscode?.e2e.p50 ?? NaN),
    baseline_llamavscode_new_tokens_p50: round(llamavscode?.newTokens.p50 ?? NaN, 0),
    baseline_llamavscode_pause_shown_rate: round(llamavscode?.pauseShownRate ?? NaN, 3),
    speedup_vs_llamavscode: round(llamavscodeP50 / ttftP50, 2),
    llama_server_prompt_tok_per_s: round(llamavscode?.rates.promptTokPerS ?? NaN),
    llama_server_gen_tok_per_s: round(llamavscode?.rates.genTokPerS ?? NaN),
    engines_within_15pct: engines.comparable,
    baseline_llamavscode_ttft_p50_ms_rate_normalised: round(engines.normalisedP50),
    speedup_vs_llamavscode_rate_normalised: round(engines.normalisedP50 / ttftP50, 2),
    variants: Object.fromEntries(
      summaries.map((s) => [
        s.spec.key,
        {
          mode: s.spec.mode,
          requests: s.requests,
          model_requests: s.reachedModel,
          first_tokens: s.firstTokens,
          ttft_p50_ms: round(s.ttft.p50),
          ttft_p95_ms: round(s.ttft.p95),
          e2e_p50_ms: round(s.e2e.p50),
          new_tokens_p50: round(s.newTokens.p50, 0),
          floor_ttft_p50_ms: round(s.floorTtft.p50),
          calibrated_floor_ttft_p50_ms: round(s.calibratedFloorTtft.p50),
          prompt_tok_per_s: round(s.rates.promptTokPerS),
          gen_tok_per_s: round(s.rates.genTokPerS),
          errors: s.errors,
          foreign_cpu_cores: round(s.foreignCores ?? NaN, 2),
        },
      ]),
    ),
    targets: {
      ttft_p50_le_150: Number.isFinite(ttftP50) ? ttftP50 <= 150 : null,
      ttft_p95_le_600: bantam && Number.isFinite(bantam.ttft.p95) ? bantam.ttft.p95 <= 600 : null,
      speedup_vs_prefix_ge_3: Number.isFinite(prefixP50 / ttftP50) ? prefixP50 / ttftP50 >= 3 : null,
      overhead_p95_le_15: bantam && Number.isFinite(bantam.overhead.p95) ? bantam.overhead.p95 <= 15 : null,
      typed_through_p95_le_5: bantam && Number.isFinite(bantam.typedThrough.p95) ? bantam.typedThrough.p95 <= 5 : null,
      accept_next_p50_le_30: bantam && Number.isFinite(bantam.acceptNext.p50) ? bantam.acceptNext.p50 <= 30 : null,
      pause_shown_rate_ge_0_6: bantam && Number.isFinite(bantam.pauseShownRate) ? bantam.pauseShownRate >= 0.6 : null,
      speedup_vs_llamavscode_ge_1_5: Number.isFinite(llamavscodeP50 / ttftP50) ? llamavscodeP50 / ttftP50 >= 1.5 : null,
      pause_shown_above_llamavscode:
        bantam && llamavscode && Number.isFinite(llamavscode.pauseShownRate) ? bantam.pauseShownRate > llamavscode.pauseShownRate : null,
    },
    max_foreign_cpu_cores: round(Math.max(...summaries.map((s) => s.foreignCores ?? NaN)), 2),
    model: extra.model,
    settings: extra.settings,
    quick: extra.quick,
    seed: extra.seed,
    trace: extra.traceNote,
    wall_s: round(extra.wallMs / 1000),
    machine,
  };
  return result;
}

export function printComparison(summaries: VariantSummary[]): void {
  console.log('\n== Comparison (keystroke -> first token, ms) ==');
  console.log(
    `  ${'variant'.padEnd(62)}${'n'.padStart(6)}${'p50'.padStart(8)}${'p95'.padStart(8)}${'floor p50'.padStart(11)}` +
      `${'calib. p50'.padStart(12)}${'new tok p50'.padStart(13)}`,
  );
  for (const s of summaries) {
    console.log(
      `  ${s.spec.label.padEnd(62)}${String(s.ttft.n).padStart(6)}${fmt(s.ttft.p50).padStart(8)}${fmt(s.ttft.p95).padStart(8)}` +
        `${fmt(s.floorTtft.p50).padStart(11)}${fmt(s.calibratedFloorTtft.p50).padStart(12)}${fmt(s.newTokens.p50).padStart(13)}`,
    );
  }
  const bantam = summaries.find((s) => s.spec.key === 'bantam');
  const server = summaries.find((s) => s.spec.key === 'llamavscode');
  const engines = engineComparison(bantam, server);
  if (engines.comparable !== null) {
    console.log(
      engines.comparable
        ? '  the model host and llama-server ran within 15% of each other: the latencies compare as they are'
        : `  the model host and llama-server did NOT run within 15% of each other: (c) at the model host's prompt rate would take ${fmt(engines.normalisedP50)} ms p50`,
    );
  }
}
