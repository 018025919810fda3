// Summary figures of a list of samples (ms or tokens), with nearest-rank percentiles shared with
// the stats command, so the benchmark and the status bar agree on what "p95" means.
import { percentile } from '../src/core/kernel/percentile';

export interface Distribution {
  n: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
}

export function distribution(values: readonly number[]): Distribution {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return { n: 0, p50: NaN, p95: NaN, max: NaN, mean: NaN };
  return {
    n: finite.length,
    p50: percentile(finite, 50),
    p95: percentile(finite, 95),
    max: Math.max(...finite),
    mean: finite.reduce((a, b) => a + b, 0) / finite.length,
  };
}

/**
 * The p-th percentile when some samples never produced a value (censored: "longer than we watched").
 * Censored samples rank above every observed one, so the result is NaN when the percentile falls
 * among them: the honest answer is then "more than the observation window".
 */
export function censoredPercentile(observed: readonly number[], total: number, p: number): number {
  if (total === 0) return NaN;
  const sorted = observed.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  return rank <= sorted.length ? sorted[rank - 1]! : NaN;
}
