// C, headers (.h) included: a .h file is read as C unless the editor says C++. C++ shares its lookup group.
import { closest, dirOf, type FileLookup, joinInside } from './importPaths';
import type { LanguageSpec } from './languageSpec';

export const c: LanguageSpec<'c'> = {
  id: 'c',
  extensions: ['.c', '.h'],
  vscodeIds: ['c'],
  lookupGroup: 'c',
  resolveImport: resolveC,
};

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
