// Table-driven tests for the prefilter: which requests are turned away, and why.
import * as assert from 'node:assert/strict';
import { prefilter, type PrefilterConfig, type PrefilterReason } from '../../../src/core/completion/prefilter';
import type { CompletionRequest } from '../../../src/core/kernel/completionTypes';
import { requestAt } from '../../support/cursor';

const config: PrefilterConfig = { enabled: true, disabledLanguages: ['plaintext', 'scminput'] };

interface Case {
  name: string;
  source: string;
  request?: Partial<CompletionRequest>;
  config?: Partial<PrefilterConfig>;
  expected: 'ok' | PrefilterReason;
}

const cases: Case[] = [
  { name: 'end of a statement line', source: 'const x = █', expected: 'ok' },
  { name: 'empty line inside a block', source: 'function f() {\n  █\n}', expected: 'ok' },
  { name: 'inside auto-closed parentheses', source: 'foo(█)', expected: 'ok' },
  { name: 'before closers, quote and semicolon', source: 'x = f("a", g(█"));', expected: 'ok' },
  { name: 'a hole before a closer with more code after it', source: '{ a: b(█), c }', expected: 'ok' },
  { name: 'a hole in a condition, before `) {`', source: 'while (queue.length > 0 && █) {', expected: 'ok' },
  { name: 'a hole inside an f-string placeholder', source: 'print(f"Total: {█}")', request: { languageId: 'python' }, expected: 'ok' },
  { name: 'a hole before a closing tag', source: '<button type="submit">█</button>', request: { languageId: 'html' }, expected: 'ok' },
  { name: 'a hole before a self-closing tag end', source: '<App █/>', request: { languageId: 'typescriptreact' }, expected: 'ok' },
  { name: 'a hole before spaces and a closer', source: 'call(a, █ )', expected: 'ok' },
  { name: 'an argument slot before an existing argument', source: 'sum(█baz)', expected: 'ok' },
  { name: 'an argument slot after a comma', source: 'log(a, █b)', expected: 'ok' },
  { name: 'an element slot after an opening bracket and spaces', source: 'const xs = [ █first ];', expected: 'ok' },
  { name: 'trailing whitespace after the cursor', source: 'const x = █   \nnext', expected: 'ok' },
  { name: 'leading whitespace of a line after a blank line', source: 'a();\n\n  █', expected: 'ok' },
  { name: 'markdown is allowed by default', source: '# Title\n█', request: { languageId: 'markdown' }, expected: 'ok' },
  { name: 'completions switched off', source: 'x█', config: { enabled: false }, expected: 'disabled' },
  { name: 'switched off even when explicit', source: 'x█', config: { enabled: false }, request: { explicit: true }, expected: 'disabled' },
  { name: 'a language in disabledLanguages', source: 'x█', request: { languageId: 'plaintext' }, expected: 'language' },
  { name: 'a user-disabled language', source: 'x█', config: { disabledLanguages: ['python'] }, request: { languageId: 'python' }, expected: 'language' },
  { name: 'the SCM input box is always off', source: 'fix: █', config: { disabledLanguages: [] }, request: { languageId: 'scminput' }, expected: 'language' },
  { name: 'output views are always off', source: 'log█', config: { disabledLanguages: [] }, request: { languageId: 'log' }, expected: 'language' },
  { name: 'a document over the size cap', source: 'abc█', config: { maxDocumentChars: 2 }, expected: 'too-large' },
  { name: 'a selection is active', source: 'x█', request: { selectionEmpty: false }, expected: 'selection' },
  { name: 'a selection is active, explicit too', source: 'x█', request: { selectionEmpty: false, explicit: true }, expected: 'selection' },
  { name: 'cursor in the middle of a word', source: 'cons█t x = 1;', expected: 'mid-word' },
  { name: 'cursor before an identifier that is not an argument', source: 'x = █value;', expected: 'text-after-cursor' },
  { name: 'cursor inside a non-ASCII word', source: 'x = é█té;', expected: 'mid-word' },
  { name: 'cursor inside a word after an astral letter', source: 'x = 𝑥█y;', expected: 'mid-word' },
  { name: 'cursor before a non-ASCII word that is not an argument', source: 'x = █été;', expected: 'text-after-cursor' },
  { name: 'mid-word is fine when explicit', source: 'cons█t x = 1;', request: { explicit: true }, expected: 'ok' },
  { name: 'code right after the cursor', source: 'total█ + tax;', expected: 'text-after-cursor' },
  { name: 'an operator after the cursor', source: 'a █+ b', expected: 'text-after-cursor' },
  { name: 'a member access after the cursor', source: 'user█.name', expected: 'text-after-cursor' },
  { name: 'text after the cursor is fine when explicit', source: 'total█ + tax;', request: { explicit: true }, expected: 'ok' },
  { name: 'a minified line', source: `${'a=1;'.repeat(300)}█`, expected: 'long-line' },
  { name: 'a minified line when explicit', source: `${'a=1;'.repeat(300)}█`, request: { explicit: true }, expected: 'ok' },
  { name: 'an empty document', source: '█', expected: 'empty-document' },
  { name: 'a whitespace-only document', source: '\n\n  █\n', expected: 'empty-document' },
  { name: 'an empty document when explicit', source: '█', request: { explicit: true }, expected: 'ok' },
  { name: 'an offset past the end', source: 'abc█', request: { offset: 10 }, expected: 'bad-offset' },
];

describe('prefilter', () => {
  for (const c of cases) {
    it(`${c.name} -> ${c.expected}`, () => {
      const verdict = prefilter(requestAt(c.source, c.request), { ...config, ...c.config });
      assert.deepEqual(verdict, c.expected === 'ok' ? { ok: true } : { ok: false, reason: c.expected });
    });
  }
});
