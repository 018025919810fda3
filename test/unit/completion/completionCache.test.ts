// Tests for the completion cache: typing through a shown suggestion, the prompt LRU, the prefetch slot.
import * as assert from 'node:assert/strict';
import { CompletionCache } from '../../../src/core/completion/completionCache';
import type { ShapedSuggestion } from '../../../src/core/completion/postprocess';
import { requestAt } from '../../support/cursor';

/** A suggestion that only inserts. */
const insert = (text: string): ShapedSuggestion => ({ text, replaceLength: 0 });
/** The text of what typing through answers, or undefined. */
const restOf = (shaped: ShapedSuggestion | undefined): string | undefined => shaped?.text;

const SHOWN_AT = 'function f() {\n  const total = █\n}\n';
const SUGGESTION = 'items.reduce((a, b) => a + b, 0);';

interface TypingCase {
  name: string;
  /** The document at the later request, with its cursor. */
  source: string;
  uri?: string;
  expected: string | undefined;
}

const typingCases: TypingCase[] = [
  { name: 'nothing typed yet: the whole suggestion', source: SHOWN_AT, expected: SUGGESTION },
  { name: 'typed the first characters: the rest', source: 'function f() {\n  const total = ite█\n}\n', expected: 'ms.reduce((a, b) => a + b, 0);' },
  { name: 'typed up to a bracket', source: 'function f() {\n  const total = items.reduce(█\n}\n', expected: '(a, b) => a + b, 0);' },
  { name: 'typed something else', source: 'function f() {\n  const total = ito█\n}\n', expected: undefined },
  { name: 'typed the whole suggestion: nothing left', source: `function f() {\n  const total = ${SUGGESTION}█\n}\n`, expected: undefined },
  { name: 'backspaced before where it was shown', source: 'function f() {\n  const total =█\n}\n', expected: undefined },
  { name: 'text after the cursor changed', source: 'function f() {\n  const total = ite█\n}\nextra\n', expected: undefined },
  { name: 'text before the shown point changed', source: 'function g() {\n  const total = ite█\n}\n', expected: undefined },
  { name: 'another document', source: 'function f() {\n  const total = ite█\n}\n', uri: 'file:///other.ts', expected: undefined },
];

describe('CompletionCache', () => {
  describe('typing through a shown suggestion', () => {
    for (const c of typingCases) {
      it(c.name, () => {
        const cache = new CompletionCache();
        cache.rememberShown(requestAt(SHOWN_AT), insert(SUGGESTION));
        const later = requestAt(c.source, c.uri ? { uri: c.uri } : {});
        assert.equal(restOf(cache.typedThrough(later)), c.expected);
      });
    }

    it('keeps the original point when the typed-through rest is shown again, so backspacing works', () => {
      const cache = new CompletionCache();
      cache.rememberShown(requestAt(SHOWN_AT), insert(SUGGESTION));
      const typed = requestAt('function f() {\n  const total = item█\n}\n');
      const rest = cache.typedThrough(typed)!;
      cache.rememberShown(typed, rest);
      assert.equal(restOf(cache.typedThrough(requestAt('function f() {\n  const total = it█\n}\n'))), 'ems.reduce((a, b) => a + b, 0);');
      assert.equal(restOf(cache.typedThrough(requestAt(SHOWN_AT))), SUGGESTION);
    });

    it('typing through a suggestion that replaces the rest of the line keeps replacing it', () => {
      const cache = new CompletionCache();
      cache.rememberShown(requestAt('const m = Math.max(█);'), { text: 'a, b)', replaceLength: 1 });
      assert.deepEqual(cache.typedThrough(requestAt('const m = Math.max(a, █);')), { text: 'b)', replaceLength: 1 });
    });

    it('a new suggestion elsewhere replaces the remembered one', () => {
      const cache = new CompletionCache();
      cache.rememberShown(requestAt(SHOWN_AT), insert(SUGGESTION));
      cache.rememberShown(requestAt('let a = █;'), insert('42'));
      assert.equal(restOf(cache.typedThrough(requestAt('let a = 4█;'))), '2');
      assert.equal(restOf(cache.typedThrough(requestAt(SHOWN_AT))), undefined);
    });

    it('an accepted suggestion is consumed', () => {
      const cache = new CompletionCache();
      cache.rememberShown(requestAt(SHOWN_AT), insert(SUGGESTION));
      cache.recordAccepted(requestAt(SHOWN_AT).uri);
      assert.equal(restOf(cache.typedThrough(requestAt(SHOWN_AT))), undefined);
    });

    it('answers on a 5 MB document from the text around the cursor', () => {
      const cache = new CompletionCache();
      const huge = 'x'.repeat(5_000_000);
      const shown = { ...requestAt(SHOWN_AT), text: huge + requestAt(SHOWN_AT).text, offset: huge.length + requestAt(SHOWN_AT).offset };
      cache.rememberShown(shown, insert(SUGGESTION));
      const later = { ...shown, text: shown.text.slice(0, shown.offset) + 'it' + shown.text.slice(shown.offset), offset: shown.offset + 2 };
      assert.equal(restOf(cache.typedThrough(later)), 'ems.reduce((a, b) => a + b, 0);');
    });
  });

  describe('prompt LRU', () => {
    it('returns what was stored for the same prompt, including a known-empty result', () => {
      const cache = new CompletionCache();
      cache.set('prompt A', insert('a'));
      cache.set('prompt B', null);
      assert.deepEqual(cache.get('prompt A'), insert('a'));
      assert.equal(cache.get('prompt B'), null);
      assert.equal(cache.get('prompt C'), undefined);
    });

    it('evicts the least recently used beyond its cap', () => {
      const cache = new CompletionCache({ maxEntries: 2 });
      cache.set('1', insert('one'));
      cache.set('2', insert('two'));
      cache.get('1');
      cache.set('3', insert('three'));
      assert.equal(cache.get('2'), undefined);
      assert.deepEqual(cache.get('1'), insert('one'));
      assert.deepEqual(cache.get('3'), insert('three'));
      assert.equal(cache.size(), 2);
    });

    it('keys by the whole prompt, not a prefix of it', () => {
      const cache = new CompletionCache();
      const long = 'x'.repeat(10_000);
      cache.set(`${long}a`, insert('a'));
      assert.equal(cache.get(`${long}b`), undefined);
    });
  });

  it('clear forgets everything', () => {
    const cache = new CompletionCache();
    cache.rememberShown(requestAt(SHOWN_AT), insert(SUGGESTION));
    cache.set('p', insert('x'));
    cache.clear();
    assert.equal(restOf(cache.typedThrough(requestAt(SHOWN_AT))), undefined);
    assert.equal(cache.get('p'), undefined);
  });
});
