// The large real code tree the context benchmarks index (this repository's node_modules: thousands
// of TS/JS files, available offline), and the excludes that make it look like a workspace.

// In a dependency tree, nested node_modules are other packages' copies and *.min.* are bundles: the
// same rules the extension's defaults apply. dist/ and build/ stay in: packages ship their code there.
export const TREE_EXCLUDES = ['**/node_modules/**', '**/*.min.*'];
