// Summary figures of a list of samples (ms or tokens), with nearest-rank percentiles shared with
// the stats command, so the benchmark and the status bar agree on what "p95" means.
import { percentile } from '../src/core/util/percentile';

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
