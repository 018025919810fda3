// Table-driven tests for postprocess: each case is a document with a cursor marker, the raw model
// output, the plan kind, and the ghost text expected (or null for "show nothing").
import * as assert from 'node:assert/strict';
import { fimTemplate } from '../../../src/core/completion/fimTemplates';
import { postprocess } from '../../../src/core/completion/postprocess';
import type { FimFamily, GenerationPlan, IndentStyle } from '../../../src/core/completion/types';
import { requestAt } from '../../support/cursor';

function plan(kind: 'line' | 'block', family: FimFamily = 'qwen'): GenerationPlan {
  const stop = [...fimTemplate(family).stop, kind === 'line' ? '\n' : '\n\n'];
  return { multiline: kind === 'block', maxTokens: 64, stop, timeoutMs: 1000 };
}

interface Case {
  name: string;
  source: string;
  raw: string;
  kind: 'line' | 'block';
  expected: string | null;
  languageId?: string;
  family?: FimFamily;
  indent?: IndentStyle;
}

const spaces4: IndentStyle = { useTabs: false, size: 4 };
const spaces2: IndentStyle = { useTabs: false, size: 2 };
const tabs: IndentStyle = { useTabs: true, size: 4 };

const cases: Case[] = [
  { name: 'cuts at a leaked end token', source: 'const x = █', raw: 'foo();<|endoftext|>junk', kind: 'line', expected: 'foo();' },
  { name: "cuts at another family's leaked marker", source: 'const x = █', raw: 'foo()<file_sep>src/a.ts', kind: 'line', expected: 'foo()' },
  { name: 'cuts at a deepseek marker', source: 'const x = █', raw: 'y<｜fim▁hole｜>z', kind: 'line', expected: 'y', family: 'deepseek' },
  { name: "cuts at the plan's own stop (codellama <EOT>)", source: 'const x = █', raw: 'a + b <EOT> more', kind: 'line', expected: 'a + b', family: 'codellama' },
  { name: 'single-line stops at the first line break', source: 'const x = █', raw: 'foo();\nbar();', kind: 'line', expected: 'foo();' },
  { name: 'trims trailing whitespace', source: 'const x = █', raw: 'foo();   \t', kind: 'line', expected: 'foo();' },
  { name: 'whitespace-only output is nothing', source: 'const x = █', raw: '   \t ', kind: 'line', expected: null },
  { name: 'empty output is nothing', source: 'const x = █', raw: '', kind: 'line', expected: null },
  { name: 'output starting with a line break is nothing on one line', source: 'const x = █', raw: '\nfoo()', kind: 'line', expected: null },
  { name: 'drops a closer the rest of the line supplies', source: 'foo(█)', raw: 'a, b)', kind: 'line', expected: 'a, b' },
  { name: 'cuts at a closer the suffix supplies, dropping what follows', source: 'foo(█);', raw: 'a) + 1);', kind: 'line', expected: 'a' },
  { name: 'keeps brackets the completion opens and closes itself', source: 'foo(█)', raw: 'bar()', kind: 'line', expected: 'bar()' },
  { name: 'closes openers the completion leaves open', source: 'foo(█)', raw: 'bar(1, [2', kind: 'line', expected: 'bar(1, [2])' },
  { name: 'nested: both closers already in the suffix', source: 'if (ok(█)) {', raw: 'x)) {', kind: 'line', expected: 'x' },
  { name: 'a closer for an opener the suffix does not close is kept', source: 'foo(bar(█)', raw: '1)', kind: 'line', expected: '1)' },
  { name: 'a closer matching an opener on an earlier line is dropped when the suffix has it', source: 'foo(\n  a, █)', raw: 'b)', kind: 'line', expected: 'b' },
  { name: 'brackets inside strings do not count', source: 'log(█)', raw: '"(")', kind: 'line', expected: '"("' },
  { name: 'drops a repeated closing quote and semicolon', source: 'const s = "█";', raw: 'hello";', kind: 'line', expected: 'hello' },
  { name: 'drops a repeated semicolon', source: 'const x = █;', raw: 'compute();', kind: 'line', expected: 'compute()' },
  { name: 'output equal to the text after the cursor is nothing', source: 'foo(█)', raw: ')', kind: 'line', expected: null },
  { name: 'output the document already has after the cursor is nothing', source: 'const a = █b + c;', raw: 'b', kind: 'line', expected: null },
  { name: 'a duplicate of the line above is nothing', source: "import a from 'a';\n█", raw: "import a from 'a';", kind: 'line', expected: null },
  { name: 'completing the line into a duplicate of the line above is nothing', source: "import a from 'a';\nimport a from█", raw: " 'a';", kind: 'line', expected: null },
  { name: 'repeating the next line of the document is nothing', source: 'function f() {\n  █\n  return x;\n}', raw: 'return x;', kind: 'line', expected: null },
  { name: 'a different line above is fine', source: "import a from 'a';\n█", raw: "import b from 'b';", kind: 'line', expected: "import b from 'b';" },
  {
    name: 'block body stops where it dedents below the cursor',
    source: 'function f() {\n  █\n}',
    raw: 'const a = 1;\n  return a;\n}\n',
    kind: 'block',
    expected: 'const a = 1;\n  return a;',
    indent: spaces2,
  },
  {
    name: 'block after an opener keeps its closer when the document has none',
    source: 'function f() {█',
    raw: '\n  return 1;\n}\nfunction g() {}',
    kind: 'block',
    expected: '\n  return 1;\n}',
    indent: spaces2,
  },
  {
    name: 'block after an opener drops the closer the document already has',
    source: 'function f() {█\n}',
    raw: '\n  return 1;\n}',
    kind: 'block',
    expected: '\n  return 1;',
    indent: spaces2,
  },
  { name: 'block stops at a blank line', source: 'function f() {\n  █\n}', raw: 'a();\n\n  b();', kind: 'block', expected: 'a();', indent: spaces2 },
  { name: 'block stops at a whitespace-only line', source: 'function f() {\n  █\n}', raw: 'a();\n   \n  b();', kind: 'block', expected: 'a();', indent: spaces2 },
  {
    name: 'block stops before a line repeating the next document line',
    source: 'function f() {\n  const a = 1;\n  █\n  return a;\n}',
    raw: 'const b = 2;\n  return a;\n}',
    kind: 'block',
    expected: 'const b = 2;',
    indent: spaces2,
  },
  {
    name: 'spaces become tabs in a tab-indented document',
    source: 'function f() {\n\t█\n}',
    raw: 'a();\n    if (x) {\n        b();\n    }',
    kind: 'block',
    expected: 'a();\n\tif (x) {\n\t\tb();\n\t}',
    indent: tabs,
  },
  {
    name: 'tabs become spaces in a space-indented document',
    source: 'def f():\n    █',
    raw: 'x = 1\n\treturn x',
    kind: 'block',
    expected: 'x = 1\n    return x',
    languageId: 'python',
    indent: spaces4,
  },
  {
    name: 'a 4-space block is rescaled to a 2-space document',
    source: 'if (x) {█',
    raw: '\n    a();\n    if (y) {\n        b();\n    }\n}',
    kind: 'block',
    expected: '\n  a();\n  if (y) {\n    b();\n  }\n}',
    indent: spaces2,
  },
  {
    name: 'a 2-space block becomes tabs in a tab-indented document',
    source: 'if (x) {█',
    raw: '\n  a();\n  if (y) {\n    b();\n  }\n}',
    kind: 'block',
    expected: '\n\ta();\n\tif (y) {\n\t\tb();\n\t}\n}',
    indent: tabs,
  },
  {
    name: 'aligned continuation lines are not rescaled',
    source: 'function f() {\n  █\n}',
    raw: 'call(alpha,\n       beta);',
    kind: 'block',
    expected: 'call(alpha,\n       beta);',
    indent: spaces2,
  },
  {
    name: 'python block ends at the first line back at the def level',
    source: 'def f(x):█',
    raw: '\n    return x\nprint(f(1))',
    kind: 'block',
    expected: '\n    return x',
    languageId: 'python',
    indent: spaces4,
  },
  {
    name: 'CRLF documents get CRLF line breaks',
    source: 'function f() {█\r\n}',
    raw: '\n  x();\n  y();\n}',
    kind: 'block',
    expected: '\r\n  x();\r\n  y();',
    indent: spaces2,
  },
  {
    name: 'model CRLF output is normalised before shaping',
    source: 'function f() {\n  █\n}',
    raw: 'x();\r\n  y();\r\n}',
    kind: 'block',
    expected: 'x();\n  y();',
    indent: spaces2,
  },
];

describe('postprocess', () => {
  for (const c of cases) {
    it(c.name, () => {
      const request = requestAt(c.source, { languageId: c.languageId ?? 'typescript' });
      const actual = postprocess(c.raw, request, plan(c.kind, c.family), c.indent ?? spaces4);
      assert.equal(actual, c.expected);
    });
  }
});
