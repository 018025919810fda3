// Turns a next-edit model's answer (its rewrite of the editable window) into the few small edits the
// editor shows, or into the reason nothing should be shown. The model rewrites the whole window even
// when it changes one identifier, so what the user sees is the difference, computed by
// edits/textReplacements.ts (lines aligned, then words, then trimmed to the changed characters) and
// mapped from the window to document offsets (CRLF documents included).
//
// Nothing is shown when:
//   cut-off        generation ended on its token limit, its timeout or an abort before the format's end:
//                  the rest of the window is missing, and diffing it would delete those lines;
//   empty          the answer holds nothing but whitespace and markup;
//   markup         the answer holds a control marker (`<|name|>`) that the window does not, i.e. the
//                  model wandered into the format's scaffolding (a second region, a FIM token);
//   stale          the window is not the document's text at its lines (the inputs disagree);
//   outside-window the rewrite reaches past the window (see "The window's edges" below);
//   too-long       the rewrite is more than twice the window's length plus two lines: a model repeating
//                  itself, not an edit;
//   no-change      the rewrite equals the window, ignoring whitespace at line ends;
//   repeats-undo   the rewrite only redoes a change the user just undid.
//
// The window's edges. The model may change, add or delete lines anywhere inside the window, including
// its first and last lines, and may add new lines at its top or bottom. It may not:
//   - begin with the document's line(s) just above the window, or end with the line(s) just below it,
//     when the window itself does not (it rewrote code outside the window: applying the rewrite
//     would duplicate those lines); nor add, before the window's first line or after its last, lines
//     that resemble (70% of their words in common) the lines on the other side of that edge: the
//     model started early or ran on, copying the line outside with a change we cannot show there;
//   - drop two or more lines at the window's top or bottom with nothing in their place (it started
//     late or stopped early, losing track of the window's extent; one line is allowed, since deleting
//     the last line of the window is an edit a user makes).
// Lines without a word (blank lines, a lone `}`) are not evidence of a spill: a rewrite that starts or
// ends with one is not refused because the document has one there too. The price of the resemblance
// rule: a new line added at the window's very edge that looks like its neighbour outside (a second
// import after the window's last) is refused too; showing nothing is the safe mistake.
import type { GenerationResult } from '../kernel/completionTypes';
import { diffWordsWithSpace } from 'diff';
import { usesCrlf } from '../kernel/textLines';
import { alignLines, minimalReplacements } from '../edits/textReplacements';
import type { EditHunk, NextEditFormatName, NextEditPrompt, SuggestedEdit } from './nextEditTypes';

/** What the backend returned for the prompt. */
export interface NextEditAnswer {
  /** Generated text, as the backend gave it (with or without the stop string that ended it). */
  text: string;
  stoppedBy: GenerationResult['stoppedBy'];
}

export interface AnswerContext {
  prompt: NextEditPrompt;
  /** The document's text when the prompt was built (the window's lines are read from it). */
  documentText: string;
  /** The document's path, to pick this document's undos out of `recentUndos`. */
  path?: string;
  /** Changes the user's undos made recently (original = before the undo), newest last. */
  recentUndos?: readonly EditHunk[];
}

export type NextEditRefusal =
  | 'cut-off'
  | 'empty'
  | 'markup'
  | 'stale'
  | 'outside-window'
  | 'too-long'
  | 'no-change'
  | 'repeats-undo';

export type AnswerResult =
  | {
      edits: SuggestedEdit[];
      /** The window as the model rewrote it (LF), for the prefetch of the state after accepting. */
      rewrittenWindow: string;
    }
  | { refused: NextEditRefusal; detail: string };

/** Markers a format's answer may carry around or inside the rewritten window. */
interface AnswerMarkup {
  /** Opens the rewritten region; what comes before it must be blank. */
  regionStart?: string;
  /** Closes it (when the backend did not stop on it). */
  regionEnd?: string;
  /** The cursor marker the model may copy from the prompt into its rewrite. */
  cursor?: string;
  /** The prompt ends on a header line without its line break, so the answer starts with that break. */
  afterHeaderLine?: boolean;
}

/**
 * Per format, from its model card: Sweep's prompt ends at its `<|file_sep|>updated/{path}` header and
 * the model answers with that line's break, then the bare window; Zeta repeats Zed's region markers.
 */
const ANSWER_MARKUP: Record<NextEditFormatName, AnswerMarkup> = {
  sweep: { afterHeaderLine: true },
  zeta: {
    regionStart: '<|editable_region_start|>',
    regionEnd: '<|editable_region_end|>',
    cursor: '<|user_cursor_is_here|>',
  },
};

/** Lines above and below the window compared with the rewrite's first and last lines. */
const EDGE_CONTEXT_LINES = 3;
/** Lines a rewrite may drop at the window's top or bottom (see the header). */
const EDGE_DELETE_ALLOWANCE = 1;
/** Word-level similarity above which a line next to the window counts as copied into the rewrite. */
const SPILL_SIMILARITY = 0.7;

const CONTROL_MARKER = /<\|[A-Za-z0-9_]+\|>/g;

function refuse(refused: NextEditRefusal, detail: string): AnswerResult {
  return { refused, detail };
}

/** The window's new text from the answer, or why there is none. */
function rewrittenWindow(answer: NextEditAnswer, prompt: NextEditPrompt): string | { refused: NextEditRefusal; detail: string } {
  let text = answer.text;
  const stopAt = Math.min(...prompt.stop.map((s) => (s === '' ? -1 : text.indexOf(s))).filter((i) => i >= 0), Infinity);
  if (stopAt !== Infinity) text = text.slice(0, stopAt);
  else if (answer.stoppedBy === 'maxTokens' || answer.stoppedBy === 'timeout' || answer.stoppedBy === 'abort') {
    return { refused: 'cut-off', detail: `the answer ended on ${answer.stoppedBy} before the end of the rewrite` };
  }
  text = text.replace(/\r\n/g, '\n');

  const markup = ANSWER_MARKUP[prompt.format];
  if (markup.afterHeaderLine) text = text.replace(/^\n/, '');
  if (markup.regionStart) {
    const start = text.indexOf(markup.regionStart);
    if (start >= 0) {
      if (text.slice(0, start).trim() !== '') return { refused: 'markup', detail: `text before ${markup.regionStart}` };
      text = text.slice(start + markup.regionStart.length).replace(/^\n/, '');
    }
  }
  if (markup.regionEnd) {
    const end = text.indexOf(markup.regionEnd);
    if (end >= 0) text = text.slice(0, end);
  }
  if (markup.cursor) text = text.split(markup.cursor).join('');
  // The window has no final line break; the rewrite is usually followed by one before the end marker.
  text = text.replace(/\n$/, '');

  const windowText = normalizeWindow(prompt.window.text);
  const foreign = [...text.matchAll(CONTROL_MARKER)].map((m) => m[0]).find((m) => !windowText.includes(m));
  if (foreign) return { refused: 'markup', detail: `the rewrite holds ${foreign}` };
  if (text.trim() === '' && windowText.trim() !== '') return { refused: 'empty', detail: 'the answer rewrote the window as nothing' };
  return text;
}

function normalizeWindow(text: string): string {
  return text.replace(/\r\n/g, '\n');
}

/** Lines [from, to) of `text` (clamped) with their start offsets; `\r` before `\n` is not part of a line. */
function documentLines(text: string, from: number, to: number): { lines: string[]; starts: number[] } {
  const lines: string[] = [];
  const starts: number[] = [];
  let line = 0;
  let start = 0;
  while (line < to) {
    const nl = text.indexOf('\n', start);
    if (line >= from) {
      const end = nl < 0 ? text.length : nl;
      starts.push(start);
      lines.push(text.slice(start, end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end));
    }
    line++;
    if (nl < 0) break;
    start = nl + 1;
  }
  return { lines, starts };
}

const sameLines = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((l, i) => l === b[i]);

/** Share of non-whitespace characters two lines have in common, word by word (0..1). */
function similarity(a: string, b: string): number {
  const total = nonSpace(a) + nonSpace(b);
  if (total === 0) return 1;
  const common = diffWordsWithSpace(a, b).reduce((n, c) => (c.added || c.removed ? n : n + nonSpace(c.value)), 0);
  return (2 * common) / total;
}

const nonSpace = (s: string): number => s.replace(/\s+/g, '').length;
const hasWord = (lines: readonly string[]): boolean => lines.some((l) => /[\p{L}\p{N}_$]/u.test(l));
/** A line outside the window that the rewrite copied, perhaps with a change. */
const resembles = (a: string, b: string): boolean => a.trim() === b.trim() || similarity(a, b) >= SPILL_SIMILARITY;

/** Why the rewrite reaches past the window's edges, or undefined when it stays inside. */
function edgeProblem(window: string[], rewrite: string[], above: string[], below: string[]): string | undefined {
  for (let j = 1; j <= Math.min(above.length, rewrite.length); j++) {
    const spilled = rewrite.slice(0, j);
    const outside = above.slice(above.length - j);
    const copied = sameLines(spilled, outside) && !sameLines(spilled, window.slice(0, j));
    const shifted = rewrite[j] === window[0] && spilled.every((l, i) => resembles(l, outside[i]!));
    if ((copied || shifted) && hasWord(spilled)) return `the rewrite starts with ${j} line(s) from above the window`;
  }
  for (let j = 1; j <= Math.min(below.length, rewrite.length); j++) {
    const spilled = rewrite.slice(rewrite.length - j);
    const outside = below.slice(0, j);
    const copied = sameLines(spilled, outside) && !sameLines(spilled, window.slice(window.length - j));
    const shifted = rewrite[rewrite.length - j - 1] === window[window.length - 1] && spilled.every((l, i) => resembles(l, outside[i]!));
    if ((copied || shifted) && hasWord(spilled)) return `the rewrite ends with ${j} line(s) from below the window`;
  }
  const blocks = alignLines(window, rewrite);
  const first = blocks[0];
  const last = blocks[blocks.length - 1];
  if (first && first.beforeStart === 0 && first.afterCount === 0 && first.beforeCount > EDGE_DELETE_ALLOWANCE) {
    return `the rewrite drops the window's first ${first.beforeCount} lines`;
  }
  if (last && last.beforeStart + last.beforeCount === window.length && last.afterCount === 0 && last.beforeCount > EDGE_DELETE_ALLOWANCE) {
    return `the rewrite drops the window's last ${last.beforeCount} lines`;
  }
  return undefined;
}

/** True when turning `window` into `rewrite` is exactly redoing one of the undos (its `updated` back to `original`). */
function redoesUndo(window: string[], rewrite: string[], undos: readonly EditHunk[]): boolean {
  for (const undo of undos) {
    const undone = undo.updated.split('\n');
    const restored = undo.original.split('\n');
    // '' is ambiguous between "no lines" (a pure insertion or deletion) and one empty line: try both.
    const undoneForms = undo.updated === '' ? [undone, []] : [undone];
    const restoredForms = undo.original === '' ? [restored, []] : [restored];
    for (const from of undoneForms) {
      for (let p = 0; p + from.length <= window.length; p++) {
        if (!sameLines(window.slice(p, p + from.length), from)) continue;
        for (const to of restoredForms) {
          const redone = [...window.slice(0, p), ...to, ...window.slice(p + from.length)];
          if (sameLines(redone, rewrite)) return true;
        }
      }
    }
  }
  return false;
}

/** The edits that turn the window into the model's rewrite, in document offsets; or why there are none. */
export function answerToEdits(answer: NextEditAnswer, context: AnswerContext): AnswerResult {
  const { prompt, documentText } = context;
  const rewrite = rewrittenWindow(answer, prompt);
  if (typeof rewrite !== 'string') return rewrite;

  const window = prompt.window;
  const windowText = normalizeWindow(window.text);
  const windowLines = windowText.split('\n');
  const from = Math.max(0, window.startLine - EDGE_CONTEXT_LINES);
  const doc = documentLines(documentText, from, window.endLine + EDGE_CONTEXT_LINES);
  const inWindow = doc.lines.slice(window.startLine - from, window.endLine - from);
  if (window.endLine - window.startLine !== windowLines.length || !sameLines(inWindow, windowLines)) {
    return refuse('stale', `the document's lines ${window.startLine}-${window.endLine - 1} are not the window's text`);
  }

  const rewriteLines = rewrite.split('\n');
  if (sameLines(rewriteLines.map((l) => l.trimEnd()), windowLines.map((l) => l.trimEnd()))) {
    return refuse('no-change', 'the rewrite equals the window');
  }
  if (rewriteLines.length > 2 * windowLines.length + 2) {
    return refuse('too-long', `the rewrite has ${rewriteLines.length} lines for a window of ${windowLines.length}`);
  }
  const above = doc.lines.slice(0, window.startLine - from);
  const below = doc.lines.slice(window.endLine - from);
  const edge = edgeProblem(windowLines, rewriteLines, above, below);
  if (edge) return refuse('outside-window', edge);

  const undos = (context.recentUndos ?? []).filter((u) => context.path === undefined || u.path === context.path);
  if (redoesUndo(windowLines, rewriteLines, undos)) return refuse('repeats-undo', 'the rewrite redoes a change you just undid');

  const windowStarts = doc.starts.slice(window.startLine - from, window.endLine - from);
  const lineOfWindowOffset = lineIndex(windowLines);
  const toDocument = (offset: number): number => {
    const { line, column } = lineOfWindowOffset(offset);
    return windowStarts[line]! + column;
  };
  const eol = usesCrlf(documentText) ? '\r\n' : '\n';
  const cursor = window.cursorOffset - (window.text.slice(0, window.cursorOffset).match(/\r\n/g)?.length ?? 0);
  const edits = minimalReplacements(windowText, rewrite, { cursor }).map((r) => ({
    startOffset: toDocument(r.startOffset),
    endOffset: toDocument(r.endOffset),
    newText: eol === '\n' ? r.newText : r.newText.replace(/\n/g, eol),
  }));
  return { edits, rewrittenWindow: rewrite };
}

/** Maps an offset in the lines joined with `\n` to its line and column (the line break counts as the line's end). */
function lineIndex(lines: readonly string[]): (offset: number) => { line: number; column: number } {
  const starts: number[] = [];
  let at = 0;
  for (const line of lines) {
    starts.push(at);
    at += line.length + 1;
  }
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, column: offset - starts[lo]! };
  };
}
