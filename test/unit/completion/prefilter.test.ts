// Table-driven tests for the prefilter: which requests are turned away, and why.
import * as assert from 'node:assert/strict';
import { prefilter, type PrefilterConfig, type PrefilterReason } from '../../../src/core/completion/prefilter';
import type { CompletionRequest } from '../../../src/core/completion/types';
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
  { name: 'before a colon and a comma', source: '{ a: b(█), c }', expected: 'text-after-cursor' },
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
  { name: 'cursor before an identifier', source: 'x = █value;', expected: 'mid-word' },
  { name: 'cursor before a non-ASCII letter', source: 'x = █été;', expected: 'mid-word' },
  { name: 'mid-word is fine when explicit', source: 'cons█t x = 1;', request: { explicit: true }, expected: 'ok' },
  { name: 'code after the cursor on the line', source: 'foo(█) + bar();', expected: 'text-after-cursor' },
  { name: 'an operator after the cursor', source: 'a █+ b', expected: 'text-after-cursor' },
  { name: 'text after the cursor is fine when explicit', source: 'foo(█) + bar();', request: { explicit: true }, expected: 'ok' },
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
