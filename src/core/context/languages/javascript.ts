// JavaScript, JSX included (the JavaScript grammar parses JSX), and the lookup group TS and TSX share.
import type { LanguageSpec } from './languageSpec';

export const javascript: LanguageSpec<'javascript'> = {
  id: 'javascript',
  extensions: ['.js', '.mjs', '.cjs', '.jsx'],
  vscodeIds: ['javascript', 'javascriptreact'],
  lookupGroup: 'js',
};
