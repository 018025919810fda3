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
  /**
   * How many of the leading lines are decorators, annotations or attributes: shown because there
   * was room, and the first to go when a snippet must shrink (the signature below them must not).
   */
  leadLines: number;
}

/**
 * The lines to show for `def` in a file whose lines are `fileLines`: all of it, unless it is a
 * container longer than `containerMaxLines` with members to list, then its outline (at most that
 * many lines): its whole signature (from the `class` line, not its decorators), each direct member's
 * signature line, its closing line, and its decorators only if room is left. `members` are the
 * file's definitions (the index lists them with their containers). Empty when the definition lies
 * outside the file (a stale index entry for a file that has since shrunk).
 */
export function definitionLines(
  def: SymbolDefinition,
  fileLines: readonly string[],
  members: readonly SymbolDefinition[],
  containerMaxLines: number,
): DefinitionLines {
  const lineCount = fileLines.length;
  if (def.startLine < 1 || def.startLine > lineCount) return { lines: [], outline: false, leadLines: 0 };
  const endLine = Math.min(Math.max(def.endLine, def.startLine), lineCount);
  const header = signatureSpan(def, fileLines);
  const whole = { lines: range(def.startLine, endLine), outline: false, leadLines: header.start - def.startLine };
  if (endLine - def.startLine + 1 <= containerMaxLines || !CONTAINER_KINDS.has(def.kind)) return whole;
  const inner = members
    .filter((m) => m.container === def.name && m.startLine > header.end && m.endLine <= endLine)
    .map((m) => signatureLine(m, fileLines));
  if (inner.length === 0) return whole;
  const room = Math.max(1, containerMaxLines - 1); // the closing line takes one
  const picked = [...new Set([...range(header.start, header.end), ...inner])].sort((a, b) => a - b).slice(0, room);
  if (picked.length < 2) return whole;
  // Decorators come last in priority: only into room the members left.
  const decorators = range(def.startLine, header.start - 1);
  const lead = decorators.length <= room - picked.length ? decorators : [];
  const lines = [...new Set([...lead, ...picked, endLine])];
  return { lines, outline: true, leadLines: lead.length };
}

/** Lines a signature may span (long parameter lists); beyond it, the first line stands for it. */
const MAX_SIGNATURE_LINES = 24;
/** Decorator lines looked past before giving up and taking the definition's first line. */
const MAX_DECORATOR_LINES = 40;

/**
 * Where `def`'s signature sits: from the line that names it (past decorators such as `@dataclass`
 * or `@app.route(...)`, annotations such as `@Entity`, attributes such as `#[derive(...)]` or
 * `[Serializable]`) to the line that closes its parameter list, so a multi-line signature comes
 * whole. A scan of the text, bracket-aware and string-aware, because the index keeps the whole
 * definition's range (decorators included) and only the trimmed text of its signature line.
 */
export function signatureSpan(
  def: Pick<SymbolDefinition, 'startLine' | 'endLine'>,
  fileLines: readonly string[],
  maxLines = MAX_SIGNATURE_LINES,
): { start: number; end: number } {
  const last = Math.min(def.endLine, fileLines.length);
  const start = firstLineAfterDecorators(def.startLine, last, fileLines);
  let depth = 0;
  const limit = Math.min(last, start + maxLines - 1);
  for (let line = start; line <= limit; line++) {
    // Only ( and [ : a { on the signature line opens the body, not more signature.
    depth = bracketDepth(fileLines[line - 1] ?? '', 0, depth, 'signature').depth;
    if (depth <= 0) return { start, end: line };
  }
  return { start, end: start };
}

/** 1-based line of `def`'s signature (its first line past any decorators). */
export function signatureLine(def: SymbolDefinition, fileLines: readonly string[]): number {
  return firstLineAfterDecorators(def.startLine, Math.min(def.endLine, fileLines.length), fileLines);
}

function firstLineAfterDecorators(first: number, last: number, fileLines: readonly string[]): number {
  let depth = 0;
  let decorated = false;
  const limit = Math.min(last, first + MAX_DECORATOR_LINES - 1);
  for (let line = first; line <= limit; line++) {
    const text = fileLines[line - 1] ?? '';
    let at = 0;
    if (depth > 0) {
      // Inside a decorator's arguments that began on an earlier line.
      ({ depth, at } = bracketDepth(text, 0, depth, 'close'));
      if (depth > 0) continue;
    }
    for (;;) {
      at = skipSpaces(text, at);
      const decorator = decoratorAt(text, at);
      if (decorator === undefined) break;
      decorated = true;
      at = skipSpaces(text, decorator);
      if (!'([{'.includes(text[at] ?? ' ')) continue;
      ({ depth, at } = bracketDepth(text, at, 0, 'close'));
      if (depth > 0) break;
    }
    if (depth > 0) continue;
    if (!decorated) return line;
    // Past decorators, a comment line (`# noqa`, `// why`) is not yet the definition.
    if (at < text.length && !COMMENT_START.test(text.slice(at))) return line;
  }
  return first;
}

/**
 * If a decorator starts at `at`, where its name ends (so its bracketed arguments, if any, follow):
 * `@name.path` (Python, TypeScript, Java), `#[attr]` (Rust, PHP 8), a C# `[Attribute]` or a C++
 * `[[attribute]]`. Undefined when the text at `at` is code.
 */
function decoratorAt(text: string, at: number): number | undefined {
  const ch = text[at];
  if (ch === '@') {
    const name = /^@[\p{L}_$][\p{L}\p{N}_$.]*/u.exec(text.slice(at));
    return name ? at + name[0].length : undefined;
  }
  if (ch === '#' && (text[at + 1] === '[' || (text[at + 1] === '!' && text[at + 2] === '['))) return at + 1 + (text[at + 1] === '!' ? 1 : 0);
  if (ch === '[' && /^\[\[?[\p{L}_]/u.test(text.slice(at))) return at;
  return undefined;
}

/**
 * Scans `text` from `at` counting ( [ { against ) ] } and skipping string literals: to the line's
 * end (`signature` counts only ( and [, since a { there opens the body), or (`close`) until the
 * depth comes back to 0.
 */
function bracketDepth(text: string, at: number, depth: number, mode: 'signature' | 'close'): { depth: number; at: number } {
  const braces = mode !== 'signature';
  let i = at;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"' || ch === "'" || ch === '`') {
      const close = text.indexOf(ch, i + 1);
      i = close < 0 ? text.length : close + 1;
      continue;
    }
    if (ch === '(' || ch === '[' || (ch === '{' && braces)) depth++;
    else if (ch === ')' || ch === ']' || (ch === '}' && braces)) {
      depth--;
      if (mode === 'close' && depth <= 0) return { depth: 0, at: i + 1 };
    }
    i++;
  }
  return { depth, at: i };
}

/** A comment line between decorators and the definition (`#` only with a space: `#define` is code). */
const COMMENT_START = /^(\/\/|\/\*|\*|#\s|#$)/;

function skipSpaces(text: string, at: number): number {
  while (at < text.length && (text[at] === ' ' || text[at] === '\t')) at++;
  return at;
}

/**
 * A file's outline: the signature line of each definition (past its decorators), top-level ones
 * first when there are more than `maxLines`, then in file order.
 */
export function fileOutlineLines(definitions: readonly SymbolDefinition[], fileLines: readonly string[], maxLines: number): number[] {
  const lineCount = fileLines.length;
  const inFile = definitions.filter((d) => d.startLine >= 1 && d.startLine <= lineCount);
  const top = inFile.filter((d) => d.container === undefined).map((d) => signatureLine(d, fileLines));
  const nested = inFile.filter((d) => d.container !== undefined).map((d) => signatureLine(d, fileLines));
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
