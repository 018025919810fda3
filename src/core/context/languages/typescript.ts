// TypeScript (.ts, .mts, .cts): the JavaScript grammar's superset, sharing JavaScript's lookup group.
import { jsImportRule } from './javascript';
import type { LanguageSpec } from './languageSpec';

export const typescript: LanguageSpec<'typescript'> = {
  id: 'typescript',
  extensions: ['.ts', '.mts', '.cts'],
  vscodeIds: ['typescript'],
  lookupGroup: 'js',
  resolveImport: jsImportRule(true),
};
