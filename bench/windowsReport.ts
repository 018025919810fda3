// bench:windows's figures per way, its verdicts on the issue's targets, the readable report and the
// one-line JSON object it ends with.
import { distribution, type Distribution } from './distribution';
import type { MachineInfo } from './machineInfo';
import type { MemorySummary } from './rssSampler';
import type { CountedRead, SwitchAccount } from './switchAccounting';
import { WAY_LABELS, type WayKey } from './windowWays';

/** Model reads of one kind (after a switch, or within a window): medians of what they cost. */
export interface ReadFigures {
  reads: number;
  newTokensP50: number;
  newTokensP95: number;
  promptTokensP50: number;
  keystrokesP50: number;
}

export interface WayFigures {
  way: WayKey;
  memory: MemorySummary;
  /** Keystroke -> first token over the windows' real-time requests. */
  ttft: Distribution;
  /** The same, window by window (window 1 types the single window's file). */
  ttftByWindow: Distribution[];
  requests: number;
  reachedModel: number;
  /**
   * The first model read of each window after a switch that the host reported (a request the next
   * keystroke cancelled before the host answered reports none), and every later one.
   */
  afterSwitch: ReadFigures;
  withinWindow: ReadFigures;
  /** Keystroke -> first token of the first answered request in a window after a switch, and of the later ones. */
  ttftAfterSwitch: Distribution;
  ttftWithinWindow: Distribution;
  /** Cores other processes used meanwhile (undefined without /proc). */
  foreignCores: number | undefined;
  loadMs: number;
  wallMs: number;
  errors: number;
}

export function readFigures(reads: readonly CountedRead[]): ReadFigures {
  return {
    reads: reads.length,
    newTokensP50: distribution(reads.map((r) => r.newTokens)).p50,
    newTokensP95: distribution(reads.map((r) => r.newTokens)).p95,
    promptTokensP50: distribution(reads.map((r) => r.promptTokens)).p50,
    keystrokesP50: distribution(reads.map((r) => r.keystrokes)).p50,
  };
}

/** The reads' figures, and the first-token times, after a switch and within a window. */
export function switchFigures(
  reads: SwitchAccount,
  firstTokens: SwitchAccount<{ seq: number; ms: number }>,
): Pick<WayFigures, 'afterSwitch' | 'withinWindow' | 'ttftAfterSwitch' | 'ttftWithinWindow'> {
  return {
    afterSwitch: readFigures(reads.afterSwitch),
    withinWindow: readFigures(reads.withinWindow),
    ttftAfterSwitch: distribution(firstTokens.afterSwitch.map((t) => t.ms)),
    ttftWithinWindow: distribution(firstTokens.withinWindow.map((t) => t.ms)),
  };
}

export const RSS_RATIO_TARGET = 1.4;
export const TTFT_RATIO_TARGET = 1.2;
/** The shared slot "re-reads what was evicted" when a read after a switch evaluates at least this share of its prompt. */
export const EVICTED_SHARE = 0.5;

export interface WindowsVerdict {
  /** Bantam's peak total RSS over the single window's. */
  rssRatio: number;
  /** Bantam's ttft p50 over the single window's. */
  ttftRatio: number;
  targets: {
    bantam_rss_le_1_4x_single: boolean | null;
    bantam_ttft_p50_le_1_2x_single: boolean | null;
    /** After a switch Bantam reads no more than a keystroke within a window does: p50 after a switch <= p95 within. */
    bantam_switch_reads_only_new_keystrokes: boolean | null;
    /** After a switch the shared slot evaluates at least half of its prompt again: what the other windows evicted. */
    shared_slot_switch_rereads_evicted: boolean | null;
  };
}

const known = (...values: number[]): boolean => values.every((v) => Number.isFinite(v));

export function windowsVerdict(ways: Partial<Record<WayKey, WayFigures>>): WindowsVerdict {
  const { bantam, single } = ways;
  const slot = ways['shared-slot'];
  const rssRatio = bantam && single ? bantam.memory.rssPeakMb / single.memory.rssPeakMb : Number.NaN;
  const ttftRatio = bantam && single ? bantam.ttft.p50 / single.ttft.p50 : Number.NaN;
  const afterBantam = bantam?.afterSwitch.newTokensP50 ?? Number.NaN;
  const withinBantamP95 = bantam?.withinWindow.newTokensP95 ?? Number.NaN;
  const afterSlot = slot?.afterSwitch.newTokensP50 ?? Number.NaN;
  const slotPrompt = slot?.afterSwitch.promptTokensP50 ?? Number.NaN;
  return {
    rssRatio,
    ttftRatio,
    targets: {
      bantam_rss_le_1_4x_single: known(rssRatio) ? rssRatio <= RSS_RATIO_TARGET : null,
      bantam_ttft_p50_le_1_2x_single: known(ttftRatio) ? ttftRatio <= TTFT_RATIO_TARGET : null,
      bantam_switch_reads_only_new_keystrokes: known(afterBantam, withinBantamP95) ? afterBantam <= withinBantamP95 : null,
      shared_slot_switch_rereads_evicted: known(afterSlot, slotPrompt) && slotPrompt > 0 ? afterSlot >= EVICTED_SHARE * slotPrompt : null,
    },
  };
}

const fmt = (v: number, digits = 0): string => (Number.isFinite(v) ? v.toFixed(digits) : '-');
const round = (v: number | undefined, digits = 1): number | null => (v !== undefined && Number.isFinite(v) ? Number(v.toFixed(digits)) : null);

export function printWay(f: WayFigures): void {
  const m = f.memory;
  const lines = [
    '',
    `== ${WAY_LABELS[f.way]} ==`,
    `  wall ${fmt(f.wallMs / 1000, 1)} s, loading ${fmt(f.loadMs)} ms; ${m.processes} serving process${m.processes === 1 ? '' : 'es'}`,
    `  memory of the serving processes (${m.samples} samples): RSS peak ${fmt(m.rssPeakMb)} MB, median ${fmt(m.rssMedianMb)} MB; ` +
      `PSS (shared pages counted once) peak ${fmt(m.pssPeakMb)} MB, median ${fmt(m.pssMedianMb)} MB`,
    `  requests ${f.requests}, reached the model ${f.reachedModel}, first tokens ${f.ttft.n}${f.errors ? `, errors ${f.errors}` : ''}`,
    `  keystroke -> first token: p50 ${fmt(f.ttft.p50)} ms, p95 ${fmt(f.ttft.p95)} ms, max ${fmt(f.ttft.max)} ms; p50 by window: ` +
      f.ttftByWindow.map((d, i) => `w${i + 1} ${fmt(d.p50)} ms (${d.n})`).join(', '),
    `  first token after a switch (the first answer in the window): p50 ${fmt(f.ttftAfterSwitch.p50)} ms over ${f.ttftAfterSwitch.n}; ` +
      `later answers within a window: p50 ${fmt(f.ttftWithinWindow.p50)} ms over ${f.ttftWithinWindow.n}`,
    readLine('first read after a switch', f.afterSwitch),
    readLine('later reads within a window', f.withinWindow),
  ];
  if (f.foreignCores !== undefined) {
    const warn = f.foreignCores >= 0.3 ? ' -- WARNING: the machine was not quiet; these figures are slowed down' : '';
    lines.push(`  other processes used ${fmt(f.foreignCores, 2)} of the cores on average during the run${warn}`);
  }
  console.log(lines.join('\n'));
}

function readLine(name: string, r: ReadFigures): string {
  return (
    `  ${name}: ${r.reads} reads, new prompt tokens p50 ${fmt(r.newTokensP50)} (p95 ${fmt(r.newTokensP95)}) of ${fmt(r.promptTokensP50)} p50, ` +
    `after ${fmt(r.keystrokesP50)} keystrokes p50 in that window since its previous read`
  );
}

export function printVerdict(verdict: WindowsVerdict): void {
  const t = verdict.targets;
  const say = (ok: boolean | null): string => (ok === null ? 'not measured' : ok ? 'met' : 'MISSED');
  console.log(
    [
      '',
      '== Targets ==',
      `  Bantam's peak total RSS / a single window's: ${fmt(verdict.rssRatio, 2)}x (<= ${RSS_RATIO_TARGET}x): ${say(t.bantam_rss_le_1_4x_single)}`,
      `  Bantam's ttft p50 / a single window's: ${fmt(verdict.ttftRatio, 2)}x (<= ${TTFT_RATIO_TARGET}x): ${say(t.bantam_ttft_p50_le_1_2x_single)}`,
      `  Bantam after a switch reads only the new keystrokes (p50 after a switch <= p95 within a window): ${say(t.bantam_switch_reads_only_new_keystrokes)}`,
      `  the shared slot after a switch re-reads what was evicted (>= ${EVICTED_SHARE * 100}% of its prompt, p50): ${say(t.shared_slot_switch_rereads_evicted)}`,
    ].join('\n'),
  );
}

const JSON_PREFIX: Record<WayKey, string> = { bantam: 'bantam', 'per-process': 'per_process', 'shared-slot': 'shared_slot', single: 'single_window' };

export interface WindowsRunInfo {
  machine: MachineInfo;
  model: string;
  quick: boolean;
  seed: number;
  windows: number;
  switches: number;
  runS: number;
  llamaVscode: string;
}

export function buildWindowsResult(ways: Partial<Record<WayKey, WayFigures>>, verdict: WindowsVerdict, info: WindowsRunInfo): Record<string, unknown> {
  const result: Record<string, unknown> = { bench: 'windows' };
  for (const [way, f] of Object.entries(ways) as [WayKey, WayFigures][]) {
    const p = JSON_PREFIX[way];
    Object.assign(result, {
      [`${p}_rss_mb`]: round(f.memory.rssPeakMb, 0),
      [`${p}_rss_median_mb`]: round(f.memory.rssMedianMb, 0),
      [`${p}_pss_mb`]: round(f.memory.pssPeakMb, 0),
      [`${p}_processes`]: f.memory.processes,
      [`${p}_ttft_p50_ms`]: round(f.ttft.p50),
      [`${p}_ttft_p95_ms`]: round(f.ttft.p95),
      [`${p}_first_tokens`]: f.ttft.n,
      [`${p}_ttft_after_switch_p50_ms`]: round(f.ttftAfterSwitch.p50),
      [`${p}_ttft_within_window_p50_ms`]: round(f.ttftWithinWindow.p50),
      [`${p}_new_tokens_after_switch_p50`]: round(f.afterSwitch.newTokensP50, 0),
      [`${p}_prompt_tokens_after_switch_p50`]: round(f.afterSwitch.promptTokensP50, 0),
      [`${p}_keystrokes_before_switch_read_p50`]: round(f.afterSwitch.keystrokesP50, 0),
      [`${p}_switch_reads`]: f.afterSwitch.reads,
      [`${p}_new_tokens_within_window_p50`]: round(f.withinWindow.newTokensP50, 0),
      [`${p}_keystrokes_before_read_within_window_p50`]: round(f.withinWindow.keystrokesP50, 0),
      [`${p}_foreign_cpu_cores`]: round(f.foreignCores, 2),
    });
  }
  return {
    ...result,
    bantam_rss_ratio: round(verdict.rssRatio, 2),
    bantam_ttft_ratio: round(verdict.ttftRatio, 2),
    targets: verdict.targets,
    windows: info.windows,
    switches: info.switches,
    run_s: info.runS,
    llamavscode: info.llamaVscode,
    model: info.model,
    quick: info.quick,
    seed: info.seed,
    machine: info.machine,
  };
}
