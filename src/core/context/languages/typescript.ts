// TypeScript (.ts, .mts, .cts): the JavaScript grammar's superset, sharing JavaScript's lookup group.
import { JS_CURSOR, jsImportRule } from './javascript';
import type { LanguageSpec } from './languageSpec';

export const typescript: LanguageSpec<'typescript'> = {
  id: 'typescript',
  extensions: ['.ts', '.mts', '.cts'],
  fences: { '.ts': 'ts' },
  vscodeIds: ['typescript'],
  grammar: {
    package: 'tree-sitter-typescript',
    wasm: 'tree-sitter-typescript.wasm',
    queries: 'typescript',
    tags: ['tree-sitter-javascript', 'tree-sitter-typescript'],
    inheritedImports: ['javascript'],
  },
  lookupGroup: 'js',
  resolveImport: jsImportRule(true),
  cursor: JS_CURSOR,
};
