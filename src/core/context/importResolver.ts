// Turns an import as written (ImportStatement.source) into the workspace files it refers to, by the
// rule of the file's language spec, so retrieval can pull definitions from the files the current file
// actually uses, following index files that re-export other files' definitions to the files that
// define them; and FileSet, the indexed files those rules look up (no file system access on the
// completion path).

import type { ContextLanguage, FileSymbols } from './contextTypes';
import { baseOf, dirOf, type FileLookup } from './languages/importPaths';
import { languageSpec } from './languages/registry';

/** What resolution reads: the indexed files and, to follow re-exports, their symbols. */
export interface ImportLookup extends FileLookup {
  /** Indexed symbols of a file; without it index files are returned but not followed. */
  symbolsOf?(file: string): FileSymbols | undefined;
}

/** Index files re-exporting index files: followed this many levels deep. */
const MAX_REEXPORT_DEPTH = 3;
/** At most this many files in all for one import, the files it names directly included. */
const MAX_REEXPORT_FILES = 16;

/**
 * Workspace-relative paths of the files `source` (as the extractor wrote it) refers to from
 * `fromFile`, best first, only files in `files`. `names` are the names the statement imports, used
 * where they can be modules themselves (Python's `from . import models`) and to choose which
 * re-exports of an index file to follow.
 */
export function resolveImport(
  fromFile: string,
  language: ContextLanguage,
  source: string,
  files: ImportLookup,
  names: readonly string[] = [],
): string[] {
  const trimmed = source.trim();
  if (trimmed === '') return [];
  const direct = languageSpec(language).resolveImport(fromFile, trimmed, files, names);
  if (files.symbolsOf === undefined || !direct.some(isIndexFile)) return direct;
  return followReexports(direct, names, files, files.symbolsOf.bind(files));
}

/**
 * Index files (`index.ts`, `index.js`, Python's `__init__.py`): a package's face, whose imports are
 * there to re-export (`export * from './x'`, `export { a as b } from './y'`, `from .x import Foo`).
 */
export function isIndexFile(file: string): boolean {
  const name = baseOf(file);
  return /^index\.(?:[cm]?[jt]sx?|d\.[cm]?ts)$/.test(name) || name === '__init__.py' || name === '__init__.pyi';
}

/**
 * `direct`, then the files its index files re-export, depth first in the order written, to a
 * bounded depth, each file once (cycles end there). With `names`, a re-export is followed only where
 * it can carry one of them: one that lists names must list one (an alias counts), `export *` only to
 * a file that defines one at its top level, or to an index file that leads to one.
 */
function followReexports(
  direct: readonly string[],
  names: readonly string[],
  files: FileLookup,
  symbolsOf: (file: string) => FileSymbols | undefined,
): string[] {
  const found = [...direct];
  const seen = new Set(direct);
  const follow = (indexFile: string, depth: number): string[] => {
    const symbols = symbolsOf(indexFile);
    if (symbols === undefined || depth >= MAX_REEXPORT_DEPTH) return [];
    const rule = languageSpec(symbols.language).resolveImport;
    const reached: string[] = [];
    for (const statement of symbols.imports) {
      const listed = statement.names;
      const source = statement.source.trim();
      if (source === '' || (names.length > 0 && listed.length > 0 && !listed.some((n) => names.includes(n)))) continue;
      for (const target of rule(indexFile, source, files, listed)) {
        if (seen.has(target) || found.length + reached.length >= MAX_REEXPORT_FILES) continue;
        seen.add(target);
        const further = isIndexFile(target) ? follow(target, depth + 1) : [];
        const carries = names.length === 0 || listed.length > 0 || further.length > 0 || definesAny(symbolsOf(target), names);
        if (carries) reached.push(target, ...further);
      }
    }
    return reached;
  };
  for (const file of direct) if (isIndexFile(file)) found.push(...follow(file, 0));
  return found.slice(0, MAX_REEXPORT_FILES);
}

function definesAny(symbols: FileSymbols | undefined, names: readonly string[]): boolean {
  return symbols !== undefined && symbols.definitions.some((d) => d.container === undefined && names.includes(d.name));
}

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
