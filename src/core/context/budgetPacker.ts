// Chooses which context snippets go into the prompt's context budget, and in what order.
//
// Candidates come from several sources (recent edits, definitions, similar code) with scores that
// aren't comparable enough to trust beyond "higher is better", so this is a plain greedy pick by
// score. The output order deliberately ignores the scores: snippets are sorted by file and line so
// the same set renders byte-identically in the prompt on every keystroke, even when scores wobble.
// That keeps the prompt prefix stable, which is what lets the model's KV cache be reused.
//
// Snippets of one file whose ranges overlap combine into one (a class's outline and the body of
// the method asked about, in place) when their texts agree on the lines they share; otherwise the
// lower score yields. A snippet too big for the room left is cut, and packing goes on: cheaper
// candidates further down may still fit.

import type { ContextSnippet } from '../kernel/completionTypes';
import { estimateTokens } from '../kernel/tokenEstimate';
import { range } from './definitionLines';

export interface ScoredSnippet extends ContextSnippet {
  /** Higher is more useful. NaN counts as least useful. */
  score: number;
  /**
   * The file lines `text` shows, one per line of text, ascending, when they are not startLine..endLine
   * in a row (an outline skips member bodies). startLine and endLine are its first and last.
   */
  lines?: readonly number[];
  /** Leading lines (decorators, annotations) that a cut drops before any other: nice to have only. */
  leadLines?: number;
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
    const touching = chosen.filter((c) => overlaps(c, candidate));
    if (touching.length > 0) {
      // Already chosen snippets cover part of this range: combine when the texts agree line for
      // line (snippets read at different times, index vs. live buffer, may not), else yield.
      const merged = combine([...touching, candidate]);
      if (!merged) continue;
      const freed = touching.reduce((sum, c) => sum + c.tokens + Math.max(0, overheadOf(c)), 0);
      const cost = merged.tokens + Math.max(0, overheadOf(merged)) - freed;
      if (used + cost > budget) continue;
      for (const c of touching) chosen.splice(chosen.indexOf(c), 1);
      chosen.push(merged);
      used += cost;
      continue;
    }

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
    }
  }

  chosen.sort(byPosition);
  return { snippets: chosen, totalTokens: used };
}

/** A snippet's text split into lines, each with its line number in the file. */
interface NumberedLines {
  numbers: number[];
  texts: string[];
  endsWithNewline: boolean;
}

/** Undefined when the text's line count does not match the lines it claims to show. */
function numberedLines(snippet: ScoredSnippet): NumberedLines | undefined {
  const endsWithNewline = snippet.text.endsWith('\n');
  const texts = (endsWithNewline ? snippet.text.slice(0, -1) : snippet.text).split('\n');
  const numbers = snippet.lines ? [...snippet.lines] : range(snippet.startLine, snippet.endLine);
  return numbers.length === texts.length ? { numbers, texts, endsWithNewline } : undefined;
}

function joinLines(texts: readonly string[], endsWithNewline: boolean): string {
  return texts.join('\n') + (endsWithNewline ? '\n' : '');
}

/**
 * One snippet showing every line of `parts` (snippets of one file), or undefined when two parts
 * disagree on a line's text. It keeps the best part's score and kind, and every part's reason.
 */
function combine<T extends ScoredSnippet>(parts: readonly T[]): PackedSnippet<T> | undefined {
  const byLine = new Map<number, string>();
  for (const part of parts) {
    const numbered = numberedLines(part);
    if (!numbered) return undefined;
    for (let i = 0; i < numbered.numbers.length; i++) {
      const line = numbered.numbers[i]!;
      const text = numbered.texts[i]!;
      const known = byLine.get(line);
      if (known !== undefined && known !== text) return undefined;
      byLine.set(line, text);
    }
  }
  const ranked = [...parts].sort(byScore);
  const best = ranked[0]!;
  const numbers = [...byLine.keys()].sort((a, b) => a - b);
  const startLine = numbers[0]!;
  const endLine = numbers[numbers.length - 1]!;
  const text = joinLines(
    numbers.map((n) => byLine.get(n)!),
    best.text.endsWith('\n'),
  );
  const reasons = [...new Set(ranked.flatMap((p) => p.reason.split('; ')))];
  const contiguous = endLine - startLine + 1 === numbers.length;
  const merged: PackedSnippet<T> = {
    ...best,
    startLine,
    endLine,
    text,
    reason: reasons.join('; '),
    tokens: estimateTokens(text),
    trimmed: parts.some((p) => (p as Partial<PackedExtras>).trimmed === true),
  };
  if (contiguous) delete merged.lines;
  else merged.lines = numbers;
  // Decorators inside a combined snippet stay: they are no longer leading lines to cut first.
  delete merged.leadLines;
  return merged;
}

/**
 * The longest leading run of whole lines that fits in `room` tokens, or undefined if none does.
 * Leading decorator lines (`leadLines`) go first, so the signature under them survives the cut.
 */
function trimToLines<T extends ScoredSnippet>(snippet: T, room: number): PackedSnippet<T> | undefined {
  const numbered = numberedLines(snippet);
  const lead = Math.max(0, snippet.leadLines ?? 0);
  const endsWithNewline = snippet.text.endsWith('\n');
  const all = numbered?.texts ?? (endsWithNewline ? snippet.text.slice(0, -1) : snippet.text).split('\n');
  const skip = numbered && lead < all.length ? lead : 0;
  const texts = all.slice(skip);
  const textOf = (count: number) => joinLines(texts.slice(0, count), endsWithNewline);
  // Estimates grow with the line count, so binary search for the last count that fits.
  let lo = 0;
  let hi = skip > 0 ? texts.length : texts.length - 1; // the full text is known not to fit
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (estimateTokens(textOf(mid)) <= room) lo = mid;
    else hi = mid - 1;
  }
  if (lo === 0) return undefined;
  const text = textOf(lo);
  const numbers = numbered ? numbered.numbers.slice(skip, skip + lo) : range(snippet.startLine, snippet.startLine + lo - 1);
  const cut: PackedSnippet<T> = {
    ...snippet,
    text,
    startLine: numbers[0]!,
    endLine: numbers[numbers.length - 1]!,
    tokens: estimateTokens(text),
    trimmed: true,
  };
  if (snippet.lines) cut.lines = numbers;
  delete cut.leadLines;
  return cut;
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
