// Stop strings are matched on text across token boundaries, and text is held back while it could
// still become a stop string or is half of a multi-byte character.
import * as assert from 'node:assert/strict';
import { StopMatcher, stripIncompleteChar } from '../../../../../src/core/providers/local/host/stopMatcher';

describe('StopMatcher', () => {
  const cases: Array<{ name: string; stops: string[]; text: string; stopAt: number; finalLength: number }> = [
    { name: 'no stops: everything is final', stops: [], text: 'abc', stopAt: -1, finalLength: 3 },
    { name: 'empty stop strings are ignored', stops: [''], text: 'abc', stopAt: -1, finalLength: 3 },
    { name: 'finds a stop string', stops: ['\n\n'], text: 'a = 1\n\nb', stopAt: 5, finalLength: 5 },
    { name: 'earliest of several stops wins', stops: ['}', '\n'], text: 'x\n}', stopAt: 1, finalLength: 1 },
    { name: 'holds back a partial stop at the end', stops: ['\n\n'], text: 'a = 1\n', stopAt: -1, finalLength: 5 },
    { name: 'holds back the longest partial stop', stops: ['</code>'], text: 'x </co', stopAt: -1, finalLength: 2 },
    { name: 'does not hold back text that cannot start a stop', stops: ['END'], text: 'x EN!', stopAt: -1, finalLength: 5 },
    { name: 'holds back a split multi-byte character', stops: [], text: 'caf\uFFFD', stopAt: -1, finalLength: 3 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(new StopMatcher(c.stops).scan(c.text), { stopAt: c.stopAt, finalLength: c.finalLength });
    });
  }

  it('finds a stop that spans the previous final boundary when given a search hint', () => {
    const m = new StopMatcher(['return']);
    // "ret" was held back on the previous step; the hint is the old final length.
    const first = m.scan('x = 1; ret');
    assert.equal(first.finalLength, 7);
    assert.equal(m.scan('x = 1; return', first.finalLength).stopAt, 7);
  });
});

describe('stripIncompleteChar', () => {
  it('drops trailing replacement characters (at most three)', () => {
    assert.equal(stripIncompleteChar('ab\uFFFD'), 'ab');
    assert.equal(stripIncompleteChar('ab\uFFFD\uFFFD\uFFFD\uFFFD'), 'ab\uFFFD');
  });
  it('keeps complete text', () => {
    assert.equal(stripIncompleteChar('naïve ✓'), 'naïve ✓');
  });
});
