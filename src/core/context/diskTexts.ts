// Texts of workspace files read from disk for prompts, kept while the file stays as it was read.
// Retrieval reads the same imported files on every keystroke; reading them again, scanning them for
// keys and splitting them into lines each time was over half of a keystroke's retrieval time
// (bench:context's profile). An entry holds while the file's size, mtime, ctime and inode are the ones
// it was read with, so a change on disk is seen at the next request even before its watcher event
// (which drops the entry too). A file refused for its content is remembered as refused alike.
// Like git's "racy clean" rule, an entry read within RACY_MS of the file's last change is not
// trusted: a same-size rewrite within the file system's timestamp resolution (1-2 s on some) would
// keep every part of the stamp.
// Privacy checks by path (ignored, excluded, secret-looking names, links) are not cached: the caller
// runs them before asking, every time.

import type { Stats } from 'node:fs';
import { splitLines } from '../kernel/textLines';

/** What identifies one version of a file on disk. */
export type FileStamp = Pick<Stats, 'size' | 'mtimeMs' | 'ctimeMs' | 'ino'>;

/** One read of a file: its text (undefined when refused for its content) and its lines, split once. */
export class DiskText {
  private split: string[] | undefined;
  constructor(
    readonly stamp: string,
    readonly text: string | undefined,
    /** Read long enough after the file's last change that the stamp tells any later change. */
    readonly settled: boolean,
  ) {}

  /** The text's lines (LF or CRLF); shared between requests, so callers never change the array. */
  get lines(): readonly string[] | undefined {
    if (this.text === undefined) return undefined;
    return (this.split ??= splitLines(this.text));
  }
}

/** Default budget: the text of a few hundred typical source files. */
export const DEFAULT_DISK_TEXT_BYTES = 32 * 1024 * 1024;
/** A file changed this recently when read may change again unseen by its timestamps. */
export const RACY_MS = 2000;

export class DiskTexts {
  /** Oldest use first (a Map keeps insertion order; a hit moves its entry to the end). */
  private readonly entries = new Map<string, DiskText>();
  private bytes = 0;

  constructor(
    private readonly maxBytes = DEFAULT_DISK_TEXT_BYTES,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The file's text as last read if `stat` still matches it, else `read()`'s, remembered. */
  get(file: string, stat: FileStamp, read: () => string | undefined): DiskText {
    const stamp = stampOf(stat);
    const known = this.entries.get(file);
    if (known && known.settled && known.stamp === stamp) {
      this.entries.delete(file);
      this.entries.set(file, known);
      return known;
    }
    this.delete(file);
    const settled = this.clock() - Math.max(stat.mtimeMs, stat.ctimeMs) >= RACY_MS;
    const entry = new DiskText(stamp, read(), settled);
    this.entries.set(file, entry);
    this.bytes += sizeOf(entry);
    this.evict();
    return entry;
  }

  /** The file changed or went away: the next request reads it again. */
  delete(file: string): void {
    const known = this.entries.get(file);
    if (!known) return;
    this.entries.delete(file);
    this.bytes -= sizeOf(known);
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  get size(): number {
    return this.entries.size;
  }

  private evict(): void {
    for (const [file] of this.entries) {
      if (this.bytes <= this.maxBytes || this.entries.size <= 1) return;
      this.delete(file);
    }
  }
}

function stampOf(stat: FileStamp): string {
  return `${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}:${stat.ino}`;
}

/** Bytes an entry holds, about: UTF-16 text, and its lines once split. */
function sizeOf(entry: DiskText): number {
  return 4 * (entry.text?.length ?? 0) + 64;
}
