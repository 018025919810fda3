// Which lines of a file show a definition, or a whole file, when there is no room for everything:
// a long class (or interface, enum, module, type) as its outline (its first line, each direct
// member's first line, its closing line), and a file as the first lines of its definitions. The
// shape is what a reader needs: names and signatures, in order. Line numbers rather than text, so
// callers can merge picks from one file and render them once. Completion retrieval (retrieval.ts)
// and codebase search (codebaseSearch.ts) both outline long containers this way.

import type { SymbolDefinition } from './contextTypes';

/** Definitions whose members say more than their bodies. */
export const CONTAINER_KINDS: ReadonlySet<SymbolDefinition['kind']> = new Set<SymbolDefinition['kind']>([
  'class',
  'interface',
  'enum',
  'module',
  'type',
]);

export interface DefinitionLines {
  /** 1-based, ascending, within the file. */
  lines: number[];
  /** True when lines leave out part of the definition (an outline). */
  outline: boolean;
}

/**
 * The lines to show for `def` in a file of `lineCount` lines: all of it, unless it is a container
 * longer than `containerMaxLines` with members to list, then its outline (at most that many lines).
 * `members` are the file's definitions (the index lists them with their containers). Empty when the
 * definition lies outside the file (a stale index entry for a file that has since shrunk).
 */
export function definitionLines(
  def: SymbolDefinition,
  lineCount: number,
  members: readonly SymbolDefinition[],
  containerMaxLines: number,
): DefinitionLines {
  if (def.startLine < 1 || def.startLine > lineCount) return { lines: [], outline: false };
  const endLine = Math.min(Math.max(def.endLine, def.startLine), lineCount);
  const whole = { lines: range(def.startLine, endLine), outline: false };
  if (endLine - def.startLine + 1 <= containerMaxLines || !CONTAINER_KINDS.has(def.kind)) return whole;
  const inner = members
    .filter((m) => m.container === def.name && m.startLine > def.startLine && m.endLine <= endLine)
    .map((m) => m.startLine);
  const picked = [...new Set([def.startLine, ...inner])].sort((a, b) => a - b).slice(0, Math.max(1, containerMaxLines - 1));
  if (picked.length < 2) return whole;
  picked.push(endLine);
  return { lines: picked, outline: true };
}

/**
 * A file's outline: the first line of each definition, top-level ones first when there are more
 * than `maxLines`, then in file order.
 */
export function fileOutlineLines(definitions: readonly SymbolDefinition[], lineCount: number, maxLines: number): number[] {
  const inFile = definitions.filter((d) => d.startLine >= 1 && d.startLine <= lineCount);
  const top = inFile.filter((d) => d.container === undefined).map((d) => d.startLine);
  const nested = inFile.filter((d) => d.container !== undefined).map((d) => d.startLine);
  const picked = new Set<number>();
  for (const line of [...top.sort((a, b) => a - b), ...nested.sort((a, b) => a - b)]) {
    if (picked.size >= maxLines) break;
    picked.add(line);
  }
  return [...picked].sort((a, b) => a - b);
}

/** from..to inclusive. */
export function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}
