// Rust.
import type { LanguageSpec } from './languageSpec';

export const rust: LanguageSpec<'rust'> = {
  id: 'rust',
  extensions: ['.rs'],
  vscodeIds: ['rust'],
  lookupGroup: 'rust',
};
