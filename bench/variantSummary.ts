// Turns one variant's request records into the figures the report prints: latency distributions
// by stage, the model's floor for the same requests, outcome counts and cache behaviour.
//
// Definitions (printed with the report as well):
//   ttft       keystroke -> first generated token, over requests that reached the model and got one
//   e2e        keystroke -> answer, over requests that reached the model and were not cancelled
//   overhead   total - debounce wait - backend time, over the same completed model requests
//   floor      new prompt tokens / prompt rate + 1 token / generation rate (e2e: + 16 tokens), from
//              the tokens each completed request actually evaluated; aborted requests don't report
//              their token counts, so the floor covers completed requests only
//   calibrated floor  the measured cost curve (costCurve.ts) at each request's new-token count: what
//              the model needs for that many new tokens on a long cached context, nothing else
//   at pauses  the keystrokes right before a planned pause (0.5-2 s), identical in every real-time
//              variant: how many reached the model, how many had a first token before the next
//              keystroke, and the censored p50 TTFT over all of them (NaN if under half answered)
//   accept -> next  the editor's request for the position after an accepted suggestion -> the next
//              suggestion ready (prefetched when the accepted one was shown); Tab comes when the
//              pause ends, but not before the suggestion has been on screen a modeled reading time
//   cache hit  answers served without a model call (typed-through, LRU, prefetch, cached "nothing")
//              over all answers (those plus model answers)
import type { CostCurve } from './costCurve';
import { censoredPercentile, distribution, type Distribution } from './distribution';
import type { RequestSample } from './requestSamples';
import type { ReplayCounts } from './traceReplayer';
import type { VariantSpec } from './variants';

export interface Rates {
  promptTokPerS: number;
  genTokPerS: number;
}

export interface ColdStart {
  file: string;
  ttftMs: number;
  totalMs: number;
  promptTokens: number;
  outcome: string;
}

export interface VariantRun {
  spec: VariantSpec;
  samples: RequestSample[];
  replays: Array<{ file: string; counts: ReplayCounts; foreignCores: number | undefined }>;
  rates: Rates;
  loadMs: number;
  wallMs: number;
  /** Average cores other processes used while the variant ran (undefined without /proc). */
  foreignCores: number | undefined;
  /** llama.cpp threads the worker ran with. */
  threads: number;
}

export interface VariantSummary {
  spec: VariantSpec;
  requests: number;
  outcomes: Record<string, number>;
  reachedModel: number;
  firstTokens: number;
  ttft: Distribution;
  ttftAfterDebounce: Distribution;
  /** TTFT of the completed requests only, the population the floor is computed on. */
  ttftCompleted: Distribution;
  e2e: Distribution;
  debounce: Distribution;
  overhead: Distribution;
  typedThrough: Distribution;
  prefetch: Distribution;
  lruCache: Distribution;
  promptTokens: Distribution;
  newTokens: Distribution;
  floorTtft: Distribution;
  floorE2e: Distribution;
  /** ttft - floor per completed request: what the engine, IPC, debounce and scheduling add. */
  aboveFloor: Distribution;
  calibratedFloorTtft: Distribution;
  calibratedFloorE2e: Distribution;
  aboveCalibratedFloor: Distribution;
  lag: Distribution;
  atPauses: { requests: number; answered: number; ttftP50: number; ttftP95: number };
  cacheHitRate: number;
  pauses: number;
  pauseShownRate: number;
  typeThroughs: number;
  readAheads: number;
  accepts: number;
  /** The editor's request after an accept -> the next suggestion ready. */
  acceptNext: Distribution;
  /** Accepts after which no suggestion came. */
  acceptNextNone: number;
  errors: number;
  lastError?: string;
  cold: ColdStart[];
  perFile: Array<{ file: string; ttft: Distribution; requests: number; foreignCores: number | undefined }>;
  rates: Rates;
  loadMs: number;
  wallMs: number;
  foreignCores: number | undefined;
  threads: number;
}

const hitOutcomes = new Set(['typed-through', 'cache', 'prefetch']);

function floorMs(newTokens: number, generated: number, rates: Rates): number {
  return (newTokens / rates.promptTokPerS) * 1000 + (generated / rates.genTokPerS) * 1000;
}

export function summarize(run: VariantRun, curve: CostCurve | undefined): VariantSummary {
  const timed = run.samples.filter((s) => s.phase !== 'prime');
  const outcomes: Record<string, number> = {};
  for (const s of timed) outcomes[s.timings.outcome] = (outcomes[s.timings.outcome] ?? 0) + 1;

  const model = timed.filter((s) => s.timings.reachedModel);
  const withToken = model.filter((s) => s.timings.firstTokenMs !== undefined);
  const completed = model.filter((s) => s.timings.outcome === 'model' || s.timings.outcome === 'empty');
  const evaluated = completed.filter((s) => s.timings.promptTokens !== undefined && s.timings.promptTokens > 0);
  const newTokens = (s: RequestSample) => (s.timings.promptTokens ?? 0) - (s.timings.reusedTokens ?? 0);
  const latencyOf = (outcome: string) => distribution(timed.filter((s) => s.timings.outcome === outcome).map((s) => s.timings.totalMs));

  const hits = timed.filter((s) => hitOutcomes.has(s.timings.outcome) || (s.timings.outcome === 'empty' && !s.timings.reachedModel)).length;
  const answered = hits + completed.length;

  const replayTotals = run.replays.reduce(
    (acc, r) => {
      acc.pauses += r.counts.pauses;
      acc.shown += r.counts.pausesWithSuggestion;
      acc.typeThroughs += r.counts.typeThroughs;
      acc.readAheads += r.counts.readAheads;
      acc.accepts += r.counts.accepts;
      acc.errors += r.counts.errors;
      if (r.counts.lastError) acc.lastError = r.counts.lastError;
      return acc;
    },
    { pauses: 0, shown: 0, typeThroughs: 0, readAheads: 0, accepts: 0, errors: 0, lastError: undefined as string | undefined },
  );

  const cold = run.samples
    .filter((s) => s.phase === 'prime')
    .map((s) => ({
      file: s.file,
      ttftMs: s.timings.firstTokenMs ?? NaN,
      totalMs: s.timings.totalMs,
      promptTokens: s.timings.promptTokens ?? 0,
      outcome: s.timings.outcome,
    }));

  const files = [...new Set(timed.map((s) => s.file))];
  return {
    spec: run.spec,
    requests: timed.length,
    outcomes,
    reachedModel: model.length,
    firstTokens: withToken.length,
    ttft: distribution(withToken.map((s) => s.timings.firstTokenMs!)),
    ttftAfterDebounce: distribution(withToken.map((s) => s.timings.firstTokenMs! - s.timings.debounceMs)),
    ttftCompleted: distribution(evaluated.map((s) => s.timings.firstTokenMs ?? NaN)),
    e2e: distribution(completed.map((s) => s.timings.totalMs)),
    debounce: distribution(model.map((s) => s.timings.debounceMs)),
    overhead: distribution(completed.map((s) => s.timings.overheadMs ?? NaN)),
    typedThrough: latencyOf('typed-through'),
    prefetch: latencyOf('prefetch'),
    lruCache: latencyOf('cache'),
    promptTokens: distribution(evaluated.map((s) => s.timings.promptTokens!)),
    newTokens: distribution(evaluated.map(newTokens)),
    floorTtft: distribution(evaluated.map((s) => floorMs(newTokens(s), 1, run.rates))),
    floorE2e: distribution(evaluated.map((s) => floorMs(newTokens(s), run.spec.experiment.fixedMaxTokens ?? 16, run.rates))),
    aboveFloor: distribution(
      evaluated.filter((s) => s.timings.firstTokenMs !== undefined).map((s) => s.timings.firstTokenMs! - floorMs(newTokens(s), 1, run.rates)),
    ),
    calibratedFloorTtft: distribution(evaluated.map((s) => curve?.ttftMs(newTokens(s)) ?? NaN)),
    calibratedFloorE2e: distribution(
      evaluated.map((s) => (curve?.ttftMs(newTokens(s)) ?? NaN) + floorMs(0, (run.spec.experiment.fixedMaxTokens ?? 16) - 1, run.rates)),
    ),
    aboveCalibratedFloor: distribution(
      evaluated.map((s) => (s.timings.firstTokenMs ?? NaN) - (curve?.ttftMs(newTokens(s)) ?? NaN)),
    ),
    lag: distribution(timed.map((s) => s.lagMs)),
    atPauses: atPauses(timed),
    cacheHitRate: answered > 0 ? hits / answered : NaN,
    pauses: replayTotals.pauses,
    pauseShownRate: replayTotals.pauses > 0 ? replayTotals.shown / replayTotals.pauses : NaN,
    typeThroughs: replayTotals.typeThroughs,
    readAheads: replayTotals.readAheads,
    accepts: replayTotals.accepts,
    acceptNext: distribution(run.replays.flatMap((r) => r.counts.acceptNextMs)),
    acceptNextNone: run.replays.reduce((n, r) => n + r.counts.acceptNextNone, 0),
    errors: replayTotals.errors,
    lastError: replayTotals.lastError,
    cold,
    perFile: files.map((file) => {
      const mine = withToken.filter((s) => s.file === file);
      return {
        file,
        ttft: distribution(mine.map((s) => s.timings.firstTokenMs!)),
        requests: timed.filter((s) => s.file === file).length,
        foreignCores: run.replays.find((r) => r.file === file)?.foreignCores,
      };
    }),
    rates: run.rates,
    loadMs: run.loadMs,
    wallMs: run.wallMs,
    foreignCores: run.foreignCores,
    threads: run.threads,
  };
}

function atPauses(timed: readonly RequestSample[]): VariantSummary['atPauses'] {
  const before = timed.filter((s) => s.pauseAfterMs !== undefined && s.timings.reachedModel);
  const observed = before.filter((s) => s.timings.firstTokenMs !== undefined).map((s) => s.timings.firstTokenMs!);
  return {
    requests: before.length,
    answered: observed.length,
    ttftP50: censoredPercentile(observed, before.length, 50),
    ttftP95: censoredPercentile(observed, before.length, 95),
  };
}
