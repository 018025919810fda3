// Java's language spec: an import names a class (or a package, with `.*`) by its package path,
// under the usual source roots.
import { candidatesDirs, candidatesEndingWith, closest, type FileLookup } from './importPaths';
import type { LanguageSpec } from './languageSpec';

export const java: LanguageSpec<'java'> = {
  id: 'java',
  extensions: ['.java'],
  fences: { '.java': 'java' },
  vscodeIds: ['java'],
  grammar: { package: 'tree-sitter-java', wasm: 'tree-sitter-java.wasm', queries: 'java', tags: ['tree-sitter-java'] },
  lookupGroup: 'java',
  resolveImport: resolveJava,
  cursor: {
    scopes: {
      class_declaration: 'class',
      record_declaration: 'class',
      interface_declaration: 'interface',
      annotation_type_declaration: 'interface',
      enum_declaration: 'enum',
      method_declaration: 'method',
      constructor_declaration: 'method',
    },
  },
};

function resolveJava(fromFile: string, spec: string, files: FileLookup): string[] {
  const clean = spec.replace(/^static\s+/, '').replace(/;$/, '').trim();
  if (!/^[\w$.]+(?:\.\*)?$/.test(clean)) return [];
  const segments = clean.split('.');
  if (segments[segments.length - 1] === '*') {
    const dir = segments.slice(0, -1).join('/');
    const dirs = closest(fromFile, candidatesDirs(dir, files));
    for (const d of dirs) {
      const java = files.filesIn(d).filter((f) => f.endsWith('.java'));
      if (java.length > 0) return [...java].sort();
    }
    return [];
  }
  // A class, or a static member of one (`import static a.B.member`), or a nested class (`a.B.Inner`).
  for (let end = segments.length; end >= Math.max(2, segments.length - 2); end--) {
    const suffix = `${segments.slice(0, end).join('/')}.java`;
    const hits = closest(fromFile, candidatesEndingWith(suffix, ['', 'src/', 'src/main/java/', 'src/test/java/', 'app/src/main/java/'], files));
    if (hits.length > 0) return [hits[0]!];
  }
  return [];
}
