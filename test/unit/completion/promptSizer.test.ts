// The prompt sizer: budgets scaled so a prompt at a new place reads within the target, from the
// fastest reading rate seen; coarse steps with headroom to grow, so the windows stay put.
import * as assert from 'node:assert/strict';
import { PromptSizer } from '../../../src/core/completion/promptSizer';
import type { GenerationResult, PromptBudgets } from '../../../src/core/kernel/completionTypes';

const configured: PromptBudgets = { prefixTokens: 1024, suffixTokens: 8, farSuffixTokens: 256, contextTokens: 512 };
// Steps of these budgets carry at most: 1 -> 1800 tokens, 0.75 -> 1352, 0.5 -> 904, 0.375 -> 680,
// 0.25 -> 456, 0.1875 -> 344, 0.125 -> 232.

function read(newTokens: number, ttftMs: number, reused = 0): GenerationResult {
  return {
    text: 'x',
    promptTokens: newTokens + reused,
    reusedTokens: reused,
    generatedTokens: 1,
    ttftMs,
    totalMs: ttftMs + 10,
    stoppedBy: 'eos',
  };
}

function total(b: PromptBudgets): number {
  return b.prefixTokens + b.suffixTokens + b.farSuffixTokens + b.contextTokens;
}

describe('PromptSizer', () => {
  it('uses the budgets as set until a rate is known', () => {
    const sizer = new PromptSizer();
    const size = sizer.fit(configured, 2000);
    assert.deepEqual(size, { budgets: configured, scale: 1, promptTokPerS: undefined });
  });

  it('keeps the budgets as set when the target is 0, whatever the rate', () => {
    const sizer = new PromptSizer();
    sizer.setMeasuredRate(50);
    assert.equal(sizer.fit(configured, 0).budgets, configured);
  });

  it('a fast reader gets the whole budget', () => {
    const sizer = new PromptSizer();
    sizer.setMeasuredRate(2000);
    const size = sizer.fit(configured, 2000);
    assert.equal(size.scale, 1);
    assert.equal(size.budgets, configured);
  });

  const table: Array<{ rate: number; targetMs: number; scale: number }> = [
    // capacity = rate x target; the largest step whose prompt fits it
    { rate: 900, targetMs: 2000, scale: 1 }, // 1800 fits exactly
    { rate: 800, targetMs: 2000, scale: 0.75 }, // 1600: 1352 fits, 1800 not
    { rate: 470, targetMs: 2000, scale: 0.5 }, // 940: 904 fits
    { rate: 125, targetMs: 2000, scale: 0.125 }, // 250: only the smallest step (232)
    { rate: 125, targetMs: 3000, scale: 0.1875 }, // 375: 345 fits, 456 not
    { rate: 10, targetMs: 2000, scale: 0.125 }, // nothing fits: the smallest step, never less
  ];
  for (const row of table) {
    it(`${row.rate} tok/s, target ${row.targetMs} ms -> ${row.scale} of the budgets`, () => {
      const sizer = new PromptSizer();
      sizer.setMeasuredRate(row.rate);
      const size = sizer.fit(configured, row.targetMs);
      assert.equal(size.scale, row.scale);
      assert.equal(size.promptTokPerS, row.rate);
    });
  }

  it('scales every budget but the near suffix, in whole tokens', () => {
    const sizer = new PromptSizer();
    sizer.setMeasuredRate(470);
    assert.deepEqual(sizer.fit(configured, 2000).budgets, {
      prefixTokens: 512,
      suffixTokens: 8,
      farSuffixTokens: 128,
      contextTokens: 256,
    });
  });

  it('learns from completed reads of 64 new tokens or more, and the fastest counts', () => {
    const sizer = new PromptSizer();
    sizer.observe(read(1000, 8000)); // 125 tok/s
    assert.equal(sizer.rate(), 125);
    sizer.observe(read(63, 10)); // too short to say anything
    sizer.observe(read(500, Number.NaN)); // no first token
    sizer.observe(read(10, 1, 990)); // mostly reused
    assert.equal(sizer.rate(), 125);
    sizer.observe(read(400, 1000)); // a quieter moment: 400 tok/s
    sizer.observe(read(300, 3000)); // a busy one: 100 tok/s
    assert.equal(sizer.rate(), 400);
    assert.ok(total(sizer.fit(configured, 2000).budgets) <= 800);
  });

  it('forgets reads older than the last four; the backend figure stays until replaced', () => {
    const sizer = new PromptSizer();
    sizer.setMeasuredRate(120);
    sizer.observe(read(800, 1000)); // 800 tok/s
    for (let i = 0; i < 4; i++) sizer.observe(read(100, 1000)); // 100 tok/s each
    assert.equal(sizer.rate(), 120);
    sizer.reset();
    assert.equal(sizer.rate(), undefined);
  });

  it('grows to a larger step only with headroom, so a wobbling rate does not move the windows', () => {
    const sizer = new PromptSizer();
    // 0.5 of the budgets carries 904 tokens; 0.75 carries 1352.
    sizer.setMeasuredRate(460);
    assert.equal(sizer.fit(configured, 2000).scale, 0.5);
    sizer.setMeasuredRate(680); // 1360: 0.75 would fit, but not with 15% to spare
    assert.equal(sizer.fit(configured, 2000).scale, 0.5);
    sizer.setMeasuredRate(780); // 1560 >= 1352 x 1.15
    assert.equal(sizer.fit(configured, 2000).scale, 0.75);
    sizer.setMeasuredRate(680); // shrinking needs no headroom: 0.75 still fits
    assert.equal(sizer.fit(configured, 2000).scale, 0.75);
    sizer.setMeasuredRate(600); // 1200: it does not
    assert.equal(sizer.fit(configured, 2000).scale, 0.5);
  });
});
