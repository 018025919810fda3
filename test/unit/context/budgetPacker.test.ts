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

  describe('snippets of one file that overlap combine when their texts agree', () => {
    /** Line n of the class file, as retrieval would read it. */
    const lineText = (n: number) => `  member${n}(a: number, b: number): number { return a + b * ${n}; }`;
    const at = (numbers: number[], score: number, reason: string, text = lineText): ScoredSnippet => {
      const contiguous = numbers[numbers.length - 1]! - numbers[0]! + 1 === numbers.length;
      return {
        file: 'cart.ts',
        startLine: numbers[0]!,
        endLine: numbers[numbers.length - 1]!,
        text: numbers.map(text).join('\n'),
        reason,
        score,
        ...(contiguous ? {} : { lines: numbers }),
      };
    };
    const OUTLINE = [1, 3, 10, 20, 30];
    const lines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
    const overhead = () => 5;

    interface CombineCase {
      name: string;
      candidates: ScoredSnippet[];
      /** Tokens beyond the default of everything fitting. */
      budget?: number;
      /** Lines shown per snippet, in render order. */
      expected: number[][];
      reasons?: string[];
    }
    const combined = [...OUTLINE.slice(0, 2), ...lines(10, 15), 20, 30];
    const cases: CombineCase[] = [
      {
        name: 'the member asked for sits in its class outline, in place',
        candidates: [at(OUTLINE, 0.95, 'class'), at(lines(10, 15), 1, 'method')],
        expected: [combined],
        reasons: ['method; class'],
      },
      {
        name: 'a member inside the outline that shares none of its lines goes in place too',
        candidates: [at(OUTLINE, 1, 'class'), at(lines(22, 25), 0.9, 'method')],
        expected: [[1, 3, 10, 20, 22, 23, 24, 25, 30]],
      },
      {
        name: 'texts that disagree on a shared line: the lower score yields',
        candidates: [at(OUTLINE, 1, 'class'), at(lines(10, 15), 0.9, 'stale', (n) => `${lineText(n)} // edited`)],
        expected: [OUTLINE],
      },
      {
        name: 'a snippet touching two chosen ones joins them into one',
        candidates: [at(lines(1, 4), 1, 'a'), at(lines(8, 12), 0.9, 'b'), at(lines(3, 9), 0.8, 'c')],
        expected: [lines(1, 12)],
      },
      {
        name: 'the combination pays for its new lines and one header: it fits where two snippets would not',
        candidates: [at(OUTLINE, 1, 'class'), at(lines(10, 15), 0.9, 'method')],
        budget: estimateTokens(combined.map(lineText).join('\n')) + 5,
        expected: [combined],
      },
      {
        name: 'no room for the combination: what was chosen stays as it was',
        candidates: [at(OUTLINE, 1, 'class'), at(lines(10, 15), 0.9, 'method')],
        budget: estimateTokens(combined.map(lineText).join('\n')) + 4,
        expected: [OUTLINE],
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const result = packSnippets(c.candidates, c.budget ?? 10_000, { overheadTokens: overhead, minTrimTokens: 10_000 });
        assert.deepEqual(
          result.snippets.map((s) => s.lines ?? lines(s.startLine, s.endLine)),
          c.expected,
        );
        for (const s of result.snippets) {
          const shown = s.lines ?? lines(s.startLine, s.endLine);
          assert.equal(s.text, shown.map(lineText).join('\n'));
          assert.equal(s.startLine, shown[0]);
          assert.equal(s.endLine, shown[shown.length - 1]);
        }
        if (c.reasons) assert.deepEqual(result.snippets.map((s) => s.reason), c.reasons);
        assert.equal(result.totalTokens, result.snippets.reduce((sum, s) => sum + s.tokens + overhead(), 0));
        assert.ok(result.totalTokens <= (c.budget ?? 10_000));
      });
    }

    it('the combination renders the same bytes whatever the input order and scores', () => {
      const pool = [at(OUTLINE, 0.95, 'class'), at(lines(10, 15), 1, 'method'), at(lines(22, 25), 0.5, 'other')];
      const render = (r: ReturnType<typeof packSnippets>) => r.snippets.map((s) => s.text).join('\n--\n');
      const reference = render(packSnippets(pool, 10_000));
      assert.equal(render(packSnippets([...pool].reverse(), 10_000)), reference);
      assert.equal(render(packSnippets(pool.map((s, i) => ({ ...s, score: 3 - i })), 10_000)), reference);
    });
  });

  describe('cutting', () => {
    it('a trim does not end the packing: a cheaper candidate further down still fits', () => {
      const long = (n: number) => `  const value${n} = computeSomethingLong(argumentNumber${n}, anotherArgument${n}, yetAnother${n});`;
      const big: ScoredSnippet = {
        file: 'b.ts',
        startLine: 1,
        endLine: 40,
        text: Array.from({ length: 40 }, (_, i) => long(i)).join('\n'),
        reason: 'big',
        score: 2,
      };
      const small: ScoredSnippet = { file: 'c.ts', startLine: 5, endLine: 5, text: 'x = 1', reason: 'small', score: 1 };
      const threeLines = estimateTokens([0, 1, 2].map(long).join('\n'));
      const result = packSnippets([snippet('a.ts', 1, 10, 3), big, small], TEN + threeLines + estimateTokens('x = 1') + 1, { minTrimTokens: 8 });
      assert.deepEqual(show(result), ['a.ts:1-10', 'b.ts:1-3 trimmed', 'c.ts:5-5']);
    });

    it('a cut outline keeps the line numbers of the lines it keeps', () => {
      const outline: ScoredSnippet = {
        file: 'a.ts',
        startLine: 1,
        endLine: 30,
        lines: [1, 3, 10, 20, 30],
        text: ['class A {', '  one(): void', '  two(): void', '  three(): void', '}'].join('\n'),
        reason: 'outline',
        score: 1,
      };
      const room = estimateTokens(['class A {', '  one(): void', '  two(): void'].join('\n'));
      const [cut] = packSnippets([outline], room, { minTrimTokens: 1 }).snippets;
      assert.deepEqual([cut!.startLine, cut!.endLine, cut!.lines, cut!.trimmed], [1, 10, [1, 3, 10], true]);
    });

    const decorated = (leadLines: number): ScoredSnippet => ({
      file: 'shop.py',
      startLine: 1,
      endLine: 5,
      leadLines,
      text: ['@app.route("/cart", methods=["GET", "POST"])', '@login_required', 'def cart(request, user_id: int):', '    items = load(user_id)', '    return render(items)'].join('\n'),
      reason: 'definition',
      score: 1,
    });
    const room = estimateTokens(['def cart(request, user_id: int):', '    items = load(user_id)'].join('\n'));
    const cases: { name: string; snippet: ScoredSnippet; first: string; startLine: number }[] = [
      { name: 'decorators go first, so the signature under them stays', snippet: decorated(2), first: 'def cart(request, user_id: int):', startLine: 3 },
      { name: 'without lead lines the cut keeps the leading lines as written', snippet: decorated(0), first: '@app.route("/cart", methods=["GET", "POST"])', startLine: 1 },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const [cut] = packSnippets([c.snippet], room, { minTrimTokens: 1 }).snippets;
        assert.equal(cut!.text.split('\n')[0], c.first);
        assert.equal(cut!.startLine, c.startLine);
        assert.equal(cut!.text.split('\n').length, cut!.endLine - cut!.startLine + 1);
      });
    }
  });
});
