// Table-driven tests for single-line vs multi-line planning and the plan's caps and stops.
import * as assert from 'node:assert/strict';
import { planGeneration, type GenerationPlanConfig } from '../../../src/core/completion/generationPlan';
import { fimTemplate } from '../../../src/core/completion/fimTemplates';
import type { CompletionRequest } from '../../../src/core/completion/types';
import { requestAt } from '../../support/cursor';

const config: GenerationPlanConfig = { multiline: 'auto', maxTokens: 96, maxLineTokens: 32, timeoutMs: 3000 };

interface Case {
  name: string;
  source: string;
  languageId?: string;
  request?: Partial<CompletionRequest>;
  multiline: boolean;
}

const cases: Case[] = [
  { name: 'after an opening brace', source: 'function f() {█', multiline: true },
  { name: 'after an opening brace with trailing spaces', source: 'if (x) {█   ', multiline: true },
  { name: 'after an unclosed parenthesis', source: 'call(█', multiline: true },
  { name: 'after an unclosed bracket', source: 'const xs = [█', multiline: true },
  { name: 'after an arrow', source: 'const f = () =>█', multiline: true },
  { name: 'after a Python colon', source: 'def f(x):█', languageId: 'python', multiline: true },
  { name: 'a colon outside colon languages is not a block', source: 'const a = b ?█', multiline: false },
  { name: 'after a C-like case label', source: 'switch (x) {\n  case 1:█', multiline: true },
  { name: 'after Ruby do |x|', source: 'items.each do |x|█', languageId: 'ruby', multiline: true },
  { name: 'after a Lua then', source: 'if x then█', languageId: 'lua', multiline: true },
  { name: 'after a Ruby def line', source: 'def greet(name)█', languageId: 'ruby', multiline: true },
  { name: 'a one-line Ruby def ... end is not a block', source: 'def x; 1; end█', languageId: 'ruby', multiline: false },
  { name: 'empty line right after an opener', source: 'function f() {\n  █', multiline: true },
  { name: 'empty line just inside a closing brace', source: 'function f() {\n  const a = 1;\n  █\n}', multiline: true },
  { name: 'empty line before a Python dedent', source: 'def f():\n    a = 1\n    █\nprint(1)', languageId: 'python', multiline: true },
  { name: 'empty line after a blank line', source: 'a();\n\n█\nb();', multiline: true },
  { name: 'empty line at the top of a file', source: '█\nconst x = 1;', multiline: true },
  { name: 'empty line between statements', source: 'function f() {\n  a();\n  █\n  b();\n}', multiline: false },
  { name: 'mid-expression at the end of a line', source: 'const total = price *█', multiline: false },
  { name: 'after a complete statement', source: 'const x = 1;█', multiline: false },
  { name: 'text after the cursor on the line', source: 'foo(█)', multiline: false },
  { name: 'a brace pair on one line stays single', source: 'if (x) {█}', multiline: false },
  { name: 'explicit with a blank rest of line', source: 'const x = 1;█', request: { explicit: true }, multiline: true },
  { name: 'explicit with text after the cursor stays single', source: 'foo(█)', request: { explicit: true }, multiline: false },
];

describe('planGeneration', () => {
  for (const c of cases) {
    it(`${c.name} -> ${c.multiline ? 'multi-line' : 'single-line'}`, () => {
      const request = requestAt(c.source, { languageId: c.languageId ?? 'typescript', ...c.request });
      assert.equal(planGeneration(request, 'qwen', config).multiline, c.multiline);
    });
  }

  it('single-line: line cap, newline stop, family stops', () => {
    const plan = planGeneration(requestAt('const x = █'), 'qwen', { ...config, lineTimeoutMs: 800 });
    assert.equal(plan.maxTokens, 32);
    assert.equal(plan.timeoutMs, 800);
    assert.ok(plan.stop.includes('\n'));
    for (const s of fimTemplate('qwen').stop) assert.ok(plan.stop.includes(s));
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
    assert.equal(planGeneration(requestAt('function f() {█'), 'qwen', { ...config, multiline: 'never' }).multiline, false);
    assert.equal(planGeneration(requestAt('const x = █'), 'qwen', { ...config, multiline: 'always' }).multiline, true);
  });
});
