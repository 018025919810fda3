// C, headers (.h) included: a .h file is read as C unless the editor says C++. C++ shares its lookup group.
import type { LanguageSpec } from './languageSpec';

export const c: LanguageSpec<'c'> = {
  id: 'c',
  extensions: ['.c', '.h'],
  vscodeIds: ['c'],
  lookupGroup: 'c',
};
