// Go's language spec: an import path names a package folder, found by the longest tail of the path
// (go.mod is not read); `type X struct` and `type X interface` are a class and an interface.
import type { Node } from 'web-tree-sitter';
import { closest, type FileLookup } from './importPaths';
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
  const importPath = spec.replace(/^"|"$/g, '').replace(/\/+$/, '');
  const segments = importPath.split('/').filter((s) => s !== '');
  if (segments.length === 0 || GO_STDLIB.has(segments[0]!)) return [];
  // The folder whose path ends with the longest tail of the import path: the module path prefix
  // lives in go.mod, which the lookup can't read. Tails of two or more segments may sit anywhere
  // (a module in a subfolder of the workspace); a one-segment tail only at the root, or when a
  // single folder in the workspace has that name, since `db` or `util` alone proves little.
  for (let i = 0; i < segments.length; i++) {
    const tail = segments.slice(i).join('/');
    let dirs: readonly string[];
    if (files.dirsEndingWith === undefined) dirs = [tail];
    else {
      dirs = files.dirsEndingWith(tail);
      if (i === segments.length - 1 && dirs.length > 1) dirs = dirs.filter((d) => d === tail);
    }
    for (const dir of closest(fromFile, dirs)) {
      const goFiles = files.filesIn(dir).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'));
      if (goFiles.length > 0) return [...goFiles].sort();
    }
  }
  return [];
}
