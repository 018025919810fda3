// Go's language spec: an import path names a package folder, found under the module path of the
// nearest go.mod, else by the longest tail of the path; a file's own package (the '.' its package
// clause stands for) is the other files of its folder; `type X struct` and `type X interface` are a
// class and an interface.
import type { Node } from 'web-tree-sitter';
import { ancestorDirs, closest, dirOf, type FileLookup, joinSegments } from './importPaths';
import type { DefinitionKind, LanguageSpec } from './languageSpec';

export const go: LanguageSpec<'go'> = {
  id: 'go',
  extensions: ['.go'],
  fences: { '.go': 'go' },
  vscodeIds: ['go'],
  grammar: { package: 'tree-sitter-go', wasm: 'tree-sitter-go.wasm', queries: 'go', tags: ['tree-sitter-go'] },
  lookupGroup: 'go',
  resolveImport: resolveGo,
  cursor: {
    scopes: { function_declaration: 'function', method_declaration: 'method', type_spec: 'type' },
    refineKind: goRefineKind,
  },
};

/** `type X struct` is a class and `type X interface` an interface; any other type_spec stays a type. */
function goRefineKind(node: Node, kind: DefinitionKind): DefinitionKind {
  if (node.type !== 'type_spec') return kind;
  const type = node.childForFieldName('type')?.type;
  return type === 'struct_type' ? 'class' : type === 'interface_type' ? 'interface' : 'type';
}

/** First elements of standard-library import paths: never workspace folders, even when names clash. */
const GO_STDLIB = new Set(
  ('archive bufio builtin bytes cmp compress container context crypto database debug embed encoding errors ' +
    'expvar flag fmt go hash html image index io iter log maps math mime net os path plugin reflect regexp ' +
    'runtime slices sort strconv strings sync syscall testing text time unicode unique unsafe C')
    .split(' '),
);

function resolveGo(fromFile: string, spec: string, files: FileLookup): string[] {
  if (spec === '.') return ownPackage(fromFile, files);
  const importPath = spec.replace(/^"|"$/g, '').replace(/\/+$/, '');
  const segments = importPath.split('/').filter((s) => s !== '');
  if (segments.length === 0 || GO_STDLIB.has(segments[0]!)) return [];
  const inModule = inOwnModule(fromFile, importPath, files);
  if (inModule !== undefined) return inModule;
  // Another module's package (or no go.mod): the folder whose path ends with the longest tail of
  // the import path. Tails of two or more segments may sit anywhere (a module in a subfolder of the
  // workspace); a one-segment tail only at the root, or when a single folder in the workspace has
  // that name, since `db` or `util` alone proves little.
  for (let i = 0; i < segments.length; i++) {
    const tail = segments.slice(i).join('/');
    let dirs: readonly string[];
    if (files.dirsEndingWith === undefined) dirs = [tail];
    else {
      dirs = files.dirsEndingWith(tail);
      if (i === segments.length - 1 && dirs.length > 1) dirs = dirs.filter((d) => d === tail);
    }
    for (const dir of closest(fromFile, dirs)) {
      const goFiles = packageFiles(dir, files, false);
      if (goFiles.length > 0) return goFiles;
    }
  }
  return [];
}

/** The other files of fromFile's package: its folder's .go files (tests only from a test file). */
function ownPackage(fromFile: string, files: FileLookup): string[] {
  return packageFiles(dirOf(fromFile), files, fromFile.endsWith('_test.go')).filter((f) => f !== fromFile);
}

function packageFiles(dir: string, files: FileLookup, withTests: boolean): string[] {
  return files
    .filesIn(dir)
    .filter((f) => f.endsWith('.go') && (withTests || !f.endsWith('_test.go')))
    .sort();
}

/**
 * The package folder of an import of the importing file's own module: the nearest go.mod above it
 * names the module path, and the rest of the import path is the folder under go.mod's. Undefined
 * when no go.mod is found or the path is another module's (a nested module included: its folder
 * has no files of this module's package, and the tail search finds it).
 */
function inOwnModule(fromFile: string, importPath: string, files: FileLookup): string[] | undefined {
  if (files.manifestText === undefined) return undefined;
  for (const dir of ancestorDirs(dirOf(fromFile))) {
    const text = files.manifestText(joinSegments(dir, ['go.mod']));
    if (text === undefined) continue;
    const modulePath = goModulePath(text);
    if (modulePath === undefined) return undefined;
    if (importPath !== modulePath && !importPath.startsWith(`${modulePath}/`)) return undefined;
    const rest = importPath.slice(modulePath.length).split('/').filter((s) => s !== '');
    const found = packageFiles(joinSegments(dir, rest), files, false);
    return found.length > 0 ? found : undefined;
  }
  return undefined;
}

/** The `module` line of a go.mod, quotes and comments removed. */
export function goModulePath(goMod: string): string | undefined {
  const match = /^\s*module\s+("?)([^\s"/]+(?:\/[^\s"/]+)*)\1\s*(?:\/\/.*)?$/m.exec(goMod);
  return match?.[2];
}
