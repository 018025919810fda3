// Tests for the near/far split of the text after the cursor.
import * as assert from 'node:assert/strict';
import { splitSuffix, wholeLinesEnd } from '../../../src/core/completion/suffixWindow';
import { tokenWeight } from '../../../src/core/completion/tokenEstimate';
import { withCursor } from '../../support/cursor';

describe('splitSuffix', () => {
  const cases: { name: string; source: string; near: number; far: number; expectedNear: string; expectedFar: string }[] = [
    { name: 'rest of line plus the next line', source: 'f(█);\n}\nnext();\n', near: 24, far: 100, expectedNear: ');\n}\n', expectedFar: 'next();\n' },
    { name: 'blank lines are skipped up to the next non-blank one', source: 'a█\n\n\nb();\nc();\n', near: 24, far: 100, expectedNear: '\n\n\nb();\n', expectedFar: 'c();\n' },
    { name: 'the next line is left to the far block when it does not fit', source: 'x█;\nconst longer = compute(alpha, beta, gamma);\n', near: 4, far: 100, expectedNear: ';\n', expectedFar: 'const longer = compute(alpha, beta, gamma);\n' },
    { name: 'an over-long rest of line is cut by characters', source: 'x = █alpha + beta + gamma + delta + epsilon;\nz\n', near: 5, far: 0, expectedNear: 'alpha + beta + ', expectedFar: '' },
    { name: 'end of document', source: 'abc█', near: 24, far: 100, expectedNear: '', expectedFar: '' },
    { name: 'no near budget: everything goes far', source: 'a█b\nc\n', near: 0, far: 100, expectedNear: '', expectedFar: 'b\nc\n' },
    { name: 'far takes whole lines within its budget', source: '█\nx\none two three four\nfive six seven eight\n', near: 3, far: 6, expectedNear: '\nx\n', expectedFar: 'one two three four\n' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { text, offset } = withCursor(c.source);
      const split = splitSuffix(text, offset, c.near, c.far);
      assert.equal(text.slice(offset, split.nearEnd), c.expectedNear);
      assert.equal(text.slice(split.nearEnd, split.farEnd), c.expectedFar);
      assert.ok(tokenWeight(text, offset, split.nearEnd) <= Math.max(c.near, 0));
    });
  }

  it('depends only on the text after the cursor (stable while typing)', () => {
    const after = ');\n  return x;\n}\nexport const y = 1;\n';
    const a = 'foo(';
    const b = 'foo(bar, baz';
    const one = splitSuffix(a + after, a.length, 24, 100);
    const two = splitSuffix(b + after, b.length, 24, 100);
    assert.equal(one.nearEnd - a.length, two.nearEnd - b.length);
    assert.equal(one.farEnd - a.length, two.farEnd - b.length);
  });
});

describe('wholeLinesEnd', () => {
  it('stops before the line that would pass the budget', () => {
    const text = 'aa\nbb\ncc\n';
    const oneAndAHalfLines = tokenWeight('aa\n') * 1.5;
    assert.equal(text.slice(0, wholeLinesEnd(text, 0, oneAndAHalfLines)), 'aa\n');
  });
});
