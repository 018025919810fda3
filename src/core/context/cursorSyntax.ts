// What the syntax tree says about the cursor: the definitions it sits in (innermost first) and the
// names used around it. Retrieval uses both to decide which definitions the model should see.
// It runs on every completion request, so it walks up from the cursor (depth, not file size) and
// queries only the lines near it. While the user types, the code around the cursor is usually
// broken: tree-sitter then wraps it in ERROR nodes, and the tokens inside those are read as a
// fallback (a `class X {` or `name(...) {` still open at the cursor is still a scope).
import type { Node } from 'web-tree-sitter';
import type { ContextLanguage, DefinitionKind } from './contextTypes';
import type { ParsedDocument } from './documentTrees';
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

type ScopeTable = Readonly<Record<string, DefinitionKind>>;

const JS_SCOPES: ScopeTable = {
  function_declaration: 'function',
  generator_function_declaration: 'function',
  function_expression: 'function',
  generator_function: 'function',
  arrow_function: 'function',
  method_definition: 'method',
  method_signature: 'method',
  abstract_method_signature: 'method',
  function_signature: 'function',
  class_declaration: 'class',
  class: 'class',
  abstract_class_declaration: 'class',
  interface_declaration: 'interface',
  enum_declaration: 'enum',
  internal_module: 'module',
  module: 'module',
};

const C_SCOPES: ScopeTable = {
  function_definition: 'function',
  struct_specifier: 'class',
  union_specifier: 'class',
  enum_specifier: 'enum',
};

const SCOPES: Readonly<Record<ContextLanguage, ScopeTable>> = {
  typescript: JS_SCOPES,
  tsx: JS_SCOPES,
  javascript: JS_SCOPES,
  python: { function_definition: 'function', class_definition: 'class' },
  go: { function_declaration: 'function', method_declaration: 'method', type_spec: 'type' },
  rust: {
    function_item: 'function',
    impl_item: 'class',
    trait_item: 'interface',
    struct_item: 'class',
    enum_item: 'enum',
    mod_item: 'module',
  },
  java: {
    class_declaration: 'class',
    record_declaration: 'class',
    interface_declaration: 'interface',
    annotation_type_declaration: 'interface',
    enum_declaration: 'enum',
    method_declaration: 'method',
    constructor_declaration: 'method',
  },
  c: C_SCOPES,
  cpp: { ...C_SCOPES, class_specifier: 'class', namespace_definition: 'module' },
  csharp: {
    class_declaration: 'class',
    struct_declaration: 'class',
    record_declaration: 'class',
    interface_declaration: 'interface',
    enum_declaration: 'enum',
    method_declaration: 'method',
    constructor_declaration: 'method',
    local_function_statement: 'function',
    namespace_declaration: 'module',
  },
  ruby: { method: 'function', singleton_method: 'function', class: 'class', module: 'module' },
  php: {
    function_definition: 'function',
    method_declaration: 'method',
    class_declaration: 'class',
    interface_declaration: 'interface',
    trait_declaration: 'interface',
    enum_declaration: 'enum',
    namespace_definition: 'module',
  },
};

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
  const table = SCOPES[doc.language];
  const root = doc.tree.rootNode;
  const at = clamp(offset, 0, doc.text.length);
  const python = doc.language === 'python';
  // Python blocks end at their last token, so a cursor on the (blank) line after one is outside
  // every node: start from the last token before the cursor and let indentation decide.
  const anchor = python ? lastTokenBefore(doc.text, at) : at;
  const cursorIndent = python ? cursorIndentAt(doc.text, at) : 0;
  const found: ScopeNode[] = [];
  let sawError = false;
  for (let node: Node | null = root.descendantForIndex(anchor, anchor); node; node = node.parent) {
    if (node.type === 'ERROR') {
      sawError = true;
      found.push(...scopesInError(doc, node, at));
      continue;
    }
    const kind = table[node.type];
    if (!kind) continue;
    if (python && node.endIndex < at && cursorIndent <= node.startPosition.column) continue;
    const name = scopeName(doc, node);
    if (!name) continue;
    found.push({ node, scope: scopeOf(doc, node, name, refineKind(doc.language, node, kind)) });
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

function refineKind(language: ContextLanguage, node: Node, kind: DefinitionKind): DefinitionKind {
  if (language === 'go' && node.type === 'type_spec') {
    const type = node.childForFieldName('type')?.type;
    return type === 'struct_type' ? 'class' : type === 'interface_type' ? 'interface' : 'type';
  }
  if ((language === 'c' || language === 'cpp') && node.type === 'function_definition') {
    return functionDeclarator(node)?.childForFieldName('declarator')?.type === 'qualified_identifier' ? 'method' : kind;
  }
  return kind;
}

function textOf(doc: ParsedDocument, node: Node | null | undefined): string | undefined {
  return node ? doc.text.slice(node.startIndex, node.endIndex) : undefined;
}

/** A scope node's name; undefined for anonymous ones (callbacks, lambdas), which are skipped. */
function scopeName(doc: ParsedDocument, node: Node): string | undefined {
  switch (node.type) {
    case 'arrow_function':
    case 'function_expression':
    case 'generator_function':
    case 'class': {
      const own = node.childForFieldName('name');
      if (own) return textOf(doc, own);
      const parent = node.parent;
      if (!parent) return undefined;
      if (parent.type === 'variable_declarator' || parent.type === 'public_field_definition' || parent.type === 'field_definition') {
        return textOf(doc, parent.childForFieldName('name') ?? parent.childForFieldName('property'));
      }
      if (parent.type === 'pair') return textOf(doc, parent.childForFieldName('key'));
      if (parent.type === 'assignment_expression') return textOf(doc, parent.childForFieldName('left'));
      return undefined;
    }
    case 'function_definition':
      if (doc.language === 'c' || doc.language === 'cpp') {
        const declarator = functionDeclarator(node)?.childForFieldName('declarator');
        if (declarator?.type === 'qualified_identifier') return textOf(doc, declarator.childForFieldName('name'));
        return textOf(doc, declarator);
      }
      return textOf(doc, node.childForFieldName('name'));
    case 'impl_item': {
      const type = node.childForFieldName('type');
      return textOf(doc, type?.type === 'generic_type' ? type.childForFieldName('type') : type);
    }
    case 'namespace_definition':
      // PHP's `namespace A;` has no body: it does not enclose the code after it.
      if (doc.language === 'php' && !node.childForFieldName('body')) return undefined;
      return textOf(doc, node.childForFieldName('name'));
    default:
      return textOf(doc, node.childForFieldName('name'));
  }
}

function functionDeclarator(node: Node): Node | undefined {
  let declarator = node.childForFieldName('declarator');
  while (declarator && declarator.type !== 'function_declarator') declarator = declarator.childForFieldName('declarator');
  return declarator ?? undefined;
}

/**
 * Scopes still open at the cursor among the tokens of an ERROR node, innermost first. Brace
 * languages: each `{` opens what the tokens since the last statement boundary declared (a keyword
 * and name, or a name and a parameter list) and `}` closes it. Python: a `def`/`class` is open
 * when the cursor line is indented deeper than it.
 */
function scopesInError(doc: ParsedDocument, error: Node, offset: number): ScopeNode[] {
  if (doc.language === 'python') return pythonScopesInError(doc, error, offset);
  if (doc.language === 'ruby') return rubyScopesInError(doc, error, offset);
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
        scope = { scope: errorScope(doc, start, keywordName, keyword) };
      } else if (sawParameters && lastName) {
        const inClass = open.length > 0 && open[open.length - 1] !== undefined && CLASS_LIKE.has(open[open.length - 1]!.scope.kind);
        scope = { scope: errorScope(doc, start, lastName, inClass ? 'method' : 'function') };
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
      if (keyword && !keywordName) keywordName = textOf(doc, child);
      if (!sawParameters) lastName = textOf(doc, child);
    } else if (PARAMETER_TYPES.has(type)) {
      sawParameters = true;
    } else if (type === 'function_declarator') {
      // C/C++: `int main(void)` arrives as one complete declarator before the `{`.
      headerStart ??= child;
      const declarator = child.childForFieldName('declarator');
      lastName = textOf(doc, declarator?.type === 'qualified_identifier' ? declarator.childForFieldName('name') : declarator);
      sawParameters = true;
    } else if (child.isNamed) {
      // A complete nested definition (or statement) ends any header in progress.
      const kind = SCOPES[doc.language][type];
      if (kind && child.endIndex <= offset) reset();
      else headerStart ??= child;
    }
  }
  const scopes = open.filter((scope): scope is ScopeNode => scope !== undefined);
  return scopes.reverse();
}

function errorScope(doc: ParsedDocument, start: Node, name: string, kind: DefinitionKind): EnclosingScope {
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

function pythonScopesInError(doc: ParsedDocument, error: Node, offset: number): ScopeNode[] {
  const cursorIndent = indentOfLineAt(doc.text, offset);
  const open: { column: number; found: ScopeNode }[] = [];
  for (let i = 0; i < error.childCount; i++) {
    const child = error.child(i);
    if (!child || child.startIndex >= offset) break;
    if (child.type !== 'def' && child.type !== 'class') continue;
    const name = error.child(i + 1);
    if (!name || name.type !== 'identifier') continue;
    const column = child.startPosition.column;
    // A header closes every open scope indented as deep as it or deeper.
    while (open.length > 0 && open[open.length - 1].column >= column) open.pop();
    const kind: DefinitionKind = child.type === 'def' ? 'function' : 'class';
    open.push({ column, found: { scope: errorScope(doc, child, textOf(doc, name) ?? '', kind) } });
  }
  return open.filter((entry) => cursorIndent > entry.column).map((entry) => entry.found).reverse();
}

/** Ruby: `module`/`class`/`def` open a scope named by the next name token, `end` closes one. */
function rubyScopesInError(doc: ParsedDocument, error: Node, offset: number): ScopeNode[] {
  const open: (ScopeNode | undefined)[] = [];
  let pending: { kind: DefinitionKind; start: Node } | undefined;
  for (let i = 0; i < error.childCount; i++) {
    const child = error.child(i);
    if (!child || child.startIndex >= offset) break;
    const type = child.type;
    if (child.isNamed) {
      if (pending && (type === 'constant' || type === 'identifier')) {
        const name = textOf(doc, child) ?? '';
        open.push({ scope: errorScope(doc, pending.start, name, pending.kind) });
        pending = undefined;
      }
    } else if (type === 'module' || type === 'class' || type === 'def') {
      pending = { kind: type === 'def' ? 'function' : type === 'class' ? 'class' : 'module', start: child };
    } else if (type === 'do' || type === 'begin' || type === 'case') {
      open.push(undefined);
    } else if (type === 'end') {
      open.pop();
    }
  }
  return open.filter((scope): scope is ScopeNode => scope !== undefined).reverse();
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

/** Indentation (columns of leading whitespace) of the line containing `index`. */
function indentOfLineAt(text: string, index: number): number {
  const start = text.lastIndexOf('\n', index - 1) + 1;
  let column = 0;
  while (start + column < text.length && (text[start + column] === ' ' || text[start + column] === '\t')) column++;
  return column;
}
