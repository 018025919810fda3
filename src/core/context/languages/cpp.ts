// C++'s language spec: C's include and cursor rules, plus classes and namespaces. It shares C's
// lookup group because C++ includes C headers.
import { C_CURSOR, resolveC } from './c';
import type { LanguageSpec } from './languageSpec';

export const cpp: LanguageSpec<'cpp'> = {
  id: 'cpp',
  extensions: ['.cc', '.cpp', '.cxx', '.c++', '.hpp', '.hh', '.hxx', '.h++'],
  fences: { '.cpp': 'cpp', '.cc': 'cpp', '.hpp': 'cpp' },
  vscodeIds: ['cpp'],
  grammar: { package: 'tree-sitter-cpp', wasm: 'tree-sitter-cpp.wasm', queries: 'cpp', tags: ['tree-sitter-cpp'] },
  lookupGroup: 'c',
  resolveImport: resolveC,
  cursor: { ...C_CURSOR, scopes: { ...C_CURSOR.scopes, class_specifier: 'class', namespace_definition: 'module' } },
};
