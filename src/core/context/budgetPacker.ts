// Chooses which context snippets go into the prompt's context budget, and in what order.
//
// Candidates come from several sources (recent edits, definitions, similar code) with scores that
// aren't comparable enough to trust beyond "higher is better", so this is a plain greedy pick by
// score. The output order deliberately ignores the scores: snippets are sorted by file and line so
// the same set renders byte-identically in the prompt on every keystroke, even when scores wobble.
// That keeps the prompt prefix stable, which is what lets the model's KV cache be reused.

import type { ContextSnippet } from '../kernel/completionTypes';
import { estimateTokens } from '../kernel/tokenEstimate';

export interface ScoredSnippet extends ContextSnippet {
  /** Higher is more useful. NaN counts as least useful. */
  score: number;
}

export type PackedSnippet<T extends ScoredSnippet = ScoredSnippet> = T & PackedExtras;

interface PackedExtras {
  /** estimateTokens(text). */
  tokens: number;
  /** True when the snippet was cut short at a line boundary to fit the budget. */
  trimmed: boolean;
}

export interface PackResult<T extends ScoredSnippet = ScoredSnippet> {
  /** In render order: file path (code-unit order, not locale), then startLine. */
  snippets: PackedSnippet<T>[];
  /** Sum of the snippets' tokens and their overheads; never more than the budget. */
  totalTokens: number;
}

export interface PackOptions {
  /** A snippet cut below this many tokens isn't worth its header in the prompt; drop it instead. */
  minTrimTokens?: number;
  /** Tokens a snippet costs beyond its text in the prompt (its file header); 0 by default. */
  overheadTokens?: (snippet: ContextSnippet) => number;
}

export const DEFAULT_MIN_TRIM_TOKENS = 32;

export function packSnippets<T extends ScoredSnippet>(
  candidates: readonly T[],
  budgetTokens: number,
  options: PackOptions = {},
): PackResult<T> {
  const minTrim = Math.max(1, options.minTrimTokens ?? DEFAULT_MIN_TRIM_TOKENS);
  const budget = Math.max(0, Math.floor(budgetTokens));
  const overheadOf = options.overheadTokens ?? (() => 0);
  const chosen: PackedSnippet<T>[] = [];
  let used = 0;

  for (const candidate of [...candidates].sort(byScore)) {
    if (used >= budget) break;
    if (candidate.text.length === 0) continue;
    // The higher-scored snippet already covers part of this range. Merging would need both texts
    // to agree line for line, which snippets read at different times (index vs. live buffer) don't
    // promise, so the lower score simply yields.
    if (chosen.some((c) => overlaps(c, candidate))) continue;

    const tokens = estimateTokens(candidate.text);
    const overhead = Math.max(0, overheadOf(candidate));
    if (used + tokens + overhead <= budget) {
      chosen.push({ ...candidate, tokens, trimmed: false });
      used += tokens + overhead;
      continue;
    }
    const room = budget - used - overhead;
    if (room < minTrim) continue;
    const cut = trimToLines(candidate, room);
    if (cut && cut.tokens >= minTrim) {
      chosen.push(cut);
      used += cut.tokens + overhead;
      // What is left after a trim is below one worthwhile snippet; stop rather than scatter scraps.
      break;
    }
  }

  chosen.sort(byPosition);
  return { snippets: chosen, totalTokens: used };
}

/** The longest leading run of whole lines that fits in `room` tokens, or undefined if none does. */
function trimToLines<T extends ScoredSnippet>(snippet: T, room: number): PackedSnippet<T> | undefined {
  const endsWithNewline = snippet.text.endsWith('\n');
  const lines = (endsWithNewline ? snippet.text.slice(0, -1) : snippet.text).split('\n');
  const textOf = (count: number) => lines.slice(0, count).join('\n') + (endsWithNewline ? '\n' : '');
  // Estimates grow with the line count, so binary search for the last count that fits.
  let lo = 0;
  let hi = lines.length - 1; // the full text is known not to fit
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (estimateTokens(textOf(mid)) <= room) lo = mid;
    else hi = mid - 1;
  }
  if (lo === 0) return undefined;
  const text = textOf(lo);
  return {
    ...snippet,
    text,
    endLine: snippet.startLine + lo - 1,
    tokens: estimateTokens(text),
    trimmed: true,
  };
}

function overlaps(a: ContextSnippet, b: ContextSnippet): boolean {
  return a.file === b.file && a.startLine <= b.endLine && b.startLine <= a.endLine;
}

function scoreOf(s: ScoredSnippet): number {
  return Number.isNaN(s.score) ? -Infinity : s.score;
}

/** Highest score first; ties fall back to position so the pick never depends on input order. */
function byScore(a: ScoredSnippet, b: ScoredSnippet): number {
  const sa = scoreOf(a);
  const sb = scoreOf(b);
  if (sa !== sb) return sb > sa ? 1 : -1;
  return byPosition(a, b);
}

function byPosition(a: ContextSnippet, b: ContextSnippet): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.startLine - b.startLine || a.endLine - b.endLine || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0);
}
