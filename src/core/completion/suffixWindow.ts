// How the text after the cursor is split between the FIM suffix slot ("near") and the stable block
// that goes before the FIM part ("far").
//
// Why: everything after the first changed token of a prompt is re-evaluated on each request, and the
// FIM suffix slot comes after the prefix, which changes on every keystroke. So the slot gets only what
// the model most needs to know where to stop (the rest of the cursor line through the next line of
// code), capped by a small budget; the rest of the code after the cursor travels as a block placed
// before the prefix, where it stays cached while the user types.
//
// Both parts are pure functions of the text after the cursor, and the far block's start is chosen so
// that it also survives what the editor inserts right at the cursor: typing never changes the text
// after the cursor, but auto-closing (`foo(` -> `foo()`) and Enter between braces (`{|}` ->
// `{\n  |\n}`) do, and both only add closers, whitespace and line breaks before the first line
// that holds real code.
//
// Anchor: the first line after the cursor line that holds more than closing brackets, quotes,
// `;`/`,` and whitespace (looking at most 64 lines ahead): the next line of real code.
// Near: from the cursor through the anchor line: the rest of the cursor line (cut by characters if it
// alone is over budget), then whole lines while they fit.
// Far: from the start of the anchor line, whole lines while they fit the far budget (a character cut
// if the first one alone does not fit). When near reaches the anchor line, that one line is in both;
// the overlap is what lets the far block start at a point that does not depend on near's budget, and
// the anchor line is never lost when near is too small for it.
import { endWithinTokens, tokenWeight } from '../kernel/tokenEstimate';
import { nextLineStart } from '../kernel/textLines';

export interface SuffixSplit {
  /** Document offset where the near suffix (the FIM suffix slot) ends. */
  nearEnd: number;
  /** Document offset where the far suffix starts: a line start; near may run past it by one line. */
  farStart: number;
  /** Document offset where the far suffix ends. */
  farEnd: number;
}

/** Lines of closers or blanks skipped at most when looking for the anchor line. */
const MAX_SKIPPED_LINES = 64;

export function splitSuffix(text: string, offset: number, nearTokens: number, farTokens: number): SuffixSplit {
  const farStart = nextCodeLineStart(text, offset);
  const nearEnd = nearSuffixEnd(text, offset, farStart < text.length ? nextLineStart(text, farStart) : farStart, nearTokens);
  const farEnd = wholeLinesEnd(text, farStart, farTokens);
  return { nearEnd, farStart, farEnd };
}

/** Start of the first line after the cursor line with more than closers and whitespace. */
export function nextCodeLineStart(text: string, offset: number): number {
  let start = nextLineStart(text, offset);
  for (let n = 0; n < MAX_SKIPPED_LINES && start < text.length; n++) {
    const end = nextLineStart(text, start);
    if (!onlyClosers(text, start, end)) return start;
    start = end;
  }
  return start;
}

const CLOSER_CODES = new Set([...' \t\r\n)]}>;,\'"`'].map((ch) => ch.charCodeAt(0)));

function onlyClosers(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!CLOSER_CODES.has(text.charCodeAt(i))) return false;
  return true;
}

function nearSuffixEnd(text: string, offset: number, boundary: number, budget: number): number {
  if (budget <= 0 || offset >= text.length) return offset;
  let end = Math.min(nextLineStart(text, offset), boundary);
  let weight = tokenWeight(text, offset, end);
  if (weight > budget) return endWithinTokens(text, offset, end, budget);
  while (end < boundary) {
    const lineEnd = nextLineStart(text, end);
    const lineWeight = tokenWeight(text, end, lineEnd);
    if (weight + lineWeight > budget) break;
    weight += lineWeight;
    end = lineEnd;
  }
  return end;
}

/** End of the longest run of whole lines from `start` within budget (a character cut if none fits). */
export function wholeLinesEnd(text: string, start: number, budget: number): number {
  if (budget <= 0 || start >= text.length) return start;
  let end = start;
  let weight = 0;
  while (end < text.length) {
    const lineEnd = nextLineStart(text, end);
    const lineWeight = tokenWeight(text, end, lineEnd);
    if (weight + lineWeight > budget) {
      if (end === start) return endWithinTokens(text, start, lineEnd, budget);
      break;
    }
    weight += lineWeight;
    end = lineEnd;
  }
  return end;
}
