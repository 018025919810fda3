// Tests for the minimal replacements between two texts: unchanged lines are never touched, a changed
// identifier is replaced alone, insertions sit where ghost text can show them, and applying the
// replacements always gives the new text (including unicode and surrogate pairs).
import * as assert from 'node:assert/strict';
import { alignLines, applyReplacements, minimalReplacements, type TextReplacement } from '../../../src/core/edits/textReplacements';

/** Each replacement as `old→new` (the old text read from `before`), for readable expectations. */
function described(before: string, replacements: readonly TextReplacement[]): string[] {
  return replacements.map((r) => `${JSON.stringify(before.slice(r.startOffset, r.endOffset))}→${JSON.stringify(r.newText)}`);
}

describe('minimalReplacements', () => {
  const cases: Array<{ name: string; before: string; after: string; cursor?: number; expected: string[] }> = [
    {
      name: 'a renamed identifier is replaced at each use, nothing else',
      before: 'function total(list, n) {\n  const s = n * 2;\n  return list.length + n + s;\n}',
      after: 'function total(list, size) {\n  const s = size * 2;\n  return list.length + size + s;\n}',
      expected: ['"n"→"size"', '"n"→"size"', '"n"→"size"'],
    },
    {
      name: 'a rename that keeps the start of the name inserts only the rest, at each use',
      before: 'function area(w, h) {\n  return w * h;\n}',
      after: 'function area(width, h) {\n  return width * h;\n}',
      expected: ['""→"idth"', '""→"idth"'],
    },
    {
      name: 'a rename that keeps the end of the name replaces the whole word, never part of it',
      before: 'function total(items, taxRate) {\n  return sum(items) * taxRate;\n}',
      after: 'function total(items, rate) {\n  return sum(items) * rate;\n}',
      expected: ['"taxRate"→"rate"', '"taxRate"→"rate"'],
    },
    {
      name: 'a word that shrinks at its end is replaced whole too',
      before: 'const counter = 1;',
      after: 'const count = 1;',
      expected: ['"counter"→"count"'],
    },
    {
      name: 'a word that grows is an insertion of the new characters',
      before: 'const x = pri',
      after: 'const x = print(x)',
      expected: ['""→"nt(x)"'],
    },
    {
      name: 'an added argument is one insertion',
      before: 'foo(a);',
      after: 'foo(a, b);',
      expected: ['""→", b"'],
    },
    {
      name: 'an added line between lines is inserted at the next line start',
      before: 'class P {\n  x: number;\n}',
      after: 'class P {\n  x: number;\n  y: number;\n}',
      expected: ['""→"  y: number;\\n"'],
    },
    {
      name: 'an added line after the cursor line goes at the cursor, as ghost text would show it',
      before: 'class P {\n  x: number;\n}',
      after: 'class P {\n  x: number;\n  y: number;\n}',
      cursor: 'class P {\n  x: number;'.length,
      expected: ['""→"\\n  y: number;"'],
    },
    {
      name: 'an added last line is inserted after the last line',
      before: 'a\nb',
      after: 'a\nb\nc',
      expected: ['""→"\\nc"'],
    },
    {
      name: 'a deleted line goes with its line break',
      before: 'a\nb\nc',
      after: 'a\nc',
      expected: ['"b\\n"→""'],
    },
    {
      name: 'a deleted last line goes with the line break before it',
      before: 'a\nb\nc',
      after: 'a\nb',
      expected: ['"\\nc"→""'],
    },
    {
      name: 'a rewritten line is one replacement, not shreds around spaces',
      before: '  return a + b;',
      after: '  throw new Error(message);',
      expected: ['"return a + b"→"throw new Error(message)"'],
    },
    {
      name: 'unicode letters are word characters',
      before: 'let 变量 = "café";',
      after: 'let 变量名 = "cafés";',
      expected: ['""→"名"', '""→"s"'],
    },
    {
      name: 'a surrogate pair is never split',
      before: 'x = "😀";',
      after: 'x = "😁";',
      expected: ['"😀"→"😁"'],
    },
    { name: 'identical texts need nothing', before: 'a\nb', after: 'a\nb', expected: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const replacements = minimalReplacements(c.before, c.after, c.cursor === undefined ? {} : { cursor: c.cursor });
      assert.deepEqual(described(c.before, replacements), c.expected);
      assert.equal(applyReplacements(c.before, replacements), c.after);
    });
  }

  it('gives the new text for every pair of a small corpus, in ascending non-overlapping order', () => {
    const texts = ['', 'a', 'a\n', '\n', 'a\nb\nc', 'x(a, b)\ny', 'é😀\n\tz', 'a\n\nb', 'b\na', 'one two three\nfour'];
    for (const before of texts) {
      for (const after of texts) {
        const replacements = minimalReplacements(before, after);
        assert.equal(applyReplacements(before, replacements), after, `${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
        for (let i = 1; i < replacements.length; i++) assert.ok(replacements[i]!.startOffset >= replacements[i - 1]!.endOffset);
      }
    }
  });
});

describe('alignLines', () => {
  it('reports each run of differing lines with both sides', () => {
    assert.deepEqual(alignLines(['a', 'b', 'c', 'd'], ['a', 'B', 'c', 'd', 'e']), [
      { beforeStart: 1, beforeCount: 1, afterStart: 1, afterCount: 1 },
      { beforeStart: 4, beforeCount: 0, afterStart: 4, afterCount: 1 },
    ]);
  });
});

describe('applyReplacements', () => {
  it('refuses overlapping replacements', () => {
    assert.throws(() =>
      applyReplacements('abcdef', [
        { startOffset: 0, endOffset: 3, newText: 'x' },
        { startOffset: 2, endOffset: 4, newText: 'y' },
      ]),
    );
  });
});
