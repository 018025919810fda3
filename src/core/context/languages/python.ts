// Python, stubs (.pyi) included.
import type { LanguageSpec } from './languageSpec';

export const python: LanguageSpec<'python'> = {
  id: 'python',
  extensions: ['.py', '.pyi'],
  vscodeIds: ['python'],
  lookupGroup: 'python',
};
