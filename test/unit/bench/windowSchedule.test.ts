// bench:windows's simulated user: seeded switches between windows every 10-20 s.
import * as assert from 'node:assert/strict';
import { MAX_DWELL_MS, MIN_DWELL_MS, switchSchedule } from '../../../bench/windowSchedule';

describe('switchSchedule', () => {
  const options = { windows: 3, runMs: 240_000 };

  it('the same seed gives the same switches; another seed other ones', () => {
    assert.deepEqual(switchSchedule(7, options), switchSchedule(7, options));
    assert.notDeepEqual(switchSchedule(7, options), switchSchedule(8, options));
  });

  it('segments run back to back from 0, each 10-20 s, until the run length is reached', () => {
    for (const seed of [1, 7, 42, 1234]) {
      const segments = switchSchedule(seed, options);
      assert.equal(segments[0]!.startMs, 0);
      for (const [i, s] of segments.entries()) {
        const dwell = s.endMs - s.startMs;
        assert.ok(dwell >= MIN_DWELL_MS && dwell <= MAX_DWELL_MS, `segment ${i} lasts ${dwell} ms`);
        if (i > 0) assert.equal(s.startMs, segments[i - 1]!.endMs);
      }
      assert.ok(segments[segments.length - 1]!.endMs >= options.runMs);
      assert.ok(segments[segments.length - 2]!.endMs < options.runMs, 'no segment starts after the run length');
    }
  });

  it('every segment switches to another window, window 0 first, and the first round visits each window', () => {
    for (const seed of [1, 7, 42, 1234]) {
      const segments = switchSchedule(seed, options);
      assert.equal(segments[0]!.window, 0);
      for (let i = 1; i < segments.length; i++) assert.notEqual(segments[i]!.window, segments[i - 1]!.window);
      assert.deepEqual(new Set(segments.slice(0, 3).map((s) => s.window)), new Set([0, 1, 2]));
      assert.ok(segments.every((s) => s.window >= 0 && s.window < 3));
    }
  });

  it('a minute with three windows still types in all of them', () => {
    const segments = switchSchedule(7, { windows: 3, runMs: 60_000 });
    assert.deepEqual(new Set(segments.map((s) => s.window)), new Set([0, 1, 2]));
  });

  it('one window never switches; no windows is an error', () => {
    assert.ok(switchSchedule(7, { windows: 1, runMs: 60_000 }).every((s) => s.window === 0));
    assert.throws(() => switchSchedule(7, { windows: 0, runMs: 60_000 }));
  });
});
