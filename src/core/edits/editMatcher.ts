// Finds where a model's SEARCH text sits in the file as it is now, and applies a file's edits all
// together or not at all. A model copies code from a context that may be stale or re-indented, so
// an edit is only applied where it matches exactly one place; anything else is refused with a reason
// the caller can show ("not found" = the file changed or the model misquoted it, "ambiguous" = the
// snippet needs more context), because patching the wrong occurrence is worse than asking again.
//
// Matching happens in two passes:
//   1. exact: the SEARCH text verbatim (when it is whole lines, only at line starts);
//   2. loose: line by line, ignoring leading indentation and trailing whitespace, for the common
//      case of a model that quoted the right lines at the wrong depth. The replacement is then
//      re-based from the SEARCH text's indentation to the file's (spaces become tabs, or the
//      reverse, when the model and the file disagree about the character).
// A pass that finds several places is decisive (ambiguous): the loose pass never overrides it.
import type { ModifyEdit } from './editTypes';

export type MatchError = 'not-found' | 'ambiguous' | 'empty-search';

export interface LocatedRange {
  start: number;
  end: number;
  /** Set when only the loose pass matched: the indentation to swap in the replacement's lines. */
  reindent?: { from: string; to: string };
}

export type LocateResult = LocatedRange | { error: MatchError; candidates?: number };

export type ApplyError = MatchError | 'overlap';

export type ApplyResult = { text: string } | { error: ApplyError; editIndex: number; candidates?: number };

function leadingWhitespace(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}

/** Offsets of each line start in `text`, plus the offset one past the end. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  if (starts[starts.length - 1] !== text.length) starts.push(text.length);
  return starts;
}

function exactMatches(text: string, search: string): number[] {
  const wholeLines = search.endsWith('\n');
  const hits: number[] = [];
  for (let i = text.indexOf(search); i !== -1; i = text.indexOf(search, i + 1)) {
    if (!wholeLines || i === 0 || text[i - 1] === '\n') hits.push(i);
  }
  return hits;
}

export function locateEdit(text: string, search: string): LocateResult {
  if (search.trim() === '') return { error: 'empty-search' };

  const exact = exactMatches(text, search);
  if (exact.length === 1) return { start: exact[0]!, end: exact[0]! + search.length };
  if (exact.length > 1) return { error: 'ambiguous', candidates: exact.length };

  const wholeLines = search.endsWith('\n');
  const wanted = (wholeLines ? search.slice(0, -1) : search).split('\n');
  const key = (line: string): string => line.trim();
  const wantedKeys = wanted.map(key);
  const starts = lineStarts(text);
  const lineCount = starts.length - 1;
  const lineAt = (n: number): string => text.slice(starts[n], starts[n + 1]).replace(/\n$/, '');

  const hits: number[] = [];
  for (let first = 0; first + wanted.length <= lineCount; first++) {
    if (wantedKeys.every((k, j) => key(lineAt(first + j)) === k)) hits.push(first);
  }
  if (hits.length === 0) return { error: 'not-found' };
  if (hits.length > 1) return { error: 'ambiguous', candidates: hits.length };

  const first = hits[0]!;
  const last = first + wanted.length - 1;
  const end = wholeLines ? starts[last + 1]! : starts[last]! + lineAt(last).length;
  // The first non-blank line carries the indentation the two sides disagree about.
  const anchor = wantedKeys.findIndex((k) => k !== '');
  return {
    start: starts[first]!,
    end,
    reindent: { from: leadingWhitespace(wanted[anchor]!), to: leadingWhitespace(lineAt(first + anchor)) },
  };
}

/**
 * When the model indents with spaces and the file with tabs (or the reverse), how many spaces one tab
 * stands for, judged from the anchor line (`from` vs `to`); undefined when both use the same character.
 */
function tabWidth(reindent: { from: string; to: string }): { spacesToTabs: boolean; width: number } | undefined {
  const { from, to } = reindent;
  const spaces = (s: string): boolean => /^ +$/.test(s);
  const tabs = (s: string): boolean => /^\t+$/.test(s);
  if (spaces(from) && tabs(to) && from.length % to.length === 0) return { spacesToTabs: true, width: from.length / to.length };
  if (tabs(from) && spaces(to) && to.length % from.length === 0) return { spacesToTabs: false, width: to.length / from.length };
  return undefined;
}

/** Moves every non-blank line from the `from` indentation to the `to` one, keeping deeper nesting. */
function rebaseIndent(replace: string, reindent: { from: string; to: string }): string {
  const convert = tabWidth(reindent);
  return replace
    .split('\n')
    .map((line) => {
      if (line.trim() === '') return line;
      if (!line.startsWith(reindent.from)) {
        // Shallower than the quoted code (closing an outer scope): leave it as the model wrote it.
        return line;
      }
      const rest = line.slice(reindent.from.length);
      if (!convert) return reindent.to + rest;
      // Deeper nesting is in the model's indentation character too: re-express it in the file's.
      const deeper = /^[ \t]*/.exec(rest)![0];
      const columns = [...deeper].reduce((n, ch) => n + (ch === '\t' ? convert.width : 1), 0);
      const indent = convert.spacesToTabs
        ? '\t'.repeat(Math.floor(columns / convert.width)) + ' '.repeat(columns % convert.width)
        : ' '.repeat(columns);
      return reindent.to + indent + rest.slice(deeper.length);
    })
    .join('\n');
}

/**
 * Applies the modify edits of one file, in order, each located in the text left by the ones before.
 * All or nothing: the first edit that cannot be placed, or that lands on text an earlier edit wrote,
 * stops everything and is reported by index. The file's line endings (LF or CRLF) are kept.
 */
export function applyEdits(text: string, edits: readonly ModifyEdit[]): ApplyResult {
  const crlf = text.includes('\r\n') && !/(^|[^\r])\n/.test(text);
  let current = crlf ? text.replace(/\r\n/g, '\n') : text;
  // SEARCH blocks are whole lines ending in LF; a file whose last line has none still has to match.
  const addedFinalNewline = current.length > 0 && !current.endsWith('\n');
  if (addedFinalNewline) current += '\n';

  /** Ranges of `current` that earlier edits wrote; a later edit touching one is an overlap. */
  let written: Array<{ start: number; end: number }> = [];
  for (let i = 0; i < edits.length; i++) {
    const search = edits[i]!.search.replace(/\r\n/g, '\n');
    let replace = edits[i]!.replace.replace(/\r\n/g, '\n');
    const found = locateEdit(current, search);
    if ('error' in found) {
      return found.candidates === undefined
        ? { error: found.error, editIndex: i }
        : { error: found.error, editIndex: i, candidates: found.candidates };
    }
    if (written.some((w) => found.start < w.end && w.start < found.end)) return { error: 'overlap', editIndex: i };
    if (found.reindent) replace = rebaseIndent(replace, found.reindent);

    current = current.slice(0, found.start) + replace + current.slice(found.end);
    const shift = replace.length - (found.end - found.start);
    written = written.map((w) => (w.start >= found.end ? { start: w.start + shift, end: w.end + shift } : w));
    written.push({ start: found.start, end: found.start + replace.length });
  }

  if (addedFinalNewline && current.endsWith('\n')) current = current.slice(0, -1);
  return { text: crlf ? current.replace(/\n/g, '\r\n') : current };
}
