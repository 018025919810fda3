// The lines of a definition a caller reads: from the line that says what it is (`def`, `class`,
// `func`, `fn`, past the decorators, attributes and doc comments the definition node starts with)
// through the line that closes its parameter list, so a wrapped signature (constructor arguments one
// a line) arrives whole. On a line not yet typed, retrieval carries many of these instead of a few
// bodies: a signature is what a caller needs, for a tenth of the tokens.

import type { SymbolDefinition } from './contextTypes';

/** Lines before the definition's own line: decorators, attributes, annotations, comments. */
const PREAMBLE = /^(?:@|#\[|#!\[|\/\/|\/\*|\*|#(?!define|include)|\[[^\]]*\]\s*$|$)/;

/** Longest wrapped signature carried (lines). */
export const MAX_SIGNATURE_LINES = 4;

/** 1-based inclusive lines of `def`'s signature in `lines`, or undefined when it lies outside the file. */
export function signatureLines(
  def: Pick<SymbolDefinition, 'startLine' | 'endLine'>,
  lines: readonly string[],
  maxLines = MAX_SIGNATURE_LINES,
): { startLine: number; endLine: number } | undefined {
  if (def.startLine < 1 || def.startLine > lines.length) return undefined;
  const last = Math.min(Math.max(def.endLine, def.startLine), lines.length);
  let start = def.startLine;
  while (start < last && PREAMBLE.test(lines[start - 1]!.trim())) start++;
  let depth = 0;
  let end = start;
  for (; end <= last && end < start + maxLines; end++) {
    depth += parenBalance(lines[end - 1]!);
    if (depth <= 0) break;
  }
  return { startLine: start, endLine: Math.min(end, last, start + maxLines - 1) };
}

/**
 * The index's copy of the signature (the definition's first line, trimmed) when it is the whole
 * signature: not a decorator or comment, its parentheses closed, not cut at the index's length cap.
 * Then no file needs reading for it, which keeps a request that carries many signatures fast.
 */
export function indexedSignature(def: Pick<SymbolDefinition, 'signature'>, maxLength = 199): string | undefined {
  const text = def.signature;
  if (text.length === 0 || text.length >= maxLength || PREAMBLE.test(text) || parenBalance(text) > 0) return undefined;
  return text;
}

/** Opening minus closing parentheses and brackets on a line (strings are not told apart: a heuristic cut). */
function parenBalance(line: string): number {
  let balance = 0;
  for (const ch of line) {
    if (ch === '(' || ch === '[') balance++;
    else if (ch === ')' || ch === ']') balance--;
  }
  return balance;
}
