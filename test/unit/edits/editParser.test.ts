// Tests for the edit parser against a corpus of model answers: well-formed ones in the shapes models
// actually produce (prose, fences, several files, CRLF, sloppy markers) and malformed ones, which must
// come back as problems with the right line rather than as guessed edits.
import * as assert from 'node:assert/strict';
import { parseEdits } from '../../../src/core/edits/editParser';
import type { FileEdit } from '../../../src/core/edits/editTypes';

interface ParseCase {
  name: string;
  output: string;
  edits: FileEdit[];
  /** Each expected problem: its line and a fragment of its message. */
  problems?: Array<{ line: number; includes: string }>;
}

const modify = (path: string, search: string, replace: string): FileEdit => ({ kind: 'modify', path, search, replace });

const cases: ParseCase[] = [
  {
    name: 'one fenced block with prose around it',
    output: [
      'Sure! Here is the change to add a default width:',
      '',
      'src/util/strings.ts',
      '```ts',
      '<<<<<<< SEARCH',
      'export function pad(s: string) {',
      '=======',
      'export function pad(s: string, n = 2) {',
      '>>>>>>> REPLACE',
      '```',
      '',
      'This keeps existing callers working.',
    ].join('\n'),
    edits: [modify('src/util/strings.ts', 'export function pad(s: string) {\n', 'export function pad(s: string, n = 2) {\n')],
  },
  {
    name: 'two files, one fenced with a language tag and one unfenced, path styles vary',
    output: [
      'I changed two files.',
      '',
      '### `src/a.ts`',
      '```typescript',
      '<<<<<<< SEARCH',
      'const a = 1;',
      '=======',
      'const a = 2;',
      '>>>>>>> REPLACE',
      '```',
      '',
      'File: src/b.py',
      '<<<<<<< SEARCH',
      'def b():',
      '    return 1',
      '=======',
      'def b():',
      '    return 2',
      '>>>>>>> REPLACE',
    ].join('\n'),
    edits: [
      modify('src/a.ts', 'const a = 1;\n', 'const a = 2;\n'),
      modify('src/b.py', 'def b():\n    return 1\n', 'def b():\n    return 2\n'),
    ],
  },
  {
    name: 'several blocks under one path, with blank lines and fences between them',
    output: [
      '`lib/x.js`',
      '```',
      '<<<<<<< SEARCH',
      'one',
      '=======',
      'ONE',
      '>>>>>>> REPLACE',
      '',
      '<<<<<<< SEARCH',
      'two',
      '=======',
      'TWO',
      '>>>>>>> REPLACE',
      '```',
      '```',
      '<<<<<<< SEARCH',
      'three',
      '=======',
      '>>>>>>> REPLACE',
      '```',
    ].join('\n'),
    edits: [modify('lib/x.js', 'one\n', 'ONE\n'), modify('lib/x.js', 'two\n', 'TWO\n'), modify('lib/x.js', 'three\n', '')],
  },
  {
    name: 'CRLF line endings',
    output: 'Here:\r\n\r\nsrc/a.ts\r\n```ts\r\n<<<<<<< SEARCH\r\nold();\r\n=======\r\nnew();\r\n>>>>>>> REPLACE\r\n```\r\n',
    edits: [modify('src/a.ts', 'old();\n', 'new();\n')],
  },
  {
    name: 'markers of 5 and 9 characters with trailing whitespace, and no closing fence',
    output: ['src/a.ts', '```ts', '<<<<< SEARCH  ', 'old();', '=========\t', 'new();', '>>>>>>>>> REPLACE ', ''].join('\n'),
    edits: [modify('src/a.ts', 'old();\n', 'new();\n')],
  },
  {
    name: 'an empty SEARCH creates a file',
    output: ['Add a new helper file:', '', '**src/new/helper.ts**', '```ts', '<<<<<<< SEARCH', '=======', 'export const x = 1;', '', 'export const y = 2;', '>>>>>>> REPLACE', '```'].join('\n'),
    edits: [{ kind: 'create', path: 'src/new/helper.ts', content: 'export const x = 1;\n\nexport const y = 2;\n' }],
  },
  {
    name: 'a DELETE line removes a file, alongside a modify of another',
    output: ['Remove the old module and update the import.', '', 'DELETE `src/old.ts`', '', 'src/index.ts', '<<<<<<< SEARCH', "import './old';", '=======', '>>>>>>> REPLACE'].join('\n'),
    edits: [{ kind: 'delete', path: 'src/old.ts' }, modify('src/index.ts', "import './old';\n", '')],
  },
  {
    name: 'indented marker-like lines and fences inside a block are content',
    output: ['docs/notes.md', '<<<<<<< SEARCH', 'Title', '  =======', '=======', '```js', 'code', '```', '>>>>>>> REPLACE'].join('\n'),
    edits: [modify('docs/notes.md', 'Title\n  =======\n', '```js\ncode\n```\n')],
  },
  {
    name: 'a path mentioned in prose is not a path line',
    output: ['I will now edit the file src/a.ts as follows.', '<<<<<<< SEARCH', 'a', '=======', 'b', '>>>>>>> REPLACE'].join('\n'),
    edits: [],
    problems: [{ line: 2, includes: 'no file path' }],
  },
  {
    name: 'a block with no path at all',
    output: ['```', '<<<<<<< SEARCH', 'a', '=======', 'b', '>>>>>>> REPLACE', '```'].join('\n'),
    edits: [],
    problems: [{ line: 2, includes: 'no file path' }],
  },
  {
    name: 'prose between blocks breaks the link to the earlier path',
    output: ['src/a.ts', '<<<<<<< SEARCH', 'a', '=======', 'b', '>>>>>>> REPLACE', 'Now the caller:', '<<<<<<< SEARCH', 'c', '=======', 'd', '>>>>>>> REPLACE'].join('\n'),
    edits: [modify('src/a.ts', 'a\n', 'b\n')],
    problems: [{ line: 8, includes: 'no file path' }],
  },
  {
    name: 'a DELETE line also breaks the link to the earlier path',
    output: ['src/a.ts', '<<<<<<< SEARCH', 'a', '=======', 'b', '>>>>>>> REPLACE', 'DELETE src/c.ts', '<<<<<<< SEARCH', 'c', '=======', 'd', '>>>>>>> REPLACE'].join('\n'),
    edits: [modify('src/a.ts', 'a\n', 'b\n'), { kind: 'delete', path: 'src/c.ts' }],
    problems: [{ line: 8, includes: 'no file path' }],
  },
  {
    name: 'missing ======= (REPLACE comes first)',
    output: ['src/a.ts', '<<<<<<< SEARCH', 'a', 'b', '>>>>>>> REPLACE', '', 'src/b.ts', '<<<<<<< SEARCH', 'x', '=======', 'y', '>>>>>>> REPLACE'].join('\n'),
    edits: [modify('src/b.ts', 'x\n', 'y\n')],
    problems: [{ line: 5, includes: 'before "======="' }],
  },
  {
    name: 'missing ======= (next SEARCH comes first)',
    output: ['src/a.ts', '<<<<<<< SEARCH', 'a', '<<<<<<< SEARCH', 'x', '=======', 'y', '>>>>>>> REPLACE'].join('\n'),
    edits: [modify('src/a.ts', 'x\n', 'y\n')],
    problems: [{ line: 4, includes: 'no "=======" before the next SEARCH' }],
  },
  {
    name: 'unterminated block at the end of the answer',
    output: ['src/a.ts', '```ts', '<<<<<<< SEARCH', 'a', '=======', 'b', '```'].join('\n'),
    edits: [],
    problems: [{ line: 3, includes: 'never reached ">>>>>>> REPLACE"' }],
  },
  {
    name: 'block missing REPLACE before the next block',
    output: ['src/a.ts', '<<<<<<< SEARCH', 'a', '=======', 'b', '<<<<<<< SEARCH', 'c', '=======', 'd', '>>>>>>> REPLACE'].join('\n'),
    edits: [modify('src/a.ts', 'c\n', 'd\n')],
    problems: [{ line: 6, includes: 'has no ">>>>>>> REPLACE"' }],
  },
  {
    name: 'a second ======= in one block',
    output: ['src/a.ts', '<<<<<<< SEARCH', 'a', '=======', 'b', '=======', 'c', '>>>>>>> REPLACE'].join('\n'),
    edits: [],
    problems: [
      { line: 6, includes: 'Second "======="' },
      { line: 8, includes: 'outside a SEARCH/REPLACE block' },
    ],
  },
  {
    name: 'stray markers outside any block',
    output: ['Some text', '=======', '>>>>>>> REPLACE'].join('\n'),
    edits: [],
    problems: [
      { line: 2, includes: 'outside a SEARCH/REPLACE block' },
      { line: 3, includes: 'outside a SEARCH/REPLACE block' },
    ],
  },
  {
    name: 'a file both deleted and edited is refused entirely',
    output: ['DELETE src/a.ts', 'src/a.ts', '<<<<<<< SEARCH', 'a', '=======', 'b', '>>>>>>> REPLACE', 'src/b.ts', '<<<<<<< SEARCH', 'x', '=======', 'y', '>>>>>>> REPLACE'].join('\n'),
    edits: [modify('src/b.ts', 'x\n', 'y\n')],
    problems: [{ line: 1, includes: 'src/a.ts is created or deleted and also edited' }],
  },
  {
    name: 'path in the fence info string, in three spellings',
    output: [
      '```ts src/a.ts', '<<<<<<< SEARCH', 'a', '=======', 'b', '>>>>>>> REPLACE', '```',
      '```python:lib/b.py', '<<<<<<< SEARCH', 'c', '=======', 'd', '>>>>>>> REPLACE', '```',
      '```src/c.go', '<<<<<<< SEARCH', 'e', '=======', 'f', '>>>>>>> REPLACE', '```',
    ].join('\n'),
    edits: [modify('src/a.ts', 'a\n', 'b\n'), modify('lib/b.py', 'c\n', 'd\n'), modify('src/c.go', 'e\n', 'f\n')],
  },
  {
    name: 'path line inside the fence, as a bare line or a // comment',
    output: [
      '```ts', 'src/a.ts', '<<<<<<< SEARCH', 'a', '=======', 'b', '>>>>>>> REPLACE', '```',
      '```ts', '// src/b.ts', '<<<<<<< SEARCH', 'c', '=======', 'd', '>>>>>>> REPLACE', '```',
    ].join('\n'),
    edits: [modify('src/a.ts', 'a\n', 'b\n'), modify('src/b.ts', 'c\n', 'd\n')],
  },
  {
    name: 'path lines with nested markup: ### File: `x`, **File:** x, **`x`**:, *x*',
    output: [
      '### File: `src/a.ts`', '<<<<<<< SEARCH', 'a', '=======', 'b', '>>>>>>> REPLACE',
      '**File:** src/b.ts', '<<<<<<< SEARCH', 'c', '=======', 'd', '>>>>>>> REPLACE',
      '**`src/c.ts`**:', '<<<<<<< SEARCH', 'e', '=======', 'f', '>>>>>>> REPLACE',
      '*src/d.ts*', '<<<<<<< SEARCH', 'g', '=======', 'h', '>>>>>>> REPLACE',
    ].join('\n'),
    edits: [modify('src/a.ts', 'a\n', 'b\n'), modify('src/b.ts', 'c\n', 'd\n'), modify('src/c.ts', 'e\n', 'f\n'), modify('src/d.ts', 'g\n', 'h\n')],
  },
  {
    name: 'a // comment of words is prose and breaks the link to the path',
    output: ['src/a.ts', '// now the other part', '<<<<<<< SEARCH', 'a', '=======', 'b', '>>>>>>> REPLACE'].join('\n'),
    edits: [],
    problems: [{ line: 3, includes: 'no file path' }],
  },
  {
    name: 'DELETE spellings: DELETE:, **DELETE** `x`, DELETE FILE x',
    output: ['DELETE: src/a.ts', '**DELETE** `src/b.ts`', 'DELETE FILE src/c.ts'].join('\n'),
    edits: [{ kind: 'delete', path: 'src/a.ts' }, { kind: 'delete', path: 'src/b.ts' }, { kind: 'delete', path: 'src/c.ts' }],
  },
  {
    name: 'no final newline after the REPLACE marker',
    output: 'src/a.ts\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE',
    edits: [modify('src/a.ts', 'a\n', 'b\n')],
  },
  {
    name: 'elision in SEARCH is refused, in every common spelling',
    output: [
      'src/a.ts', '<<<<<<< SEARCH', 'function f() {', '  // ... existing code ...', '}', '=======', 'x', '>>>>>>> REPLACE',
      'src/b.py', '<<<<<<< SEARCH', 'def g():', '    ...', '=======', 'y', '>>>>>>> REPLACE',
      'src/c.html', '<<<<<<< SEARCH', '<!-- ... -->', '=======', 'z', '>>>>>>> REPLACE',
      'src/d.ts', '<<<<<<< SEARCH', 'a', '/* … */', '=======', 'w', '>>>>>>> REPLACE',
      'src/e.rb', '<<<<<<< SEARCH', '# rest of the class unchanged...', '=======', 'v', '>>>>>>> REPLACE',
    ].join('\n'),
    edits: [],
    problems: [
      { line: 4, includes: 'elides code in SEARCH ("// ... existing code ...")' },
      { line: 12, includes: 'elides code in SEARCH ("...")' },
      { line: 18, includes: 'elides code in SEARCH ("<!-- ... -->")' },
      { line: 25, includes: 'elides code in SEARCH ("/* … */")' },
      { line: 31, includes: 'elides code in SEARCH ("# rest of the class unchanged...")' },
    ],
  },
  {
    name: 'elision in REPLACE is refused, in a new file too',
    output: [
      'src/a.ts', '<<<<<<< SEARCH', 'a', 'b', '=======', 'A', '// ... rest unchanged', '>>>>>>> REPLACE',
      'src/new.ts', '<<<<<<< SEARCH', '=======', 'export {};', '// ...', '>>>>>>> REPLACE',
    ].join('\n'),
    edits: [],
    problems: [
      { line: 7, includes: 'elides code in REPLACE ("// ... rest unchanged")' },
      { line: 13, includes: 'elides code in REPLACE' },
    ],
  },
  {
    name: 'spreads, ranges and ellipses inside code are not elision',
    output: ['src/a.ts', '<<<<<<< SEARCH', 'const {', '  a,', '  ...rest', '} = o;', "log('loading...');", '=======', 'f(...args);', '>>>>>>> REPLACE'].join('\n'),
    edits: [modify('src/a.ts', "const {\n  a,\n  ...rest\n} = o;\nlog('loading...');\n", 'f(...args);\n')],
  },
  {
    name: 'plain prose yields nothing and no problems',
    output: 'I could not find anything to change. Version 1.2 is fine, e.g. leave it.',
    edits: [],
  },
];

describe('parseEdits', () => {
  for (const c of cases) {
    it(c.name, () => {
      const result = parseEdits(c.output);
      assert.deepEqual(result.edits, c.edits);
      const expected = c.problems ?? [];
      assert.deepEqual(
        result.problems.map((p) => p.line),
        expected.map((p) => p.line),
        `problems: ${JSON.stringify(result.problems)}`,
      );
      expected.forEach((p, i) => assert.ok(result.problems[i]!.message.includes(p.includes), `problem ${i}: ${result.problems[i]!.message}`));
    });
  }
});
