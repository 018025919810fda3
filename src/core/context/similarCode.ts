// "Similar code" retrieval: finds windows of other open/recent files whose identifiers overlap the
// lines just above the cursor, the way Continue and llama.vscode pick extra context without a parser.
// The idea: code you are writing often resembles code nearby in the project (a sibling handler, the
// test of the function next door), and sharing names is a cheap, language-agnostic signal for that.
//
// Scoring is Jaccard similarity of word *sets* (not counts): a window that repeats `foo` ten times
// is no more relevant than one that mentions it once, and sets keep the score in [0, 1] so one
// threshold works for every file size.
//
// Words are whole identifiers, lowercased, NOT split at camelCase/snake_case boundaries. Splitting
// would make `getUser` match every window that mentions `user` or `get`, which floods the ranking
// with weak matches; the model benefits most from code that uses the *same* names it is about to
// type. Lowercasing still lets `userId` meet `UserId`/`USERID`. Single-character names (`i`, `x`)
// and a small cross-language keyword list are dropped, because they occur in almost every window
// and would lift the similarity of unrelated code above the noise threshold.
//
// Cost: each document is split into lines and tokenized once per distinct content; its windows'
// word sets are cached until the text changes, so repeated keystrokes only pay for the query
// (a Set lookup per cached window word: ~20 files x 200 windows x tens of words).

import type { ContextSnippet } from '../kernel/completionTypes';
import { splitLines } from '../kernel/textLines';

export interface SimilarCodeOptions {
  /** Lines per window, and lines before the cursor that form the query. */
  windowLines: number;
  /** At most this many snippets in the result (K). */
  maxResults: number;
  /** Windows scoring below this Jaccard similarity are noise and never returned. */
  minScore: number;
}

/**
 * Defaults: 20 lines is about one function body, enough identifiers for a meaningful set yet small
 * enough to fit several snippets in a context budget. The 0.2 threshold is a starting point, to be
 * tuned against the completion benchmark; unrelated code in one language usually scores below 0.1.
 */
export const DEFAULT_SIMILAR_CODE_OPTIONS: SimilarCodeOptions = {
  windowLines: 20,
  maxResults: 5,
  minScore: 0.2,
};

// Keywords common to the languages Bantam completes. Not exhaustive: the aim is only to remove the
// words that appear in nearly every window, not to know each language's grammar.
const STOP_WORDS = new Set([
  'and', 'as', 'async', 'await', 'bool', 'boolean', 'break', 'case', 'catch', 'class', 'const',
  'continue', 'def', 'default', 'do', 'elif', 'else', 'end', 'enum', 'export', 'extends', 'false',
  'final', 'finally', 'fn', 'for', 'from', 'func', 'function', 'if', 'impl', 'implements', 'import',
  'in', 'int', 'interface', 'is', 'let', 'mut', 'new', 'nil', 'none', 'not', 'null', 'number', 'of',
  'or', 'package', 'pass', 'private', 'protected', 'pub', 'public', 'raise', 'return', 'self',
  'static', 'string', 'struct', 'super', 'switch', 'this', 'throw', 'true', 'try', 'type',
  'undefined', 'use', 'var', 'void', 'while', 'with', 'yield',
]);

// Identifier-like runs: a letter, `_` or `$` followed by letters, digits, `_` or `$`. Unicode
// letters count, so non-ASCII identifiers are words too.
const WORD_PATTERN = /[\p{L}_$][\p{L}\p{N}_$]*/gu;

/** The distinct, lowercased, non-trivial identifier words of `text`, in first-seen order. */
export function codeWords(text: string): string[] {
  const seen = new Set<string>();
  for (const match of text.matchAll(WORD_PATTERN)) {
    const word = match[0].toLowerCase();
    if (word.length < 2 || STOP_WORDS.has(word)) continue;
    seen.add(word);
  }
  return [...seen];
}

/** Jaccard similarity |A ∩ B| / |A ∪ B| of a window's distinct words against the query set. */
function jaccard(windowWords: readonly string[], query: ReadonlySet<string>): number {
  if (windowWords.length === 0 || query.size === 0) return 0;
  let shared = 0;
  for (const word of windowWords) if (query.has(word)) shared++;
  return shared / (windowWords.length + query.size - shared);
}

/** One window of a document: 0-based inclusive line range and its distinct words. */
interface Window {
  first: number;
  last: number;
  words: string[];
}

/** What the index keeps per document. Windows are built lazily, per window size, on first query. */
interface Entry {
  text: string;
  lines: string[];
  /** Distinct words per line, computed once per content, shared by every window size. */
  lineWords: string[][] | undefined;
  windowLines: number;
  windows: Window[] | undefined;
}

/**
 * Window starts 0, step, 2*step, ... with step = half the window, so any run of `size` lines lies
 * mostly inside some window; the last window ends at the last line. A document shorter than one
 * window is a single window.
 */
function buildWindows(lineWords: readonly string[][], size: number): Window[] {
  const windows: Window[] = [];
  const count = lineWords.length;
  const step = Math.max(1, Math.floor(size / 2));
  for (let first = 0; first < count; first += step) {
    const last = Math.min(count - 1, first + size - 1);
    const words = new Set<string>();
    for (let line = first; line <= last; line++) for (const w of lineWords[line]!) words.add(w);
    if (words.size > 0) windows.push({ first, last, words: [...words] });
    if (last === count - 1) break;
  }
  return windows;
}

interface Candidate {
  file: string;
  entry: Entry;
  window: Window;
  score: number;
}

/**
 * The documents similar code may come from, with their window word sets cached. Holds state with a
 * lifetime (the open/recent documents), so the vscode layer owns one and feeds it edits.
 */
export class SimilarCodeIndex {
  private readonly entries = new Map<string, Entry>();

  /** Adds or replaces a document. Unchanged text keeps the cached windows (no retokenizing). */
  update(file: string, text: string): void {
    const previous = this.entries.get(file);
    // Exact comparison rather than a hash: the text is kept anyway (snippets are cut from it), the
    // check is one linear pass like hashing would be, and it can never serve stale windows on a
    // collision. Identical string objects compare in O(1).
    if (previous && previous.text === text) return;
    this.entries.set(file, { text, lines: splitLines(text), lineWords: undefined, windowLines: 0, windows: undefined });
  }

  /** Forgets a document (closed, deleted, or fell out of the recent list). */
  remove(file: string): void {
    this.entries.delete(file);
  }

  /** Files currently indexed. */
  files(): string[] {
    return [...this.entries.keys()];
  }

  /**
   * The windows most similar to the last `windowLines` lines of `cursorText`, best first.
   * `cursorText` is the cursor document's text up to the cursor; in `cursorFile` the windows
   * touching those query lines are skipped, because the model already sees them in the prefix.
   * Chosen windows never overlap one another within a file.
   */
  query(cursorText: string, cursorFile: string, options: Partial<SimilarCodeOptions> = {}): ContextSnippet[] {
    const opts = { ...DEFAULT_SIMILAR_CODE_OPTIONS, ...options };
    const size = Math.max(1, Math.floor(opts.windowLines));
    if (opts.maxResults <= 0 || cursorText.length === 0) return [];

    const cursorLines = splitLines(cursorText);
    const cursorLast = cursorLines.length - 1;
    const cursorFirst = Math.max(0, cursorLines.length - size);
    const query = new Set(codeWords(cursorLines.slice(cursorFirst).join('\n')));
    if (query.size === 0) return [];

    const candidates: Candidate[] = [];
    for (const [file, entry] of this.entries) {
      for (const window of this.windowsOf(entry, size)) {
        if (file === cursorFile && window.first <= cursorLast && window.last >= cursorFirst) continue;
        const score = jaccard(window.words, query);
        if (score >= opts.minScore && score > 0) candidates.push({ file, entry, window, score });
      }
    }
    // Ties broken by file and position so the result is deterministic (stable prompts keep the
    // model's KV cache valid across keystrokes).
    candidates.sort(
      (a, b) => b.score - a.score || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.window.first - b.window.first,
    );

    const chosen: Candidate[] = [];
    for (const candidate of candidates) {
      if (chosen.length >= opts.maxResults) break;
      const overlaps = chosen.some(
        (c) => c.file === candidate.file && c.window.first <= candidate.window.last && c.window.last >= candidate.window.first,
      );
      if (!overlaps) chosen.push(candidate);
    }

    return chosen.map(({ file, entry, window, score }) => ({
      file,
      startLine: window.first + 1,
      endLine: window.last + 1,
      text: entry.lines.slice(window.first, window.last + 1).join('\n'),
      reason: `similar code (jaccard ${score.toFixed(2)})`,
    }));
  }

  /** The entry's windows for this size, tokenizing and building them only when missing. */
  private windowsOf(entry: Entry, size: number): Window[] {
    entry.lineWords ??= entry.lines.map(codeWords);
    if (!entry.windows || entry.windowLines !== size) {
      entry.windows = buildWindows(entry.lineWords, size);
      entry.windowLines = size;
    }
    return entry.windows;
  }
}
