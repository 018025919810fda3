// Ruby, Rake files included.
import { closest, dirOf, type FileLookup, joinInside } from './importPaths';
import type { LanguageSpec } from './languageSpec';

export const ruby: LanguageSpec<'ruby'> = {
  id: 'ruby',
  extensions: ['.rb', '.rake'],
  vscodeIds: ['ruby'],
  lookupGroup: 'ruby',
  resolveImport: resolveRuby,
};

function resolveRuby(fromFile: string, spec: string, files: FileLookup): string[] {
  const target = spec.replace(/^['"]|['"]$/g, '');
  if (target === '' || target.startsWith('/')) return [];
  const withExt = target.endsWith('.rb') ? target : `${target}.rb`;
  const fromDir = dirOf(fromFile);
  // require_relative (written with or without './'), then `require` from lib/ and the root.
  const fixed = [joinInside(fromDir, withExt)];
  if (!target.startsWith('.')) fixed.push(`lib/${withExt}`, withExt, `app/${withExt}`);
  const hit = fixed.find((p): p is string => p !== undefined && files.has(p));
  if (hit !== undefined) return [hit];
  if (target.startsWith('.')) return [];
  // A gem of a monorepo (gems/foo/lib/foo/bar.rb): nearest lib/ match.
  const inLib = closest(fromFile, files.pathsEndingWith?.(`lib/${withExt}`) ?? [])[0];
  return inLib === undefined ? [] : [inLib];
}
