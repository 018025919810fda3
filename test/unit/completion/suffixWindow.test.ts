// Tests for the near/far split of the text after the cursor.
import * as assert from 'node:assert/strict';
import { splitSuffix, wholeLinesEnd } from '../../../src/core/completion/suffixWindow';
import { tokenWeight } from '../../../src/core/kernel/tokenEstimate';
import { withCursor } from '../../support/cursor';

describe('splitSuffix', () => {
  const cases: { name: string; source: string; near: number; far: number; expectedNear: string; expectedFar: string }[] = [
    { name: 'near: rest of line through the next line of code; far: from that line on', source: 'f(█);\n}\nnext();\nmore();\n', near: 24, far: 100, expectedNear: ');\n}\nnext();\n', expectedFar: 'next();\nmore();\n' },
    { name: 'blank lines are skipped up to the next line of code', source: 'a█\n\n\nb();\nc();\n', near: 24, far: 100, expectedNear: '\n\n\nb();\n', expectedFar: 'b();\nc();\n' },
    { name: 'closer-only lines are skipped too', source: 'f(█)\n  }\n}\nnext();\nlast();\n', near: 24, far: 100, expectedNear: ')\n  }\n}\nnext();\n', expectedFar: 'next();\nlast();\n' },
    { name: 'a line of code too long for near is still in far', source: 'x█;\nconst longer = compute(alpha, beta, gamma);\nz();\n', near: 4, far: 100, expectedNear: ';\n', expectedFar: 'const longer = compute(alpha, beta, gamma);\nz();\n' },
    { name: 'an over-long rest of line is cut by characters', source: 'x = █alpha + beta + gamma + delta + epsilon;\nz\n', near: 5, far: 0, expectedNear: 'alpha + beta + ', expectedFar: '' },
    { name: 'end of document', source: 'abc█', near: 24, far: 100, expectedNear: '', expectedFar: '' },
    { name: 'last line of the document', source: 'a\nb█c', near: 24, far: 100, expectedNear: 'c', expectedFar: '' },
    { name: 'no near budget', source: 'a█b\nc\nd\n', near: 0, far: 100, expectedNear: '', expectedFar: 'c\nd\n' },
    { name: 'far takes whole lines within its budget', source: '█\nx\none two three four\nfive six seven eight\n', near: 3, far: 6, expectedNear: '\nx\n', expectedFar: 'x\none two three four\n' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { text, offset } = withCursor(c.source);
      const split = splitSuffix(text, offset, c.near, c.far);
      assert.equal(text.slice(offset, split.nearEnd), c.expectedNear);
      assert.equal(text.slice(split.farStart, split.farEnd), c.expectedFar);
      assert.ok(split.farStart === 0 || text[split.farStart - 1] === '\n' || split.farStart === text.length);
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

describe('the far block survives what the editor inserts at the cursor', () => {
  const table: [string, string, string][] = [
    ['auto-closed parenthesis', 'x = foo(█\nnext();\nlast();\n', 'x = foo(█)\nnext();\nlast();\n'],
    ['Enter between braces', 'if (a) {█}\nnext();\nlast();\n', 'if (a) {\n  █\n}\nnext();\nlast();\n'],
    ['auto-closed quote and semicolon', 'x = █\nnext();\nlast();\n', 'x = "█";\nnext();\nlast();\n'],
  ];
  for (const [name, before, after] of table) {
    it(name, () => {
      const a = withCursor(before);
      const b = withCursor(after);
      const sa = splitSuffix(a.text, a.offset, 24, 100);
      const sb = splitSuffix(b.text, b.offset, 24, 100);
      assert.equal(b.text.slice(sb.farStart, sb.farEnd), a.text.slice(sa.farStart, sa.farEnd));
      assert.equal(a.text.slice(sa.farStart, sa.farEnd), 'next();\nlast();\n');
    });
  }
});

describe('wholeLinesEnd', () => {
  it('stops before the line that would pass the budget', () => {
    const text = 'aa\nbb\ncc\n';
    const oneAndAHalfLines = tokenWeight('aa\n') * 1.5;
    assert.equal(text.slice(0, wholeLinesEnd(text, 0, oneAndAHalfLines)), 'aa\n');
  });
});
