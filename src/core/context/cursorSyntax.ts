// What the syntax tree says about the cursor: the definitions it sits in (innermost first) and the
// names used around it. Retrieval uses both to decide which definitions the model should see.
// It runs on every completion request, so it walks up from the cursor (depth, not file size) and
// queries only the lines near it. While the user types, the code around the cursor is usually
// broken: tree-sitter then wraps it in ERROR nodes, and the tokens inside those are read as a
// fallback (a `class X {` or `name(...) {` still open at the cursor is still a scope). What differs
// between grammars (which nodes are scopes, how they are named, indentation-scoped blocks, broken
// code without braces) comes from the language's spec (languages/*.ts, `cursor`).
import type { Node } from 'web-tree-sitter';
import type { DefinitionKind } from './contextTypes';
import type { ParsedDocument } from './documentTrees';
import type { OpenHeader } from './languages/languageSpec';
import { languageSpec } from './languages/registry';
import { indentOfLineAt, nameField, textOf } from './languages/syntaxNodes';
import { lineAt } from './symbolExtractor';
import { countLineBreaks } from '../kernel/textLines';

export interface EnclosingScope {
  kind: DefinitionKind;
  name: string;
  startLine: number;
  endLine: number;
  signature: string;
}

export interface NearbyIdentifier {
  name: string;
  /** 1-based line of the nearest occurrence. */
  line: number;
  /** Lines between that occurrence and the cursor line. */
  distance: number;
}

const CLASS_LIKE = new Set<DefinitionKind>(['class', 'interface', 'enum']);

/** Keywords that open a named scope, for reading the tokens of an ERROR node. */
const KEYWORD_KINDS: Readonly<Record<string, DefinitionKind>> = {
  class: 'class',
  struct: 'class',
  record: 'class',
  impl: 'class',
  interface: 'interface',
  trait: 'interface',
  enum: 'enum',
  namespace: 'module',
  module: 'module',
  mod: 'module',
  function: 'function',
  fn: 'function',
  func: 'function',
  def: 'function',
};

const NAME_TYPES = new Set([
  'identifier',
  'type_identifier',
  'property_identifier',
  'field_identifier',
  'constant',
  'name',
  'private_property_identifier',
]);
const PARAMETER_TYPES = new Set(['formal_parameters', 'parameters', 'parameter_list', 'method_parameters']);

interface ScopeNode {
  scope: EnclosingScope;
  /** The syntax node, when the scope came from a well-formed part of the tree. */
  node?: Node;
}

/** The definitions containing the cursor, innermost first. */
export function enclosingScopes(doc: ParsedDocument, offset: number): EnclosingScope[] {
  return scopeNodes(doc, offset).map((found) => found.scope);
}

function scopeNodes(doc: ParsedDocument, offset: number): ScopeNode[] {
  const rules = languageSpec(doc.language).cursor;
  const root = doc.tree.rootNode;
  const at = clamp(offset, 0, doc.text.length);
  const indented = rules.indentedBlocks === true;
  // Such blocks end at their last token, so a cursor on the (blank) line after one is outside
  // every node: start from the last token before the cursor and let indentation decide.
  const anchor = indented ? lastTokenBefore(doc.text, at) : at;
  const cursorIndent = indented ? cursorIndentAt(doc.text, at) : 0;
  const found: ScopeNode[] = [];
  let sawError = false;
  for (let node: Node | null = root.descendantForIndex(anchor, anchor); node; node = node.parent) {
    if (node.type === 'ERROR') {
      sawError = true;
      found.push(...scopesInError(doc, node, at));
      continue;
    }
    const kind = rules.scopes[node.type];
    if (!kind) continue;
    if (indented && node.endIndex < at && cursorIndent <= node.startPosition.column) continue;
    const name = rules.scopeName ? rules.scopeName(node, doc.text) : nameField(node, doc.text);
    if (!name) continue;
    found.push({ node, scope: scopeOf(doc, node, name, rules.refineKind?.(node, kind) ?? kind) });
  }
  if (!sawError && root.hasError && at > 0) {
    // The cursor can sit just past the end of the broken code (typing at the end of the file).
    for (let node: Node | null = root.descendantForIndex(at - 1, at - 1); node; node = node.parent) {
      if (node.type === 'ERROR') found.unshift(...scopesInError(doc, node, at));
    }
  }
  // A function directly inside a class-like scope is a method of it.
  for (let i = 0; i + 1 < found.length; i++) {
    const scope = found[i].scope;
    if (scope.kind === 'function' && CLASS_LIKE.has(found[i + 1].scope.kind)) scope.kind = 'method';
  }
  return found;
}

/** Index of the last non-whitespace character before `at` (0 when there is none). */
function lastTokenBefore(text: string, at: number): number {
  let i = at;
  while (i > 0 && isSpace(text.charCodeAt(i - 1))) i--;
  return Math.max(0, i - 1);
}

/** The cursor's column when only indentation precedes it on its line, else that line's indent. */
function cursorIndentAt(text: string, at: number): number {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const indent = indentOfLineAt(text, at);
  return lineStart + indent >= at ? at - lineStart : indent;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

function scopeOf(doc: ParsedDocument, node: Node, name: string, kind: DefinitionKind): EnclosingScope {
  const end = node.endPosition;
  return {
    kind,
    name,
    startLine: node.startPosition.row + 1,
    endLine: end.column === 0 && end.row > node.startPosition.row ? end.row : end.row + 1,
    signature: lineAt(doc.text, node.startIndex),
  };
}

/**
 * Scopes still open at the cursor among the tokens of an ERROR node, innermost first. Brace
 * languages: each `{` opens what the tokens since the last statement boundary declared (a keyword
 * and name, or a name and a parameter list) and `}` closes it. Python: a `def`/`class` is open
 * when the cursor line is indented deeper than it.
 */
function scopesInError(doc: ParsedDocument, error: Node, offset: number): ScopeNode[] {
  const rules = languageSpec(doc.language).cursor;
  if (rules.openInError) return rules.openInError(error, offset, doc.text).map((open) => ({ scope: errorScope(doc, open) }));
  const open: (ScopeNode | undefined)[] = [];
  let keyword: DefinitionKind | undefined;
  let keywordName: string | undefined;
  let lastName: string | undefined;
  let sawParameters = false;
  let headerStart: Node | undefined;
  const reset = (): void => {
    keyword = undefined;
    keywordName = undefined;
    lastName = undefined;
    sawParameters = false;
    headerStart = undefined;
  };
  for (let i = 0; i < error.childCount; i++) {
    const child = error.child(i);
    if (!child || child.startIndex >= offset) break;
    const type = child.type;
    if (type === '{') {
      let scope: ScopeNode | undefined;
      const start = headerStart ?? child;
      if (keyword && keywordName) {
        scope = { scope: errorScope(doc, { start, name: keywordName, kind: keyword }) };
      } else if (sawParameters && lastName) {
        const inClass = open.length > 0 && open[open.length - 1] !== undefined && CLASS_LIKE.has(open[open.length - 1]!.scope.kind);
        scope = { scope: errorScope(doc, { start, name: lastName, kind: inClass ? 'method' : 'function' }) };
      }
      open.push(scope);
      reset();
    } else if (type === '}') {
      open.pop();
      reset();
    } else if (type === ';') {
      reset();
    } else if (!child.isNamed && KEYWORD_KINDS[type]) {
      keyword = KEYWORD_KINDS[type];
      headerStart ??= child;
    } else if (NAME_TYPES.has(type)) {
      headerStart ??= child;
      if (keyword && !keywordName) keywordName = textOf(doc.text, child);
      if (!sawParameters) lastName = textOf(doc.text, child);
    } else if (PARAMETER_TYPES.has(type)) {
      sawParameters = true;
    } else if (type === 'function_declarator') {
      // C/C++: `int main(void)` arrives as one complete declarator before the `{`.
      headerStart ??= child;
      const declarator = child.childForFieldName('declarator');
      lastName = textOf(doc.text, declarator?.type === 'qualified_identifier' ? declarator.childForFieldName('name') : declarator);
      sawParameters = true;
    } else if (child.isNamed) {
      // A complete nested definition (or statement) ends any header in progress.
      const kind = rules.scopes[type];
      if (kind && child.endIndex <= offset) reset();
      else headerStart ??= child;
    }
  }
  const scopes = open.filter((scope): scope is ScopeNode => scope !== undefined);
  return scopes.reverse();
}

function errorScope(doc: ParsedDocument, { start, name, kind }: OpenHeader): EnclosingScope {
  const error = start.parent ?? start;
  return {
    kind,
    name,
    startLine: start.startPosition.row + 1,
    // Unclosed: the scope runs to the end of the broken region as far as anyone can tell.
    endLine: error.endPosition.row + 1,
    signature: lineAt(doc.text, start.startIndex),
  };
}

/** Distinct names used near the cursor, nearest first. */
export function identifiersNear(
  doc: ParsedDocument,
  offset: number,
  options: { linesBefore: number; linesAfter: number },
): NearbyIdentifier[] {
  const at = clamp(offset, 0, doc.text.length);
  const cursorRow = lineOfIndex(doc.text, at) - 1;
  const firstRow = Math.max(0, cursorRow - Math.max(0, options.linesBefore));
  const lastRow = cursorRow + Math.max(0, options.linesAfter);
  const types = doc.loaded.identifierTypes;
  const nearest = new Map<string, number>();
  const consider = (node: Node): void => {
    // The word at the cursor counts too: a half-typed name finds no definition (lookups are by exact
    // name), and a whole one (the cursor on a call) is the definition the user needs most.
    const name = doc.text.slice(node.startIndex, node.endIndex);
    const row = node.startPosition.row;
    const previous = nearest.get(name);
    if (previous === undefined || Math.abs(row - cursorRow) < Math.abs(previous - cursorRow)) nearest.set(name, row);
  };
  for (const node of doc.tree.rootNode.descendantsOfType(types, { row: firstRow, column: 0 }, { row: lastRow + 1, column: 0 })) {
    const row = node.startPosition.row;
    if (row >= firstRow && row <= lastRow) consider(node);
  }
  const enclosingFunction = scopeNodes(doc, at).find(
    (found) => found.node && (found.scope.kind === 'function' || found.scope.kind === 'method'),
  )?.node;
  if (enclosingFunction) {
    for (const node of enclosingFunction.descendantsOfType(types)) consider(node);
  }
  return [...nearest]
    .map(([name, row]) => ({ name, line: row + 1, distance: Math.abs(row - cursorRow) }))
    .sort((a, b) => a.distance - b.distance || a.line - b.line || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** 1-based line of a UTF-16 offset. */
function lineOfIndex(text: string, index: number): number {
  return countLineBreaks(text, index) + 1;
}
