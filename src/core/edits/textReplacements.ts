// The smallest replacements that turn one text into another, for showing a rewrite as edits a person
// can read: lines are aligned first (so an unchanged line is never part of an edit), then the words
// inside each changed run of lines (so renaming one identifier is one small replacement of that
// identifier, not of its line), then each replacement is trimmed to the characters that really
// differ (so completing `pri` to `print(x)` is an insertion of `nt(x)`, which an editor can show as
// ghost text), except that a replacement removing text never splits a word. The `diff` package does the aligning; this file only turns its runs into offsets.
// Texts are LF-only here; callers with CRLF documents map the offsets (see nextEdit/answerToEdits.ts).
import { diffArrays, diffWordsWithSpace } from 'diff';

/** Replace [startOffset, endOffset) of the text with `newText`. */
export interface TextReplacement {
  startOffset: number;
  endOffset: number;
  newText: string;
}

/** A run of lines that differs: `beforeCount` lines from `beforeStart` became `afterCount` from `afterStart`. */
export interface LineBlock {
  beforeStart: number;
  beforeCount: number;
  afterStart: number;
  afterCount: number;
}

export interface ReplacementOptions {
  /**
   * Where the user's cursor is in `before`. A new line inserted right after the cursor's line is then
   * placed at the cursor (`\n` + line at the end of that line) rather than at the next line's start,
   * so that an editor can show it as ghost text at the cursor.
   */
  cursor?: number;
}

/**
 * Above this share of changed (non-whitespace) characters a run of lines is shown as one replacement:
 * a line that was rewritten shares only spaces and brackets with its old self, and cutting it into
 * word-sized pieces around those would be harder to read than the new line.
 */
const FRAGMENTED_SHARE = 0.5;

/** The runs of differing lines between two line lists, in order. */
export function alignLines(before: readonly string[], after: readonly string[]): LineBlock[] {
  const blocks: LineBlock[] = [];
  let b = 0;
  let a = 0;
  let open: LineBlock | undefined;
  for (const change of diffArrays(before as string[], after as string[])) {
    const count = change.count ?? change.value.length;
    if (!change.added && !change.removed) {
      open = undefined;
      b += count;
      a += count;
      continue;
    }
    if (!open) {
      open = { beforeStart: b, beforeCount: 0, afterStart: a, afterCount: 0 };
      blocks.push(open);
    }
    if (change.removed) {
      open.beforeCount += count;
      b += count;
    } else {
      open.afterCount += count;
      a += count;
    }
  }
  return blocks;
}

/** Applies non-overlapping replacements (in any order) to `text`. */
export function applyReplacements(text: string, replacements: readonly TextReplacement[]): string {
  const sorted = [...replacements].sort((x, y) => x.startOffset - y.startOffset);
  let out = '';
  let at = 0;
  for (const r of sorted) {
    if (r.startOffset < at || r.endOffset < r.startOffset || r.endOffset > text.length) {
      throw new RangeError(`replacement [${r.startOffset}, ${r.endOffset}) overlaps another or lies outside the text`);
    }
    out += text.slice(at, r.startOffset) + r.newText;
    at = r.endOffset;
  }
  return out + text.slice(at);
}

/** Minimal replacements, in ascending order and never overlapping, that turn `before` into `after`. */
export function minimalReplacements(before: string, after: string, options: ReplacementOptions = {}): TextReplacement[] {
  if (before === after) return [];
  const beforeLines = before.split('\n');
  const afterLines = after.split('\n');
  const starts = lineStarts(beforeLines);
  const lineEnd = (line: number): number => starts[line]! + beforeLines[line]!.length;
  const out: TextReplacement[] = [];

  for (const block of alignLines(beforeLines, afterLines)) {
    const added = afterLines.slice(block.afterStart, block.afterStart + block.afterCount).join('\n');
    const first = block.beforeStart;
    const last = block.beforeStart + block.beforeCount - 1;
    if (block.beforeCount > 0 && block.afterCount > 0) {
      out.push(...refine(before.slice(starts[first], lineEnd(last)), added, starts[first]!));
    } else if (block.beforeCount > 0) {
      // Whole lines go with one of their line breaks: the following one, or for the last lines the one before.
      if (last + 1 < beforeLines.length) out.push({ startOffset: starts[first]!, endOffset: starts[last + 1]!, newText: '' });
      else if (first > 0) out.push({ startOffset: lineEnd(first - 1), endOffset: before.length, newText: '' });
      else out.push({ startOffset: 0, endOffset: before.length, newText: '' });
    } else {
      const at = block.beforeStart;
      const atCursorLineEnd = at > 0 && options.cursor === lineEnd(at - 1);
      if (at === beforeLines.length || atCursorLineEnd) out.push({ startOffset: lineEnd(at - 1), endOffset: lineEnd(at - 1), newText: `\n${added}` });
      else out.push({ startOffset: starts[at]!, endOffset: starts[at]!, newText: `${added}\n` });
    }
  }
  return out;
}

function lineStarts(lines: readonly string[]): number[] {
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  return starts;
}

/** Word-level replacements inside one run of changed lines; `base` is the run's offset in the whole text. */
function refine(oldText: string, newText: string, base: number): TextReplacement[] {
  const pieces: TextReplacement[] = [];
  let at = 0;
  let open: TextReplacement | undefined;
  let changedChars = 0;
  for (const change of diffWordsWithSpace(oldText, newText)) {
    if (!change.added && !change.removed) {
      open = undefined;
      at += change.value.length;
      continue;
    }
    changedChars += nonSpaceLength(change.value);
    if (!open) {
      open = { startOffset: at, endOffset: at, newText: '' };
      pieces.push(open);
    }
    if (change.removed) {
      at += change.value.length;
      open.endOffset = at;
    } else {
      open.newText += change.value;
    }
  }
  const total = nonSpaceLength(oldText) + nonSpaceLength(newText);
  const whole = pieces.length > 1 && changedChars > FRAGMENTED_SHARE * total;
  const chosen = whole ? [{ startOffset: 0, endOffset: oldText.length, newText }] : pieces;
  return chosen
    .map((p) => trimToDifference(oldText, p))
    .filter((p) => p.startOffset !== p.endOffset || p.newText !== '')
    .map((p) => ({ startOffset: p.startOffset + base, endOffset: p.endOffset + base, newText: p.newText }));
}

function nonSpaceLength(s: string): number {
  return s.replace(/\s+/g, '').length;
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
const isWordChar = (ch: string): boolean => /[\p{L}\p{N}_$]/u.test(ch);
const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/** Drops the characters a replacement keeps at its start and end, never splitting a surrogate pair. */
function trimToDifference(text: string, r: TextReplacement): TextReplacement {
  const old = text.slice(r.startOffset, r.endOffset);
  const neu = r.newText;
  let prefix = 0;
  const max = Math.min(old.length, neu.length);
  while (prefix < max && old.charCodeAt(prefix) === neu.charCodeAt(prefix)) prefix++;
  if (prefix > 0 && isHighSurrogate(old.charCodeAt(prefix - 1))) prefix--;
  let suffix = 0;
  while (suffix < max - prefix && old.charCodeAt(old.length - 1 - suffix) === neu.charCodeAt(neu.length - 1 - suffix)) suffix++;
  if (suffix > 0 && isLowSurrogate(old.charCodeAt(old.length - suffix))) suffix--;
  // A replacement that removes text keeps whole words: `taxRate` -> `rate` reads as that word replaced,
  // not as `taxR` struck out before a kept `ate`. A pure insertion stays exact (ghost text at the cursor).
  if (old.length - prefix - suffix > 0) {
    while (prefix > 0 && isWordChar(old[prefix - 1]!) && isWordChar(old[prefix]!)) prefix--;
    while (suffix > 0 && isWordChar(old[old.length - suffix - 1]!) && isWordChar(old[old.length - suffix]!)) suffix--;
  }
  return {
    startOffset: r.startOffset + prefix,
    endOffset: r.endOffset - suffix,
    newText: neu.slice(prefix, neu.length - suffix),
  };
}
