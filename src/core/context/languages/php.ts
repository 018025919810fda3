// PHP.
import type { LanguageSpec } from './languageSpec';

export const php: LanguageSpec<'php'> = {
  id: 'php',
  extensions: ['.php'],
  vscodeIds: ['php'],
  lookupGroup: 'php',
};
