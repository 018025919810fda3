// Tests for the prefix window start: a coarse line grid that stays put while the user types.
import * as assert from 'node:assert/strict';
import { prefixGridLines, prefixWindowStart } from '../../../src/core/completion/prefixWindow';
import { tokenWeight } from '../../../src/core/kernel/tokenEstimate';
import { withCursor } from '../../support/cursor';
import { sampleCode } from './promptFixtures';

function lineNumberAt(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length - 1;
}

describe('prefixGridLines', () => {
  const table: [number, number][] = [
    [64, 4],
    [128, 4],
    [256, 8],
    [512, 16],
    [1024, 32],
    [2048, 64],
    [16384, 64],
  ];
  for (const [budget, grid] of table) {
    it(`budget ${budget} -> ${grid} lines`, () => assert.equal(prefixGridLines(budget), grid));
  }
});

describe('prefixWindowStart', () => {
  const cases: { name: string; source: string; budget: number; grid?: number; expected: number | 'line-start' }[] = [
    { name: 'the whole document when it fits', source: 'a\nb\nc█', budget: 100, expected: 0 },
    { name: 'cursor at offset 0', source: '█abc', budget: 100, expected: 0 },
    { name: 'a zero budget carries nothing', source: 'abc\ndef█', budget: 0, expected: 7 },
    { name: 'a line start on the grid when the document does not fit', source: sampleCode(300, 0) + '█', budget: 400, expected: 'line-start' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { text, offset } = withCursor(c.source);
      const start = prefixWindowStart(text, offset, c.budget, c.grid);
      if (c.expected === 'line-start') {
        assert.equal(text[start - 1], '\n');
        assert.equal(lineNumberAt(text, start) % prefixGridLines(c.budget), 0);
        assert.ok(tokenWeight(text, start, offset) <= c.budget);
      } else {
        assert.equal(start, c.expected);
      }
    });
  }

  it('stays put while typing on one line and moves only in whole grid cells', () => {
    let text = sampleCode(300, 0);
    const budget = 512;
    const grid = prefixGridLines(budget);
    const starts: number[] = [];
    for (let i = 0; i < 1500; i++) {
      text += i % 40 === 39 ? '\n' : 'x';
      starts.push(prefixWindowStart(text, text.length, budget));
    }
    const distinct = [...new Set(starts)];
    assert.ok(distinct.length <= 3, `${distinct.length} starts`);
    for (let i = 1; i < distinct.length; i++) {
      const jump = lineNumberAt(text, distinct[i]!) - lineNumberAt(text, distinct[i - 1]!);
      assert.equal(jump % grid, 0, 'jumps by whole grid cells');
      assert.ok(jump > 0, 'only forward while typing');
    }
  });

  it('falls back to a finer grid when the coarse cell would pass the cursor line', () => {
    // 20 long lines: a 32-line cell cannot fit, so the start is the first line that fits.
    const long = `${'const value = compute(alpha, beta, gamma, delta);'.repeat(3)}\n`;
    const { text, offset } = withCursor(long.repeat(20) + '█');
    const start = prefixWindowStart(text, offset, 200, 32);
    assert.ok(start > 0 && text[start - 1] === '\n');
    assert.ok(tokenWeight(text, start, offset) <= 200);
  });

  it('cuts inside an over-long cursor line on a 64-character grid', () => {
    const minified = 'a=1;b=2;'.repeat(400);
    const { text, offset } = withCursor(`first line\n${minified}█`);
    const lineStart = 'first line\n'.length;
    const start = prefixWindowStart(text, offset, 100);
    assert.ok(start > lineStart);
    assert.equal((start - lineStart) % 64, 0);
    assert.ok(tokenWeight(text, start, offset) <= 100);
    // Typing one more character moves the cut at most one grid step.
    const next = prefixWindowStart(text + 'c', offset + 1, 100);
    assert.ok(next === start || next === start + 64);
  });

  it('never starts in the middle of a surrogate pair', () => {
    const { text, offset } = withCursor(`${'😀'.repeat(300)}█`);
    const start = prefixWindowStart(text, offset, 50);
    const code = text.charCodeAt(start);
    assert.ok(!(code >= 0xdc00 && code <= 0xdfff));
  });
});
