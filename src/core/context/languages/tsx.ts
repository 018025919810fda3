// TSX: TypeScript with JSX, its own grammar, sharing JavaScript's lookup group.
import { JS_CURSOR, jsImportRule } from './javascript';
import type { LanguageSpec } from './languageSpec';

export const tsx: LanguageSpec<'tsx'> = {
  id: 'tsx',
  extensions: ['.tsx'],
  vscodeIds: ['typescriptreact'],
  lookupGroup: 'js',
  resolveImport: jsImportRule(true),
  cursor: JS_CURSOR,
};
