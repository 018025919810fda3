// Turns one parse tree into the plain FileSymbols the index stores: definitions (from the tags
// queries), imports (from imports.scm) and the identifier names the file uses. Query captures do
// the tree walking inside WASM; this file only maps captures to Bantam's vocabulary, widens a
// captured node to the whole definition, and works out containers (the class of a method) by
// nesting, because the shipped tags.scm files disagree on what a method is.
import type { Node, Query, QueryCapture, QueryMatch, Tree } from 'web-tree-sitter';
import type { ContextLanguage, DefinitionKind, FileSymbols, ImportStatement, SymbolDefinition } from './contextTypes';
import type { LoadedLanguage, TreeSitterRuntime } from './treeSitterRuntime';

export const MAX_IDENTIFIERS = 2000;
const MAX_SIGNATURE = 200;

/** 'impl' is a container only (a Rust impl block): it names the type of the methods inside. */
type CaptureKind = DefinitionKind | 'impl';

const CAPTURE_KINDS: Readonly<Record<string, CaptureKind>> = {
  'definition.class': 'class',
  'definition.struct': 'class',
  'definition.union': 'class',
  'definition.interface': 'interface',
  'definition.trait': 'interface',
  'definition.type': 'type',
  'definition.enum': 'enum',
  'definition.function': 'function',
  'definition.method': 'method',
  'definition.constructor': 'method',
  'definition.constant': 'constant',
  'definition.variable': 'variable',
  'definition.field': 'field',
  'definition.module': 'module',
  'definition.macro': 'macro',
  'scope.impl': 'impl',
};

/** When one node is captured with two kinds (an arrow function is also a const), the higher wins. */
const KIND_RANK: Readonly<Record<CaptureKind, number>> = {
  method: 10,
  function: 9,
  impl: 8,
  enum: 7,
  interface: 6,
  class: 5,
  macro: 5,
  module: 4,
  type: 3,
  constant: 2,
  field: 1,
  variable: 0,
};

/** Kinds that make a function inside them a method. */
const CLASS_LIKE = new Set<CaptureKind>(['class', 'interface', 'enum', 'impl']);
/** Kinds that can be a container at all (a typedef or a constant contains nothing worth naming). */
const CONTAINER_KINDS = new Set<CaptureKind>(['class', 'interface', 'enum', 'impl', 'module', 'function', 'method']);

/** Parents that belong to the definition they wrap: decorators, `export`, C++ templates. */
const WRAPPERS = new Set(['decorated_definition', 'export_statement', 'template_declaration']);
/** Where a C/C++ function declarator's whole definition (or prototype) lives. */
const DECLARATOR_OWNERS = new Set(['function_definition', 'declaration', 'field_declaration']);

const enum Role {
  Ignore,
  Name,
  Definition,
  Container,
}

interface CaptureRoles {
  roles: Role[];
  kinds: (CaptureKind | undefined)[];
}

// Per compiled query, the role of each capture index, so the hot loop compares numbers, not strings.
const rolesByQuery = new WeakMap<Query, CaptureRoles>();

function captureRoles(query: Query): CaptureRoles {
  let cached = rolesByQuery.get(query);
  if (!cached) {
    const roles: Role[] = [];
    const kinds: (CaptureKind | undefined)[] = [];
    for (const name of query.captureNames) {
      const kind = CAPTURE_KINDS[name];
      kinds.push(kind);
      if (kind) roles.push(Role.Definition);
      else if (name === 'name') roles.push(Role.Name);
      else if (name === 'container' || name === 'local.scope') roles.push(Role.Container);
      else roles.push(Role.Ignore);
    }
    cached = { roles, kinds };
    rolesByQuery.set(query, cached);
  }
  return cached;
}

interface RawDefinition {
  name: string;
  kind: CaptureKind;
  start: number;
  end: number;
  startLine: number;
  endLine: number;
  /** Where the captured node itself starts: its line is the signature (not a decorator's). */
  signatureIndex: number;
  explicitContainer?: string;
}

/** Definitions, imports and identifiers of a parsed file. The tree stays the caller's to delete. */
export function extractSymbols(tree: Tree, loaded: LoadedLanguage): FileSymbols {
  const root = tree.rootNode;
  const text = root.text;
  // One query pass for definitions and imports: walking the tree is most of a query's cost.
  const matches = loaded.symbols.matches(root);
  return {
    language: loaded.language,
    definitions: extractDefinitions(matches, text, loaded.symbols),
    imports: extractImports(matches, text),
    identifiers: extractIdentifiers(root, text, loaded.identifierTypes, MAX_IDENTIFIERS),
    hasErrors: root.hasError,
  };
}

/** Parses `text`, extracts its symbols and frees the tree (WASM memory never shrinks). */
export async function extractFileSymbols(
  runtime: TreeSitterRuntime,
  language: ContextLanguage,
  text: string,
): Promise<FileSymbols> {
  const loaded = await runtime.load(language);
  const tree = loaded.parser.parse(text);
  if (!tree) throw new Error(`Tree-sitter could not parse this ${language} file: it was cancelled or timed out.`);
  try {
    return extractSymbols(tree, loaded);
  } finally {
    tree.delete();
  }
}

function extractDefinitions(matches: QueryMatch[], text: string, query: Query): SymbolDefinition[] {
  const { roles, kinds } = captureRoles(query);
  const byKey = new Map<string, RawDefinition>();
  for (const match of matches) {
    let definition: Node | undefined;
    let kind: CaptureKind | undefined;
    let nameNode: Node | undefined;
    let containerNode: Node | undefined;
    for (const capture of match.captures) {
      const index = captureIndex(query, capture);
      switch (roles[index]) {
        case Role.Definition:
          definition = capture.node;
          kind = kinds[index];
          break;
        case Role.Name:
          nameNode = capture.node;
          break;
        case Role.Container:
          containerNode = capture.node;
          break;
      }
    }
    if (!definition || !kind || !nameNode) continue;
    const name = text.slice(nameNode.startIndex, nameNode.endIndex);
    if (!name) continue;
    const whole = widen(definition);
    const key = `${whole.startIndex}:${name}`;
    const existing = byKey.get(key);
    const explicitContainer = containerNode ? text.slice(containerNode.startIndex, containerNode.endIndex) : undefined;
    if (existing) {
      if (KIND_RANK[kind] > KIND_RANK[existing.kind]) existing.kind = kind;
      existing.explicitContainer ??= explicitContainer;
      continue;
    }
    byKey.set(key, {
      name,
      kind,
      start: whole.startIndex,
      end: whole.endIndex,
      startLine: whole.startPosition.row + 1,
      endLine: endLineOf(whole),
      signatureIndex: definition.startIndex,
      explicitContainer,
    });
  }
  return resolveContainers([...byKey.values()], text);
}

// QueryCapture carries the capture's name; its index is found once per name and remembered.
const captureIndexCache = new WeakMap<Query, Map<string, number>>();
function captureIndex(query: Query, capture: QueryCapture): number {
  let byName = captureIndexCache.get(query);
  if (!byName) {
    byName = new Map(query.captureNames.map((name, index) => [name, index]));
    captureIndexCache.set(query, byName);
  }
  return byName.get(capture.name) ?? -1;
}

/** The whole definition a captured node belongs to (a C declarator's function, a decorated def). */
function widen(node: Node): Node {
  let current = node;
  if (current.type === 'function_declarator') {
    let parent = current.parent;
    while (parent && parent.type.endsWith('declarator')) {
      current = parent;
      parent = parent.parent;
    }
    if (parent && DECLARATOR_OWNERS.has(parent.type)) current = parent;
  }
  let parent = current.parent;
  while (parent && WRAPPERS.has(parent.type)) {
    current = parent;
    parent = parent.parent;
  }
  return current;
}

/** 1-based last line; a node ending right after a newline (a #define) ends on the line before. */
function endLineOf(node: Node): number {
  const end = node.endPosition;
  return end.column === 0 && end.row > node.startPosition.row ? end.row : end.row + 1;
}

function resolveContainers(raw: RawDefinition[], text: string): SymbolDefinition[] {
  raw.sort((a, b) => a.start - b.start || b.end - a.end);
  const stack: RawDefinition[] = [];
  const out: SymbolDefinition[] = [];
  for (const def of raw) {
    while (stack.length > 0 && stack[stack.length - 1].end < def.end) stack.pop();
    // The stack holds only containers that enclose def (starting no later, ending no earlier).
    const parent = stack.length > 0 ? stack[stack.length - 1] : undefined;
    let kind = def.kind;
    let container = def.explicitContainer ?? parent?.name;
    if (kind === 'function' || kind === 'method') {
      kind = def.explicitContainer || (parent && CLASS_LIKE.has(parent.kind)) ? 'method' : 'function';
    }
    if (parent === undefined && def.explicitContainer === undefined) container = undefined;
    if (kind !== 'impl') {
      const symbol: SymbolDefinition = {
        name: def.name,
        kind,
        startLine: def.startLine,
        endLine: def.endLine,
        signature: lineAt(text, def.signatureIndex),
      };
      if (container !== undefined) symbol.container = container;
      out.push(symbol);
    }
    if (CONTAINER_KINDS.has(def.kind)) stack.push(def);
  }
  return out;
}

/** The line containing `index`, trimmed and capped: what a caller needs to see of a definition. */
export function lineAt(text: string, index: number): string {
  const start = text.lastIndexOf('\n', index - 1) + 1;
  let end = text.indexOf('\n', index);
  if (end < 0) end = text.length;
  return text.slice(start, end).trim().slice(0, MAX_SIGNATURE);
}

/**
 * The source of the import a file's package clause stands for (Go's `package x`): the other files of
 * its package are visible to it without an import statement, so resolving '.' lists them.
 */
export const OWN_PACKAGE = '.';

interface PendingImport {
  start: number;
  line: number;
  source?: string;
  relative: boolean;
  names: string[];
  alias?: string;
}

function extractImports(matches: QueryMatch[], text: string): ImportStatement[] {
  const byStatement = new Map<number, PendingImport>();
  for (const match of matches) {
    let statement: Node | undefined;
    for (const capture of match.captures) if (capture.name === 'import.statement') statement = capture.node;
    if (!statement) continue;
    let pending = byStatement.get(statement.id);
    if (!pending) {
      pending = { start: statement.startIndex, line: statement.startPosition.row + 1, relative: false, names: [] };
      byStatement.set(statement.id, pending);
    }
    for (const capture of match.captures) {
      const value = text.slice(capture.node.startIndex, capture.node.endIndex);
      if (capture.name === 'import.source') pending.source ??= value;
      else if (capture.name === 'import.name' && !pending.names.includes(value)) pending.names.push(value);
      else if (capture.name === 'import.alias') pending.alias ??= value;
      else if (capture.name === 'import.relative') pending.relative = true;
      else if (capture.name === 'import.own-package') pending.source ??= OWN_PACKAGE;
    }
  }
  const imports: ImportStatement[] = [];
  for (const pending of [...byStatement.values()].sort((a, b) => a.start - b.start)) {
    if (pending.source === undefined) continue;
    const source = pending.relative ? relativeSource(pending.source) : pending.source;
    imports.push(pending.alias === undefined ? { source, names: pending.names, line: pending.line } : { source, names: pending.names, line: pending.line, alias: pending.alias });
  }
  return imports;
}

/** `require_relative 'lib/x'` -> './lib/x'; PHP `__DIR__ . '/../x.php'` -> '../x.php'. */
function relativeSource(source: string): string {
  const trimmed = source.replace(/^\/+/, '');
  return trimmed.startsWith('.') ? trimmed : `./${trimmed}`;
}

/**
 * Distinct identifier names under `node` (in source order), at most `max`. Identifier nodes never
 * lie inside comments or strings (interpolations are code), so no filtering is needed.
 * descendantsOfType runs inside WASM and is about twice as fast as a query for this.
 */
export function extractIdentifiers(node: Node, text: string, types: string[], max: number): string[] {
  const seen = new Set<string>();
  for (const identifier of node.descendantsOfType(types)) {
    seen.add(text.slice(identifier.startIndex, identifier.endIndex));
    if (seen.size >= max) break;
  }
  return [...seen];
}
