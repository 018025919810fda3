// Where the prefix window starts: the text before the cursor that a prompt carries.
//
// Why this is its own concept: the llama worker keeps one KV cache and reuses the longest common
// token prefix with the previous prompt. If the window start slid one line per keystroke (as "take
// the last N tokens" does), every token of the prefix would shift and the whole window (~1000 tokens,
// ~4 s at 255 tok/s on this CPU) would be re-evaluated on every request. So the start is chosen from
// a coarse grid of line numbers: while the user types, the start stays byte-stable and only moves,
// in a jump of a whole grid cell, once the window has outgrown its budget. A pure function of
// (text, offset, budget): no state to keep, and the same answer for the same input.
//
// Rule: let `first` be the earliest line whose start still fits the budget (tokens from the line start
// to the cursor). The window starts at the first line >= `first` whose number is a multiple of the
// grid size G, where G = the largest power of two <= budget/24 lines (about a quarter of the budget
// for code at ~8-12 tokens a line), clamped to [4, 64]. If no multiple of G lies between `first` and
// the cursor line, G is halved until one does (G = 1 is `first` itself). If even the cursor line
// alone is over budget (minified code), the cut falls inside that line, on a 64-character grid
// counted from the line start, so it too moves rarely.
import { startWithinTokens, tokenWeight } from '../kernel/tokenEstimate';
import { countLineBreaks, lineStartAt } from '../kernel/textLines';

const CHAR_GRID = 64;

/** The grid size in lines used for a prefix budget (see file header). */
export function prefixGridLines(budgetTokens: number): number {
  const target = Math.max(1, Math.floor(budgetTokens / 24));
  let grid = 1;
  while (grid * 2 <= target) grid *= 2;
  return Math.min(64, Math.max(4, grid));
}

/**
 * Offset at which the prefix window for a cursor at `offset` starts.
 * @param gridLines grid size in lines; defaults to prefixGridLines(budgetTokens).
 */
export function prefixWindowStart(
  text: string,
  offset: number,
  budgetTokens: number,
  gridLines = prefixGridLines(budgetTokens),
): number {
  if (offset <= 0 || budgetTokens <= 0) return offset <= 0 ? 0 : offset;
  const cursorLineStart = lineStartAt(text, offset);
  const cursorLineWeight = tokenWeight(text, cursorLineStart, offset);
  if (cursorLineWeight > budgetTokens) return characterCut(text, cursorLineStart, offset, budgetTokens);

  // Walk whole lines back from the cursor line while they fit; remember their starts, newest first.
  const starts = [cursorLineStart];
  let weight = cursorLineWeight;
  let start = cursorLineStart;
  while (start > 0) {
    const prevStart = lineStartAt(text, start - 1);
    weight += tokenWeight(text, prevStart, start);
    if (weight > budgetTokens) break;
    starts.push(prevStart);
    start = prevStart;
  }
  if (start === 0) return 0;

  // starts[k] is the start of line (cursorLine - k); `first` = cursorLine - (starts.length - 1).
  const cursorLine = countLineBreaks(text, cursorLineStart);
  const first = cursorLine - (starts.length - 1);
  for (let grid = Math.max(1, gridLines); grid >= 1; grid = Math.floor(grid / 2)) {
    const line = Math.ceil(first / grid) * grid;
    if (line <= cursorLine) return starts[cursorLine - line]!;
    if (grid === 1) break;
  }
  return cursorLineStart;
}

/** Start inside an over-long cursor line: the earliest 64-char grid point that fits the budget. */
function characterCut(text: string, lineStart: number, offset: number, budgetTokens: number): number {
  const minimal = startWithinTokens(text, lineStart, offset, budgetTokens);
  let cut = lineStart + Math.ceil((minimal - lineStart) / CHAR_GRID) * CHAR_GRID;
  if (cut > offset) cut = minimal;
  const code = text.charCodeAt(cut);
  // Never start on the second half of a surrogate pair.
  if (cut > 0 && cut < offset && code >= 0xdc00 && code <= 0xdfff) cut++;
  return cut;
}
