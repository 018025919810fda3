// The file lookup import rules search and the path helpers they share. Import resolution runs per
// retrieval, on the completion path: no file system access, only lookups in the set of indexed files
// (FileSet keeps name indexes so suffix searches cost a map lookup, not a scan). Paths are
// workspace-relative with forward slashes.

import * as path from 'node:path';

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
  /**
   * Optional, the context workspace has it: the text of a project manifest that is not indexed
   * (Go's go.mod) at a workspace path, undefined when there is none. Cached by the implementation:
   * rules call it on the completion path.
   */
  manifestText?(file: string): string | undefined;
}

const posix = path.posix;

/** Files ending with `suffix`: from the lookup's index when it has one, else under fixed roots. */
export function candidatesEndingWith(suffix: string, fallbackRoots: string[], files: FileLookup): readonly string[] {
  if (files.pathsEndingWith !== undefined) return files.pathsEndingWith(suffix);
  return fallbackRoots.map((r) => r + suffix).filter((p) => files.has(p));
}

/** Folders ending with `suffix`: from the lookup's index when it has one, else `suffix` itself if it holds files. */
export function candidatesDirs(suffix: string, files: FileLookup): readonly string[] {
  if (files.dirsEndingWith !== undefined) return files.dirsEndingWith(suffix);
  return files.filesIn(suffix).length > 0 ? [suffix] : [];
}

/** Orders candidates nearest first: most leading folders shared with fromFile, then shortest, then by name. */
export function closest(fromFile: string, candidates: readonly string[]): string[] {
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

export function dirOf(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash === -1 ? '' : file.slice(0, slash);
}

export function baseOf(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

/** The parent folder, or undefined above the workspace root. */
export function parentOf(dir: string): string | undefined {
  return dir === '' ? undefined : dirOf(dir);
}

/** dir itself and every ancestor up to the root (''), nearest first. */
export function ancestorDirs(dir: string): string[] {
  const out = [dir];
  let d: string | undefined = dir;
  while (d !== '' && (d = parentOf(d)) !== undefined) out.push(d);
  return out;
}

export function joinSegments(dir: string, segments: readonly string[]): string {
  return [dir, ...segments].filter((s) => s !== '').join('/');
}

/** dir + relative path, normalized; undefined when it climbs out of the workspace. */
export function joinInside(dir: string, rel: string): string | undefined {
  const joined = posix.normalize(posix.join(dir === '' ? '.' : dir, rel));
  if (joined === '..' || joined.startsWith('../') || joined.startsWith('/')) return undefined;
  const trimmed = joined.replace(/\/+$/, '');
  return trimmed === '.' ? '' : trimmed;
}
