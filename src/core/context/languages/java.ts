// Java.
import type { LanguageSpec } from './languageSpec';

export const java: LanguageSpec<'java'> = {
  id: 'java',
  extensions: ['.java'],
  vscodeIds: ['java'],
  lookupGroup: 'java',
};
