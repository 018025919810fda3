// What Bantam knows about one tree-sitter language, in one place: the files and editor documents
// that get its grammar, where the grammar and its queries come from, which other languages'
// definitions it may see, how its imports name files, how to read the definitions around a cursor
// in its syntax trees, and the fence name its files are shown with in edit prompts. Each language's
// file in this folder exports one LanguageSpec; registry.ts lists them and answers the lookups, so
// adding a language is a new spec rather than an edit to every table that once listed languages.
import type { Node } from 'web-tree-sitter';
import type { FileLookup } from './importPaths';

/** What a definition is, in the index and in the scopes around a cursor. */
export type DefinitionKind =
  | 'class'
  | 'interface'
  | 'type'
  | 'enum'
  | 'function'
  | 'method'
  | 'constant'
  | 'variable'
  | 'field'
  | 'module'
  | 'macro';

/**
 * Workspace-relative paths of the files an import refers to from `fromFile`, best first, only files
 * in `files`. `source` is the import as the extractor wrote it, trimmed and never empty; `names` are
 * the names the statement imports, for languages where they can be modules themselves (Python's
 * `from . import models`). Best effort by design: no tsconfig paths, Cargo workspaces, composer.json
 * or include-path settings are read (only go.mod, through FileLookup.manifestText), and an import that can't be placed returns []
 * (a package, the standard library) rather than a guess from elsewhere.
 */
export type ImportRule = (fromFile: string, source: string, files: FileLookup, names: readonly string[]) => string[];

/**
 * Where a language's grammar and queries come from (scripts/copyGrammars.mjs copies them at build)
 * and where treeSitterRuntime.ts reads them: grammars/tree-sitter-<id>.wasm and grammars/queries/.
 */
export interface GrammarSpec {
  /** The npm package holding the grammar. */
  package: string;
  /** The grammar's .wasm file inside the package. */
  wasm: string;
  /**
   * The folder under grammars/queries/ with the tags.scm, extra-tags.scm and imports.scm this
   * grammar uses: its own id, or the folder of the language it extends (TSX reads TypeScript's).
   */
  queries: string;
  /**
   * Packages whose queries/tags.scm, joined in this order, the build writes to
   * grammars/queries/<id>/tags.scm (TypeScript's only adds to JavaScript's); [] when `queries`
   * names another language's folder.
   */
  tags: readonly string[];
  /** Query folders whose imports.scm come before the own one's: the grammar extends theirs. */
  inheritedImports?: readonly string[];
}

/** A definition still open at the cursor in broken code (an ERROR node), as a language reads it. */
export interface OpenHeader {
  /** Its first token: the scope starts on that line, which is also its signature. */
  start: Node;
  name: string;
  kind: DefinitionKind;
}

/** What cursorSyntax.ts needs to know of a grammar to find the definitions a cursor sits in. */
export interface CursorRules {
  /** Syntax node types that are definitions the cursor can sit in, and the kind each one is. */
  scopes: Readonly<Record<string, DefinitionKind>>;
  /**
   * Blocks end at their last token and indentation decides what follows (Python): a cursor on the
   * blank line after a block's last statement is still inside the block when indented deeper.
   */
  indentedBlocks?: boolean;
  /** The kind of a scope node whose type alone can't tell (a Go type_spec naming a struct is a class). */
  refineKind?(node: Node, kind: DefinitionKind): DefinitionKind;
  /** A scope node's name when it isn't simply the node's `name` field; undefined for an anonymous one. */
  scopeName?(node: Node, text: string): string | undefined;
  /**
   * The definitions still open at `offset` among the tokens of an ERROR node, innermost first, for
   * languages whose blocks are not braces (without this, `{` opens a scope and `}` closes it).
   */
  openInError?(error: Node, offset: number, text: string): OpenHeader[];
}

export interface LanguageSpec<Id extends string = string> {
  /** Bantam's name for the grammar (a ContextLanguage): the grammars/ file names and the index use it. */
  id: Id;
  /** File extensions, lower case with the dot, that get this grammar when no editor language id says otherwise. */
  extensions: readonly string[];
  /**
   * The markdown fence name an edit prompt shows a file in, by extension (a subset of `extensions`);
   * a file whose extension has none here is shown in an unnamed fence.
   */
  fences: Readonly<Record<string, string>>;
  /** VS Code language ids whose documents get this grammar, whatever their file is called. */
  vscodeIds: readonly string[];
  grammar: GrammarSpec;
  /**
   * Languages with the same group see each other's definitions in workspace-wide name lookup (TS,
   * TSX and JS import each other freely; C++ includes C headers); a group of its own sees only itself.
   */
  lookupGroup: string;
  /** How an import names workspace files, so retrieval can pull definitions from the files a file uses. */
  resolveImport: ImportRule;
  /** How to find the definitions around a cursor, in this grammar's trees. */
  cursor: CursorRules;
}
