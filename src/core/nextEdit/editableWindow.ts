// The lines a next-edit model may rewrite, as each family was trained to see them, clipped to the
// document. Sweep (blog.sweep.dev/posts/oss-next-edit, "Sliding Window"): a fixed window of the 10
// lines above the cursor, the cursor's line and the 10 below (21 lines), no AST boundaries. Zeta
// (Zed's zeta1 excerpt): an editable region of about 350 tokens of whole lines around the cursor,
// inside about 150 more tokens of read-only context.
import { estimateTokens } from '../kernel/tokenEstimate';
import { countLineBreaks } from '../kernel/textLines';
import type { EditableWindow, NextEditFormatName } from './nextEditTypes';

export const SWEEP_LINES_ABOVE = 10;
export const SWEEP_LINES_BELOW = 10;
export const ZETA_EDITABLE_TOKENS = 350;
export const ZETA_CONTEXT_TOKENS = 150;

/** 0-based start and exclusive end lines. */
export interface LineRange {
  startLine: number;
  endLine: number;
}

/**
 * A window stays where it was while the cursor stays at least this many lines inside it: moving to
 * the next site of a change two lines down then keeps the prompt's window blocks byte-identical up to
 * the edit, so the KV cache holds them, instead of sliding every line of both blocks by two. Sweep's
 * window carries no cursor marker (the model reads the window, not its middle), and its training
 * windows are off-centre at every file's top and bottom.
 */
export const WINDOW_KEEP_MARGIN_LINES = 3;

/** The window a family rewrites, around `cursorOffset` in `text`; `previous` is this document's last one. */
export function editableWindowFor(format: NextEditFormatName, text: string, cursorOffset: number, previous?: LineRange): EditableWindow {
  return format === 'zeta' ? zetaWindow(text, cursorOffset) : sweepWindow(text, cursorOffset, previous);
}

/**
 * Sweep's fixed window: 10 lines above the cursor's line, that line and 10 below, clipped to the
 * document; or `previous`, when it is still a whole window of this document and the cursor is well
 * inside it (WINDOW_KEEP_MARGIN_LINES).
 */
export function sweepWindow(text: string, cursorOffset: number, previous?: LineRange): EditableWindow {
  const lines = text.split('\n');
  const cursorLine = countLineBreaks(text, cursorOffset);
  const centred = {
    startLine: Math.max(0, cursorLine - SWEEP_LINES_ABOVE),
    endLine: Math.min(lines.length, cursorLine + SWEEP_LINES_BELOW + 1),
  };
  return windowOf(lines, previous && keepsWindow(previous, cursorLine, lines.length) ? previous : centred, cursorOffset);
}

/** True when `previous` is a whole Sweep window of a document of `lineCount` lines with the cursor well inside. */
function keepsWindow(previous: LineRange, cursorLine: number, lineCount: number): boolean {
  const size = Math.min(lineCount, SWEEP_LINES_ABOVE + SWEEP_LINES_BELOW + 1);
  if (previous.startLine < 0 || previous.endLine > lineCount || previous.endLine - previous.startLine !== size) return false;
  // At the document's top or bottom there is no further line to need a margin for.
  const top = previous.startLine === 0 ? 0 : previous.startLine + WINDOW_KEEP_MARGIN_LINES;
  const bottom = previous.endLine === lineCount ? lineCount : previous.endLine - WINDOW_KEEP_MARGIN_LINES;
  return cursorLine >= top && cursorLine < bottom;
}

/** Zeta's editable region: whole lines taken alternately below and above the cursor's line within a token budget. */
export function zetaWindow(text: string, cursorOffset: number, budget = ZETA_EDITABLE_TOKENS): EditableWindow {
  const lines = text.split('\n');
  const cursorLine = countLineBreaks(text, cursorOffset);
  return windowOf(lines, growWithin(lines, { startLine: cursorLine, endLine: cursorLine + 1 }, budget), cursorOffset);
}

/** Zeta's read-only context around its editable region. */
export function zetaContext(text: string, window: LineRange, budget = ZETA_CONTEXT_TOKENS): LineRange {
  return growWithin(text.split('\n'), window, budget);
}

/** Grows `range` a line at a time, below then above, while the added lines fit in `budget` tokens. */
function growWithin(lines: readonly string[], range: LineRange, budget: number): LineRange {
  let { startLine, endLine } = range;
  let spent = 0;
  for (let stuck = 0; stuck < 2; ) {
    stuck = 0;
    for (const below of [true, false]) {
      const line = below ? endLine : startLine - 1;
      if (line < 0 || line >= lines.length) { stuck++; continue; }
      const cost = estimateTokens(lines[line]!) + 1;
      if (spent + cost > budget) { stuck++; continue; }
      spent += cost;
      if (below) endLine++;
      else startLine--;
    }
  }
  return { startLine, endLine };
}

function windowOf(lines: readonly string[], range: LineRange, cursorOffset: number): EditableWindow {
  let start = 0;
  for (let i = 0; i < range.startLine; i++) start += lines[i]!.length + 1;
  const body = lines.slice(range.startLine, range.endLine).join('\n');
  return { ...range, text: body, cursorOffset: Math.min(Math.max(cursorOffset - start, 0), body.length) };
}
