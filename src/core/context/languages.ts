// Which tree-sitter grammar a file gets: by VS Code language id when the editor knows it, else by
// file extension (the indexer only has paths). Also which languages can see each other's
// definitions, so a name used in a .ts file can resolve to a .js definition but never to a Go one.
import type { ContextLanguage } from './contextTypes';

export const CONTEXT_LANGUAGES: readonly ContextLanguage[] = [
  'typescript',
  'tsx',
  'javascript',
  'python',
  'go',
  'rust',
  'java',
  'c',
  'cpp',
  'csharp',
  'ruby',
  'php',
];

const BY_EXTENSION: ReadonlyMap<string, ContextLanguage> = new Map<string, ContextLanguage>([
  ['.ts', 'typescript'],
  ['.mts', 'typescript'],
  ['.cts', 'typescript'],
  ['.tsx', 'tsx'],
  ['.js', 'javascript'],
  ['.mjs', 'javascript'],
  ['.cjs', 'javascript'],
  ['.jsx', 'javascript'],
  ['.py', 'python'],
  ['.pyi', 'python'],
  ['.go', 'go'],
  ['.rs', 'rust'],
  ['.java', 'java'],
  ['.c', 'c'],
  ['.h', 'c'],
  ['.cc', 'cpp'],
  ['.cpp', 'cpp'],
  ['.cxx', 'cpp'],
  ['.c++', 'cpp'],
  ['.hpp', 'cpp'],
  ['.hh', 'cpp'],
  ['.hxx', 'cpp'],
  ['.h++', 'cpp'],
  ['.cs', 'csharp'],
  ['.rb', 'ruby'],
  ['.rake', 'ruby'],
  ['.php', 'php'],
]);

const BY_LANGUAGE_ID: ReadonlyMap<string, ContextLanguage> = new Map<string, ContextLanguage>([
  ['typescript', 'typescript'],
  ['typescriptreact', 'tsx'],
  ['javascript', 'javascript'],
  ['javascriptreact', 'javascript'],
  ['python', 'python'],
  ['go', 'go'],
  ['rust', 'rust'],
  ['java', 'java'],
  ['c', 'c'],
  ['cpp', 'cpp'],
  ['csharp', 'csharp'],
  ['ruby', 'ruby'],
  ['php', 'php'],
]);

/** The grammar for a path by its extension (case-insensitive); undefined means text-only context. */
export function languageForPath(path: string): ContextLanguage | undefined {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const base = path.slice(slash + 1).toLowerCase();
  const dot = base.lastIndexOf('.');
  // A leading dot is a hidden file's name (".ts" is not a TypeScript file), not an extension.
  if (dot <= 0) return undefined;
  return BY_EXTENSION.get(base.slice(dot));
}

/** The grammar for an open document: its VS Code language id wins, the extension decides otherwise. */
export function languageForDocument(vscodeLanguageId: string, path: string): ContextLanguage | undefined {
  return BY_LANGUAGE_ID.get(vscodeLanguageId) ?? languageForPath(path);
}

/**
 * Languages whose definitions are visible to each other in workspace-wide name lookup: TS, TSX and
 * JS import each other freely; C++ includes C headers. Every other language only sees itself.
 */
export function lookupGroup(language: ContextLanguage): string {
  switch (language) {
    case 'typescript':
    case 'tsx':
    case 'javascript':
      return 'js';
    case 'c':
    case 'cpp':
      return 'c';
    default:
      return language;
  }
}
