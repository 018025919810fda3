// Tests for the format contract with the model: the instructions' own example parses into exactly
// the edits it shows, and a file rendered for the prompt is shown so that lines copied from it into
// SEARCH match the real file exactly (tabs, trailing spaces and CRLF included).
import * as assert from 'node:assert/strict';
import { planChanges } from '../../../src/core/edits/changePlan';
import { EDIT_FORMAT_INSTRUCTIONS, renderFileForPrompt } from '../../../src/core/edits/editFormat';
import { parseEdits } from '../../../src/core/edits/editParser';

/** The lines between the opening and closing fence of a rendered file. */
function fencedBody(rendered: string): string[] {
  const lines = rendered.split('\n');
  const open = lines.findIndex((l) => /^`{3,}/.test(l));
  const fence = /^`+/.exec(lines[open]!)![0];
  const close = lines.lastIndexOf(fence);
  return lines.slice(open + 1, close);
}

describe('EDIT_FORMAT_INSTRUCTIONS', () => {
  it('its example parses into exactly one modify, one create and one delete', () => {
    const parsed = parseEdits(EDIT_FORMAT_INSTRUCTIONS);
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(
      parsed.edits.map((e) => [e.kind, e.path]),
      [
        ['modify', 'src/util/strings.ts'],
        ['create', 'src/util/case.ts'],
        ['delete', 'src/util/legacyPad.ts'],
      ],
    );
  });

  for (const rule of ['<<<<<<< SEARCH', '=======', '>>>>>>> REPLACE', 'forward slashes', 'exactly', '"..."', 'DELETE path', 'only one place']) {
    it(`states the rule mentioning ${rule}`, () => assert.ok(EDIT_FORMAT_INSTRUCTIONS.includes(rule)));
  }
});

describe('renderFileForPrompt', () => {
  const cases: Array<[name: string, path: string, text: string, range: { startLine: number; endLine: number } | undefined, expected: string]> = [
    ['whole file, language from the extension', 'src/a.ts', 'const a = 1;\n', undefined, 'src/a.ts\n```ts\nconst a = 1;\n```'],
    ['CRLF becomes LF, no final newline is fine', 'lib/x.py', 'a = 1\r\nb = 2', undefined, 'lib/x.py\n```python\na = 1\nb = 2\n```'],
    ['unknown extension: a bare fence', 'Makefile', 'all:\n\tcc x.c\n', undefined, 'Makefile\n```\nall:\n\tcc x.c\n```'],
    ['backticks inside get a longer fence', 'README.md', '```sh\nnpm i\n```\n', undefined, 'README.md\n````markdown\n```sh\nnpm i\n```\n````'],
    ['empty file', 'src/e.ts', '', undefined, 'src/e.ts\n```ts\n\n```'],
    [
      'a range shows only those lines and says so',
      'src/r.ts',
      'l1\nl2\nl3\nl4\n',
      { startLine: 2, endLine: 3 },
      'src/r.ts\n(lines 2-3 of 4; only these lines may appear in SEARCH)\n```ts\nl2\nl3\n```',
    ],
    ['a range covering the whole file adds no note', 'src/r.ts', 'l1\nl2\n', { startLine: 1, endLine: 9 }, 'src/r.ts\n```ts\nl1\nl2\n```'],
  ];
  for (const [name, path, text, range, expected] of cases) {
    it(name, () => assert.equal(renderFileForPrompt(path, text, range), expected));
  }

  it('lines copied from the rendering into SEARCH match the file exactly (tabs, trailing spaces, CRLF)', async () => {
    const file = 'package main\r\n\r\nfunc f() {\r\n\tx := 1   \r\n\treturn x\r\n}\r\n';
    const rendered = renderFileForPrompt('cmd/main.go', file);
    const body = fencedBody(rendered);
    // The model repeats the header line as the path and copies lines 4-5 of what it saw.
    const answer = [rendered.split('\n')[0], '```go', '<<<<<<< SEARCH', ...body.slice(3, 5), '=======', '\tx := 2', '\treturn x', '>>>>>>> REPLACE', '```'].join('\n');
    const parsed = parseEdits(answer);
    assert.deepEqual(parsed.problems, []);
    const plan = await planChanges(parsed.edits, async (p) => (p === 'cmd/main.go' ? file : undefined));
    assert.deepEqual(plan.problems, []);
    assert.equal(plan.changes[0]!.after, 'package main\r\n\r\nfunc f() {\r\n\tx := 2\r\n\treturn x\r\n}\r\n');
  });
});
