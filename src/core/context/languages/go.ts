// Go.
import type { LanguageSpec } from './languageSpec';

export const go: LanguageSpec<'go'> = {
  id: 'go',
  extensions: ['.go'],
  vscodeIds: ['go'],
  lookupGroup: 'go',
};
