// What Bantam knows about one tree-sitter language, in one place: the files and editor documents
// that get its grammar and which other languages' definitions it may see. Each language's file in
// this folder exports one LanguageSpec; registry.ts lists them and answers the lookups, so adding a
// language is a new spec there rather than an edit to every table that once listed languages.

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
}
