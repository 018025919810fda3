// Turns an import as written (ImportStatement.source) into the workspace files it refers to, by the
// rule of the file's language spec, so retrieval can pull definitions from the files the current file
// actually uses; and FileSet, the indexed files those rules look up (no file system access on the
// completion path).

import type { ContextLanguage } from './contextTypes';
import { baseOf, dirOf, type FileLookup } from './languages/importPaths';
import { languageSpec } from './languages/registry';

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
  const trimmed = source.trim();
  if (trimmed === '') return [];
  return languageSpec(language).resolveImport(fromFile, trimmed, files, names);
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
