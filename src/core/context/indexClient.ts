// The host side of the index worker thread, in plain Node so the extension, the CLI and the
// benchmark share it: starts dist/indexWorker.js, speaks indexProtocol to it, and keeps it alive.
//
// Why a worker thread: parsing thousands of files with tree-sitter takes minutes of CPU and grows
// WebAssembly memory that never shrinks; in a thread it neither blocks the extension host's event
// loop nor keeps that memory, because the thread can be thrown away.
//
// Failure handling: if the worker dies (an exception, out of memory, killed), every pending request
// rejects with a clear Error, and the client starts a new worker with backoff, re-sends the open
// documents and re-runs the full index (cheap: the persisted cache makes unchanged files a stat).
// After five crashes in a row without a completed index it gives up and says so.
//
// Memory cap: after a full index the client asks the worker for its memory (V8 heap + external,
// which includes the WASM heap); above the cap, and only when a persisted cache makes the re-index
// cheap, the worker is recycled once: shut down, started afresh, re-indexed from the cache.

import { Worker } from 'node:worker_threads';
import {
  describeRejected,
  parseIndexWorkerMessage,
  type IndexHostMessage,
  type IndexStats,
  type IndexWorkerMessage,
} from './indexProtocol';
import type {
  CodebaseAnswerContext,
  CodebaseQuery,
  ContextEvents,
  ContextRequest,
  ContextResult,
  IndexProgress,
  LineChange,
} from './contextTypes';
import type { IndexAllOptions, IndexFolder } from './contextWorkspace';
import { SupervisedWorker, type RequestWatch, type WorkerExit, type WorkerTransport } from '../kernel/supervisedWorker';

export interface IndexClientOptions {
  /** Path of the bundled worker, dist/indexWorker.js. */
  workerPath: string;
  /** Absolute path of the workspace folder. */
  root: string;
  /** Every folder of a multi-root workspace, each with its excludes; overrides `root` and `excludeGlobs`. */
  folders?: readonly IndexFolder[];
  /** Folder with web-tree-sitter.wasm, the grammars and queries/. */
  grammarDir: string;
  /** Where the worker persists the index cache; undefined means none. */
  storageDir: string | undefined;
  excludeGlobs: readonly string[];
  maxFileBytes: number;
  maxFiles: number;
  log?: (line: string) => void;
  /**
   * V8 old-generation limit of the worker (MB). 1 GB holds a 50k-file index several times over;
   * beyond it the worker dies with out-of-memory and is restarted instead of growing the host.
   */
  maxHeapMb?: number;
  /** Heap + external memory (MB) above which the worker is recycled after a full index. */
  recycleAboveMb?: number;
  /** Delays before successive restarts after crashes (ms); the last one repeats. */
  restartDelaysMs?: readonly number[];
}

export const DEFAULT_WORKER_HEAP_MB = 1024;
/** tree-sitter's WASM memory grows to fit the largest file parsed; a few hundred MB is normal. */
export const DEFAULT_RECYCLE_ABOVE_MB = 768;
const DEFAULT_RESTART_DELAYS_MS: readonly number[] = [250, 1000, 4000, 15_000, 30_000];
const MAX_CONSECUTIVE_CRASHES = 5;
/** How long a shutting-down worker may take to save its cache before it is terminated. */
const SHUTDOWN_GRACE_MS = 5000;

/** An Error from the index worker or its client; `code` says which kind. */
export class IndexClientError extends Error {
  constructor(
    readonly code: 'worker-stopped' | 'unavailable' | 'disposed' | 'cancelled' | 'failed' | 'bad-message' | 'not-initialized',
    message: string,
  ) {
    super(message);
    this.name = 'IndexClientError';
  }
}

interface Pending {
  resolve: (message: IndexWorkerMessage) => void;
  reject: (error: Error) => void;
  onProgress?: (p: IndexProgress) => void;
}

export class IndexClient implements ContextEvents {
  private readonly workers: SupervisedWorker<IndexHostMessage, IndexThread, Pending>;
  private readonly openDocuments = new Map<string, { languageId: string; text: string }>();
  /** An index was asked for: a restarted worker re-runs it. */
  private wantIndex = false;
  private recycling = false;
  private restartCount = 0;
  private stopped: Promise<void> = Promise.resolve();
  private readonly log: (line: string) => void;

  private constructor(private readonly options: IndexClientOptions) {
    this.log = options.log ?? (() => {});
    const delays = options.restartDelaysMs ?? DEFAULT_RESTART_DELAYS_MS;
    this.workers = new SupervisedWorker({
      backoff: {
        delayMs: (crashes) => delays[Math.min(crashes - 1, delays.length - 1)] ?? 1000,
        healthyAfterMs: 60_000,
        maxCrashes: MAX_CONSECUTIVE_CRASHES,
        // A CLI waiting for the index must still be there when the worker comes back.
        holdsProcess: true,
      },
      // The worker saves its cache before it exits.
      shutdownMessage: () => ({ type: 'shutdown', id: this.workers.pending.nextId() }),
      graceMs: SHUTDOWN_GRACE_MS,
      onMessage: (_worker, raw) => this.onMessage(raw),
      onCrash: (_worker, exit) => this.onCrash(exit),
      onGiveUp: () => this.log('index worker keeps crashing: codebase context is off until the window is reloaded'),
      restart: () => {
        this.restartCount++;
        this.spawn();
        if (this.wantIndex) this.backgroundIndex('after a restart');
      },
    });
  }

  static start(options: IndexClientOptions): IndexClient {
    const client = new IndexClient(options);
    client.spawn();
    return client;
  }

  /** Workers started after the first (crash restarts and recycles), for tests and stats. */
  get restarts(): number {
    return this.restartCount;
  }

  /** Thread id of the running worker, undefined while restarting. */
  get threadId(): number | undefined {
    return this.workers.current?.worker.threadId;
  }

  /**
   * Runs a full index in the worker. Aborting `signal` cancels it: the promise then resolves with
   * phase 'cancelled'. Rejects if the worker dies meanwhile (it is restarted and re-indexes by itself).
   */
  async indexAll(
    onProgress: (p: IndexProgress) => void = () => {},
    signal?: AbortSignal,
    options: IndexAllOptions = {},
  ): Promise<IndexProgress> {
    this.wantIndex = true;
    await this.workerReady();
    const progress = await this.indexOnce(onProgress, signal, options.fresh === true);
    if (progress.phase === 'done') {
      this.workers.resetBackoff();
      void this.maybeRecycle();
    }
    return progress;
  }

  /** Context for a cursor. Rejects at once while the worker is restarting: completion goes on without. */
  async retrieve(request: ContextRequest, signal?: AbortSignal): Promise<ContextResult> {
    const reply = await this.request({ type: 'retrieve', id: this.workers.pending.nextId(), request }, signal);
    if (reply.type !== 'context') throw new IndexClientError('failed', `Unexpected ${reply.type} reply to retrieve.`);
    return reply.result;
  }

  /**
   * "Ask About Codebase": the definitions and files relevant to a question (codebaseSearch.ts),
   * from what is indexed so far. Unlike retrieve it waits for a restarting worker: a person asked.
   */
  async searchCodebase(query: CodebaseQuery, signal?: AbortSignal): Promise<CodebaseAnswerContext> {
    await this.workerReady();
    const reply = await this.request({ type: 'search', id: this.workers.pending.nextId(), query }, signal);
    if (reply.type !== 'search') throw new IndexClientError('failed', `Unexpected ${reply.type} reply to search.`);
    return reply.result;
  }

  async stats(): Promise<IndexStats> {
    await this.workerReady();
    const reply = await this.request({ type: 'stats', id: this.workers.pending.nextId() });
    if (reply.type !== 'stats') throw new IndexClientError('failed', `Unexpected ${reply.type} reply to stats.`);
    return reply.stats;
  }

  /** Paths of the indexed files, sorted. */
  async indexedFiles(): Promise<string[]> {
    await this.workerReady();
    const reply = await this.request({ type: 'files', id: this.workers.pending.nextId() });
    if (reply.type !== 'files') throw new IndexClientError('failed', `Unexpected ${reply.type} reply to files.`);
    return reply.files;
  }

  // ---- fire-and-forget events ----

  documentOpened(file: string, languageId: string, text: string): void {
    this.openDocuments.set(file, { languageId, text });
    this.post({ type: 'documentOpened', file, languageId, text });
  }

  documentChanged(file: string, text: string, changes: readonly LineChange[]): void {
    const doc = this.openDocuments.get(file);
    if (doc) doc.text = text;
    else this.openDocuments.set(file, { languageId: '', text });
    this.post({ type: 'documentChanged', file, text, changes: [...changes] });
  }

  documentClosed(file: string): void {
    this.openDocuments.delete(file);
    this.post({ type: 'documentClosed', file });
  }

  viewed(file: string, startLine: number, endLine: number): void {
    this.post({ type: 'viewed', file, startLine, endLine });
  }

  fileCreated(file: string): void {
    this.post({ type: 'fileEvent', event: 'created', file });
  }

  fileChanged(file: string): void {
    this.post({ type: 'fileEvent', event: 'changed', file });
  }

  fileDeleted(file: string): void {
    this.post({ type: 'fileEvent', event: 'deleted', file });
  }

  fileRenamed(from: string, to: string): void {
    const doc = this.openDocuments.get(from);
    if (doc) {
      this.openDocuments.delete(from);
      this.openDocuments.set(to, doc);
    }
    this.post({ type: 'fileRenamed', from, to });
  }

  /** Asks the worker to save and stop (terminating it after a grace period); pending requests reject. */
  dispose(): void {
    if (this.workers.disposed) return;
    this.stopped = this.workers.dispose(disposedError());
  }

  /** dispose(), then wait until the worker has saved its cache and exited. */
  async close(): Promise<void> {
    this.dispose();
    await this.stopped;
  }

  /** Test hook: kills the worker abruptly, as an out-of-memory would. */
  async killWorkerForTest(): Promise<void> {
    await this.workers.current?.worker.terminate();
  }

  /** Test hook: sends any value to the worker, bypassing validation. */
  postRawForTest(message: unknown): void {
    this.workers.current?.worker.postMessage(message);
  }

  // ---- internals ----

  private spawn(): void {
    const o = this.options;
    const worker = new Worker(o.workerPath, {
      resourceLimits: { maxOldGenerationSizeMb: o.maxHeapMb ?? DEFAULT_WORKER_HEAP_MB },
      stdout: false,
      stderr: false,
    });
    this.workers.start(new IndexThread(worker, this.log));
    const init: IndexHostMessage = {
      type: 'init',
      id: this.workers.pending.nextId(),
      root: o.root,
      grammarDir: o.grammarDir,
      storageDir: o.storageDir,
      excludeGlobs: [...o.excludeGlobs],
      maxFileBytes: o.maxFileBytes,
      maxFiles: o.maxFiles,
    };
    if (init.storageDir === undefined) delete init.storageDir;
    if (o.folders) init.folders = o.folders.map((f) => ({ name: f.name, root: f.root, excludeGlobs: [...f.excludeGlobs] }));
    this.send(init).catch((e: unknown) => this.log(`index worker init failed: ${(e as Error).message}`));
    for (const [file, doc] of this.openDocuments) {
      this.post({ type: 'documentOpened', file, languageId: doc.languageId, text: doc.text });
    }
  }

  /** Messages from the running worker and from one retiring (its last log lines). */
  private onMessage(raw: unknown): void {
    const message = parseIndexWorkerMessage(raw);
    if (!message) {
      this.log(`index worker sent a ${describeRejected(raw)}`);
      return;
    }
    if (message.type === 'log') {
      this.log(message.line);
      return;
    }
    if (message.id === undefined) {
      if (message.type === 'error') this.log(`index worker: ${message.message}`);
      return;
    }
    const pending = this.workers.pending.get(message.id);
    if (!pending) return;
    if (message.type === 'progress') {
      try {
        pending.onProgress?.(message.progress);
      } catch (e) {
        this.log(`index progress listener failed: ${(e as Error).message}`);
      }
      return;
    }
    this.workers.pending.take(message.id);
    if (message.type === 'error') pending.reject(new IndexClientError(message.code, message.message));
    else pending.resolve(message);
  }

  private onCrash(exit: WorkerExit): { error: IndexClientError; restart: boolean } {
    const reason = `exit code ${exit.code}`;
    this.log(`index worker stopped unexpectedly (${reason})`);
    return {
      error: new IndexClientError('worker-stopped', `The context index worker stopped (${reason}); it is being restarted.`),
      restart: true,
    };
  }

  private backgroundIndex(why: string): void {
    this.indexOnce(() => {}, undefined, false).then(
      (p) => {
        if (p.phase === 'done') this.workers.resetBackoff();
        this.log(`re-indexed ${why}: ${p.done} files, ${p.cached} from the cache`);
      },
      (e: unknown) => this.log(`re-index ${why} failed: ${(e as Error).message}`),
    );
  }

  private async indexOnce(
    onProgress: (p: IndexProgress) => void,
    signal: AbortSignal | undefined,
    fresh: boolean,
  ): Promise<IndexProgress> {
    const id = this.workers.pending.nextId();
    const message: IndexHostMessage = fresh ? { type: 'indexAll', id, fresh } : { type: 'indexAll', id };
    // Cancelling asks the worker to stop; its answer (phase 'cancelled') still resolves the promise.
    const reply = await this.send(message, onProgress, { signal, onAbort: () => this.post({ type: 'cancel', id }) });
    if (signal?.aborted && reply.type === 'indexed' && reply.progress.phase !== 'cancelled') return reply.progress;
    if (reply.type !== 'indexed') throw new IndexClientError('failed', `Unexpected ${reply.type} reply to indexAll.`);
    return reply.progress;
  }

  /** A request answered by one reply; rejects at once when there is no worker, with an AbortError when `signal` aborts. */
  private async request(message: IndexHostMessage & { id: number }, signal?: AbortSignal): Promise<IndexWorkerMessage> {
    if (signal?.aborted) throw abortError();
    const id = message.id;
    const onAbort = (): void => {
      const pending = this.workers.pending.take(id);
      if (!pending) return;
      this.post({ type: 'cancel', id });
      pending.reject(abortError());
    };
    return this.send(message, undefined, { signal, onAbort });
  }

  /** The reply to `message`; rejects at once when there is no worker. */
  private send(
    message: IndexHostMessage & { id: number },
    onProgress?: (p: IndexProgress) => void,
    watch?: RequestWatch,
  ): Promise<IndexWorkerMessage> {
    return new Promise((resolve, reject) => {
      if (!this.workers.send(message.id, message, { resolve, reject, onProgress }, watch)) reject(this.unavailable());
    });
  }

  private post(message: IndexHostMessage): void {
    // Without a worker the event is dropped: open documents are replayed and the re-index catches
    // up on files when the worker is back.
    this.workers.post(message);
  }

  /** Waits until a worker is running (after a crash, the restart backoff; during a recycle). */
  private async workerReady(): Promise<void> {
    while (!this.workers.current) {
      if (this.workers.disposed) throw disposedError();
      if (this.workers.gaveUp) throw this.unavailable();
      await this.workers.changed();
    }
  }

  private unavailable(): IndexClientError {
    if (this.workers.disposed) return disposedError();
    return this.workers.gaveUp
      ? new IndexClientError('unavailable', 'The context index worker keeps crashing; reload the window to try again.')
      : new IndexClientError('unavailable', 'The context index worker is restarting; try again in a moment.');
  }

  /** After a full index: recycle the worker once if its memory is above the cap and a cache makes it cheap. */
  private async maybeRecycle(): Promise<void> {
    if (this.recycling || this.workers.disposed || this.options.storageDir === undefined) return;
    let stats: IndexStats;
    try {
      stats = await this.stats();
    } catch {
      return;
    }
    const usedMb = stats.memory.heapUsedMb + stats.memory.externalMb;
    const cap = this.options.recycleAboveMb ?? DEFAULT_RECYCLE_ABOVE_MB;
    if (usedMb <= cap || this.workers.disposed) return;
    this.recycling = true;
    try {
      this.log(`index worker uses ${usedMb.toFixed(0)} MB (cap ${cap} MB): recycling it`);
      if (!this.workers.current) return;
      await this.workers.retire(new IndexClientError('worker-stopped', 'The context index worker is being recycled.'));
      if (this.workers.disposed) return;
      this.restartCount++;
      this.spawn();
      await this.indexOnce(() => {}, undefined, false).catch((e: unknown) =>
        this.log(`re-index after recycling failed: ${(e as Error).message}`),
      );
    } finally {
      this.recycling = false;
    }
  }
}

/** The index worker thread as the supervisor sees it. */
class IndexThread implements WorkerTransport<IndexHostMessage> {
  constructor(
    readonly worker: Worker,
    log: (line: string) => void,
  ) {
    worker.on('error', (e: Error) => log(`index worker error: ${e.message}`));
  }

  post(message: IndexHostMessage): boolean {
    this.worker.postMessage(message);
    return true;
  }

  terminate(): void {
    void this.worker.terminate();
  }

  onMessage(listener: (raw: unknown) => void): void {
    this.worker.on('message', listener);
  }

  onExit(listener: (exit: WorkerExit) => void): void {
    this.worker.on('exit', (code) => listener({ code, signal: null }));
  }
}

function disposedError(): IndexClientError {
  return new IndexClientError('disposed', 'The context index was shut down.');
}

function abortError(): Error {
  const e = new Error('The context request was cancelled.');
  e.name = 'AbortError';
  return e;
}
