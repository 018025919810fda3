// Session statistics: nearest-rank percentiles, the cache hit and acceptance rates, and the cap on
// remembered samples that keeps a long session small.
import * as assert from 'node:assert/strict';
import { CompletionStats, type CompletionSource } from '../../../src/core/completion/completionStats';
import { median, percentile } from '../../../src/core/kernel/percentile';

describe('percentile (nearest rank)', () => {
  const cases: Array<{ values: number[]; p: number; expected: number }> = [
    { values: [5], p: 50, expected: 5 },
    { values: [5], p: 95, expected: 5 },
    { values: [1, 2, 3, 4], p: 50, expected: 2 },
    { values: [1, 2, 3, 4], p: 75, expected: 3 },
    { values: [1, 2, 3, 4], p: 76, expected: 4 },
    { values: [1, 2, 3, 4], p: 100, expected: 4 },
    { values: [1, 2, 3, 4], p: 0, expected: 1 },
    { values: [40, 10, 30, 20], p: 50, expected: 20 }, // unsorted input
    { values: Array.from({ length: 100 }, (_, i) => 100 - i), p: 95, expected: 95 },
    { values: Array.from({ length: 20 }, (_, i) => i + 1), p: 95, expected: 19 },
  ];
  for (const c of cases) {
    it(`p${c.p} of [${c.values.length > 6 ? `${c.values.length} values` : c.values.join(', ')}] = ${c.expected}`, () => {
      assert.equal(percentile(c.values, c.p), c.expected);
    });
  }

  it('is NaN for no values, and does not reorder its input', () => {
    assert.ok(Number.isNaN(percentile([], 50)));
    const values = [3, 1, 2];
    assert.equal(median(values), 2);
    assert.deepEqual(values, [3, 1, 2]);
  });
});

describe('CompletionStats', () => {
  it('an empty session: zero counts and rates, no percentiles', () => {
    const s = new CompletionStats().snapshot();
    assert.deepEqual(
      [s.requests, s.shown, s.accepted, s.cacheHits, s.modelCalls, s.cancelled, s.errors],
      [0, 0, 0, 0, 0, 0, 0],
    );
    assert.equal(s.cacheHitRate, 0);
    assert.equal(s.acceptanceRate, 0);
    assert.ok(Number.isNaN(s.latencyP50Ms));
    assert.ok(Number.isNaN(s.ttftP95Ms));
    assert.equal(s.lastLatencyMs, undefined);
  });

  it('latency percentiles over shown suggestions of every source', () => {
    const stats = new CompletionStats();
    const shown: Array<[CompletionSource, number]> = [
      ['model', 300],
      ['cache', 2],
      ['typed-through', 1],
      ['prefetch', 5],
      ['model', 200],
    ];
    for (const [source, ms] of shown) stats.recordShown(source, ms);
    const s = stats.snapshot();
    assert.equal(s.latencyP50Ms, 5);
    assert.equal(s.latencyP95Ms, 300);
    assert.equal(s.lastLatencyMs, 200);
    assert.equal(stats.lastLatencyMs, 200);
    assert.equal(s.shown, 5);
  });

  it('time-to-first-token percentiles over model calls; a call without a token adds no sample', () => {
    const stats = new CompletionStats();
    for (const ttft of [80, 120, Number.NaN, 100]) stats.recordModelCall(ttft);
    const s = stats.snapshot();
    assert.equal(s.modelCalls, 4);
    assert.equal(s.ttftP50Ms, 100);
    assert.equal(s.ttftP95Ms, 120);
  });

  describe('cache hit rate: answers without a model call over all answers', () => {
    const cases: Array<{ sources: CompletionSource[]; modelCalls: number; expected: number }> = [
      { sources: ['model'], modelCalls: 1, expected: 0 },
      { sources: ['cache', 'typed-through', 'prefetch'], modelCalls: 0, expected: 1 },
      { sources: ['model', 'cache', 'model', 'typed-through'], modelCalls: 2, expected: 0.5 },
      // A model call whose answer was empty or cancelled still counts as an answer that cost a call.
      { sources: ['cache'], modelCalls: 3, expected: 0.25 },
    ];
    for (const c of cases) {
      it(`${c.sources.join(', ')} with ${c.modelCalls} model calls -> ${c.expected}`, () => {
        const stats = new CompletionStats();
        for (let i = 0; i < c.modelCalls; i++) stats.recordModelCall(50);
        for (const source of c.sources) stats.recordShown(source, 10);
        const s = stats.snapshot();
        assert.equal(s.cacheHits, c.sources.filter((x) => x !== 'model').length);
        assert.equal(s.cacheHitRate, c.expected);
      });
    }
  });

  it('acceptance rate: accepted over shown', () => {
    const stats = new CompletionStats();
    for (let i = 0; i < 8; i++) stats.recordShown('model', 100);
    for (let i = 0; i < 3; i++) stats.recordAccepted();
    assert.equal(stats.snapshot().acceptanceRate, 3 / 8);
  });

  it('counts requests, cancellations and errors', () => {
    const stats = new CompletionStats();
    stats.recordRequest();
    stats.recordRequest();
    stats.recordCancelled();
    stats.recordError();
    stats.recordError();
    const s = stats.snapshot();
    assert.deepEqual([s.requests, s.cancelled, s.errors], [2, 1, 2]);
  });

  it('keeps only the newest `window` samples for percentiles, but counts everything', () => {
    const stats = new CompletionStats(3);
    for (const ms of [1000, 900, 10, 20, 30]) stats.recordShown('model', ms);
    for (const ms of [500, 5, 6, 7]) stats.recordModelCall(ms);
    const s = stats.snapshot();
    assert.equal(s.latencyP95Ms, 30, 'the two slow early samples fell out of the window');
    assert.equal(s.latencyP50Ms, 20);
    assert.equal(s.ttftP95Ms, 7);
    assert.equal(s.shown, 5);
    assert.equal(s.modelCalls, 4);
  });

  it('the default window holds about 2000 samples', () => {
    // 2000 slow samples, then fast ones: the median turns fast once half the window is fast.
    const stats = new CompletionStats();
    for (let i = 0; i < 2000; i++) stats.recordShown('model', 1_000_000);
    for (let i = 0; i < 999; i++) stats.recordShown('model', 1);
    assert.equal(stats.snapshot().latencyP50Ms, 1_000_000);
    stats.recordShown('model', 1);
    assert.equal(stats.snapshot().latencyP50Ms, 1);
  });
});
