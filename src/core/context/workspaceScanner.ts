// Walks a workspace folder and yields the files the codebase index may read, with size and mtime
// (the index's cache key). It reads each folder's .gitignore before looking at the folder's entries,
// never descends into skipped folders (node_modules is pruned, not filtered file by file), never
// follows symlinked folders (no cycles, no escaping the workspace), yields a symlinked file only when
// it resolves inside the workspace and its target passes the filter too, and stats files in parallel
// batches: a 100k-file tree must cost well under a millisecond a file.
//
// Order is deterministic: depth first, in each folder its files (sorted by name, code-unit order)
// then its subfolders (sorted). Same tree, same order, so capped scans keep the same files.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SkipReason } from './contextTypes';
import type { PathFilter } from './fileFilter';
import { LinkContainment, linkSkipReason } from './linkContainment';

export interface ScannedFile {
  /** Workspace-relative, forward slashes. */
  path: string;
  size: number;
  mtimeMs: number;
}

export interface ScanOptions {
  /** Aborting makes the generator throw `signal.reason` (an AbortError DOMException by default). */
  signal?: AbortSignal;
  /** Stop after this many files; the generator's return value says whether files were left out. */
  maxFiles?: number;
  /**
   * Called for each file the filter or the size limit leaves out, and for each skipped folder
   * (isDirectory true; its content is not visited, so not reported one by one).
   */
  onSkip?: (path: string, reason: SkipReason, isDirectory: boolean) => void;
  /**
   * Keeps only the files the caller can use (e.g. known languages); checked before the file is
   * stat'ed, and files it rejects are not reported to onSkip: they are not skipped, just not wanted.
   */
  accept?: (relPath: string) => boolean;
  /** Folders never entered nor reported (another workspace folder nested inside this one, which is scanned as itself). */
  prune?: ReadonlySet<string>;
}

export interface ScanSummary {
  /** maxFiles stopped the scan while at least one more file would have been yielded. */
  capped: boolean;
}

/** Stats in flight at once: enough to keep libuv's thread pool busy, few enough to stay fair. */
const STAT_BATCH = 64;
/** Entries handled between two explicit turns of the event loop when no I/O gives one. */
const ENTRIES_PER_TURN = 512;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Yields every file under `root` that `filter` keeps, `accept` wants and is at most
 * `filter.maxFileBytes` big. Reads nested .gitignore files into `filter` on the way (call
 * `filter.load()` first for .git/info/exclude). Unreadable folders and files that vanish mid-scan
 * are passed over silently. Throws `signal.reason` when aborted.
 */
export async function* scanWorkspace(
  root: string,
  filter: PathFilter,
  options: ScanOptions = {},
): AsyncGenerator<ScannedFile, ScanSummary, undefined> {
  const { signal, onSkip, accept } = options;
  const maxFiles = options.maxFiles ?? Number.POSITIVE_INFINITY;
  const links = new LinkContainment(root);
  let yielded = 0;
  let sinceTurn = 0;
  /** Folders still to visit, workspace-relative ('' = root); popped from the end. */
  const stack: string[] = [''];

  while (stack.length > 0) {
    signal?.throwIfAborted();
    const dirRel = stack.pop()!;
    const dirAbs = dirRel === '' ? root : path.join(root, dirRel);
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(dirAbs, { withFileTypes: true });
    } catch {
      continue;
    }
    signal?.throwIfAborted();
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

    if (entries.some((e) => e.name === '.gitignore' && !e.isDirectory())) {
      try {
        filter.addGitignore(dirRel, await fs.promises.readFile(path.join(dirAbs, '.gitignore'), 'utf8'));
      } catch {
        // Unreadable: as if absent.
      }
    }

    const files: string[] = [];
    const subdirs: string[] = [];
    for (const entry of entries) {
      const rel = dirRel === '' ? entry.name : `${dirRel}/${entry.name}`;
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (!isDirectory && !isFile && !entry.isSymbolicLink()) {
        // Some file systems report no type in the directory listing: ask.
        const stat = await fs.promises.lstat(path.join(dirAbs, entry.name)).catch(() => undefined);
        isDirectory = stat?.isDirectory() ?? false;
        isFile = stat?.isFile() ?? false;
      } else if (entry.isSymbolicLink()) {
        // A symlinked folder is never entered (cycles); a symlinked file only if it stays inside.
        isFile = true;
      }
      if (!isDirectory && !isFile) continue;
      const reason =
        filter.skipReasonForEntry(rel, isDirectory) ?? (entry.isSymbolicLink()
          ? linkSkipReason(await links.judge(rel), rel, (target) => filter.skipReasonForPath(target, false))
          : undefined);
      if (reason !== undefined) onSkip?.(rel, reason, isDirectory);
      else if (isDirectory) {
        if (!options.prune?.has(rel)) subdirs.push(rel);
      }
      else if (accept === undefined || accept(rel)) files.push(rel);
      if (++sinceTurn >= ENTRIES_PER_TURN) {
        sinceTurn = 0;
        await yieldToEventLoop();
        signal?.throwIfAborted();
      }
    }

    for (let i = 0; i < files.length; i += STAT_BATCH) {
      const batch = files.slice(i, i + STAT_BATCH);
      const stats = await Promise.all(
        batch.map((rel) => fs.promises.stat(path.join(root, rel)).catch(() => undefined)),
      );
      signal?.throwIfAborted();
      for (let k = 0; k < batch.length; k++) {
        const stat = stats[k];
        const rel = batch[k]!;
        if (stat === undefined || !stat.isFile()) continue; // vanished, or a link to a folder
        if (stat.size > filter.maxFileBytes) {
          onSkip?.(rel, 'too-large', false);
          continue;
        }
        if (yielded >= maxFiles) return { capped: true };
        yielded++;
        yield { path: rel, size: stat.size, mtimeMs: stat.mtimeMs };
        signal?.throwIfAborted();
      }
    }

    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
  }
  return { capped: false };
}
