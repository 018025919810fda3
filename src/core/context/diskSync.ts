// Brings one file's index entry in line with the disk: the step the full index runs for every file
// and file events and closed documents run for one. Unchanged files come from the cache (without even
// a read when size and mtime match); changed ones are parsed; skipped, vanished and failing ones drop
// out. One file can never stop the index: too large is judged by the stat before reading, unreadable
// files and extractor failures are counted and logged (the first few).

import { promises as fsp } from 'node:fs';
import { contentSkipReason } from './fileFilter';
import { hashContent } from './indexCache';
import { languageForPath } from './languages/registry';
import type { ScannedFile } from './workspaceScanner';
import type { WorkspaceState } from './workspaceState';

export type DiskOutcome = 'unchanged' | 'cached' | 'parsed' | 'skipped' | 'failed' | 'stale' | 'gone';

export class DiskSync {
  /** Lines of the files read since the last reset (files skipped by stat are not read). */
  linesRead = 0;

  /** `isOpen`: open documents' live text wins over disk, so their generations outlive a disk read. */
  constructor(
    private readonly state: WorkspaceState,
    private readonly isOpen: (rel: string) => boolean,
  ) {}

  /**
   * `scanned` carries the scanner's stat (a full index); file events stat the file here.
   */
  async indexFromDisk(rel: string, scanned: ScannedFile | undefined): Promise<DiskOutcome> {
    const generation = this.state.bump(rel);
    try {
      return await this.syncFromDisk(rel, scanned, generation);
    } finally {
      if (!this.isOpen(rel)) this.state.settle(rel, generation);
    }
  }

  private async syncFromDisk(rel: string, scanned: ScannedFile | undefined, generation: number): Promise<DiskOutcome> {
    const state = this.state;
    const language = languageForPath(rel);
    const reason = state.pathSkipReason(rel);
    if (reason !== undefined || language === undefined) {
      state.forget(rel);
      if (reason !== undefined) state.countSkip(reason);
      return 'skipped';
    }
    // A file the scanner yielded was judged there (its links resolved); a file event's path is judged here.
    const linkReason = scanned ? undefined : await state.linkReason(rel);
    if (!state.current(rel, generation)) return 'stale';
    if (linkReason !== undefined) {
      state.forget(rel);
      state.countSkip(linkReason);
      return 'skipped';
    }
    const abs = state.absolute(rel);
    if (abs === undefined) {
      state.forget(rel);
      return 'skipped';
    }
    let size: number;
    let mtimeMs: number;
    if (scanned) {
      ({ size, mtimeMs } = scanned);
    } else {
      try {
        const st = await fsp.stat(abs);
        if (!st.isFile()) throw new Error('not a file');
        ({ size, mtimeMs } = st);
      } catch {
        if (state.current(rel, generation)) state.forget(rel);
        return 'gone';
      }
    }
    if (!state.current(rel, generation)) return 'stale';
    if (size > state.maxFileBytes) {
      state.forget(rel);
      state.countSkip('too-large');
      return 'skipped';
    }

    // Same size and mtime as when the cache was saved: take the recorded hash without reading.
    const known = state.cache.hashForStat(rel, size, mtimeMs);
    if (known !== undefined) {
      const stat = { size, mtimeMs, readAt: Date.now() };
      if (state.index.hashOf(rel) === known) {
        state.fileStats.set(rel, stat);
        state.counters.unchangedSkippedRead++;
        return 'unchanged';
      }
      const symbols = state.cache.get(known);
      if (symbols && symbols.language === language) {
        state.index.set(rel, known, symbols);
        state.fileStats.set(rel, stat);
        state.counters.unchangedSkippedRead++;
        state.counters.cacheHits++;
        return 'cached';
      }
    }

    const readAt = Date.now();
    let bytes: Buffer;
    try {
      bytes = await fsp.readFile(abs);
    } catch (e) {
      if (!state.current(rel, generation)) return 'stale';
      state.forget(rel);
      return state.fail(rel, 'cannot read', e);
    }
    if (!state.current(rel, generation)) return 'stale';
    const contentReason = contentSkipReason(rel, bytes, state.maxFileBytes);
    if (contentReason !== undefined) {
      state.forget(rel);
      state.countSkip(contentReason);
      return 'skipped';
    }
    const text = bytes.toString('utf8');
    this.linesRead += countLines(text);
    const hash = hashContent(text, language);
    const stat = bytes.length === size ? { size, mtimeMs, readAt } : undefined;
    if (state.index.hashOf(rel) === hash) {
      if (stat) state.fileStats.set(rel, stat);
      return 'unchanged';
    }
    let found;
    try {
      found = await state.symbolsFor(hash, language, text);
    } catch (e) {
      if (!state.current(rel, generation)) return 'stale';
      state.forget(rel);
      return state.fail(rel, 'cannot parse', e);
    }
    if (!found.parsed) state.counters.cacheHits++;
    if (!state.current(rel, generation)) return 'stale';
    state.index.set(rel, hash, found.symbols);
    if (stat) state.fileStats.set(rel, stat);
    else state.fileStats.delete(rel);
    return found.parsed ? 'parsed' : 'cached';
  }
}

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
