// Tests for reading a document's own indentation (none when no line is indented).
import * as assert from 'node:assert/strict';
import { documentIndentation } from '../../../src/core/completion/indentStyle';
import type { IndentStyle } from '../../../src/core/kernel/completionTypes';

const cases: { name: string; text: string; expected: IndentStyle | undefined }[] = [
  { name: 'two spaces', text: 'a {\n  b {\n    c;\n  }\n}\n', expected: { useTabs: false, size: 2 } },
  { name: 'four spaces', text: 'def f():\n    if x:\n        y()\n    return 1\n', expected: { useTabs: false, size: 4 } },
  { name: 'eight spaces', text: 'a\n        b\n                c\n        d\n', expected: { useTabs: false, size: 8 } },
  { name: 'tabs', text: 'func f() {\n\tif x {\n\t\ty()\n\t}\n}\n', expected: { useTabs: true, size: 4 } },
  { name: 'JSDoc single-space lines are ignored', text: '/**\n * doc\n * more\n */\nfunction f() {\n    return 1;\n}\n', expected: { useTabs: false, size: 4 } },
  { name: 'no indented line: no evidence', text: 'a\nb\nc\n', expected: undefined },
  { name: 'empty document: no evidence', text: '', expected: undefined },
  { name: 'CRLF two spaces', text: 'a {\r\n  b;\r\n  c;\r\n}\r\n', expected: { useTabs: false, size: 2 } },
  { name: 'mostly tabs with a few space lines', text: '\ta\n\tb\n\tc\n  d\n', expected: { useTabs: true, size: 4 } },
  { name: 'blank indented lines do not count', text: 'a\n      \n  b\n  c\n', expected: { useTabs: false, size: 2 } },
];

describe('documentIndentation', () => {
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(documentIndentation(c.text), c.expected));
  }

  it('counts a tab as the tab size it is given', () => {
    assert.deepEqual(documentIndentation('a\n\tb\n', 8), { useTabs: true, size: 8 });
  });

  it('decides from the head of a large document', () => {
    const text = 'function f() {\n  return 1;\n}\n'.repeat(100_000) + '\tlate();\n'.repeat(200_000);
    assert.deepEqual(documentIndentation(text), { useTabs: false, size: 2 });
  });
});
