// Python's language spec (stubs included): imports name modules and packages from the workspace
// root or an ancestor folder (src/ layouts), or relative by dots; blocks are scoped by indentation,
// also while the code around the cursor is broken.
import type { Node } from 'web-tree-sitter';
import { ancestorDirs, dirOf, type FileLookup, joinSegments, parentOf } from './importPaths';
import type { DefinitionKind, LanguageSpec, OpenHeader } from './languageSpec';
import { indentOfLineAt, textOf } from './syntaxNodes';

export const python: LanguageSpec<'python'> = {
  id: 'python',
  extensions: ['.py', '.pyi'],
  fences: { '.py': 'python' },
  vscodeIds: ['python'],
  grammar: { package: 'tree-sitter-python', wasm: 'tree-sitter-python.wasm', queries: 'python', tags: ['tree-sitter-python'] },
  lookupGroup: 'python',
  resolveImport: resolvePython,
  cursor: {
    scopes: { function_definition: 'function', class_definition: 'class' },
    indentedBlocks: true,
    openInError: pythonOpenInError,
  },
};

/** A `def` or `class` header is open when the cursor line is indented deeper than it. */
function pythonOpenInError(error: Node, offset: number, text: string): OpenHeader[] {
  const cursorIndent = indentOfLineAt(text, offset);
  const open: { column: number; header: OpenHeader }[] = [];
  for (let i = 0; i < error.childCount; i++) {
    const child = error.child(i);
    if (!child || child.startIndex >= offset) break;
    if (child.type !== 'def' && child.type !== 'class') continue;
    const name = error.child(i + 1);
    if (!name || name.type !== 'identifier') continue;
    const column = child.startPosition.column;
    // A header closes every open scope indented as deep as it or deeper.
    while (open.length > 0 && open[open.length - 1].column >= column) open.pop();
    const kind: DefinitionKind = child.type === 'def' ? 'function' : 'class';
    open.push({ column, header: { start: child, name: textOf(text, name) ?? '', kind } });
  }
  return open.filter((entry) => cursorIndent > entry.column).map((entry) => entry.header).reverse();
}

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
