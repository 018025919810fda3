// TSX's language spec: TypeScript with JSX, a grammar of its own that reads TypeScript's queries
// and shares JavaScript's import and cursor rules.
import { JS_CURSOR, jsImportRule } from './javascript';
import type { LanguageSpec } from './languageSpec';

export const tsx: LanguageSpec<'tsx'> = {
  id: 'tsx',
  extensions: ['.tsx'],
  fences: { '.tsx': 'tsx' },
  vscodeIds: ['typescriptreact'],
  grammar: {
    package: 'tree-sitter-typescript',
    wasm: 'tree-sitter-tsx.wasm',
    // TypeScript plus JSX: the same node types for everything the queries capture.
    queries: 'typescript',
    tags: [],
    inheritedImports: ['javascript'],
  },
  lookupGroup: 'js',
  resolveImport: jsImportRule(true),
  cursor: JS_CURSOR,
};
