// How the text after the cursor is split between the FIM suffix slot ("near") and the stable block
// that goes before the FIM part ("far").
//
// Why: everything after the first changed token of a prompt is re-evaluated on each request, and the
// FIM suffix slot comes after the prefix, which changes on every keystroke. So the slot gets only what
// the model most needs to know where to stop (the rest of the cursor line and the next non-blank
// line), capped by a small budget; the rest of the code after the cursor travels as a block placed
// before the prefix, where it stays cached while the user types (typing never changes the text
// after the cursor). Both cuts are pure functions of the text after the cursor, so they are
// byte-stable while the user types.
//
// Near: the rest of the cursor line including its line break, then following lines up to and
// including the first non-blank one, each only if it fits whole. If the rest of the cursor line
// alone is over budget, it is cut by characters.
// Far: from the end of near, whole lines while they fit the far budget (a character cut if the first
// one alone does not fit).
import { endWithinTokens, tokenWeight } from './tokenEstimate';
import { isBlank, nextLineStart } from './textLines';

export interface SuffixSplit {
  /** Document offset where the near suffix ends and the far suffix starts. */
  nearEnd: number;
  /** Document offset where the far suffix ends. */
  farEnd: number;
}

export function splitSuffix(text: string, offset: number, nearTokens: number, farTokens: number): SuffixSplit {
  const nearEnd = nearSuffixEnd(text, offset, nearTokens);
  const farEnd = wholeLinesEnd(text, nearEnd, farTokens);
  return { nearEnd, farEnd };
}

function nearSuffixEnd(text: string, offset: number, budget: number): number {
  if (budget <= 0 || offset >= text.length) return offset;
  let end = nextLineStart(text, offset);
  let weight = tokenWeight(text, offset, end);
  if (weight > budget) return endWithinTokens(text, offset, end, budget);
  while (end < text.length) {
    const lineEnd = nextLineStart(text, end);
    const lineWeight = tokenWeight(text, end, lineEnd);
    if (weight + lineWeight > budget) break;
    weight += lineWeight;
    const blank = isBlank(text.slice(end, lineEnd));
    end = lineEnd;
    if (!blank) break;
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
