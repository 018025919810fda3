// Tests for locating and applying edits: exact and indentation-tolerant matches, refusals for stale
// (not found) and ambiguous snippets, all-or-nothing application, overlap, and line endings.
import * as assert from 'node:assert/strict';
import { applyEdits, locateEdit, type ApplyResult } from '../../../src/core/edits/editMatcher';
import { parseEdits } from '../../../src/core/edits/editParser';
import type { ModifyEdit } from '../../../src/core/edits/editTypes';

const FILE = [
  'export class Greeter {',
  '  greet(name: string) {',
  '    if (!name) {',
  '      return "hi";',
  '    }',
  '    return `hi ${name}`;',
  '  }',
  '',
  '  bye() {',
  '    return "bye";',
  '  }',
  '}',
  '',
].join('\n');

const edit = (search: string, replace: string): ModifyEdit => ({ kind: 'modify', path: 'src/greeter.ts', search, replace });

interface LocateCase {
  name: string;
  text: string;
  search: string;
  /** The text the range covers, or the error expected. */
  expected: { covers: string } | { error: string; candidates?: number };
}

const locateCases: LocateCase[] = [
  { name: 'exact whole lines', text: FILE, search: '  bye() {\n    return "bye";\n', expected: { covers: '  bye() {\n    return "bye";\n' } },
  { name: 'exact fragment within a line', text: 'const a = 1;\n', search: 'a = 1', expected: { covers: 'a = 1' } },
  {
    name: 'wrong indentation matches loosely, covering the file lines',
    text: FILE,
    search: 'bye() {\n  return "bye";\n',
    expected: { covers: '  bye() {\n    return "bye";\n' },
  },
  {
    name: 'trailing whitespace in the search is ignored loosely',
    text: FILE,
    search: '    return "bye";   \n  }\t\n',
    expected: { covers: '    return "bye";\n  }\n' },
  },
  {
    name: 'whole-line search does not match mid-line exactly; loose match takes the whole line',
    text: 'foo(x);\n  y = foo(x);\n',
    search: 'y = foo(x);\n',
    expected: { covers: '  y = foo(x);\n' },
  },
  { name: 'missing context: not found', text: FILE, search: '  bye() {\n    return "goodbye";\n', expected: { error: 'not-found' } },
  { name: 'same snippet twice: ambiguous (mid-line occurrences do not count)', text: FILE, search: '  }\n', expected: { error: 'ambiguous', candidates: 2 } },
  {
    name: 'same snippet twice at different depths: ambiguous in the loose pass',
    text: 'a() {\n  x();\n}\nb() {\n    x();\n}\n',
    search: 'x();\n',
    expected: { error: 'ambiguous', candidates: 2 },
  },
  { name: 'empty search', text: FILE, search: '', expected: { error: 'empty-search' } },
  { name: 'blank search', text: FILE, search: '\n  \n', expected: { error: 'empty-search' } },
];

interface ApplyCase {
  name: string;
  text: string;
  edits: ModifyEdit[];
  expected: ApplyResult;
}

const applyCases: ApplyCase[] = [
  {
    name: 'one exact edit',
    text: FILE,
    edits: [edit('    return "bye";\n', '    return "goodbye";\n')],
    expected: { text: FILE.replace('return "bye"', 'return "goodbye"') },
  },
  {
    name: 'two edits in order, the second located after the first',
    text: 'a\nb\nc\n',
    edits: [edit('a\n', 'A\n'), edit('c\n', 'C1\nC2\n')],
    expected: { text: 'A\nb\nC1\nC2\n' },
  },
  {
    name: 'an edit after an earlier one that shifted the text keeps the written range tracked',
    text: 'a\nb\nc\nd\n',
    edits: [edit('c\n', 'c1\nc2\n'), edit('a\n', ''), edit('d\n', 'D\n')],
    expected: { text: 'b\nc1\nc2\nD\n' },
  },
  {
    name: 'loosely matched edit has its replacement re-based to the file indentation',
    text: FILE,
    edits: [edit('if (!name) {\n  return "hi";\n}\n', 'if (!name) {\n  console.log("empty");\n  return "hi";\n}\n')],
    expected: {
      text: FILE.replace('      return "hi";\n', '      console.log("empty");\n      return "hi";\n'),
    },
  },
  {
    name: 'shallower replacement lines are left as written',
    text: 'class A {\n    m() {\n        x();\n    }\n}\n',
    edits: [edit('  m() {\n      x();\n  }\n', '  m() {\n      y();\n  }\n// end\n')],
    expected: { text: 'class A {\n    m() {\n        y();\n    }\n// end\n}\n' },
  },
  {
    name: 'a model indenting with spaces edits a tab-indented file: replacement lines become tabs',
    text: 'func f() {\n\tif x {\n\t\treturn\n\t}\n}\n',
    edits: [edit('    if x {\n        return\n    }\n', '    if x {\n        log()\n        return\n    }\n')],
    expected: { text: 'func f() {\n\tif x {\n\t\tlog()\n\t\treturn\n\t}\n}\n' },
  },
  {
    name: 'a model indenting with tabs edits a 2-space file: replacement lines become spaces',
    text: 'class A {\n  m() {\n    x();\n  }\n}\n',
    edits: [edit('\tm() {\n\t\tx();\n', '\tm() {\n\t\ty();\n')],
    expected: { text: 'class A {\n  m() {\n    y();\n  }\n}\n' },
  },
  {
    name: 'CRLF file stays CRLF',
    text: 'a\r\nb\r\nc\r\n',
    edits: [edit('b\n', 'B\nB2\n')],
    expected: { text: 'a\r\nB\r\nB2\r\nc\r\n' },
  },
  {
    name: 'last line without a newline still matches and stays without one',
    text: 'a\nlast',
    edits: [edit('last\n', 'final\n')],
    expected: { text: 'a\nfinal' },
  },
  {
    name: 'the second edit is stale: nothing is applied',
    text: 'a\nb\n',
    edits: [edit('a\n', 'A\n'), edit('zzz\n', 'Z\n')],
    expected: { error: 'not-found', editIndex: 1 },
  },
  {
    name: 'ambiguous edit is refused with its candidate count',
    text: 'x\ny\nx\n',
    edits: [edit('x\n', 'X\n')],
    expected: { error: 'ambiguous', editIndex: 0, candidates: 2 },
  },
  {
    name: 'an edit that matches text an earlier edit wrote is an overlap',
    text: 'a\nb\n',
    edits: [edit('a\n', 'a\nnew\n'), edit('new\nb\n', 'B\n')],
    expected: { error: 'overlap', editIndex: 1 },
  },
  {
    name: 'empty search on an existing file is refused',
    text: 'a\n',
    edits: [edit('', 'b\n')],
    expected: { error: 'empty-search', editIndex: 0 },
  },
  { name: 'no edits leaves the text alone', text: 'a\r\nb', edits: [], expected: { text: 'a\r\nb' } },
];

describe('locateEdit', () => {
  for (const c of locateCases) {
    it(c.name, () => {
      const result = locateEdit(c.text, c.search);
      if ('covers' in c.expected) {
        assert.ok(!('error' in result), `unexpected ${JSON.stringify(result)}`);
        assert.equal(c.text.slice(result.start, result.end), c.expected.covers);
      } else {
        assert.deepEqual(result, c.expected);
      }
    });
  }

  it('reports the indentation to swap only for loose matches', () => {
    const exact = locateEdit(FILE, '  bye() {\n');
    assert.ok(!('error' in exact) && exact.reindent === undefined);
    const loose = locateEdit(FILE, 'bye() {\n');
    assert.ok(!('error' in loose));
    assert.deepEqual(loose.reindent, { from: '', to: '  ' });
  });
});

describe('applyEdits', () => {
  for (const c of applyCases) {
    it(c.name, () => {
      assert.deepEqual(applyEdits(c.text, c.edits), c.expected);
    });
  }
});

describe('parseEdits then applyEdits', () => {
  it('applies a CRLF model answer with a re-indented SEARCH to a CRLF file', () => {
    const answer = [
      'Log empty names before returning:',
      '',
      'src/greeter.ts',
      '```ts',
      '<<<<<<< SEARCH',
      'if (!name) {',
      '  return "hi";',
      '=======',
      'if (!name) {',
      '  log("empty name");',
      '  return "hi";',
      '>>>>>>> REPLACE',
      '```',
    ].join('\r\n');
    const parsed = parseEdits(answer);
    assert.deepEqual(parsed.problems, []);
    const modifies = parsed.edits.filter((e): e is ModifyEdit => e.kind === 'modify');
    assert.equal(modifies.length, 1);
    const crlfFile = FILE.replace(/\n/g, '\r\n');
    const expected = FILE.replace('      return "hi";\n', '      log("empty name");\n      return "hi";\n').replace(/\n/g, '\r\n');
    assert.deepEqual(applyEdits(crlfFile, modifies), { text: expected });
  });
});
