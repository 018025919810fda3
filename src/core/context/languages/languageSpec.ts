// What Bantam knows about one tree-sitter language, in one place: the files and editor documents
// that get its grammar, which other languages' definitions it may see and how its imports name files. Each language's file in
// this folder exports one LanguageSpec; registry.ts lists them and answers the lookups, so adding a
// language is a new spec there rather than an edit to every table that once listed languages.
import type { FileLookup } from './importPaths';

/**
 * Workspace-relative paths of the files an import refers to from `fromFile`, best first, only files
 * in `files`. `source` is the import as the extractor wrote it, trimmed and never empty; `names` are
 * the names the statement imports, for languages where they can be modules themselves (Python's
 * `from . import models`). Best effort by design: no tsconfig paths, go.mod, Cargo workspaces,
 * composer.json or include-path settings are read, and an import that can't be placed returns []
 * (a package, the standard library) rather than a guess from elsewhere.
 */
export type ImportRule = (fromFile: string, source: string, files: FileLookup, names: readonly string[]) => string[];

export interface LanguageSpec<Id extends string = string> {
  /** Bantam's name for the grammar (a ContextLanguage): the grammars/ file names and the index use it. */
  id: Id;
  /** File extensions, lower case with the dot, that get this grammar when no editor language id says otherwise. */
  extensions: readonly string[];
  /** VS Code language ids whose documents get this grammar, whatever their file is called. */
  vscodeIds: readonly string[];
  /**
   * Languages with the same group see each other's definitions in workspace-wide name lookup (TS,
   * TSX and JS import each other freely; C++ includes C headers); a group of its own sees only itself.
   */
  lookupGroup: string;
  /** How an import names workspace files, so retrieval can pull definitions from the files a file uses. */
  resolveImport: ImportRule;
}
