// C#'s language spec: a `using` names a namespace, found as the folder (or project folder) of the
// files that declare it, or a class's file.
import { candidatesDirs, closest, type FileLookup } from './importPaths';
import type { LanguageSpec } from './languageSpec';

export const csharp: LanguageSpec<'csharp'> = {
  id: 'csharp',
  extensions: ['.cs'],
  fences: { '.cs': 'csharp' },
  vscodeIds: ['csharp'],
  grammar: { package: 'tree-sitter-c-sharp', wasm: 'tree-sitter-c_sharp.wasm', queries: 'csharp', tags: ['tree-sitter-c-sharp'] },
  lookupGroup: 'csharp',
  resolveImport: resolveCSharp,
  cursor: {
    scopes: {
      class_declaration: 'class',
      struct_declaration: 'class',
      record_declaration: 'class',
      interface_declaration: 'interface',
      enum_declaration: 'enum',
      method_declaration: 'method',
      constructor_declaration: 'method',
      local_function_statement: 'function',
      namespace_declaration: 'module',
    },
  },
};

function resolveCSharp(fromFile: string, spec: string, files: FileLookup): string[] {
  // `using static A.B.C;`, `using Alias = A.B.C;`, `global using A.B;`
  const clean = spec.replace(/^(?:global\s+)?(?:using\s+)?(?:static\s+)?/, '').replace(/^\w+\s*=\s*/, '').replace(/;$/, '').trim();
  if (!/^[\w.]+$/.test(clean)) return [];
  const segments = clean.split('.');
  if (segments[0] === 'System' || segments[0] === 'Microsoft') return [];
  // The namespace's folder: the longest tail of the namespace as a folder path (Shop/Pricing, then
  // Pricing), or a project folder named after the whole namespace (Shop.Pricing/).
  const folderGuesses: string[] = [];
  for (let i = 0; i < segments.length; i++) folderGuesses.push(segments.slice(i).join('/'));
  folderGuesses.splice(1, 0, clean);
  for (const guess of folderGuesses) {
    for (const dir of closest(fromFile, candidatesDirs(guess, files))) {
      const cs = files.filesIn(dir).filter((f) => f.endsWith('.cs') && f !== fromFile);
      if (cs.length > 0) return [...cs].sort();
    }
  }
  // `using static Shop.Pricing.Calculator` / aliases name a class: its file.
  if (segments.length >= 2) {
    const suffix = `${segments.slice(-2).join('/')}.cs`;
    const hit = closest(fromFile, files.pathsEndingWith?.(suffix) ?? [])[0];
    if (hit !== undefined) return [hit];
  }
  return [];
}
