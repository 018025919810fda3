// The lines of a definition a caller reads: from the line that says what it is (`def`, `class`,
// `func`, `fn`, past the decorators, attributes and doc comments the definition node starts with)
// through the line that closes its parameter list, so a wrapped signature (constructor arguments one
// a line) arrives whole. On a line not yet typed, retrieval carries many of these instead of a few
// bodies: a signature is what a caller needs, for a tenth of the tokens.

import type { ContextLanguage, IndexedDefinition, SymbolDefinition } from './contextTypes';
import { signatureSpan } from './definitionLines';

/** Lines before the definition's own line: decorators, attributes, annotations, comments. */
const PREAMBLE = /^(?:@|#\[|#!\[|\/\/|\/\*|\*|#(?!define|include)|\[[^\]]*\]\s*$|$)/;

/** Decorator lines kept above a signature. */
const MAX_KEPT_PREAMBLE = 2;

/** Longest wrapped signature carried (lines). */
export const MAX_SIGNATURE_LINES = 4;

/** 1-based inclusive lines of `def`'s signature in `lines`, or undefined when it lies outside the file. */
export function signatureLines(
  def: Pick<SymbolDefinition, 'startLine' | 'endLine'>,
  lines: readonly string[],
  maxLines = MAX_SIGNATURE_LINES,
): { startLine: number; endLine: number } | undefined {
  if (def.startLine < 1 || def.startLine > lines.length) return undefined;
  const span = signatureSpan({ startLine: def.startLine, endLine: Math.max(def.endLine, def.startLine) }, lines, maxLines);
  // A decorator or two (`@property`, `@staticmethod`) stay: they are part of what a caller reads,
  // and cost little. Longer preambles (stacks of annotations) are left out.
  const keep = span.start > def.startLine && span.start - def.startLine <= MAX_KEPT_PREAMBLE && /^(?:@|#\[)/.test(lines[def.startLine - 1]!.trim());
  return { startLine: keep ? def.startLine : span.start, endLine: span.end };
}

/**
 * Languages whose definitions start at their signature line: no decorators, annotations or
 * attributes inside the definition's node (Rust's attributes are siblings of the item).
 */
const STARTS_AT_SIGNATURE = new Set<ContextLanguage>(['go', 'c', 'cpp', 'rust', 'ruby']);

/**
 * The index's copy of the signature (its line trimmed) when it is the definition's whole first line:
 * a language whose definitions start at their signature, its parentheses closed, not cut at the
 * index's length cap. Then no file needs reading for it. (Elsewhere the index's signature line may
 * sit below decorators the definition starts with, so its line number is unknown.)
 */
export function indexedSignature(def: Pick<IndexedDefinition, 'signature' | 'language'>, maxLength = 199): string | undefined {
  const text = def.signature;
  if (!STARTS_AT_SIGNATURE.has(def.language)) return undefined;
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
