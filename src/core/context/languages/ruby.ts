// Ruby's language spec (Rake files included): `require_relative`, and `require` from lib/; in
// broken code, `def`/`class`/`module` open a scope and `end` closes one.
import type { Node } from 'web-tree-sitter';
import { closest, dirOf, type FileLookup, joinInside } from './importPaths';
import type { DefinitionKind, LanguageSpec, OpenHeader } from './languageSpec';
import { textOf } from './syntaxNodes';

export const ruby: LanguageSpec<'ruby'> = {
  id: 'ruby',
  extensions: ['.rb', '.rake'],
  fences: { '.rb': 'ruby' },
  vscodeIds: ['ruby'],
  grammar: { package: 'tree-sitter-ruby', wasm: 'tree-sitter-ruby.wasm', queries: 'ruby', tags: ['tree-sitter-ruby'] },
  lookupGroup: 'ruby',
  resolveImport: resolveRuby,
  cursor: {
    scopes: { method: 'function', singleton_method: 'function', class: 'class', module: 'module' },
    openInError: rubyOpenInError,
  },
};

/** `module`/`class`/`def` open a scope named by the next name token; `end` closes one (or a `do`/`begin`/`case`). */
function rubyOpenInError(error: Node, offset: number, text: string): OpenHeader[] {
  const open: (OpenHeader | undefined)[] = [];
  let pending: { kind: DefinitionKind; start: Node } | undefined;
  for (let i = 0; i < error.childCount; i++) {
    const child = error.child(i);
    if (!child || child.startIndex >= offset) break;
    const type = child.type;
    if (child.isNamed) {
      if (pending && (type === 'constant' || type === 'identifier')) {
        open.push({ start: pending.start, name: textOf(text, child) ?? '', kind: pending.kind });
        pending = undefined;
      }
    } else if (type === 'module' || type === 'class' || type === 'def') {
      pending = { kind: type === 'def' ? 'function' : type === 'class' ? 'class' : 'module', start: child };
    } else if (type === 'do' || type === 'begin' || type === 'case') {
      open.push(undefined);
    } else if (type === 'end') {
      open.pop();
    }
  }
  return open.filter((header): header is OpenHeader => header !== undefined).reverse();
}

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
