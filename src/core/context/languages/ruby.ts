// Ruby, Rake files included.
import type { LanguageSpec } from './languageSpec';

export const ruby: LanguageSpec<'ruby'> = {
  id: 'ruby',
  extensions: ['.rb', '.rake'],
  vscodeIds: ['ruby'],
  lookupGroup: 'ruby',
};
