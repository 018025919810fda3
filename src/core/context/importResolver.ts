// Turns an import as written (ImportStatement.source) into the workspace files it refers to, per
// language, so retrieval can pull definitions from the files the current file actually uses.
// Runs per retrieval, on the completion path: no file system access, only lookups in the set of
// indexed files (FileSet keeps name indexes so suffix searches cost a map lookup, not a scan).
// Best effort by design: no tsconfig paths, go.mod, Cargo workspaces, composer.json or include-path
// settings are read; the rules below cover the conventional layouts, and an import that can't be
// placed returns [] (a package, the standard library) rather than a guess from elsewhere.

import * as path from 'node:path';
import type { ContextLanguage } from './contextTypes';

export interface FileLookup {
  has(path: string): boolean;
  /** files directly inside dir (relative, no recursion) */
  filesIn(dir: string): readonly string[];
  /**
   * Optional, FileSet has it: files whose path is `suffix` or ends with '/' + suffix. Without it the
   * resolver only tries fixed candidate paths (Java, PHP, C includes find less).
   */
  pathsEndingWith?(suffix: string): readonly string[];
  /** Optional, FileSet has it: folders (holding files) whose path is `suffix` or ends with '/' + suffix. */
  dirsEndingWith?(suffix: string): readonly string[];
}

const posix = path.posix;

/**
 * Workspace-relative paths of the files `source` (as the extractor wrote it) refers to from
 * `fromFile`, best first, only files in `files`. `names` are the names the statement imports, used
 * where they can be modules themselves (Python's `from . import models`).
 */
export function resolveImport(
  fromFile: string,
  language: ContextLanguage,
  source: string,
  files: FileLookup,
  names: readonly string[] = [],
): string[] {
  const spec = source.trim();
  if (spec === '') return [];
  switch (language) {
    case 'typescript':
    case 'tsx':
    case 'javascript':
      return resolveJs(fromFile, language, spec, files);
    case 'python':
      return resolvePython(fromFile, spec, names, files);
    case 'go':
      return resolveGo(fromFile, spec, files);
    case 'rust':
      return resolveRust(fromFile, spec, files);
    case 'java':
      return resolveJava(fromFile, spec, files);
    case 'c':
    case 'cpp':
      return resolveC(fromFile, spec, files);
    case 'csharp':
      return resolveCSharp(fromFile, spec, files);
    case 'ruby':
      return resolveRuby(fromFile, spec, files);
    case 'php':
      return resolvePhp(fromFile, spec, files);
  }
}

// ---------------------------------------------------------------------------------------------
// TypeScript / JavaScript

const TS_EXTENSIONS = ['.ts', '.tsx', '.d.ts', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts'];
const JS_EXTENSIONS = ['.js', '.jsx', '.mjs', '.cjs', '.ts', '.tsx', '.d.ts', '.mts', '.cts'];
/** TS ESM convention: `import './x.js'` names the output; the source is x.ts. */
const JS_TO_TS: Record<string, string[]> = {
  '.js': ['.ts', '.tsx', '.d.ts'],
  '.jsx': ['.tsx'],
  '.mjs': ['.mts', '.d.mts'],
  '.cjs': ['.cts', '.d.cts'],
};

function resolveJs(fromFile: string, language: ContextLanguage, spec: string, files: FileLookup): string[] {
  const clean = spec.replace(/[?#].*$/, '');
  let bases: string[];
  if (clean === '.' || clean === '..' || clean.startsWith('./') || clean.startsWith('../')) {
    const base = joinInside(dirOf(fromFile), clean);
    if (base === undefined) return [];
    bases = [base];
  } else if (clean.startsWith('@/') || clean.startsWith('~/')) {
    // The de-facto alias of Vite, Next.js and Nuxt templates: the project's src/ (or root).
    bases = [`src/${clean.slice(2)}`, clean.slice(2)];
  } else {
    return []; // a package
  }
  const isTs = language !== 'javascript';
  const extensions = isTs ? TS_EXTENSIONS : JS_EXTENSIONS;
  for (const base of bases) {
    const hit = firstJsMatch(base, isTs, extensions, files);
    if (hit === undefined) continue;
    // A declaration file's implementation is worth having too (hand-written .d.ts next to .js).
    if (hit.endsWith('.d.ts')) {
      const impl = ['.js', '.mjs', '.cjs'].map((e) => hit.slice(0, -5) + e).find((p) => files.has(p));
      if (impl !== undefined) return [hit, impl];
    }
    return [hit];
  }
  return [];
}

function firstJsMatch(base: string, isTs: boolean, extensions: string[], files: FileLookup): string | undefined {
  const ext = posix.extname(base);
  const mapped = JS_TO_TS[ext];
  if (mapped !== undefined) {
    const stem = base.slice(0, -ext.length);
    const tsCandidates = mapped.map((e) => stem + e);
    const ordered = isTs ? [...tsCandidates, base] : [base, ...tsCandidates];
    const hit = ordered.find((p) => files.has(p));
    if (hit !== undefined) return hit;
  } else if (ext !== '' && files.has(base)) {
    return base; // './styles.css', './data.json', './App.vue'
  }
  for (const e of extensions) if (files.has(base + e)) return base + e;
  const dir = base === '' ? '' : `${base}/`;
  for (const e of extensions) if (files.has(`${dir}index${e}`)) return `${dir}index${e}`;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Python

function resolvePython(fromFile: string, spec: string, names: readonly string[], files: FileLookup): string[] {
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

// ---------------------------------------------------------------------------------------------
// Go

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

// ---------------------------------------------------------------------------------------------
// Rust

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

// ---------------------------------------------------------------------------------------------
// Java

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

// ---------------------------------------------------------------------------------------------
// C / C++

const HEADER_EXTENSION = /\.(?:h|hh|hpp|hxx|h\+\+|inl|ipp|tpp)$/i;
const IMPLEMENTATION_EXTENSIONS = ['.c', '.cc', '.cpp', '.cxx', '.c++', '.m', '.mm'];

function resolveC(fromFile: string, spec: string, files: FileLookup): string[] {
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

// ---------------------------------------------------------------------------------------------
// C#

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

// ---------------------------------------------------------------------------------------------
// Ruby

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

// ---------------------------------------------------------------------------------------------
// PHP

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

// ---------------------------------------------------------------------------------------------
// Shared helpers

/** Files ending with `suffix`: from the lookup's index when it has one, else under fixed roots. */
function candidatesEndingWith(suffix: string, fallbackRoots: string[], files: FileLookup): readonly string[] {
  if (files.pathsEndingWith !== undefined) return files.pathsEndingWith(suffix);
  return fallbackRoots.map((r) => r + suffix).filter((p) => files.has(p));
}

function candidatesDirs(suffix: string, files: FileLookup): readonly string[] {
  if (files.dirsEndingWith !== undefined) return files.dirsEndingWith(suffix);
  return files.filesIn(suffix).length > 0 ? [suffix] : [];
}

/** Orders candidates nearest first: most leading folders shared with fromFile, then shortest, then by name. */
function closest(fromFile: string, candidates: readonly string[]): string[] {
  if (candidates.length <= 1) return [...candidates];
  const from = fromFile.split('/');
  const shared = (p: string): number => {
    const parts = p.split('/');
    let n = 0;
    while (n < parts.length - 1 && n < from.length - 1 && parts[n] === from[n]) n++;
    return n;
  };
  return [...candidates].sort((a, b) => shared(b) - shared(a) || a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
}

function dirOf(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash === -1 ? '' : file.slice(0, slash);
}

function baseOf(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

/** The parent folder, or undefined above the workspace root. */
function parentOf(dir: string): string | undefined {
  return dir === '' ? undefined : dirOf(dir);
}

/** dir itself and every ancestor up to the root (''), nearest first. */
function ancestorDirs(dir: string): string[] {
  const out = [dir];
  let d: string | undefined = dir;
  while (d !== '' && (d = parentOf(d)) !== undefined) out.push(d);
  return out;
}

function joinSegments(dir: string, segments: readonly string[]): string {
  return [dir, ...segments].filter((s) => s !== '').join('/');
}

/** dir + relative path, normalized; undefined when it climbs out of the workspace. */
function joinInside(dir: string, rel: string): string | undefined {
  const joined = posix.normalize(posix.join(dir === '' ? '.' : dir, rel));
  if (joined === '..' || joined.startsWith('../') || joined.startsWith('/')) return undefined;
  const trimmed = joined.replace(/\/+$/, '');
  return trimmed === '.' ? '' : trimmed;
}

function dedupe(paths: string[]): string[] {
  return [...new Set(paths)];
}

// ---------------------------------------------------------------------------------------------

/**
 * The indexed files as a FileLookup, kept up to date with add/remove as the index changes. Suffix
 * queries go through a base-name map, so they cost one lookup plus the few same-named files.
 */
export class FileSet implements FileLookup {
  private readonly files = new Set<string>();
  /** Folder -> files directly inside, sorted. */
  private readonly byDir = new Map<string, string[]>();
  /** Base name -> files with it. */
  private readonly byName = new Map<string, string[]>();
  /** Folder base name -> folders (that hold files) with it. */
  private readonly dirsByName = new Map<string, Set<string>>();

  constructor(paths: Iterable<string> = []) {
    for (const p of paths) this.add(p);
  }

  get size(): number {
    return this.files.size;
  }

  add(file: string): void {
    if (this.files.has(file)) return;
    this.files.add(file);
    const dir = dirOf(file);
    let inDir = this.byDir.get(dir);
    if (inDir === undefined) {
      inDir = [];
      this.byDir.set(dir, inDir);
      pushToMap(this.dirsByName, baseOf(dir), dir);
    }
    inDir.splice(sortedIndex(inDir, file), 0, file);
    const name = baseOf(file);
    const sameName = this.byName.get(name);
    if (sameName === undefined) this.byName.set(name, [file]);
    else sameName.push(file);
  }

  remove(file: string): void {
    if (!this.files.delete(file)) return;
    const dir = dirOf(file);
    const inDir = this.byDir.get(dir)!;
    inDir.splice(inDir.indexOf(file), 1);
    if (inDir.length === 0) {
      this.byDir.delete(dir);
      const dirs = this.dirsByName.get(baseOf(dir))!;
      dirs.delete(dir);
      if (dirs.size === 0) this.dirsByName.delete(baseOf(dir));
    }
    const name = baseOf(file);
    const sameName = this.byName.get(name)!;
    sameName.splice(sameName.indexOf(file), 1);
    if (sameName.length === 0) this.byName.delete(name);
  }

  has(file: string): boolean {
    return this.files.has(file);
  }

  filesIn(dir: string): readonly string[] {
    return this.byDir.get(dir) ?? [];
  }

  pathsEndingWith(suffix: string): readonly string[] {
    const same = this.byName.get(baseOf(suffix));
    if (same === undefined) return [];
    if (!suffix.includes('/')) return [...same];
    return same.filter((p) => p === suffix || p.endsWith(`/${suffix}`));
  }

  dirsEndingWith(suffix: string): readonly string[] {
    const same = this.dirsByName.get(baseOf(suffix));
    if (same === undefined) return [];
    return [...same].filter((d) => d === suffix || d.endsWith(`/${suffix}`));
  }
}

function pushToMap(map: Map<string, Set<string>>, key: string, value: string): void {
  let set = map.get(key);
  if (set === undefined) map.set(key, (set = new Set()));
  set.add(value);
}

function sortedIndex(sorted: string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
