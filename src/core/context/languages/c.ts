// C's language spec (headers included: a .h file is C unless the editor says C++), with the include
// and cursor rules C++ shares: a quoted include names a header and its implementation beside it; a
// function is named by its declarator.
import type { Node } from 'web-tree-sitter';
import { closest, dirOf, type FileLookup, joinInside } from './importPaths';
import type { CursorRules, DefinitionKind, LanguageSpec } from './languageSpec';
import { nameField, textOf } from './syntaxNodes';

/** Definitions the cursor sits in, for C and the C++ grammar built on it. */
export const C_CURSOR: CursorRules = {
  scopes: {
    function_definition: 'function',
    struct_specifier: 'class',
    union_specifier: 'class',
    enum_specifier: 'enum',
  },
  refineKind: cRefineKind,
  scopeName: cScopeName,
};

export const c: LanguageSpec<'c'> = {
  id: 'c',
  extensions: ['.c', '.h'],
  fences: { '.c': 'c', '.h': 'c' },
  vscodeIds: ['c'],
  grammar: { package: 'tree-sitter-c', wasm: 'tree-sitter-c.wasm', queries: 'c', tags: ['tree-sitter-c'] },
  lookupGroup: 'c',
  resolveImport: resolveC,
  cursor: C_CURSOR,
};

/** A function defined as `Type::name` is a method of Type. */
function cRefineKind(node: Node, kind: DefinitionKind): DefinitionKind {
  if (node.type !== 'function_definition') return kind;
  return functionDeclarator(node)?.childForFieldName('declarator')?.type === 'qualified_identifier' ? 'method' : kind;
}

/** A function's name sits in its declarator (inside pointer and reference declarators), not a name field. */
function cScopeName(node: Node, text: string): string | undefined {
  if (node.type !== 'function_definition') return nameField(node, text);
  const declarator = functionDeclarator(node)?.childForFieldName('declarator');
  if (declarator?.type === 'qualified_identifier') return textOf(text, declarator.childForFieldName('name'));
  return textOf(text, declarator);
}

function functionDeclarator(node: Node): Node | undefined {
  let declarator = node.childForFieldName('declarator');
  while (declarator && declarator.type !== 'function_declarator') declarator = declarator.childForFieldName('declarator');
  return declarator ?? undefined;
}

const HEADER_EXTENSION = /\.(?:h|hh|hpp|hxx|h\+\+|inl|ipp|tpp)$/i;
const IMPLEMENTATION_EXTENSIONS = ['.c', '.cc', '.cpp', '.cxx', '.c++', '.m', '.mm'];

/** `#include "x.h"` (never `<x.h>`): the header, and its implementation file when one sits beside it. */
export function resolveC(fromFile: string, spec: string, files: FileLookup): string[] {
  let include = spec.trim();
  if (include.startsWith('<')) return []; // system / library header
  include = include.replace(/^"|"$/g, '');
  if (include === '' || include.startsWith('/')) return [];
  const fromDir = dirOf(fromFile);
  const fixed = [joinInside(fromDir, include), include, `include/${include}`, `src/${include}`];
  let header = fixed.find((p): p is string => p !== undefined && files.has(p));
  if (header === undefined) {
    // A configured include path (libfoo/include/foo/x.h): the matching file nearest to the includer.
    header = closest(fromFile, files.pathsEndingWith?.(include) ?? [])[0];
  }
  if (header === undefined) return [];
  const found = [header];
  if (HEADER_EXTENSION.test(header)) {
    const stem = header.slice(0, header.lastIndexOf('.'));
    const stems = [stem];
    // include/foo/x.h <-> src/foo/x.c, the other common layout.
    const swapped = stem.replace(/(^|\/)include\//, '$1src/');
    if (swapped !== stem) stems.push(swapped);
    for (const s of stems) {
      const impl = IMPLEMENTATION_EXTENSIONS.map((e) => s + e).find((p) => files.has(p) && p !== fromFile);
      if (impl !== undefined) {
        found.push(impl);
        break;
      }
    }
  }
  return found;
}
