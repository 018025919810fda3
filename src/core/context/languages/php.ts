// PHP's language spec: require/include paths and namespaced (PSR-4) classes; a namespace
// declared without braces encloses nothing.
import type { Node } from 'web-tree-sitter';
import { candidatesEndingWith, closest, dirOf, type FileLookup, joinInside } from './importPaths';
import type { LanguageSpec } from './languageSpec';
import { nameField } from './syntaxNodes';

export const php: LanguageSpec<'php'> = {
  id: 'php',
  extensions: ['.php'],
  fences: { '.php': 'php' },
  vscodeIds: ['php'],
  grammar: { package: 'tree-sitter-php', wasm: 'tree-sitter-php.wasm', queries: 'php', tags: ['tree-sitter-php'] },
  lookupGroup: 'php',
  resolveImport: resolvePhp,
  cursor: {
    scopes: {
      function_definition: 'function',
      method_declaration: 'method',
      class_declaration: 'class',
      interface_declaration: 'interface',
      trait_declaration: 'interface',
      enum_declaration: 'enum',
      namespace_definition: 'module',
    },
    scopeName: phpScopeName,
  },
};

/** `namespace A;` has no body: it does not enclose the code after it, so it is no scope. */
function phpScopeName(node: Node, text: string): string | undefined {
  if (node.type === 'namespace_definition' && !node.childForFieldName('body')) return undefined;
  return nameField(node, text);
}

function resolvePhp(fromFile: string, spec: string, files: FileLookup): string[] {
  const target = spec.replace(/^['"]|['"]$/g, '').trim();
  const isPath = target.includes('/') || /\.(?:php|inc|phtml)$/i.test(target);
  if (isPath && !target.includes('\\')) {
    // require/include: relative to the file (`__DIR__ . '/x.php'` leaves '/x.php'), then the root.
    const rel = target.replace(/^\/+/, '');
    const candidates = [joinInside(dirOf(fromFile), rel), target.startsWith('/') ? undefined : rel];
    const hit = candidates.find((p): p is string => p !== undefined && files.has(p));
    return hit === undefined ? [] : [hit];
  }
  // A namespaced class (PSR-4): `App\Models\User` -> .../Models/User.php, the longest tail that
  // exists (App\ usually maps to app/ or src/, so the first segment rarely matches as written).
  const segments = target.replace(/^\\+/, '').split('\\').filter((s) => s !== '');
  if (segments.length === 0 || !segments.every((s) => /^\w+$/.test(s))) return [];
  // `use function App\Support\helper;` names something inside App/Support.php: try without the last.
  for (const parts of [segments, segments.slice(0, -1)]) {
    if (parts.length === 0) continue;
    for (let i = 0; i < parts.length; i++) {
      if (parts.length - i < 2 && parts.length > 1) break; // a bare 'User.php' is too loose a match
      const suffix = `${parts.slice(i).join('/')}.php`;
      const hit = closest(fromFile, candidatesEndingWith(suffix, ['', 'app/', 'src/', 'lib/'], files))[0];
      if (hit !== undefined) return [hit];
    }
  }
  return [];
}
