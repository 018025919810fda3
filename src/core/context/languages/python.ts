// Python, stubs (.pyi) included.
import { ancestorDirs, dirOf, type FileLookup, joinSegments, parentOf } from './importPaths';
import type { LanguageSpec } from './languageSpec';

export const python: LanguageSpec<'python'> = {
  id: 'python',
  extensions: ['.py', '.pyi'],
  vscodeIds: ['python'],
  lookupGroup: 'python',
  resolveImport: resolvePython,
};

function resolvePython(fromFile: string, spec: string, files: FileLookup, names: readonly string[]): string[] {
  const dots = /^\.*/.exec(spec)![0].length;
  const rest = spec.slice(dots);
  if (rest !== '' && !/^[\w.]+$/.test(rest)) return [];
  const parts = rest === '' ? [] : rest.split('.').filter((p) => p !== '');

  const roots: string[] = [];
  if (dots > 0) {
    // One dot is the file's own package, each further dot one package up.
    let dir: string | undefined = dirOf(fromFile);
    for (let i = 1; i < dots && dir !== undefined; i++) dir = parentOf(dir);
    if (dir === undefined) return [];
    roots.push(dir);
  } else {
    // The workspace root, then the file's ancestors from the top (src/ layouts, monorepo packages).
    roots.push('');
    const ancestors = ancestorDirs(dirOf(fromFile)).reverse();
    for (const a of ancestors) if (a !== '') roots.push(a);
  }

  for (const root of roots) {
    const modulePath = joinSegments(root, parts);
    const module = parts.length === 0 ? pythonPackage(modulePath, files) : pythonModule(modulePath, files);
    const submodules = names
      .filter((n) => /^\w+$/.test(n))
      .map((n) => pythonModule(joinSegments(modulePath, [n]), files))
      .filter((p): p is string => p !== undefined);
    if (module === undefined && submodules.length === 0) continue;
    const found = [...submodules];
    if (module !== undefined) found.push(module);
    return dedupe(found);
  }
  return [];
}

function pythonModule(modulePath: string, files: FileLookup): string | undefined {
  if (modulePath === '') return pythonPackage('', files);
  for (const candidate of [`${modulePath}.py`, `${modulePath}.pyi`]) if (files.has(candidate)) return candidate;
  return pythonPackage(modulePath, files);
}

function pythonPackage(dir: string, files: FileLookup): string | undefined {
  const prefix = dir === '' ? '' : `${dir}/`;
  for (const candidate of [`${prefix}__init__.py`, `${prefix}__init__.pyi`]) if (files.has(candidate)) return candidate;
  return undefined;
}

function dedupe(paths: string[]): string[] {
  return [...new Set(paths)];
}
