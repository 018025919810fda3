// Tests for similar-code retrieval: the tokenizer's word choice, Jaccard ranking over windows,
// exclusion of the cursor's own region, the noise threshold, non-overlap, and index updates.
import * as assert from 'node:assert/strict';
import { codeWords, SimilarCodeIndex, type SimilarCodeOptions } from '../../../src/core/context/similarCode';

const lines = (...ls: string[]): string => ls.join('\n');

// Four-line windows (step 2) keep fixtures readable; the logic does not depend on the size.
const small: Partial<SimilarCodeOptions> = { windowLines: 4, maxResults: 5, minScore: 0.2 };

const filler = (tag: string, n: number): string[] =>
  Array.from({ length: n }, (_, i) => `print(${tag}Alpha${i}, ${tag}Beta${i})`);

const invoiceCode = [
  'const invoiceTotal = computeInvoiceTotal(lineItems, taxRate);',
  'const discountedTotal = applyDiscount(invoiceTotal, customerTier);',
  'logger.info(discountedTotal, customerTier);',
  'return formatCurrency(discountedTotal, currencyCode);',
];

describe('similarCode', () => {
  describe('codeWords', () => {
    const cases: { name: string; text: string; expected: string[] }[] = [
      { name: 'camelCase stays whole, lowercased', text: 'getUserName(UserId)', expected: ['getusername', 'userid'] },
      { name: 'snake_case stays whole', text: 'max_retry_count = MAX_RETRY_COUNT', expected: ['max_retry_count'] },
      { name: 'keywords and one-letter names dropped', text: 'for (const i of items) return x', expected: ['items'] },
      { name: 'digits inside names kept, bare numbers not', text: 'v2 = base64(42)', expected: ['v2', 'base64'] },
      { name: '$ and unicode letters are word characters', text: '$scope.größe', expected: ['$scope', 'größe'] },
      { name: 'no words', text: '  {} ();\n', expected: [] },
    ];
    for (const c of cases) {
      it(c.name, () => assert.deepEqual(codeWords(c.text), c.expected));
    }
  });

  describe('SimilarCodeIndex.query', () => {
    it('ranks first the window sharing the most identifiers, with 1-based lines and exact text', () => {
      const index = new SimilarCodeIndex();
      // lines 1-4 filler, 5-8 the invoice code, 9-12 a half match, 13-16 filler
      const other = lines(
        ...filler('a', 4),
        ...invoiceCode,
        'const invoiceTotal = sumRows(rows);',
        'renderTable(rows);',
        'drawChart(series);',
        'notify(users);',
        ...filler('b', 4),
      );
      index.update('src/other.ts', other);
      const cursor = lines('function checkout() {', ...invoiceCode.slice(0, 3), '  ');
      const result = index.query(cursor, 'src/main.ts', small);
      assert.ok(result.length > 0);
      const best = result[0]!;
      assert.equal(best.file, 'src/other.ts');
      assert.equal(best.startLine, 5);
      assert.equal(best.endLine, 8);
      assert.equal(best.text, invoiceCode.join('\n'));
      assert.match(best.reason, /^similar code \(jaccard \d\.\d\d\)$/);
      const scores = result.map((s) => Number(/jaccard (\d\.\d\d)/.exec(s.reason)![1]));
      assert.deepEqual(scores, [...scores].sort((a, b) => b - a), 'best first');
    });

    it("skips the cursor's own lines in the same file but keeps a similar region elsewhere in it", () => {
      const index = new SimilarCodeIndex();
      // The invoice code appears at lines 1-4 and again right above the cursor (lines 9-12).
      const prefix = lines(...invoiceCode, ...filler('a', 4), ...invoiceCode);
      index.update('src/main.ts', lines(prefix, ...filler('c', 4)));
      const result = index.query(prefix, 'src/main.ts', small);
      assert.ok(result.length > 0);
      for (const s of result) assert.ok(s.endLine < 9, `window ${s.startLine}-${s.endLine} touches the cursor region`);
      assert.equal(result[0]!.startLine, 1);
      // The same text under another name is not the cursor's file, so its copy is fair game.
      index.update('src/copy.ts', lines(prefix, ...filler('c', 4)));
      const fromCopy = index.query(prefix, 'src/main.ts', small).filter((s) => s.file === 'src/copy.ts');
      assert.ok(fromCopy.some((s) => s.startLine === 9 && s.endLine === 12));
    });

    const thresholdCases: { name: string; withMatch: boolean; minScore: number; expectFound: boolean }[] = [
      { name: 'unrelated code stays under the default threshold', withMatch: false, minScore: 0.2, expectFound: false },
      { name: 'a zero threshold still drops windows sharing nothing', withMatch: false, minScore: 0, expectFound: false },
      { name: 'a threshold above any score returns nothing even for a match', withMatch: true, minScore: 1.01, expectFound: false },
      { name: 'a real match clears the default threshold', withMatch: true, minScore: 0.2, expectFound: true },
    ];
    for (const c of thresholdCases) {
      it(`threshold: ${c.name}`, () => {
        const index = new SimilarCodeIndex();
        index.update('src/noise.ts', lines(...filler('z', 12)));
        if (c.withMatch) index.update('src/match.ts', lines(...invoiceCode));
        const result = index.query(lines(...invoiceCode), 'src/main.ts', { ...small, minScore: c.minScore });
        assert.equal(result.some((s) => s.file === 'src/noise.ts'), false);
        assert.equal(result.some((s) => s.file === 'src/match.ts'), c.expectFound);
      });
    }

    it('never returns two overlapping windows of one file, and honours maxResults', () => {
      const index = new SimilarCodeIndex();
      // Eight matching lines: windows 1-4, 3-6, 5-8 all score high and overlap pairwise.
      index.update('src/a.ts', lines(...invoiceCode, ...invoiceCode, ...filler('a', 4)));
      index.update('src/b.ts', lines(...invoiceCode));
      const result = index.query(lines(...invoiceCode), 'src/main.ts', small);
      for (const x of result) {
        for (const y of result) {
          if (x === y || x.file !== y.file) continue;
          assert.ok(x.endLine < y.startLine || y.endLine < x.startLine, `${x.startLine}-${x.endLine} overlaps ${y.startLine}-${y.endLine}`);
        }
      }
      assert.ok(result.some((s) => s.file === 'src/b.ts'));
      assert.equal(result.filter((s) => s.file === 'src/a.ts').length, 2, 'lines 1-4 and 5-8');
      assert.equal(index.query(lines(...invoiceCode), 'src/main.ts', { ...small, maxResults: 1 }).length, 1);
    });

    it('reflects update and remove', () => {
      const index = new SimilarCodeIndex();
      const cursor = lines(...invoiceCode);
      index.update('src/a.ts', lines(...filler('a', 8)));
      assert.deepEqual(index.query(cursor, 'src/main.ts', small), []);
      index.update('src/a.ts', lines(...filler('a', 2), ...invoiceCode));
      assert.deepEqual(
        index.query(cursor, 'src/main.ts', small).map((s) => [s.file, s.startLine, s.endLine]),
        [['src/a.ts', 3, 6]],
      );
      index.update('src/a.ts', lines(...filler('a', 2), ...invoiceCode)); // same text again: same answer
      assert.equal(index.query(cursor, 'src/main.ts', small)[0]?.startLine, 3);
      index.remove('src/a.ts');
      assert.deepEqual(index.query(cursor, 'src/main.ts', small), []);
      assert.deepEqual(index.files(), []);
    });

    it('counts CRLF lines like LF lines', () => {
      const index = new SimilarCodeIndex();
      index.update('src/win.ts', [...filler('a', 2), ...invoiceCode].join('\r\n'));
      const [best] = index.query(lines(...invoiceCode), 'src/main.ts', small);
      assert.equal(best?.startLine, 3);
      assert.equal(best?.text, invoiceCode.join('\n'));
    });

    const emptyCases: { name: string; docs: [string, string][]; cursor: string; options?: Partial<SimilarCodeOptions> }[] = [
      { name: 'empty index', docs: [], cursor: lines(...invoiceCode) },
      { name: 'empty cursor text', docs: [['src/a.ts', lines(...invoiceCode)]], cursor: '' },
      { name: 'cursor with keywords only', docs: [['src/a.ts', lines(...invoiceCode)]], cursor: 'return const if (x) {' },
      { name: 'empty and blank documents', docs: [['src/a.ts', ''], ['src/b.ts', '\n\n   \n']], cursor: lines(...invoiceCode) },
      { name: 'maxResults 0', docs: [['src/a.ts', lines(...invoiceCode)]], cursor: lines(...invoiceCode), options: { maxResults: 0 } },
    ];
    for (const c of emptyCases) {
      it(`returns nothing for ${c.name}`, () => {
        const index = new SimilarCodeIndex();
        for (const [file, text] of c.docs) index.update(file, text);
        assert.deepEqual(index.query(c.cursor, 'src/main.ts', { ...small, ...c.options }), []);
      });
    }

    it('handles ~20 files of 2,000 lines and repeated queries', () => {
      const index = new SimilarCodeIndex();
      for (let f = 0; f < 20; f++) {
        const body = Array.from({ length: 2000 }, (_, i) => `const value${f}_${i % 97} = helper${i % 13}(input${i % 7});`);
        index.update(`src/gen${f}.ts`, lines(...body));
      }
      const cursor = lines(...Array.from({ length: 20 }, (_, i) => `const value3_${i} = helper${i % 13}(input${i % 7});`));
      const first = index.query(cursor, 'src/main.ts');
      assert.ok(first.length > 0 && first.length <= 5);
      assert.ok(first.every((s) => s.endLine - s.startLine + 1 === 20));
      assert.deepEqual(index.query(cursor, 'src/main.ts'), first, 'deterministic across keystrokes');
    });
  });
});
