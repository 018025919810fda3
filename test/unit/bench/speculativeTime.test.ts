// The modeled window-rewrite time the next-edit benchmark reports for draft acceptance 0.7 and 0.9.
import * as assert from 'node:assert/strict';
import { bestDraftLength, expectedTokensPerStep, modeledRewriteMs } from '../../../bench/speculativeTime';

const close = (actual: number, expected: number): void => assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} != ${expected}`);

describe('speculative decoding time model', () => {
  it('a step yields the accepted run plus one token of the model', () => {
    close(expectedTokensPerStep(0, 8), 1); // nothing accepted: plain decoding
    close(expectedTokensPerStep(1, 8), 9); // everything accepted
    close(expectedTokensPerStep(0.5, 1), 1.5); // 1 + 0.5
    close(expectedTokensPerStep(0.9, 3), 1 + 0.9 + 0.81 + 0.729);
  });

  it('rejects acceptances outside [0, 1] and fractional draft lengths', () => {
    assert.throws(() => expectedTokensPerStep(1.2, 4), /acceptance/);
    assert.throws(() => expectedTokensPerStep(0.5, 2.5), /draftTokens/);
  });

  it('the first token costs the ttft, the rest one verify batch per expected step', () => {
    const costs = { ttftMs: 200, outputTokens: 101, verifyBatchMs: 50, draftTokens: 4 };
    // a = 0: 100 steps of 50 ms
    close(modeledRewriteMs(costs, 0), 200 + 100 * 50);
    // a = 0.9, k = 4: E = (1 - 0.9^5) / 0.1 = 4.0951
    close(modeledRewriteMs(costs, 0.9), 200 + (100 / 4.0951) * 50);
    // one output token: only the ttft
    close(modeledRewriteMs({ ...costs, outputTokens: 1 }, 0.9), 200);
  });

  it('picks the draft length with the least modeled time', () => {
    const base = { ttftMs: 100, outputTokens: 201 };
    const candidates = [
      { draftTokens: 2, verifyBatchMs: 30 },
      { draftTokens: 8, verifyBatchMs: 45 },
      { draftTokens: 32, verifyBatchMs: 200 },
    ];
    const best = bestDraftLength(candidates, base, 0.9);
    assert.equal(best.draftTokens, 8);
    close(best.modeledMs, modeledRewriteMs({ ...base, ...candidates[1]! }, 0.9));
    // with nothing accepted, the cheapest batch wins
    assert.equal(bestDraftLength(candidates, base, 0).draftTokens, 2);
  });
});
