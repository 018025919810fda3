// C#.
import type { LanguageSpec } from './languageSpec';

export const csharp: LanguageSpec<'csharp'> = {
  id: 'csharp',
  extensions: ['.cs'],
  vscodeIds: ['csharp'],
  lookupGroup: 'csharp',
};
