// bench:completion's verdict on its two engines: baseline (c)'s llama-server and Bantam's model host
// compare as they are only within 15% of each other's rates; otherwise (c)'s first token is also given
// at the model host's prompt rate.
import * as assert from 'node:assert/strict';
import { engineComparison } from '../../../bench/benchReport';
import type { VariantSummary } from '../../../bench/variantSummary';

const variant = (promptTokPerS: number, genTokPerS: number, ttftP50: number) =>
  ({ rates: { promptTokPerS, genTokPerS }, ttft: { p50: ttftP50 } }) as unknown as VariantSummary;

describe('engineComparison', () => {
  it('engines within 15%: comparable, and the normalised figure follows the prompt rates', () => {
    const result = engineComparison(variant(140, 29, 120), variant(145, 30, 4200));
    assert.equal(result.comparable, true);
    assert.ok(Math.abs(result.normalisedP50 - 4200 * (145 / 140)) < 1e-9);
  });

  it('a server twice as fast is not comparable: its first token counts double at the host rate', () => {
    const result = engineComparison(variant(100, 29, 120), variant(200, 30, 500));
    assert.equal(result.comparable, false);
    assert.equal(result.normalisedP50, 1000);
  });

  it('without baseline (c) there is no verdict', () => {
    assert.equal(engineComparison(variant(100, 29, 120), undefined).comparable, null);
    assert.ok(Number.isNaN(engineComparison(undefined, variant(100, 29, 120)).normalisedP50));
  });
});
