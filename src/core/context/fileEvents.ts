// What a file watcher reports (a file or folder changed, was created, deleted or renamed) applied to
// the index between full runs. Open documents ignore disk until they close; a changed .gitignore
// re-applies the rules; a path is judged, links included, before anything is read through it.

import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { DiskSync } from './diskSync';
import { languageForPath } from './languages/registry';
import type { OpenDocuments } from './openDocuments';
import { normalizeRel, type WorkspaceState } from './workspaceState';

export class FileEvents {
  constructor(
    private readonly state: WorkspaceState,
    private readonly disk: DiskSync,
    private readonly documents: OpenDocuments,
  ) {}

  /** A file changed on disk: re-read it, re-extract if its content changed. Open documents ignore disk. */
  async fileChanged(file: string): Promise<void> {
    const rel = await this.fileEventPath(file);
    if (rel === undefined || this.documents.has(rel)) return;
    await this.disk.indexFromDisk(rel, undefined);
  }

  async fileCreated(file: string): Promise<void> {
    await this.fileChanged(file);
  }

  /** A file (or a whole folder) was deleted. */
  async fileDeleted(file: string): Promise<void> {
    const rel = await this.fileEventPath(file);
    if (rel === undefined) return;
    for (const f of this.filesAtOrUnder(rel)) {
      if (this.documents.has(f)) continue; // an open document outlives its file until it is closed
      this.drop(f);
    }
    if (!this.documents.has(rel)) this.drop(rel);
  }

  /** A file or folder moved. Its symbols move with it unless the new path is not indexable. */
  async fileRenamed(from: string, to: string): Promise<void> {
    const state = this.state;
    await state.ready();
    const a = normalizeRel(from);
    const b = normalizeRel(to);
    if (a === undefined || b === undefined || a === b) return;
    const moves: [string, string][] = [];
    for (const f of this.filesAtOrUnder(a)) moves.push([f, f === a ? b : b + f.slice(a.length)]);
    if (moves.length === 0) moves.push([a, b]);
    for (const [src, dst] of moves) {
      state.bump(src);
      state.bump(dst);
      state.recent.rename(src, dst);
      this.documents.rename(src, dst);
      if (state.pathSkipReason(dst) !== undefined || languageForPath(dst) === undefined) {
        state.forget(src);
        state.forget(dst);
        state.recent.remove(dst);
        state.similar.remove(src);
        continue;
      }
      if (!state.rename(src, dst) && !this.documents.has(dst)) {
        await this.disk.indexFromDisk(dst, undefined);
      }
    }
  }

  /** A deleted file leaves the index; a newer event supersedes any read of it still in flight. */
  private drop(rel: string): void {
    this.state.bump(rel);
    this.state.forget(rel);
    this.state.recent.remove(rel);
  }

  /**
   * The normalized path a disk event is about, once the workspace is ready; undefined when the event
   * is handled already (a .gitignore changed or went: the rules are re-applied) or the path is invalid.
   */
  private async fileEventPath(file: string): Promise<string | undefined> {
    await this.state.ready();
    const rel = normalizeRel(file);
    if (rel === undefined) return undefined;
    if (path.posix.basename(rel) === '.gitignore') {
      await this.gitignoreChanged(rel);
      return undefined;
    }
    return rel;
  }

  /** A .gitignore changed or vanished: reload its rules and drop what they now exclude. */
  private async gitignoreChanged(rel: string): Promise<void> {
    const state = this.state;
    const dir = path.posix.dirname(rel);
    const dirRel = dir === '.' ? '' : dir;
    const folderRoot = state.roots.locate(dirRel)?.rel === '';
    if (state.pathSkipReason(rel) !== undefined && !folderRoot) return; // inside an ignored folder
    const abs = state.absolute(rel);
    if (abs === undefined) return;
    const content = await fsp.readFile(abs, 'utf8').catch(() => '');
    state.setGitignore(dirRel, content);
    this.documents.recheckPaths();
    // Files the new rules let in appear with the next full index (the extension re-runs it).
  }

  /** Indexed (or open) paths equal to `rel` or inside folder `rel`. */
  private filesAtOrUnder(rel: string): string[] {
    const prefix = rel + '/';
    const found = new Set<string>();
    for (const f of this.state.index.files()) if (f === rel || f.startsWith(prefix)) found.add(f);
    for (const f of this.documents.files()) if (f === rel || f.startsWith(prefix)) found.add(f);
    return [...found];
  }
}
