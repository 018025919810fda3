// The little per-language knowledge the text-based stages need, keyed by VS Code languageId:
// how to write a comment (context for FIM families without repo-level tokens), which languages open
// blocks with a trailing `:` or with keywords, and what counts as a word character. Deliberately
// small and text-only: tree-sitter knowledge lives in core/context.

export interface CommentSyntax {
  /** Line comment marker, e.g. `//`; undefined when the language only has block comments. */
  line?: string;
  /** Block comment delimiters, used per line when there is no line comment. */
  block?: readonly [string, string];
}

const hashComment = new Set([
  'python', 'ruby', 'shellscript', 'perl', 'r', 'yaml', 'toml', 'dockerfile', 'makefile', 'powershell',
  'elixir', 'julia', 'coffeescript', 'nim', 'crystal', 'tcl', 'cmake', 'properties', 'ini', 'gdscript',
  'nix', 'awk', 'raku', 'starlark', 'bazel', 'terraform', 'hcl',
]);
const dashComment = new Set(['sql', 'lua', 'haskell', 'elm', 'ada', 'purescript', 'vhdl', 'plsql']);
const percentComment = new Set(['latex', 'tex', 'erlang', 'matlab', 'octave', 'prolog']);
const semicolonComment = new Set(['clojure', 'lisp', 'scheme', 'racket', 'commonlisp', 'asm']);
const markupComment = new Set(['html', 'xml', 'markdown', 'vue-html', 'svg', 'xsl', 'razor', 'aspnetcorerazor']);
const blockOnlyComment = new Set(['css']);

/** How to write a comment in languageId; unknown languages get `//`, the most common marker. */
export function commentSyntax(languageId: string): CommentSyntax {
  if (hashComment.has(languageId)) return { line: '#' };
  if (dashComment.has(languageId)) return { line: '--' };
  if (percentComment.has(languageId)) return { line: '%' };
  if (semicolonComment.has(languageId)) return { line: ';' };
  if (languageId === 'vb') return { line: "'" };
  if (languageId === 'bat') return { line: 'REM' };
  if (markupComment.has(languageId)) return { block: ['<!--', '-->'] };
  if (blockOnlyComment.has(languageId)) return { block: ['/*', '*/'] };
  return { line: '//' };
}

/** Turns each line of text into a comment line; the result ends with a newline. */
export function commentLines(text: string, syntax: CommentSyntax): string {
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  let out = '';
  for (const raw of lines) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (syntax.line !== undefined) out += line.length > 0 ? `${syntax.line} ${line}\n` : `${syntax.line}\n`;
    else if (syntax.block) {
      // A stray closing delimiter inside the text would end the comment early.
      const [open, close] = syntax.block;
      out += `${open} ${line.split(close).join(close.split('').join(' '))} ${close}\n`;
    }
  }
  return out;
}

const colonBlockLanguages = new Set(['python', 'yaml', 'nim', 'gdscript', 'starlark', 'cython', 'coffeescript']);

/** Languages where a line ending in `:` opens an indented block. */
export function colonOpensBlock(languageId: string): boolean {
  return colonBlockLanguages.has(languageId);
}

const keywordBlockLanguages = new Set(['ruby', 'lua', 'shellscript', 'elixir', 'julia', 'crystal', 'vb']);

/** Languages that open blocks with keywords (`do`, `then`, `def ... end`) rather than brackets. */
export function keywordsOpenBlocks(languageId: string): boolean {
  return keywordBlockLanguages.has(languageId);
}

const wordCharPattern = /[\p{L}\p{N}_$]/u;

/** True for characters that continue an identifier (letters, digits, `_`, `$`). */
export function isWordChar(ch: string | undefined): boolean {
  if (ch === undefined || ch.length === 0) return false;
  const code = ch.charCodeAt(0);
  if (code < 128) {
    return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 36;
  }
  return wordCharPattern.test(ch);
}

/** A string literal's delimiters, as the bracket scanner needs them. */
export interface StringSyntax {
  open: string;
  close: string;
  /** May span lines (Python's triple quotes, JS template literals, Go raw strings). */
  multiline: boolean;
  /** A backslash escapes the next character. */
  escapes: boolean;
}

/** What the bracket scanner skips: comments and string literals. */
export interface LexicalSyntax {
  lineComments: readonly string[];
  blockComments: ReadonlyArray<readonly [string, string]>;
  strings: readonly StringSyntax[];
  /** `'` starts a character literal only when it closes within a few characters (Rust lifetimes). */
  shortQuoteOnly?: boolean;
}

const dq: StringSyntax = { open: '"', close: '"', multiline: false, escapes: true };
const sq: StringSyntax = { open: "'", close: "'", multiline: false, escapes: true };
const backtick: StringSyntax = { open: '`', close: '`', multiline: true, escapes: true };
const rawBacktick: StringSyntax = { open: '`', close: '`', multiline: true, escapes: false };
const tripleDq: StringSyntax = { open: '"""', close: '"""', multiline: true, escapes: true };
const tripleSq: StringSyntax = { open: "'''", close: "'''", multiline: true, escapes: true };
const cBlock = ['/*', '*/'] as const;

const jsLike = new Set(['javascript', 'typescript', 'javascriptreact', 'typescriptreact', 'vue', 'svelte', 'astro']);
const tripleQuoteCLike = new Set(['java', 'kotlin', 'swift', 'scala', 'groovy', 'dart']);
const markup = new Set(['html', 'xml', 'markdown', 'vue-html', 'svg', 'xsl', 'razor', 'aspnetcorerazor', 'handlebars']);

/**
 * Comments and strings of languageId, for counting brackets. Unknown languages are read as C-like.
 * Markup has no string literals outside its tags, and prose is full of apostrophes, so quotes there
 * are not strings. Single-line strings end at the line's end even when unterminated, so one stray
 * quote never hides the rest of a file.
 */
export function lexicalSyntax(languageId: string): LexicalSyntax {
  if (languageId === 'python' || languageId === 'cython' || languageId === 'starlark') {
    return { lineComments: ['#'], blockComments: [], strings: [tripleDq, tripleSq, dq, sq] };
  }
  if (jsLike.has(languageId)) return { lineComments: ['//'], blockComments: [cBlock], strings: [dq, sq, backtick] };
  if (languageId === 'go') return { lineComments: ['//'], blockComments: [cBlock], strings: [dq, sq, rawBacktick] };
  if (languageId === 'rust') return { lineComments: ['//'], blockComments: [cBlock], strings: [dq, sq], shortQuoteOnly: true };
  if (tripleQuoteCLike.has(languageId)) return { lineComments: ['//'], blockComments: [cBlock], strings: [tripleDq, dq, sq] };
  if (languageId === 'php') return { lineComments: ['//', '#'], blockComments: [cBlock], strings: [dq, sq] };
  if (languageId === 'css') return { lineComments: [], blockComments: [cBlock], strings: [dq, sq] };
  if (languageId === 'scss' || languageId === 'less') return { lineComments: ['//'], blockComments: [cBlock], strings: [dq, sq] };
  if (markup.has(languageId)) return { lineComments: [], blockComments: [['<!--', '-->']], strings: [] };
  if (languageId === 'lua') return { lineComments: ['--'], blockComments: [['--[[', ']]']], strings: [dq, sq] };
  if (languageId === 'haskell' || languageId === 'elm' || languageId === 'purescript') {
    return { lineComments: ['--'], blockComments: [['{-', '-}']], strings: [dq] };
  }
  if (languageId === 'sql' || languageId === 'plsql') return { lineComments: ['--'], blockComments: [cBlock], strings: [sq, dq] };
  if (semicolonComment.has(languageId)) return { lineComments: [';'], blockComments: [], strings: [dq] };
  if (hashComment.has(languageId)) return { lineComments: ['#'], blockComments: [], strings: [dq, sq] };
  return { lineComments: ['//'], blockComments: [cBlock], strings: [dq, sq] };
}

/** Languages whose files are markup, where a tag left open at a line's end starts a block. */
export function isMarkup(languageId: string): boolean {
  return markup.has(languageId) || languageId === 'javascriptreact' || languageId === 'typescriptreact' || languageId === 'vue' || languageId === 'svelte';
}
