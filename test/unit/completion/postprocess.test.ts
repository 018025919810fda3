// Table-driven tests for postprocess. Each case is a document with a cursor marker, what the model
// wrote there, and what Bantam shows: the text inserted at the cursor and how many characters of the
// rest of the line it replaces (or null: nothing is shown). The plan is the one the engine would
// make for that position (planGeneration), unless a case names one, and the backend is assumed to
// have stopped where a real one stops (stop strings and the extent rule), as the engine's are.
import * as assert from 'node:assert/strict';
import { generationCut } from '../../../src/core/syntax/completionExtent';
import { fimTemplate } from '../../../src/core/models/fimFamilies';
import { planGeneration } from '../../../src/core/completion/generationPlan';
import { postprocess } from '../../../src/core/completion/postprocess';
import type { CompletionRequest, FimFamily, GenerationPlan, IndentStyle } from '../../../src/core/kernel/completionTypes';
import { requestAt } from '../../support/cursor';

const planConfig = { multiline: 'auto' as const, maxTokens: 96, maxLineTokens: 32, timeoutMs: 1000 };

interface Case {
  name: string;
  source: string;
  raw: string;
  /** What is inserted at the cursor, or null for nothing. */
  expected: string | null;
  /** Characters after the cursor that the insertion replaces (default 0). */
  replace?: number;
  languageId?: string;
  family?: FimFamily;
  /** Force a plan shape instead of the engine's. */
  shape?: GenerationPlan['shape'];
  explicit?: boolean;
  /** The editor's indentation setting. */
  indentation?: IndentStyle;
  /** Judge the raw text as the model wrote it, without the backend's stop (a backend that overshot). */
  unstopped?: boolean;
}

function planFor(request: CompletionRequest, c: Case): GenerationPlan {
  const plan = planGeneration(request, c.family ?? 'qwen', planConfig);
  if (!c.shape || c.shape === plan.shape) return plan;
  const { extent: _extent, ...rest } = plan;
  if (c.shape === 'line') return { ...rest, shape: 'line', multiline: false, stop: [...fimTemplate(c.family ?? 'qwen').stop, '\n'] };
  const linePrefix = request.text.slice(request.text.lastIndexOf('\n', request.offset - 1) + 1, request.offset);
  const extent = { linePrefix, languageId: request.languageId, tabSize: 4, maxFirstLineChars: 128, shape: c.shape };
  return { ...rest, shape: c.shape, multiline: true, stop: [...fimTemplate(c.family ?? 'qwen').stop, '\n\n'], extent };
}

function run(c: Case): { text: string; replaceLength: number } | null {
  const request = requestAt(c.source, {
    languageId: c.languageId ?? 'typescript',
    explicit: c.explicit ?? false,
    ...(c.indentation ? { indentation: c.indentation } : {}),
  });
  const plan = planFor(request, c);
  const cut = c.unstopped ? undefined : generationCut(c.raw, plan.stop, plan.extent);
  return postprocess(cut === undefined ? c.raw : c.raw.slice(0, cut), request, plan);
}

function table(title: string, cases: Case[]): void {
  describe(title, () => {
    for (const c of cases) {
      it(c.name, () => {
        const actual = run(c);
        assert.deepEqual(actual, c.expected === null ? null : { text: c.expected, replaceLength: c.replace ?? 0 });
      });
    }
  });
}

const twoSpaces: IndentStyle = { useTabs: false, size: 2 };
const fourSpaces: IndentStyle = { useTabs: false, size: 4 };

describe('postprocess', () => {
  table("the model's own end", [
    { name: 'cuts at a leaked end-of-text token', source: 'const label = █', raw: 'title();<|endoftext|>junk', expected: 'title();', unstopped: true },
    { name: "cuts at another family's leaked file marker", source: 'const label = █', raw: 'title()<file_sep>src/a.ts', expected: 'title()', unstopped: true },
    { name: 'cuts at a deepseek hole marker', source: 'const label = █', raw: 'y<｜fim▁hole｜>z', expected: 'y', family: 'deepseek', unstopped: true },
    { name: "cuts at the plan's own stop (codellama <EOT>)", source: 'const label = █', raw: 'a + b <EOT> more', expected: 'a + b', family: 'codellama', unstopped: true },
    { name: 'a line plan keeps one line even when the backend overshot', source: 'paint(█, 3);', raw: 'red\nblue', expected: 'red', unstopped: true },
    { name: 'blank output is nothing', source: 'const label = █', raw: '   \t ', expected: null },
    { name: 'empty output is nothing', source: 'const label = █', raw: '', expected: null },
    { name: 'model CRLF is read as LF before shaping', source: 'function f() {\n  █\n}', raw: 'x();\r\n  y();\r\n}', expected: 'x();\n  y();' },
    { name: 'a CRLF document gets CRLF breaks', source: 'function f() {█\r\n}', raw: '\n  x();\n  y();\n}', expected: '\r\n  x();\r\n  y();' },
  ]);

  table('one line, or a block: the first line decides at the end of a line', [
    { name: 'a finished statement followed by a new line of the same block', source: 'function f() {\n  load();█\n}', raw: '\n  render();\n  return;\n}', expected: '\n  render();\n  return;' },
    { name: 'a new line that leaves the block ends there', source: 'function f() {\n  load();█\n}\n', raw: '\n  render();\n}\nf();', expected: '\n  render();' },
    { name: 'a line that only finishes the statement is the whole suggestion', source: 'function f() {\n  this.size =█\n}', raw: ' size;\n  return this;', expected: ' size;' },
    { name: 'a Go signature goes on into its body', source: 'func Area(w, h float64) float64█', raw: ' {\n\treturn w * h\n}\n\nfunc Other() {}', languageId: 'go', expected: ' {\n\treturn w * h\n}' },
    { name: 'a CSS selector goes on into its rule', source: 'nav a:hover█', raw: ' {\n  color: teal;\n}\n\np {}', languageId: 'css', expected: ' {\n  color: teal;\n}' },
    { name: 'a header ending in a colon with a deeper next line is a body', source: 'def area(w, h█)\n', raw: '):\n  return w * h\nprint(1)', languageId: 'typescript', expected: '):\n  return w * h', replace: 1 },
    { name: 'a list item ending in a comma goes on with the next items, not past the list', source: 'const point = {\n  x: █\n};', raw: '1,\n  y: 2,\n};\nexport {};', expected: '1,\n  y: 2,' },
    { name: 'a comment line stays one line', source: '// returns the sum of t█\nfunction sum() {}', raw: 'wo numbers\nfunction add() {}', expected: 'wo numbers' },
    { name: 'a header with a parenthesis left open gets no body', source: 'class Reader(█', raw: 'Base:\n    pass', languageId: 'python', expected: 'Base:' },
    { name: 'from column 0 of an empty line in a class, the block is the method the model starts', source: 'class A:\n    def one(self):\n        return 1\n█', raw: '\n    def two(self):\n        return 2\n    def three(self):', languageId: 'python', shape: 'block', expected: '\n    def two(self):\n        return 2' },
    { name: 'an identifier still being typed gets its line, not a body', source: 'def parse_hea█', raw: 'der(line):\n    return line.split(":")', languageId: 'python', expected: 'der(line):' },
    { name: 'a keyword finished, then a header that opens a block, gets the body', source: 'class Shape {\n  get█\n}', raw: ' area(): number {\n    return 0;\n  }\n\n  get name() {}', expected: ' area(): number {\n    return 0;\n  }' },
    { name: 'an open docstring is a block', source: 'def area(w, h):\n    doc = """█', raw: 'Area of a rectangle.\n    Width times height.\n    """', languageId: 'python', expected: 'Area of a rectangle.\n    Width times height.\n    """' },
    { name: 'an open tag in markup is a block', source: '<ul>█', raw: '\n  <li>One</li>\n  <li>Two</li>\n</ul>\n<p>after</p>', languageId: 'html', expected: '\n  <li>One</li>\n  <li>Two</li>\n</ul>' },
  ]);

  table('whitespace at the cursor', [
    { name: 'no doubled space after a keyword and a space', source: 'function* g() {\n  yield █\n}', raw: ' value;', expected: 'value;' },
    { name: 'no doubled space after an assignment', source: 'const total = █', raw: ' price * qty;', expected: 'price * qty;' },
    { name: 'the cursor already at the indentation: the model’s extra indent goes', source: 'function f() {\n  █\n}', raw: '  return 1;', expected: 'return 1;' },
    { name: 'an off-grid first line is brought back to the cursor column', source: 'function f() {\n  █\n}', raw: ' const a = 1;\n  const b = 2;', expected: 'const a = 1;\n  const b = 2;' },
    { name: 'lines written relative to an over-indented first line move with it', source: 'def f(x):\n    █', raw: '    if x:\n            return x', languageId: 'python', expected: 'if x:\n        return x' },
    { name: 'at column 0 with no indentation known, the model indents', source: 'function f() {\n█\n}', raw: '    go();', expected: '    go();' },
    { name: 'at column 0 below an opener, the editor’s indentation wins', source: 'function f() {\n█\n}', raw: '  go();', indentation: fourSpaces, expected: '    go();' },
    { name: 'alignment spaces before the cursor: the model’s spaces are part of it', source: "KINDS = {\n    '.css'   █\n}", raw: " : 'text/css',", languageId: 'python', expected: " : 'text/css'," },
    { name: 'alignment spaces from the model after a single space stay', source: 'x = 1, █', raw: '    # one', languageId: 'python', expected: '    # one' },
    { name: 'trailing spaces go when the rest of the line starts with a space or is empty', source: 'let a = make(█ b)', raw: 'x, ', expected: 'x,' },
    { name: 'trailing spaces stay before an argument that follows at once', source: 'let a = make(█b)', raw: 'x, ', expected: 'x, ' },
  ]);

  table('the rest of the line', [
    { name: 'a closer written again replaces the one after the cursor', source: 'const m = Math.max(█);', raw: 'a, b);', expected: 'a, b);', replace: 2 },
    { name: 'nested closers written again replace the rest', source: 'const v = clamp(lo, min(█));', raw: 'x, hi));', expected: 'x, hi));', replace: 3 },
    { name: 'a quote and a closer written again', source: 'log("total: █")', raw: '", sum)', expected: '", sum)', replace: 2 },
    { name: 'a self-closing tag written again', source: '<Card █/>', raw: 'title="x" />', languageId: 'typescriptreact', expected: 'title="x" />', replace: 2 },
    { name: 'a closing tag end written again', source: '<div>\n</█>', raw: 'div>', languageId: 'html', expected: 'div>', replace: 1 },
    { name: 'a condition before `) {` written again with it', source: 'while (queue.length > 0 && █) {', raw: '!stopped) {', expected: '!stopped) {', replace: 3 },
    { name: 'without the closers, the suggestion goes before them', source: 'const m = Math.max(█);', raw: 'a, b', expected: 'a, b' },
    { name: 'a closer the rest supplies cuts the suggestion there', source: 'const m = Math.max(█);', raw: 'a) + 1', expected: 'a' },
    { name: 'a block body between braces keeps the closer, on its own line', source: 'function f() {█}', raw: '\n  return 1;\n}\nf();', expected: '\n  return 1;\n}', replace: 1 },
    { name: 'a body that leaves the closer to the document puts it on its own line', source: 'function f() {█}', raw: '\n  return 1;', expected: '\n  return 1;\n}', replace: 1 },
    { name: 'a callback body written with its closers replaces the auto-closed ones', source: "on('data', (d) => {█})", raw: '\n  use(d);\n});', expected: '\n  use(d);\n});', replace: 2 },
    { name: 'a closer of the wrong kind where the rest closes is cut too', source: 'const m = Math.max(█);', raw: 'a]', expected: 'a' },
    { name: 'a string finished with its quote and semicolon replaces them', source: 'const s = "█";', raw: 'hello";', expected: 'hello";', replace: 2 },
    { name: 'a tail repeating a rest of the line that has words in it is dropped', source: 'const s = "█" + name;', raw: 'hello" + name;', expected: 'hello' },
    { name: 'a tail repeating the text of a closing tag is dropped', source: '<button>█</button>', raw: 'Save</button>', languageId: 'html', expected: 'Save' },
    { name: 'an argument before an existing one, its tail repeated', source: 'log(█detail);', raw: 'level, detail);', expected: 'level, ' },
    { name: 'openers the suggestion leaves open are closed before the rest’s closers', source: 'emit(█)', raw: 'make(1, [2', expected: 'make(1, [2])' },
    { name: 'brackets inside strings are not closers', source: 'print(█)', raw: '"(")', expected: '"(")', replace: 1 },
    { name: 'output that is only the rest of the line is nothing', source: 'emit(█)', raw: ')', expected: null },
    { name: 'a suggestion may close what its line left open, when the document lacks it', source: 'type T = {\n  retry?: ((ms:█)\n};', raw: ' number) => void) | null;', expected: ' number) => void) | null;', replace: 1 },
    { name: 'a block opened on the cursor line replaces the auto-closed closer before it', source: 'function f(t) {\n  if (t ==█)\n}', raw: '= 1) {\n    go();\n  }', expected: '= 1) {\n    go();\n  }', replace: 1 },
  ]);

  table('closers the document has or lacks', [
    { name: 'a closing brace the document already has is dropped', source: 'function f() {█\n}', raw: '\n  return 1;\n}', expected: '\n  return 1;' },
    { name: 'a closing brace the document lacks is kept', source: 'function f() {█', raw: '\n  return 1;\n}\nfunction g() {}', expected: '\n  return 1;\n}' },
    { name: 'only as many closers as the document lacks', source: 'function outer() {\n  if (ready) {\n    go();\n    █\n}', raw: '\n  }\n}', expected: '\n  }', shape: 'block' },
    { name: "a block ends with the closer of the cursor's block, not the outer ones", source: 'function f() {\n  if (ok) {\n    run();\n    █', raw: 'stop();\n  }\n}', expected: 'stop();\n  }' },
    { name: 'a block ends before a line that closes and reopens', source: 'try {\n  █\n}', raw: 'read();\n} catch (e) {\n  report(e);\n}', expected: 'read();' },
    { name: 'a closing line the document lacks, told by its indentation', source: 'function f() {\n  if (a) {\n    b();█\n}', raw: '\n  }', expected: '\n  }' },
    { name: 'a closer of another kind after the cursor closes nothing of ours', source: 'function g(█\n  return 1;\n}', raw: 'x) {', expected: 'x) {' },
    { name: 'a closer-only line is not a duplicate of the line above', source: 'class A {\n  def x\n  end\n█', raw: 'end', languageId: 'ruby', expected: 'end' },
    { name: 'a closing brace on the line above is no reason to drop the one the file needs', source: 'function f() {\n  if (a) {\n    b();\n  }\n█', raw: '}', expected: '}' },
    { name: 'closers a Python block never needed are the model’s own', source: 'def f():█', raw: '\n    return 1\n}', languageId: 'python', expected: '\n    return 1\n}' },
  ]);

  table('repeated and copied lines', [
    { name: 'a line repeating the line above is nothing', source: "import a from 'a';\n█", raw: "import a from 'a';", expected: null },
    { name: 'completing the line into the line above is nothing', source: "import a from 'a';\nimport a from█", raw: " 'a';", expected: null },
    { name: 'a line the document already repeats above may come again', source: 'tick();\ntick();\n█', raw: 'tick();\ntick();\ntick();', expected: 'tick();' },
    { name: 'a different line above is fine', source: "import a from 'a';\n█", raw: "import b from 'b';", expected: "import b from 'b';" },
    { name: 'the next line of the document is not written again', source: 'function f() {\n  █\n  return x;\n}', raw: 'return x;', expected: null },
    { name: 'the next line is not written again when the rest of the line is a semicolon', source: 'function f() {\n  const a = █;\n  const a = 1;\n}', raw: '1', expected: null },
    { name: 'a block stops before a line the document has further down', source: 'const steps = [\n  █\n  "third",\n];', raw: '"first",\n  "second",\n  "third",', expected: '"first",\n  "second",' },
    { name: 'a block stops before a line repeating its previous line', source: 'function f() {\n  █\n}', raw: 'step();\n  step();\n  step();', expected: 'step();' },
    { name: 'a block never repeats the cursor line', source: 'function f() {\n  setup();█\n}', raw: '\n  setup();', expected: null },
    { name: 'a line looping on itself is nothing', source: 'let name = █', raw: 'name = name = name = name = name =', expected: null },
    { name: 'a long number is not a loop', source: 'const big = █', raw: '100000000000;', expected: '100000000000;' },
    { name: 'a later line looping on itself ends the block', source: 'function f() {\n  █\n}', raw: 'start();\n  a.b.a.b.a.b.a.b.a.b', expected: 'start();' },
    { name: 'a block stops at a blank line', source: 'function f() {\n  █\n}', raw: 'a();\n\n  b();', expected: 'a();' },
  ]);

  table('indentation of lines 2..', [
    { name: 'spaces become tabs in a tab-indented document', source: 'function f() {\n\t█\n}', raw: 'a();\n    if (x) {\n        b();\n    }', expected: 'a();\n\tif (x) {\n\t\tb();\n\t}' },
    { name: 'tabs become spaces in a space-indented document', source: 'def g():\n    pass\n\ndef f():\n    █', raw: 'x = 1\n\treturn x', languageId: 'python', expected: 'x = 1\n    return x' },
    { name: "a 4-space body is rescaled to the document's 2", source: 'if (y) {\n  z();\n}\nif (x) {█', raw: '\n    a();\n    if (y) {\n        b();\n    }\n}', expected: '\n  a();\n  if (y) {\n    b();\n  }\n}' },
    { name: 'with no indented line in the document, a consistent model keeps its unit', source: 'if (x) {█', raw: '\n  a();\n  if (y) {\n    b();\n  }\n}', expected: '\n  a();\n  if (y) {\n    b();\n  }\n}' },
    { name: "with no indented line, the editor's unit is used", source: 'if (x) {█', raw: '\n  a();\n  if (y) {\n    b();\n  }\n}', indentation: fourSpaces, expected: '\n    a();\n    if (y) {\n        b();\n    }\n}' },
    { name: "the document's own indentation beats the editor's", source: 'if (w) {\n  v();\n}\nif (x) {█', raw: '\n    a();\n}', indentation: fourSpaces, expected: '\n  a();\n}' },
    { name: 'a line one column off the grid snaps back', source: 'if (a) {\n  if (b) {\n    █\n  }\n}', raw: 'one();\n     two();', expected: 'one();\n    two();' },
    { name: 'aligned continuation lines stay aligned', source: 'function f() {\n  █\n}', raw: 'call(alpha,\n       beta);', indentation: twoSpaces, expected: 'call(alpha,\n       beta);' },
    { name: 'indented continuation lines count with the rest', source: 'if (a) {\n  b();\n}\nfunction f() {█', raw: '\n    call(\n        alpha,\n    );\n}', expected: '\n  call(\n    alpha,\n  );\n}' },
    { name: 'steps of two sizes are not a foreign unit: nothing is rescaled', source: 'if (a) {\n    b();\n}\nconst cols = {█', raw: '\n    0: {\n      width: 8,', expected: '\n    0: {\n      width: 8,' },
    { name: 'a closer line is not rescaled by a step down', source: 'if (a) {\n  b();\n}\nfunction f() {\n  items.map((x) =>█', raw: '\n    x + 1', expected: '\n    x + 1' },
    { name: 'block-comment lines keep their one-column offset', source: 'if (a) {\n  b();\n}\n█', raw: '/**\n * Sums.\n */', expected: '/**\n * Sums.\n */' },
    { name: 'a Python body ends at the first line back at the def level', source: 'def f(x):█', raw: '\n    return x\nprint(f(1))', languageId: 'python', expected: '\n    return x' },
  ]);
});
