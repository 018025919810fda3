// Tests for questionTerms.ts: a question becomes identifiers as written, paths, and stemmed words,
// stop words gone; the stemmer makes a question's words meet the sub-words of names.
import * as assert from 'node:assert/strict';
import { describeTerms, nameStems, questionTerms, stem, subWords } from '../../../src/core/context/questionTerms';

describe('questionTerms', () => {
  const cases: {
    question: string;
    paths?: string[];
    identifiers?: string[];
    words: string[];
  }[] = [
    { question: 'how is the total computed?', words: ['total', 'computed'] },
    { question: 'where is computeTotal defined', identifiers: ['computeTotal'], words: ['compute', 'total'] },
    { question: 'Where is compute_total used?', identifiers: ['compute_total'], words: ['compute', 'total', 'used'] },
    { question: 'what does cart.ts do', paths: ['cart.ts'], words: ['cart'] },
    { question: 'explain src/checkout/cart.ts and ./lib/util/', paths: ['src/checkout/cart.ts', 'lib/util'], words: ['src', 'checkout', 'cart', 'lib', 'util'] },
    { question: 'what does Cart.total return?', identifiers: ['Cart', 'Cart.total'], words: ['cart', 'total', 'return'] },
    { question: 'is `total` ever negative', identifiers: ['total'], words: ['total', 'ever', 'negative'] },
    { question: 'who calls parse()?', identifiers: ['parse'], words: ['calls', 'parse'] },
    { question: 'HTTPServer vs TAX_RATE', identifiers: ['HTTPServer', 'TAX_RATE'], words: ['http', 'server', 'vs', 'tax', 'rate'] },
    { question: "the cart's items, e.g. prices", words: ['cart', 'items', 'prices'] },
    { question: 'crate::shapes::Circle in Rust', identifiers: ['crate', 'crate.shapes', 'shapes.Circle'], words: ['crate', 'shapes', 'circle', 'rust'] },
    { question: 'What is this? How does it work?', words: [] },
    { question: '', words: [] },
    { question: '   ((( ``` ))) ?? ', words: [] },
    { question: 'see https://example.com/docs', words: ['see', 'https', 'example', 'com', 'docs'] },
  ];
  for (const c of cases) {
    it(JSON.stringify(c.question), () => {
      const terms = questionTerms(c.question);
      assert.deepEqual(terms.paths, c.paths ?? []);
      assert.deepEqual(
        terms.identifiers.map((id) => (id.container ? `${id.container}.${id.text}` : id.text)),
        c.identifiers ?? [],
      );
      assert.deepEqual(
        terms.words.map((w) => w.word),
        c.words,
      );
    });
  }

  it('keeps one word per stem, and lists paths, identifiers, then words for display', () => {
    const terms = questionTerms('totals total `computeTotal` in cart.ts');
    assert.deepEqual(terms.words.map((w) => w.word), ['totals', 'compute', 'cart']);
    assert.deepEqual(describeTerms(terms), ['cart.ts', 'computeTotal', 'totals', 'compute', 'cart']);
  });

  const stems: [string, string][] = [
    ['computed', 'comput'],
    ['computes', 'comput'],
    ['compute', 'comput'],
    ['computing', 'comput'],
    ['prices', 'pric'],
    ['pricing', 'pric'],
    ['entries', 'entry'],
    ['classes', 'class'],
    ['boxes', 'box'],
    ['status', 'status'],
    ['total', 'total'],
    ['map', 'map'],
  ];
  for (const [word, expected] of stems) {
    it(`stem(${word}) = ${expected}`, () => assert.equal(stem(word), expected));
  }

  const splits: [string, string[]][] = [
    ['computeTotal', ['compute', 'total']],
    ['compute_total', ['compute', 'total']],
    ['ComputeTotal', ['compute', 'total']],
    ['TAX_RATE', ['tax', 'rate']],
    ['HTTPServer2', ['http', 'server']],
    ['x', []],
    ['line-item', ['line', 'item']],
  ];
  for (const [name, expected] of splits) {
    it(`subWords(${name})`, () => assert.deepEqual(subWords(name), expected));
  }

  it('nameStems drops stop words and repeats', () => {
    assert.deepEqual(nameStems('getTheTotalTotals'), ['total']);
  });
});
