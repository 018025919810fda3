// bench:windows's accounting of the prompt tokens read after a switch and within a window.
import * as assert from 'node:assert/strict';
import { accountReads, type FiredRequest, type ModelRead } from '../../../bench/switchAccounting';

describe('accountReads', () => {
  // Windows 0 and 1 open (priming reads), then window 0 types 3 keys (segment 0), window 1 types 2
  // (segment 1), window 0 comes back and types 2 (segment 2).
  const fired: FiredRequest[] = [
    { seq: 0, window: 0, segment: -1, phase: 'prime' },
    { seq: 1, window: 1, segment: -1, phase: 'prime' },
    { seq: 2, window: 0, segment: 0, phase: 'trace' },
    { seq: 3, window: 0, segment: 0, phase: 'trace' },
    { seq: 4, window: 0, segment: 0, phase: 'trace' },
    { seq: 5, window: 1, segment: 1, phase: 'trace' },
    { seq: 6, window: 1, segment: 1, phase: 'trace' },
    { seq: 7, window: 0, segment: 2, phase: 'trace' },
    { seq: 8, window: 0, segment: 2, phase: 'trace' },
  ];
  const read = (seq: number, newTokens: number, promptTokens = 140): ModelRead => ({ seq, newTokens, promptTokens });

  it('the first read of a window in a segment is after a switch, later ones within the window; priming reads count in neither', () => {
    const account = accountReads(fired, [read(0, 140), read(1, 140), read(2, 120), read(4, 5), read(6, 130), read(7, 110), read(8, 3)]);
    assert.deepEqual(
      account.afterSwitch.map((r) => [r.window, r.segment, r.newTokens]),
      [
        [0, 0, 120],
        [1, 1, 130],
        [0, 2, 110],
      ],
    );
    assert.deepEqual(
      account.withinWindow.map((r) => [r.window, r.segment, r.newTokens]),
      [
        [0, 0, 5],
        [0, 2, 3],
      ],
    );
  });

  it("counts the window's own keystrokes since its previous read, whatever the other windows typed", () => {
    // seq 3 never reached the model (cancelled): seq 4's read covers two keystrokes. Window 1's
    // first read is its second keystroke. Window 0's read at seq 8 comes one keystroke after seq 7's.
    const account = accountReads(fired, [read(0, 140), read(1, 140), read(2, 4), read(4, 5), read(6, 9), read(7, 4), read(8, 3)]);
    assert.deepEqual(
      account.afterSwitch.map((r) => r.keystrokes),
      [1, 2, 1],
    );
    assert.deepEqual(
      account.withinWindow.map((r) => r.keystrokes),
      [2, 1],
    );
  });

  it("a segment whose first request got no read counts its first reported read as the one after the switch", () => {
    // Window 0 reports nothing after priming until seq 8: its five keystrokes since then all count.
    const account = accountReads(fired, [read(0, 140), read(8, 2)]);
    assert.deepEqual(
      account.afterSwitch.map((r) => [r.window, r.segment, r.newTokens, r.keystrokes]),
      [[0, 2, 2, 5]],
    );
    assert.equal(account.withinWindow.length, 0);
  });

  it('sorts any per-request figure keyed by seq the same way, e.g. first-token times', () => {
    const account = accountReads(fired, [
      { seq: 3, ms: 400 },
      { seq: 4, ms: 90 },
      { seq: 6, ms: 800 },
      { seq: 8, ms: 85 },
    ]);
    assert.deepEqual(
      account.afterSwitch.map((t) => [t.window, t.segment, t.ms]),
      [
        [0, 0, 400],
        [1, 1, 800],
        [0, 2, 85],
      ],
    );
    assert.deepEqual(
      account.withinWindow.map((t) => t.ms),
      [90],
    );
  });

  it('the order of the fired list does not matter, only seq', () => {
    const reads = [read(2, 120), read(4, 5), read(7, 110)];
    assert.deepEqual(accountReads([...fired].reverse(), reads), accountReads(fired, reads));
  });
});
