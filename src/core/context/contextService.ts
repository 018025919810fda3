// The codebase context of one folder for every host (the extension, the CLI, the benchmarks): owns
// the index worker's client, starts and stops it with the context settings, runs one full index at a
// time (a new run calls off the one before), keeps the last progress for whoever asks, and answers
// retrieval and codebase search, with nothing when context is off or the worker is unavailable.
// Completion retrieves through it directly; hosts add only their own surface (VS Code's progress
// notification and document events, the CLI's stderr).
import type {
  CodebaseAnswerContext,
  CodebaseQuery,
  ContextEvents,
  ContextRequest,
  ContextResult,
  IndexProgress,
} from './contextTypes';
import { linkAbort } from '../kernel/abort';
import { IndexClient, type IndexClientOptions } from './indexClient';
import type { IndexFolder } from './workspaceState';

/** The context settings the service reads (bantam.context.*; config.ts's ContextConfig has this shape). */
export interface ContextSettings {
  enabled: boolean;
  /** Globs never indexed nor sent, on top of .gitignore and the host's exclusions. */
  exclude: readonly string[];
  maxFileBytes: number;
  maxFiles: number;
}

export interface ContextServiceOptions {
  /** The index worker's entry (dist/indexWorker.js) and the grammars folder. */
  workerPath: string;
  grammarDir: string;
  /** The folder indexed (when `folders` is absent). */
  root: string;
  /**
   * Every folder of a multi-root workspace with its own excludes (its files.exclude and
   * bantam.context.exclude), read at each start; with more than one, paths are `folderName/...`.
   * Overrides `root` and the settings' exclude.
   */
  folders?: () => readonly IndexFolder[];
  /** Where the index cache is kept; none: no cache. */
  storageDir?: string;
  /** The context settings, read at each start (exclusions and caps) and each request (on or off). */
  settings: () => ContextSettings;
  /** Replays the host's open documents into a freshly started worker. */
  onStarted?: () => void;
  log: (line: string) => void;
  /** Problems worth a warning (a failed codebase search); `log` when absent. */
  warn?: (line: string) => void;
  /** Test hook: the worker's restart delays, heap cap and recycling threshold. */
  worker?: Pick<IndexClientOptions, 'restartDelaysMs' | 'maxHeapMb' | 'recycleAboveMb'>;
}

export class ContextService {
  private client: IndexClient | undefined;
  private run: { promise: Promise<IndexProgress>; cancel: AbortController } | undefined;
  private lastProgress: IndexProgress | undefined;
  private disposed = false;

  constructor(private readonly options: ContextServiceOptions) {}

  /** True while the index worker's client exists (context on and started). */
  get running(): boolean {
    return this.client !== undefined;
  }

  /** Where the host's document and file events go; undefined while stopped. */
  get events(): ContextEvents | undefined {
    return this.client;
  }

  /** The last progress any index run reported. */
  get progress(): IndexProgress | undefined {
    return this.lastProgress;
  }

  /** Starts the worker if context is on and it is not running; true when it runs afterwards. */
  start(): boolean {
    if (this.disposed) return false;
    if (this.client) return true;
    const settings = this.options.settings();
    if (!settings.enabled) return false;
    const folders = this.options.folders?.();
    this.client = IndexClient.start({
      workerPath: this.options.workerPath,
      grammarDir: this.options.grammarDir,
      root: folders?.[0]?.root ?? this.options.root,
      ...(folders && folders.length > 0 ? { folders } : {}),
      storageDir: this.options.storageDir,
      excludeGlobs: [...settings.exclude],
      maxFileBytes: settings.maxFileBytes,
      maxFiles: settings.maxFiles,
      log: this.options.log,
      ...this.options.worker,
    });
    this.options.onStarted?.();
    return true;
  }

  /** Stops the worker (context turned off); start() brings it back. */
  stop(): void {
    this.run?.cancel.abort();
    this.run = undefined;
    this.client?.dispose();
    this.client = undefined;
  }

  /** Exclusions or size caps changed: a new worker with the new rules (the cache keeps it quick). */
  restart(): void {
    this.stop();
    this.start();
  }

  /**
   * Indexes the folder (from the cache where it can; `fresh` re-parses everything), calling off a
   * run still going. A run called off (by a newer run, stop(), restart() or `signal`) resolves with
   * phase 'cancelled'; rejects when the worker is not running or the index fails.
   */
  async index(onProgress: (p: IndexProgress) => void = () => {}, signal?: AbortSignal, options: { fresh?: boolean } = {}): Promise<IndexProgress> {
    if (!this.client) throw new Error('Codebase context is off (bantam.context.enabled).');
    const cancel = new AbortController();
    const unlink = linkAbort(signal, cancel);
    const previous = this.run;
    previous?.cancel.abort();
    let started = false;
    const promise = (async (): Promise<IndexProgress> => {
      if (previous) await previous.promise.catch(() => undefined);
      // Waiting, this run may have been called off too, or its worker stopped or replaced.
      const client = this.client;
      if (!client || cancel.signal.aborted) return this.calledOff();
      started = true;
      try {
        return await client.indexAll(
          (p) => {
            this.report(p);
            onProgress(p);
          },
          cancel.signal,
          { fresh: options.fresh === true },
        );
      } catch (error) {
        // stop() or restart() disposed the worker under the run: called off, not failed.
        if (cancel.signal.aborted) {
          started = false;
          return this.calledOff();
        }
        throw error;
      }
    })();
    // Recorded before any wait, so a call or a stop() meanwhile finds this run to call off.
    const run = { promise, cancel };
    this.run = run;
    try {
      const final = await promise;
      if (started) this.report(final);
      return final;
    } finally {
      unlink();
      if (this.run === run) this.run = undefined;
    }
  }

  /** Context for a place in a file; nothing while the worker is not running. */
  async retrieve(request: ContextRequest, signal?: AbortSignal): Promise<ContextResult> {
    if (!this.client) return { snippets: [], tokens: 0 };
    return this.client.retrieve(request, signal);
  }

  /**
   * The definitions and files relevant to a question, from what is indexed so far. Undefined when
   * context is off or the index worker is unavailable (logged): the question then goes without
   * excerpts. A cancelled search rejects with its AbortError.
   */
  async searchCodebase(query: CodebaseQuery, signal?: AbortSignal): Promise<CodebaseAnswerContext | undefined> {
    if (!this.client) return undefined;
    try {
      return await this.client.searchCodebase(query, signal);
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      (this.options.warn ?? this.options.log)(`codebase search failed: ${(error as Error).message}`);
      return undefined;
    }
  }

  /** The indexed files (relative paths); none while stopped. */
  async indexedFiles(): Promise<string[]> {
    return this.client ? this.client.indexedFiles() : [];
  }

  dispose(): void {
    this.disposed = true;
    this.stop();
  }

  /** dispose(), then wait until the worker has saved its cache and exited. */
  async close(): Promise<void> {
    const client = this.client;
    this.dispose();
    // The client was disposed with the service; close() waits for its worker to save and exit.
    await client?.close();
  }

  /** What a run called off before it finished resolves with: the last progress, marked cancelled. */
  private calledOff(): IndexProgress {
    return { ...(this.lastProgress ?? { total: 0, done: 0, cached: 0, skipped: 0, capped: false }), phase: 'cancelled' };
  }

  private report(progress: IndexProgress): void {
    this.lastProgress = progress;
  }
}
