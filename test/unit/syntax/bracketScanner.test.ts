// The bracket scanner reads code the way its language does (comments and strings hold no
// brackets), and documentBalance says what is open at a cursor and how much of it the rest closes.
import * as assert from 'node:assert/strict';
import { BracketScanner, documentBalance } from '../../../src/core/syntax/bracketScanner';
import { requestAt } from '../../support/cursor';

interface ScanCase {
  name: string;
  languageId: string;
  text: string;
  /** Brackets left open, innermost last, and closers that matched nothing. */
  open: string;
  unmatched?: string;
  inString?: boolean;
}

const scans: ScanCase[] = [
  { name: 'nested brackets', languageId: 'typescript', text: 'f(a[1], { b: (2', open: '({(' },
  { name: 'a line comment hides brackets until the line ends', languageId: 'typescript', text: 'f( // )\n', open: '(' },
  { name: 'a block comment hides brackets', languageId: 'typescript', text: 'f( /* ) ] */ [', open: '([' },
  { name: 'strings hide brackets, escapes included', languageId: 'typescript', text: 'f("(\\")", \'[\'', open: '(' },
  { name: 'a template literal spans lines', languageId: 'typescript', text: 'x = `(\n)` + (', open: '(' },
  { name: 'an unterminated string ends with its line', languageId: 'typescript', text: 'a = "(\nb = (', open: '(' },
  { name: 'Python comments start with #', languageId: 'python', text: 'f(  # )\n', open: '(' },
  { name: 'Python triple quotes span lines', languageId: 'python', text: 'x = """(\n]\n""" + [', open: '[' },
  { name: 'an open triple quote is a string at the end', languageId: 'python', text: 'doc = """Sums (', open: '', inString: true },
  { name: 'Rust lifetimes are not quotes', languageId: 'rust', text: "fn f<'a>(x: &'a str) -> (", open: '(' },
  { name: "Rust character literals are quotes", languageId: 'rust', text: "let c = '(';", open: '' },
  { name: 'apostrophes in markup text are not quotes', languageId: 'html', text: "<p>don't {", open: '{' },
  { name: 'closers that match nothing are counted apart', languageId: 'typescript', text: ') } (', open: '(', unmatched: ')}' },
  { name: 'a closer of the wrong kind inside an open bracket changes nothing', languageId: 'typescript', text: '( ]', open: '(' },
];

describe('BracketScanner', () => {
  for (const c of scans) {
    it(c.name, () => {
      const scanner = BracketScanner.forLanguage(c.languageId);
      scanner.scan(c.text);
      assert.equal(scanner.stack.join(''), c.open);
      assert.equal(scanner.unmatched.join(''), c.unmatched ?? '');
      assert.equal(scanner.inString, c.inString ?? false);
    });
  }

  it('reports closers as it meets them and stops where asked', () => {
    const scanner = BracketScanner.forLanguage('typescript');
    const seen: string[] = [];
    const at = scanner.scan('(a) ] }', 0, 7, (event) => {
      seen.push(`${event.char}${event.matched ? '+' : '-'}`);
      return event.char === ']';
    });
    assert.equal(at, 4);
    assert.deepEqual(seen, [')+', ']-']);
  });
});

describe('documentBalance', () => {
  const cases: Array<{ name: string; source: string; languageId?: string; open: number; lacking: number }> = [
    { name: 'a body between braces the document closes', source: 'function f() {\n  █\n}\n', open: 1, lacking: 0 },
    { name: 'a block the document never closes', source: 'function f() {\n  if (x) {\n    █', open: 2, lacking: 2 },
    { name: 'one of two blocks closed', source: 'function f() {\n  if (x) {\n    █\n}', open: 2, lacking: 1 },
    { name: 'a closer in a comment after the cursor does not count', source: 'if (x) {\n  █\n// }\n', open: 1, lacking: 1 },
    { name: 'top level: nothing open', source: 'const a = 1;\n█\n', open: 0, lacking: 0 },
    { name: 'inside a string the cursor is not in code', source: 'log("(█")', open: 1, lacking: 0 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { text, offset } = requestAt(c.source);
      const balance = documentBalance(text, offset, c.languageId ?? 'typescript');
      assert.equal(balance.open.length, c.open);
      assert.equal(balance.lacking, c.lacking);
    });
  }

  it('can judge the document as if the rest of the cursor line were gone', () => {
    const { text, offset } = requestAt('max(█)\n');
    assert.equal(documentBalance(text, offset, 'typescript').lacking, 0);
    assert.equal(documentBalance(text, offset, 'typescript', offset + 1).lacking, 1);
  });

  it('reads a bounded window of a huge document', () => {
    const text = `${'x = 1;\n'.repeat(200_000)}f(\n`;
    const balance = documentBalance(text, text.length, 'typescript');
    assert.equal(balance.lacking, 1);
  });
});
