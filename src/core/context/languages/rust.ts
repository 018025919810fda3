// Rust's language spec: `mod` and `use` paths name module files from the crate root, self or
// super; an impl block is named after the type it implements.
import type { Node } from 'web-tree-sitter';
import { ancestorDirs, baseOf, dirOf, type FileLookup, joinSegments, parentOf } from './importPaths';
import type { LanguageSpec } from './languageSpec';
import { nameField, textOf } from './syntaxNodes';

export const rust: LanguageSpec<'rust'> = {
  id: 'rust',
  extensions: ['.rs'],
  fences: { '.rs': 'rust' },
  vscodeIds: ['rust'],
  grammar: { package: 'tree-sitter-rust', wasm: 'tree-sitter-rust.wasm', queries: 'rust', tags: ['tree-sitter-rust'] },
  lookupGroup: 'rust',
  resolveImport: resolveRust,
  cursor: {
    scopes: {
      function_item: 'function',
      impl_item: 'class',
      trait_item: 'interface',
      struct_item: 'class',
      enum_item: 'enum',
      mod_item: 'module',
    },
    scopeName: rustScopeName,
  },
};

/** An `impl` block is named after the type it implements (without its generic arguments). */
function rustScopeName(node: Node, text: string): string | undefined {
  if (node.type !== 'impl_item') return nameField(node, text);
  const type = node.childForFieldName('type');
  return textOf(text, type?.type === 'generic_type' ? type.childForFieldName('type') : type);
}

const RUST_CRATE_ROOT_FILES = new Set(['main.rs', 'lib.rs', 'mod.rs']);

function resolveRust(fromFile: string, spec: string, files: FileLookup): string[] {
  const clean = spec.replace(/^::/, '').replace(/::\{.*$/, '').replace(/::\*$/, '');
  const segments = clean.split('::').filter((s) => s !== '');
  if (segments.length === 0) return [];
  const fileDir = dirOf(fromFile);
  const name = baseOf(fromFile);
  // Where the current module's child modules live: next to main.rs/lib.rs/mod.rs, or in the folder
  // named after foo.rs.
  const selfDir = RUST_CRATE_ROOT_FILES.has(name) ? fileDir : joinSegments(fileDir, [name.replace(/\.rs$/, '')]);

  const starts: { dir: string; rest: string[] }[] = [];
  const head = segments[0]!;
  if (head === 'crate') {
    starts.push({ dir: rustCrateRoot(fromFile, files), rest: segments.slice(1) });
  } else if (head === 'self' || head === 'super') {
    let dir: string | undefined = selfDir;
    let i = 0;
    for (; i < segments.length && (segments[i] === 'self' || segments[i] === 'super'); i++) {
      if (segments[i] === 'super') dir = dir === undefined || dir === '' ? undefined : parentOf(dir);
    }
    if (dir === undefined) return [];
    starts.push({ dir, rest: segments.slice(i) });
  } else {
    // `mod x;` (the extractor writes 'x') and 2018-style `use x::y` naming a local module; an
    // external crate (std::, serde::) simply finds no file.
    starts.push({ dir: selfDir, rest: segments });
    const crateRoot = rustCrateRoot(fromFile, files);
    if (crateRoot !== selfDir) starts.push({ dir: crateRoot, rest: segments });
  }

  for (const { dir, rest } of starts) {
    if (rest.length === 0) {
      // `use super::*` / `use crate::X` from the module file itself: that module's own file.
      continue;
    }
    // The deepest module the path names; the remaining segments are items inside it.
    for (let depth = rest.length; depth >= 1; depth--) {
      const modulePath = joinSegments(dir, rest.slice(0, depth));
      for (const candidate of [`${modulePath}.rs`, `${modulePath}/mod.rs`]) {
        if (files.has(candidate) && candidate !== fromFile) return [candidate];
      }
    }
  }
  return [];
}

/** The src/ folder of the crate fromFile belongs to (nearest src/ with a Cargo.toml beside it). */
function rustCrateRoot(fromFile: string, files: FileLookup): string {
  const ancestors = ancestorDirs(dirOf(fromFile));
  for (const dir of ancestors) {
    if (baseOf(dir) === 'src' && files.has(joinSegments(parentOf(dir) ?? '', ['Cargo.toml']))) return dir;
  }
  for (const dir of ancestors) if (baseOf(dir) === 'src') return dir;
  return dirOf(fromFile);
}
