// Session statistics for next-edit suggestions: how many were shown, jumped to, accepted and
// dismissed, why answers showed nothing, and the request-to-suggestion latency; rendered for the stats
// command (markdown) and as one line for the status bar tooltip.
import { percentile } from '../kernel/percentile';
import type { NextEditRefusal } from './answerToEdits';
import type { NextEditDismissal, NextEditOutcome } from './nextEditSource';

/** The dismissals that are the user turning a suggestion down (stats, and the adaptive wait). */
export const isTurnedDown = (reason: NextEditDismissal): boolean => reason === 'escape' || reason === 'typed' || reason === 'moved';

export interface NextEditStatsSnapshot {
  /** Requests sent to the model. */
  requests: number;
  shown: number;
  /** Suggestions away from the cursor that Tab jumped to. */
  jumped: number;
  accepted: number;
  dismissed: number;
  /** Answers that showed nothing, by reason. */
  refused: Partial<Record<NextEditRefusal, number>>;
  errors: number;
  /** Request-to-suggestion latency of shown suggestions. */
  latencyP50Ms: number;
  latencyP95Ms: number;
  lastLatencyMs: number | undefined;
  /** accepted / shown (0 with nothing shown). */
  acceptanceRate: number;
}

/** What an answer that showed nothing means to a reader of the stats. */
const REFUSAL_LABELS: Record<NextEditRefusal, string> = {
  'cut-off': 'cut off before the end of the window',
  empty: 'empty',
  markup: 'markup the format does not produce',
  stale: 'the document changed under it',
  'outside-window': 'reached past the window',
  'too-long': 'much longer than the window',
  'no-change': 'no change',
  'repeats-undo': 'only redid an undo',
};

export type NextEditEvent = 'request' | 'jumped' | 'accepted' | 'dismissed' | 'error';

const EVENT_COUNTS = { request: 'requests', jumped: 'jumped', accepted: 'accepted', dismissed: 'dismissed', error: 'errors' } as const;

/** Keeps at most `window` latency samples, so a long session stays small. */
export class NextEditStats {
  private readonly latencies: number[] = [];
  private counts = { requests: 0, shown: 0, jumped: 0, accepted: 0, dismissed: 0, errors: 0 };
  private readonly refused: Partial<Record<NextEditRefusal, number>> = {};
  private last: number | undefined;

  constructor(private readonly window = 2000) {}

  /** A request sent, a suggestion jumped to, accepted or dismissed, or a request that failed. */
  record(event: NextEditEvent): void {
    this.counts[EVENT_COUNTS[event]]++;
  }

  recordShown(latencyMs: number): void {
    this.counts.shown++;
    this.last = latencyMs;
    this.latencies.push(latencyMs);
    if (this.latencies.length > this.window) this.latencies.shift();
  }

  /**
   * What the editor reports of a shown suggestion. Only Escape, typing over it and moving away are
   * the user turning it down; one replaced by a newer suggestion, left behind in another editor or put
   * away with the feature is not a dismissal.
   */
  recordOutcome(outcome: NextEditOutcome): void {
    if (outcome.kind === 'shown') this.recordShown(outcome.suggestion.latencyMs);
    else if (outcome.kind !== 'dismissed') this.record(outcome.kind);
    else if (isTurnedDown(outcome.reason)) this.record('dismissed');
  }

  recordRefused(reason: NextEditRefusal): void {
    this.refused[reason] = (this.refused[reason] ?? 0) + 1;
  }

  snapshot(): NextEditStatsSnapshot {
    const c = this.counts;
    return {
      ...c,
      refused: { ...this.refused },
      latencyP50Ms: percentile(this.latencies, 50),
      latencyP95Ms: percentile(this.latencies, 95),
      lastLatencyMs: this.last,
      acceptanceRate: c.shown === 0 ? 0 : c.accepted / c.shown,
    };
  }
}

function ms(value: number | undefined): string {
  return value === undefined || Number.isNaN(value) ? '–' : `${Math.round(value)} ms`;
}

function pct(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

/** The markdown section the stats command shows. */
export function renderNextEditStats(stats: NextEditStatsSnapshot, model?: string): string {
  const refusals = (Object.keys(REFUSAL_LABELS) as NextEditRefusal[])
    .filter((reason) => (stats.refused[reason] ?? 0) > 0)
    .map((reason) => `| showed nothing: ${REFUSAL_LABELS[reason]} | ${stats.refused[reason]} |`);
  return [
    '# Bantam next-edit stats (this session)',
    '',
    ...(model ? [`Model: ${model}`, ''] : []),
    '| measure | value |',
    '| --- | --- |',
    `| suggestion latency p50 | ${ms(stats.latencyP50Ms)} |`,
    `| suggestion latency p95 | ${ms(stats.latencyP95Ms)} |`,
    `| acceptance rate | ${pct(stats.acceptanceRate)} |`,
    `| requests | ${stats.requests} |`,
    `| suggestions shown | ${stats.shown} |`,
    `| jumped to (Tab) | ${stats.jumped} |`,
    `| accepted (Tab) | ${stats.accepted} |`,
    `| dismissed | ${stats.dismissed} |`,
    ...refusals,
    `| errors | ${stats.errors} |`,
    '',
    'Latency is from the request to the suggestion, including the model rewriting the window.',
    '',
  ].join('\n');
}

/** One line for the status bar tooltip. */
export function nextEditStatsSummary(stats: NextEditStatsSnapshot): string {
  if (stats.requests === 0 && stats.shown === 0) return 'Next edit: no suggestions yet';
  const latency = Number.isNaN(stats.latencyP50Ms) ? '' : `, p50 ${ms(stats.latencyP50Ms)}`;
  return `Next edit: ${stats.shown} shown, ${stats.accepted} accepted (${pct(stats.acceptanceRate)}), ${stats.dismissed} dismissed${latency}`;
}
