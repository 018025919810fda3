// Decides, before any work is done, whether a request deserves a completion at all. Every request it
// turns away is a model call that does not compete for the two CPU cores. Checks are O(1), bounded
// to the cursor line, or stop at the first non-blank character: never a scan of the document.
//
// Rules, in order (the first that fails is the reason):
//   disabled           completions are switched off (explicit requests too: off means off).
//   language           languageId is in config.disabledLanguages or in ALWAYS_OFF_LANGUAGES
//                      (surfaces that are not code files: the SCM commit box, output and log views,
//                      search results). Markdown is allowed: READMEs and docs are full of code; add it
//                      to disabledLanguages to turn it off. Plain text is off through the config's
//                      default list, so a user can turn it back on.
//   too-large          the document is over maxDocumentChars (default 1,000,000): generated or data
//                      files, where counting lines alone would cost time.
//   bad-offset         the cursor is outside the text.
//   selection          the user has a selection (a suggestion would replace nothing sensible).
//   long-line          the cursor line is over maxLineChars (default 1,000: minified code), unless explicit.
//   empty-document     the document is blank: nothing to condition on, unless explicit.
//   mid-word           the cursor is inside a word (`fo█o`), unless explicit.
//   text-after-cursor  the rest of the line is not a hole a completion can fill, unless explicit. A
//                      hole is where the rest of the line (after any spaces) starts with a closer or
//                      punctuation that ends what is being typed: `)`, `]`, `}`, a quote, `;`, `,`,
//                      `:`, `>`, a self-closing `/>` or a closing tag `</`: `Math.max(█)`,
//                      `while (a && █) {`, `print(f"Total: {█}")`, `<App █/>`, `<b>█</b>`; or an
//                      argument or element slot before a word, right after `(`, `[`, `{` or `,`
//                      (`sum(█baz)`, `log(a, █b)`). Anything else after the cursor (`foo█ + 1`,
//                      `x = █y`) is an edit in the middle of code, where a suggestion would only get
//                      in the way.
// Cursor in the leading whitespace of a line after a blank line is allowed: that is where people
// start a new statement or declaration, and a whitespace-only line with text after the cursor is
// already caught by text-after-cursor.
import type { CompletionRequest } from '../kernel/completionTypes';
import { isWordChar } from '../syntax/languageSyntax';
import { isBlank, lineEndAt, lineStartAt } from '../kernel/textLines';

/** The settings prefilter reads; CompletionConfig satisfies it. */
export interface PrefilterConfig {
  enabled: boolean;
  disabledLanguages: readonly string[];
  maxDocumentChars?: number;
  maxLineChars?: number;
}

export type PrefilterReason =
  | 'disabled'
  | 'language'
  | 'too-large'
  | 'bad-offset'
  | 'selection'
  | 'long-line'
  | 'empty-document'
  | 'mid-word'
  | 'text-after-cursor';

export type PrefilterVerdict = { ok: true } | { ok: false; reason: PrefilterReason };

/** VS Code surfaces that carry a languageId but are not code the user writes. */
export const ALWAYS_OFF_LANGUAGES: readonly string[] = ['scminput', 'log', 'Log', 'output', 'search-result', 'code-text-binary'];

export const DEFAULT_MAX_DOCUMENT_CHARS = 1_000_000;
export const DEFAULT_MAX_LINE_CHARS = 1_000;

const OK: PrefilterVerdict = { ok: true };
const reject = (reason: PrefilterReason): PrefilterVerdict => ({ ok: false, reason });

export function prefilter(request: CompletionRequest, config: PrefilterConfig): PrefilterVerdict {
  const { text, offset, explicit } = request;
  if (!config.enabled) return reject('disabled');
  if (ALWAYS_OFF_LANGUAGES.includes(request.languageId) || config.disabledLanguages.includes(request.languageId)) {
    return reject('language');
  }
  if (text.length > (config.maxDocumentChars ?? DEFAULT_MAX_DOCUMENT_CHARS)) return reject('too-large');
  if (!Number.isInteger(offset) || offset < 0 || offset > text.length) return reject('bad-offset');
  if (!request.selectionEmpty) return reject('selection');
  if (explicit) return OK;

  const lineStart = lineStartAt(text, offset);
  const lineEnd = lineEndAt(text, offset);
  if (lineEnd - lineStart > (config.maxLineChars ?? DEFAULT_MAX_LINE_CHARS)) return reject('long-line');
  if (isBlank(text)) return reject('empty-document');
  if (isWordChar(charAt(text, offset)) && isWordChar(charBefore(text, offset))) return reject('mid-word');
  if (!endsHole(text, offset, lineEnd) && !argumentSlot(text, lineStart, offset)) return reject('text-after-cursor');
  return OK;
}

/** The whole code point at offset (so that an astral letter counts as a word character). */
function charAt(text: string, offset: number): string | undefined {
  if (offset >= text.length) return undefined;
  const cp = text.codePointAt(offset);
  return cp === undefined ? undefined : String.fromCodePoint(cp);
}

/** Right after `(`, `[`, `{` or `,` (spaces skipped): a new argument or element may go here. */
function argumentSlot(text: string, lineStart: number, offset: number): boolean {
  let i = offset - 1;
  while (i >= lineStart && (text[i] === ' ' || text[i] === '\t')) i--;
  return i >= lineStart && '([{,'.includes(text[i]!);
}

/** The whole code point just before offset. */
function charBefore(text: string, offset: number): string | undefined {
  if (offset <= 0) return undefined;
  const low = text.charCodeAt(offset - 1);
  const start = low >= 0xdc00 && low <= 0xdfff && offset >= 2 ? offset - 2 : offset - 1;
  return String.fromCodePoint(text.codePointAt(start)!);
}

const HOLE_ENDS = new Set([')', ']', '}', '>', '"', "'", '`', ';', ',', ':']);

/** The rest of the line, from `start`, starts (after spaces) with what ends a hole, or is blank. */
function endsHole(text: string, start: number, end: number): boolean {
  let i = start;
  while (i < end && (text[i] === ' ' || text[i] === '\t')) i++;
  if (i >= end) return true;
  const ch = text[i]!;
  if (HOLE_ENDS.has(ch)) return true;
  return (ch === '/' && text[i + 1] === '>') || (ch === '<' && text[i + 1] === '/');
}
