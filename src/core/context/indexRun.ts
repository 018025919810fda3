// The full index of a workspace folder: scan (stats only), then bring every file up to date through
// DiskSync, drop files that vanished, and save the cache. It reports progress, can be cancelled (a
// second run cancels the first), saves the cache now and then during a long first run so a crash or
// restart keeps the work, and yields to the event loop between files so retrieval requests are
// answered while it runs.

import { performance } from 'node:perf_hooks';
import type { IndexProgress } from './contextTypes';
import type { DiskSync } from './diskSync';
import { languageForPath } from './languages/registry';
import type { OpenDocuments } from './openDocuments';
import { scanWorkspace, type ScannedFile } from './workspaceScanner';
import { describe, type WorkspaceState } from './workspaceState';
import { linkAbort } from '../kernel/abort';

/** The full index gives the event loop a turn at least this often. */
const YIELD_EVERY_MS = 8;

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export interface IndexAllOptions {
  /** Ignore the cache and what is indexed: re-parse every file ("Rebuild Index"). */
  fresh?: boolean;
}

export interface IndexRunOptions {
  maxFiles: number;
  progressIntervalMs: number;
  saveIntervalMs: number;
}

export class IndexRun {
  private run: { controller: AbortController; done: Promise<IndexProgress> } | undefined;
  private lastProgressReported: IndexProgress | null = null;
  private completed = false;

  constructor(
    private readonly state: WorkspaceState,
    private readonly disk: DiskSync,
    private readonly documents: OpenDocuments,
    private readonly options: IndexRunOptions,
  ) {}

  /** True while a full index runs. */
  get indexing(): boolean {
    return this.run !== undefined;
  }

  /** The progress last reported, of this run or the one before. */
  get lastProgress(): IndexProgress | null {
    return this.lastProgressReported;
  }

  /** Whether a full index has ever seen the whole workspace (only then may the cache be pruned). */
  get completedFullIndex(): boolean {
    return this.completed;
  }

  /**
   * Scans the workspace and brings the index up to date. A second call cancels the first. Resolves
   * with phase 'cancelled' when `signal` aborts.
   */
  async indexAll(
    onProgress: (p: IndexProgress) => void = () => {},
    signal?: AbortSignal,
    options: IndexAllOptions = {},
  ): Promise<IndexProgress> {
    if (this.run) {
      this.run.controller.abort();
      await this.run.done.catch(() => undefined);
    }
    const controller = new AbortController();
    const unlink = linkAbort(signal, controller);
    const done = this.runIndex(onProgress, controller.signal, options.fresh === true);
    const run = { controller, done };
    this.run = run;
    try {
      return await done;
    } finally {
      unlink();
      if (this.run === run) this.run = undefined;
    }
  }

  /** Cancels a running index and waits for it; true when one was running. */
  async cancel(): Promise<boolean> {
    const run = this.run;
    run?.controller.abort();
    await run?.done.catch(() => undefined);
    return run !== undefined;
  }

  /** Cancels a running index without waiting for it. */
  abort(): void {
    this.run?.controller.abort();
  }

  private async runIndex(
    onProgress: (p: IndexProgress) => void,
    signal: AbortSignal,
    fresh: boolean,
  ): Promise<IndexProgress> {
    const { state, disk, documents } = this;
    const progress: IndexProgress = {
      phase: 'scanning',
      total: 0,
      done: 0,
      cached: 0,
      skipped: 0,
      lines: 0,
      capped: false,
    };
    disk.linesRead = 0;
    let lastReport = -Infinity;
    const report = (force = false): void => {
      const t = performance.now();
      if (!force && t - lastReport < this.options.progressIntervalMs) return;
      lastReport = t;
      this.lastProgressReported = { ...progress };
      try {
        onProgress({ ...progress });
      } catch (e) {
        state.log(`index progress callback failed: ${describe(e)}`);
      }
    };
    const finish = async (phase: 'done' | 'cancelled'): Promise<IndexProgress> => {
      progress.phase = phase;
      report(true);
      return progress;
    };

    report(true);
    await state.ready();
    if (signal.aborted) return finish('cancelled');
    state.resetFailureLog();
    if (fresh) {
      // "Rebuild": nothing from before is trusted; open documents are re-extracted from their text.
      state.cache.clear();
      for (const file of [...state.index.files()]) state.forget(file);
      documents.reextractAll();
    }

    // Scan first (cheap: stats only), so `total` is known while parsing and vanished files are known.
    const files: ScannedFile[] = [];
    try {
      // Every folder in the workspace's order, each with its own rules; its files named by workspace path.
      for (const { folder, filter } of state.folderRules) {
        const scan = scanWorkspace(folder.root, filter, {
          signal,
          maxFiles: this.options.maxFiles - files.length,
          accept: (rel) => languageForPath(rel) !== undefined,
          onSkip: (_rel, reason) => {
            progress.skipped++;
            state.countSkip(reason);
          },
          prune: new Set(state.roots.nestedIn(folder)),
        });
        for (;;) {
          const next = await scan.next();
          if (next.done) {
            progress.capped ||= next.value.capped;
            break;
          }
          files.push({ ...next.value, path: state.roots.pathOf(folder, next.value.path) });
          progress.total++;
          report();
        }
        if (progress.capped) break;
      }
    } catch (e) {
      if (signal.aborted) return finish('cancelled');
      throw e;
    }
    if (progress.capped) state.log(`context index capped at ${this.options.maxFiles} files (bantam.context.maxFiles)`);

    // The scan has read every nested .gitignore: re-check what was let in before it knew them.
    documents.recheckPaths();

    progress.phase = 'indexing';
    report(true);
    let lastYield = performance.now();
    let lastSave = performance.now();
    for (const file of files) {
      if (signal.aborted) {
        state.save(false);
        return finish('cancelled');
      }
      const outcome = documents.has(file.path) ? 'unchanged' : await disk.indexFromDisk(file.path, file);
      if (outcome === 'skipped') progress.skipped++;
      else progress.done++;
      if (outcome === 'cached' || outcome === 'unchanged') progress.cached++;
      progress.lines = disk.linesRead;
      report();
      const t = performance.now();
      if (t - lastYield >= YIELD_EVERY_MS) {
        await turn();
        lastYield = performance.now();
      }
      if (t - lastSave >= this.options.saveIntervalMs) {
        lastSave = t;
        state.save(false);
      }
    }
    if (signal.aborted) {
      state.save(false);
      return finish('cancelled');
    }

    // Files removed (or newly ignored) since the last run drop out; open documents stay.
    const seen = new Set(files.map((f) => f.path));
    for (const file of [...state.index.files()]) {
      if (!seen.has(file) && !documents.has(file)) state.forget(file);
    }
    state.logUnloggedFailures();
    await state.save(true);
    this.completed = true;
    return finish('done');
  }
}
