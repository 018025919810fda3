// TypeScript's language spec (.ts, .mts, .cts). Its grammar extends JavaScript's, so it takes
// JavaScript's import rule (TypeScript files first) and cursor rules, and reads JavaScript's
// imports.scm before its own (`import x = require()` is the addition).
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
