// Decides how a next-edit suggestion is shown with VS Code's stable API, which draws ghost text only
// at the cursor: insertions that start at the cursor and stay on its line become one inline completion
// (its range covering the rest of the line the insertions are spread over); anything else is drawn as
// decorations (deleted text struck through, inserted text as ghost-styled after-text) with a marker at
// the cursor, and Tab first jumps to the edit nearest the cursor, then applies every edit at once.
// Plain offsets in, plain offsets out: the vscode adapter turns them into ranges.
import type { SuggestedEdit } from './nextEditTypes';
import { countLineBreaks, lineEndAt, lineStartAt } from '../kernel/textLines';

/** Inserted text longer than this is cut in its after-text (the hover shows it whole). */
const INSERTION_LABEL_CHARS = 60;

/** One inline completion at the cursor: replace [startOffset, endOffset) with `text`. */
export interface GhostDisplay {
  kind: 'ghost';
  startOffset: number;
  endOffset: number;
  text: string;
}

export interface DecorationsDisplay {
  kind: 'decorations';
  /** Text the suggestion removes, to strike through. */
  deletions: Array<{ startOffset: number; endOffset: number }>;
  /** Text the suggestion adds, drawn after `offset` (after the text it replaces). */
  insertions: Array<{ offset: number; text: string; label: string }>;
  /** Where the first Tab puts the cursor: the start of the edit nearest to it. */
  jumpOffset: number;
  /** False when the cursor is on that edit's line already: the first Tab applies. */
  needsJump: boolean;
  /** Where that edit is, seen from the cursor's line. */
  direction: 'above' | 'below' | 'here';
  /** Where the cursor goes once the edits are applied: the end of that edit's new text. */
  offsetAfterApply: number;
}

export type NextEditDisplay = GhostDisplay | DecorationsDisplay;

/** True when the edits are sorted, don't overlap, stay inside `text` and change something. */
export function editsFit(text: string, edits: readonly SuggestedEdit[]): boolean {
  let previousEnd = 0;
  for (const edit of edits) {
    if (!Number.isInteger(edit.startOffset) || !Number.isInteger(edit.endOffset)) return false;
    if (edit.startOffset < previousEnd || edit.endOffset < edit.startOffset || edit.endOffset > text.length) return false;
    if (edit.newText === text.slice(edit.startOffset, edit.endOffset)) return false;
    previousEnd = edit.endOffset;
  }
  return edits.length > 0;
}

/** `text` with the (sorted, non-overlapping) edits applied. */
export function applyEdits(text: string, edits: readonly SuggestedEdit[]): string {
  let out = '';
  let at = 0;
  for (const edit of edits) {
    out += text.slice(at, edit.startOffset) + edit.newText;
    at = edit.endOffset;
  }
  return out + text.slice(at);
}

/**
 * How to show `edits` (sorted, non-overlapping: see editsFit) with the cursor at `cursorOffset` of
 * `text`; undefined when they don't fit the text.
 */
export function planDisplay(text: string, cursorOffset: number, edits: readonly SuggestedEdit[]): NextEditDisplay | undefined {
  if (!editsFit(text, edits)) return undefined;
  return ghostAtCursor(text, cursorOffset, edits) ?? planDecorations(text, cursorOffset, edits);
}

function ghostAtCursor(text: string, cursorOffset: number, edits: readonly SuggestedEdit[]): GhostDisplay | undefined {
  const lineEnd = lineEndAt(text, cursorOffset);
  const insertionsOnLine = edits.every((e) => e.startOffset === e.endOffset && e.startOffset <= lineEnd);
  if (!insertionsOnLine || edits[0]!.startOffset !== cursorOffset) return undefined;
  const endOffset = edits[edits.length - 1]!.endOffset;
  // The line's own text between the insertions stays: VS Code shows what the range gains as ghost text.
  const spanEdits = edits.map((e) => ({ ...e, startOffset: e.startOffset - cursorOffset, endOffset: e.endOffset - cursorOffset }));
  return { kind: 'ghost', startOffset: cursorOffset, endOffset, text: applyEdits(text.slice(cursorOffset, endOffset), spanEdits) };
}

/**
 * The decorations for `edits` (which must fit `text`), whatever they are: once Tab has jumped to an
 * edit, it stays drawn the same way until the next Tab applies it.
 */
export function planDecorations(text: string, cursorOffset: number, edits: readonly SuggestedEdit[]): DecorationsDisplay {
  const cursorLine = countLineBreaks(text, cursorOffset);
  const lineOf = (offset: number): number => countLineBreaks(text, offset);
  let nearest = 0;
  for (let i = 1; i < edits.length; i++) {
    if (Math.abs(lineOf(edits[i]!.startOffset) - cursorLine) < Math.abs(lineOf(edits[nearest]!.startOffset) - cursorLine)) nearest = i;
  }
  const target = edits[nearest]!;
  const targetLine = lineOf(target.startOffset);
  // Every edit before the target shifts it by what it adds or removes.
  const shift = edits.slice(0, nearest).reduce((sum, e) => sum + e.newText.length - (e.endOffset - e.startOffset), 0);
  return {
    kind: 'decorations',
    deletions: edits.filter((e) => e.endOffset > e.startOffset).map((e) => ({ startOffset: e.startOffset, endOffset: e.endOffset })),
    insertions: edits.filter((e) => e.newText !== '').map((e) => ({ offset: e.endOffset, text: e.newText, label: insertionLabel(e.newText) })),
    jumpOffset: target.startOffset,
    needsJump: targetLine !== cursorLine,
    direction: targetLine < cursorLine ? 'above' : targetLine > cursorLine ? 'below' : 'here',
    offsetAfterApply: target.startOffset + shift + target.newText.length,
  };
}

/** The whole lines the edits touch, before and after them (for a diff in the decorations' hover). */
export function editedLines(text: string, edits: readonly SuggestedEdit[]): { before: string; after: string } {
  const from = lineStartAt(text, edits[0]!.startOffset);
  const to = lineEndAt(text, edits[edits.length - 1]!.endOffset);
  const local = edits.map((e) => ({ ...e, startOffset: e.startOffset - from, endOffset: e.endOffset - from }));
  const before = text.slice(from, to);
  return { before, after: applyEdits(before, local) };
}

/** Inserted text as one line of after-text: line breaks shown as ⏎, long text cut with an ellipsis. */
export function insertionLabel(inserted: string): string {
  const oneLine = inserted.replace(/\r?\n/g, ' ⏎ ').replace(/\t/g, '  ');
  return oneLine.length > INSERTION_LABEL_CHARS ? `${oneLine.slice(0, INSERTION_LABEL_CHARS - 1)}…` : oneLine;
}

/** The marker drawn at the cursor while a suggestion is shown as decorations. */
export function markerText(display: DecorationsDisplay): string {
  if (!display.needsJump) return 'Tab to accept';
  return `Tab to jump ${display.direction === 'above' ? '↑' : '↓'}`;
}

/**
 * The document and the cursor once the user accepts `edits` shown as `display`: ghost text leaves the
 * cursor after what it inserted, decorations where the presenter puts it. What the prefetch of the
 * following suggestion asks about.
 */
export function stateAfterAccepting(text: string, display: NextEditDisplay, edits: readonly SuggestedEdit[]): { text: string; cursorOffset: number } {
  const cursorOffset = display.kind === 'ghost' ? display.startOffset + display.text.length : display.offsetAfterApply;
  return { text: applyEdits(text, edits), cursorOffset };
}
