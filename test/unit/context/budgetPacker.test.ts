// Tests for packSnippets: greedy pick by score, overlap dedup, line-boundary trims, stable order.
import * as assert from 'node:assert/strict';
import { packSnippets, type ScoredSnippet } from '../../../src/core/context/budgetPacker';
import { estimateTokens } from '../../../src/core/kernel/tokenEstimate';

/** `lines` lines of code, numbered so every line has the same shape and token weight. */
function code(lines: number, tag = 'x'): string {
  return Array.from({ length: lines }, (_, i) => `const ${tag}${i} = compute(${tag}${i});`).join('\n') + '\n';
}

function snippet(file: string, startLine: number, lines: number, score: number, tag = 'x'): ScoredSnippet {
  return { file, startLine, endLine: startLine + lines - 1, text: code(lines, tag), reason: 'test', score };
}

/** Compact expectation: "file:start-end". */
function show(result: ReturnType<typeof packSnippets>): string[] {
  return result.snippets.map((s) => `${s.file}:${s.startLine}-${s.endLine}${s.trimmed ? ' trimmed' : ''}`);
}

const TEN = estimateTokens(code(10));

interface Case {
  name: string;
  candidates: ScoredSnippet[];
  budget: number;
  minTrimTokens?: number;
  expected: string[];
}

const cases: Case[] = [
  { name: 'zero budget packs nothing', candidates: [snippet('a.ts', 1, 10, 1)], budget: 0, expected: [] },
  { name: 'negative budget packs nothing', candidates: [snippet('a.ts', 1, 10, 1)], budget: -5, expected: [] },
  { name: 'no candidates', candidates: [], budget: 1000, expected: [] },
  {
    name: 'everything fits',
    candidates: [snippet('b.ts', 1, 10, 1), snippet('a.ts', 20, 10, 2)],
    budget: 1000,
    expected: ['a.ts:20-29', 'b.ts:1-10'],
  },
  {
    name: 'highest scores win when not all fit',
    candidates: [snippet('a.ts', 1, 10, 1), snippet('b.ts', 1, 10, 3), snippet('c.ts', 1, 10, 2)],
    budget: TEN * 2,
    minTrimTokens: 10_000,
    expected: ['b.ts:1-10', 'c.ts:1-10'],
  },
  {
    name: 'a smaller lower-scored snippet still fills a gap a big one cannot',
    candidates: [snippet('a.ts', 1, 10, 3), snippet('b.ts', 1, 40, 2), snippet('c.ts', 1, 2, 1)],
    budget: TEN + estimateTokens(code(2)),
    minTrimTokens: 10_000,
    expected: ['a.ts:1-10', 'c.ts:1-2'],
  },
  {
    name: 'overlapping ranges in one file: the higher score stays',
    candidates: [snippet('a.ts', 1, 10, 1), snippet('a.ts', 5, 10, 2)],
    budget: 1000,
    expected: ['a.ts:5-14'],
  },
  {
    name: 'adjacent ranges in one file both stay',
    candidates: [snippet('a.ts', 1, 10, 1), snippet('a.ts', 11, 10, 2)],
    budget: 1000,
    expected: ['a.ts:1-10', 'a.ts:11-20'],
  },
  {
    name: 'same lines in different files both stay',
    candidates: [snippet('a.ts', 1, 10, 1), snippet('b.ts', 1, 10, 2)],
    budget: 1000,
    expected: ['a.ts:1-10', 'b.ts:1-10'],
  },
  {
    name: 'the snippet that does not fit is trimmed at a line boundary',
    candidates: [snippet('a.ts', 1, 10, 2), snippet('b.ts', 100, 40, 1)],
    budget: TEN * 2,
    minTrimTokens: 8,
    expected: ['a.ts:1-10', 'b.ts:100-109 trimmed'],
  },
  {
    name: 'a trim below the minimum is dropped',
    candidates: [snippet('a.ts', 1, 10, 2), snippet('b.ts', 1, 40, 1)],
    budget: TEN + 20,
    minTrimTokens: 32,
    expected: ['a.ts:1-10'],
  },
  {
    name: 'a snippet whose first line alone is over budget is dropped',
    candidates: [{ file: 'a.ts', startLine: 1, endLine: 2, text: 'x'.repeat(2000) + '\nshort\n', reason: 'test', score: 1 }],
    budget: 40,
    minTrimTokens: 1,
    expected: [],
  },
  {
    name: 'empty text is skipped',
    candidates: [{ file: 'a.ts', startLine: 1, endLine: 1, text: '', reason: 'test', score: 9 }, snippet('b.ts', 1, 2, 1)],
    budget: 1000,
    expected: ['b.ts:1-2'],
  },
  {
    name: 'NaN scores rank last',
    candidates: [snippet('a.ts', 1, 10, Number.NaN), snippet('b.ts', 1, 10, 0)],
    budget: TEN,
    minTrimTokens: 10_000,
    expected: ['b.ts:1-10'],
  },
];

describe('packSnippets', () => {
  for (const c of cases) {
    it(c.name, () => {
      const result = packSnippets(c.candidates, c.budget, { minTrimTokens: c.minTrimTokens });
      assert.deepEqual(show(result), c.expected);
      assert.ok(result.totalTokens <= Math.max(0, c.budget), `total ${result.totalTokens} over budget ${c.budget}`);
      assert.equal(result.totalTokens, result.snippets.reduce((sum, s) => sum + s.tokens, 0));
      for (const s of result.snippets) assert.equal(s.tokens, estimateTokens(s.text));
    });
  }

  it('trimmed text is whole leading lines of the original and matches its line range', () => {
    const big = snippet('b.ts', 100, 40, 1);
    const result = packSnippets([snippet('a.ts', 1, 10, 2), big], TEN * 2, { minTrimTokens: 8 });
    const cut = result.snippets.find((s) => s.file === 'b.ts')!;
    assert.ok(big.text.startsWith(cut.text));
    assert.ok(cut.text.endsWith('\n'));
    assert.equal(cut.text.split('\n').length - 1, cut.endLine - cut.startLine + 1);
  });

  describe('stable order regardless of input order', () => {
    const pool = [
      snippet('src/b.ts', 30, 5, 5, 'p'),
      snippet('src/a.ts', 50, 5, 4, 'q'),
      snippet('src/a.ts', 10, 5, 3, 'r'),
      snippet('lib/z.ts', 1, 5, 2, 's'),
      snippet('src/B.ts', 1, 5, 1, 't'),
    ];
    const orders: { name: string; order: number[] }[] = [
      { name: 'as given', order: [0, 1, 2, 3, 4] },
      { name: 'reversed', order: [4, 3, 2, 1, 0] },
      { name: 'shuffled', order: [2, 4, 0, 3, 1] },
    ];
    const expected = ['lib/z.ts:1-5', 'src/B.ts:1-5', 'src/a.ts:10-14', 'src/a.ts:50-54', 'src/b.ts:30-34'];
    const render = (r: ReturnType<typeof packSnippets>) => r.snippets.map((s) => `${s.file}\n${s.text}`).join('');
    const reference = render(packSnippets(pool, 1000));
    for (const o of orders) {
      it(o.name, () => {
        const result = packSnippets(o.order.map((i) => pool[i]!), 1000);
        assert.deepEqual(show(result), expected);
        assert.equal(render(result), reference);
      });
    }

    it('the same set with different scores renders identically', () => {
      const rescored = pool.map((s, i) => ({ ...s, score: i * 7 - 3 }));
      assert.equal(render(packSnippets(rescored, 1000)), reference);
    });
  });
});
