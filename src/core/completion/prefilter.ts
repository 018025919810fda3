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
//   mid-word           a word character follows the cursor (`fo█o`), unless explicit.
//   text-after-cursor  the rest of the line holds more than closing brackets, quotes, `;`, `,`, `:`
//                      and whitespace (`foo(█) + 1`), unless explicit. Closers alone are typical
//                      auto-closed pairs and are fine.
// Cursor in the leading whitespace of a line after a blank line is allowed: that is where people
// start a new statement or declaration, and a whitespace-only line with text after the cursor is
// already caught by text-after-cursor.
import type { CompletionRequest } from './types';
import { isWordChar } from './languageSyntax';
import { isBlank, lineEndAt, lineStartAt } from './textLines';

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
  if (isWordChar(charAt(text, offset))) return reject('mid-word');
  if (!onlyClosersBetween(text, offset, lineEnd)) return reject('text-after-cursor');
  return OK;
}

/** The whole code point at offset (so that an astral letter counts as a word character). */
function charAt(text: string, offset: number): string | undefined {
  if (offset >= text.length) return undefined;
  const cp = text.codePointAt(offset);
  return cp === undefined ? undefined : String.fromCodePoint(cp);
}

const CLOSERS = new Set([')', ']', '}', '>', '"', "'", '`', ';', ',', ':', ' ', '\t']);

function onlyClosersBetween(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!CLOSERS.has(text[i]!)) return false;
  return true;
}
