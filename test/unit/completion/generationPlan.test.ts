// Table-driven tests for single-line vs multi-line planning and the plan's caps and stops.
import * as assert from 'node:assert/strict';
import { planGeneration, type GenerationPlanConfig } from '../../../src/core/completion/generationPlan';
import { fimTemplate } from '../../../src/core/models/fimFamilies';
import type { CompletionRequest, GenerationPlan } from '../../../src/core/kernel/completionTypes';
import { requestAt } from '../../support/cursor';

const config: GenerationPlanConfig = { multiline: 'auto', maxTokens: 96, maxLineTokens: 32, timeoutMs: 3000 };

interface Case {
  name: string;
  source: string;
  languageId?: string;
  request?: Partial<CompletionRequest>;
  shape: GenerationPlan['shape'];
}

const cases: Case[] = [
  { name: 'after an opening brace', source: 'function f() {█', shape: 'block' },
  { name: 'after an opening brace with trailing spaces', source: 'if (x) {█   ', shape: 'block' },
  { name: 'after an unclosed parenthesis', source: 'call(█', shape: 'block' },
  { name: 'after an unclosed bracket', source: 'const xs = [█', shape: 'block' },
  { name: 'after an arrow', source: 'const f = () =>█', shape: 'block' },
  { name: 'after a Python colon', source: 'def f(x):█', languageId: 'python', shape: 'block' },
  { name: 'after a C-like case label', source: 'switch (x) {\n  case 1:█', shape: 'block' },
  { name: 'after Ruby do |x|', source: 'items.each do |x|█', languageId: 'ruby', shape: 'block' },
  { name: 'after a Lua then', source: 'if x then█', languageId: 'lua', shape: 'block' },
  { name: 'after a Ruby def line', source: 'def greet(name)█', languageId: 'ruby', shape: 'block' },
  { name: 'after an open tag in HTML', source: '<ul class="menu">█', languageId: 'html', shape: 'block' },
  { name: 'after a void element, markup decides by what follows', source: '<br>█', languageId: 'html', shape: 'line-or-block' },
  { name: 'after an opening triple quote', source: 'doc = """█', languageId: 'python', shape: 'block' },
  { name: 'after an opening template literal', source: 'const html = `█', shape: 'block' },
  { name: 'a closed one-line string is not a block', source: 'const s = "a";█', shape: 'line-or-block' },
  { name: 'a brace pair on one line: the body goes between', source: 'if (x) {█}', shape: 'block' },
  { name: 'a callback with auto-closed brackets', source: "on('data', (d) => {█})", shape: 'block' },
  { name: 'empty line right after an opener', source: 'function f() {\n  █', shape: 'block' },
  { name: 'empty line just inside a closing brace', source: 'function f() {\n  const a = 1;\n  █\n}', shape: 'block' },
  { name: 'empty line before a Python dedent', source: 'def f():\n    a = 1\n    █\nprint(1)', languageId: 'python', shape: 'block' },
  { name: 'empty line after a blank line', source: 'a();\n\n█\nb();', shape: 'block' },
  { name: 'empty line at the top of a file', source: '█\nconst x = 1;', shape: 'block' },
  { name: 'empty line in a block the document never closes', source: 'function f() {\n  a();\n  █', shape: 'block' },
  { name: 'empty line inside an open docstring', source: 'def f():\n    """Sums.\n\n    █', languageId: 'python', shape: 'block' },
  { name: 'empty line between statements of a closed block', source: 'function f() {\n  a();\n  █\n  b();\n}', shape: 'line-or-block' },
  { name: 'a colon outside colon languages', source: 'const a = b ?█', shape: 'line-or-block' },
  { name: 'a one-line Ruby def ... end', source: 'def x; 1; end█', languageId: 'ruby', shape: 'line-or-block' },
  { name: 'mid-expression at the end of a line', source: 'const total = price *█', shape: 'line-or-block' },
  { name: 'after a complete statement', source: 'const x = 1;█', shape: 'line-or-block' },
  { name: 'only closers after the cursor', source: 'foo(█)', shape: 'line-or-block' },
  { name: 'a self-closing tag end after the cursor', source: '<App █/>', languageId: 'typescriptreact', shape: 'line-or-block' },
  { name: 'code after the cursor on the line', source: 'foo(█) + 1;', shape: 'line' },
  { name: 'a hole before `) {`', source: 'while (a && █) {', shape: 'line' },
  { name: 'a hole before a closing tag', source: '<b>█</b>', languageId: 'html', shape: 'line' },
  { name: 'explicit with a blank rest of line', source: 'const x = 1;█', request: { explicit: true }, shape: 'block' },
  { name: 'explicit with code after the cursor stays one line', source: 'foo(█) + 1;', request: { explicit: true }, shape: 'line' },
];

describe('planGeneration', () => {
  for (const c of cases) {
    it(`${c.name} -> ${c.shape}`, () => {
      const request = requestAt(c.source, { languageId: c.languageId ?? 'typescript', ...c.request });
      const plan = planGeneration(request, 'qwen', config);
      assert.equal(plan.shape, c.shape);
      assert.equal(plan.multiline, c.shape !== 'line');
    });
  }

  it('a line: line cap, newline stop, family stops, no extent rule', () => {
    const plan = planGeneration(requestAt('foo(█) + 1;'), 'qwen', { ...config, lineTimeoutMs: 800 });
    assert.equal(plan.extent, undefined);
    assert.equal(plan.maxTokens, 32);
    assert.equal(plan.timeoutMs, 800);
    assert.ok(plan.stop.includes('\n'));
    for (const s of fimTemplate('qwen').stop) assert.ok(plan.stop.includes(s));
  });

  it('a line or a block: block cap and blank-line stop, with the extent rule for the first line', () => {
    const plan = planGeneration(requestAt('  total = █'), 'qwen', config);
    assert.equal(plan.maxTokens, 96);
    assert.ok(plan.stop.includes('\n\n'));
    assert.ok(!plan.stop.includes('\n'));
    assert.deepEqual(plan.extent, { shape: 'line-or-block', linePrefix: '  total = ', languageId: 'typescript', tabSize: 4, maxFirstLineChars: 128 });
  });

  it('multi-line: block cap, blank-line stop, no newline stop', () => {
    const plan = planGeneration(requestAt('function f() {█'), 'starcoder2', config);
    assert.equal(plan.maxTokens, 96);
    assert.equal(plan.timeoutMs, 3000);
    assert.ok(plan.stop.includes('\n\n'));
    assert.ok(!plan.stop.includes('\n'));
    assert.ok(plan.stop.includes('<file_sep>'));
  });

  it('multi-line in a CRLF document also stops at a CRLF blank line', () => {
    const plan = planGeneration(requestAt('a();\r\nfunction f() {█\r\n}'), 'qwen', config);
    assert.ok(plan.stop.includes('\n\r\n'));
  });

  it('"never" forces single-line, "always" forces multi-line', () => {
    assert.equal(planGeneration(requestAt('function f() {█'), 'qwen', { ...config, multiline: 'never' }).shape, 'line');
    assert.equal(planGeneration(requestAt('foo(█) + 1;'), 'qwen', { ...config, multiline: 'always' }).shape, 'block');
  });
});
