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
import type { IndexAllOptions } from './contextWorkspace';
import { whenAborted } from '../kernel/abort';

export interface IndexClientOptions {
  /** Path of the bundled worker, dist/indexWorker.js. */
  workerPath: string;
  /** Absolute path of the workspace folder. */
  root: string;
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

interface Live {
  worker: Worker;
  /** Set when the client itself ends this worker, so its exit is not a crash. */
  retiring: boolean;
  startedAt: number;
}

export class IndexClient implements ContextEvents {
  private live: Live | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly openDocuments = new Map<string, { languageId: string; text: string }>();
  /** An index was asked for: a restarted worker re-runs it. */
  private wantIndex = false;
  private consecutiveCrashes = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private waitingForWorker: (() => void)[] = [];
  private failedForGood = false;
  private disposed = false;
  private recycling = false;
  private restartCount = 0;
  private stopped: Promise<void> = Promise.resolve();
  private readonly log: (line: string) => void;

  private constructor(private readonly options: IndexClientOptions) {
    this.log = options.log ?? (() => {});
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
    return this.live?.worker.threadId;
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
      this.consecutiveCrashes = 0;
      void this.maybeRecycle();
    }
    return progress;
  }

  /** Context for a cursor. Rejects at once while the worker is restarting: completion goes on without. */
  async retrieve(request: ContextRequest, signal?: AbortSignal): Promise<ContextResult> {
    const reply = await this.request({ type: 'retrieve', id: this.nextId++, request }, signal);
    if (reply.type !== 'context') throw new IndexClientError('failed', `Unexpected ${reply.type} reply to retrieve.`);
    return reply.result;
  }

  /**
   * "Ask About Codebase": the definitions and files relevant to a question (codebaseSearch.ts),
   * from what is indexed so far. Unlike retrieve it waits for a restarting worker: a person asked.
   */
  async searchCodebase(query: CodebaseQuery, signal?: AbortSignal): Promise<CodebaseAnswerContext> {
    await this.workerReady();
    const reply = await this.request({ type: 'search', id: this.nextId++, query }, signal);
    if (reply.type !== 'search') throw new IndexClientError('failed', `Unexpected ${reply.type} reply to search.`);
    return reply.result;
  }

  async stats(): Promise<IndexStats> {
    await this.workerReady();
    const reply = await this.request({ type: 'stats', id: this.nextId++ });
    if (reply.type !== 'stats') throw new IndexClientError('failed', `Unexpected ${reply.type} reply to stats.`);
    return reply.stats;
  }

  /** Paths of the indexed files, sorted. */
  async indexedFiles(): Promise<string[]> {
    await this.workerReady();
    const reply = await this.request({ type: 'files', id: this.nextId++ });
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
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.restartTimer);
    this.rejectAll(new IndexClientError('disposed', 'The context index was shut down.'));
    for (const wake of this.waitingForWorker.splice(0)) wake();
    const live = this.live;
    this.live = undefined;
    this.stopped = live ? this.retire(live) : Promise.resolve();
  }

  /** dispose(), then wait until the worker has saved its cache and exited. */
  async close(): Promise<void> {
    this.dispose();
    await this.stopped;
  }

  /** Test hook: kills the worker abruptly, as an out-of-memory would. */
  async killWorkerForTest(): Promise<void> {
    await this.live?.worker.terminate();
  }

  /** Test hook: sends any value to the worker, bypassing validation. */
  postRawForTest(message: unknown): void {
    this.live?.worker.postMessage(message);
  }

  // ---- internals ----

  private spawn(): void {
    const o = this.options;
    const worker = new Worker(o.workerPath, {
      resourceLimits: { maxOldGenerationSizeMb: o.maxHeapMb ?? DEFAULT_WORKER_HEAP_MB },
      stdout: false,
      stderr: false,
    });
    const live: Live = { worker, retiring: false, startedAt: Date.now() };
    this.live = live;
    worker.on('message', (raw: unknown) => this.onMessage(live, raw));
    worker.on('error', (e: Error) => this.log(`index worker error: ${e.message}`));
    worker.on('exit', (code) => this.onExit(live, code));
    const init: IndexHostMessage = {
      type: 'init',
      id: this.nextId++,
      root: o.root,
      grammarDir: o.grammarDir,
      storageDir: o.storageDir,
      excludeGlobs: [...o.excludeGlobs],
      maxFileBytes: o.maxFileBytes,
      maxFiles: o.maxFiles,
    };
    if (init.storageDir === undefined) delete init.storageDir;
    this.track(init.id).catch((e: unknown) => this.log(`index worker init failed: ${(e as Error).message}`));
    worker.postMessage(init);
    for (const [file, doc] of this.openDocuments) {
      worker.postMessage({ type: 'documentOpened', file, languageId: doc.languageId, text: doc.text });
    }
    for (const wake of this.waitingForWorker.splice(0)) wake();
  }

  private onMessage(live: Live, raw: unknown): void {
    if (live !== this.live && !live.retiring) return;
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
    const pending = this.pending.get(message.id);
    if (!pending) return;
    if (message.type === 'progress') {
      try {
        pending.onProgress?.(message.progress);
      } catch (e) {
        this.log(`index progress listener failed: ${(e as Error).message}`);
      }
      return;
    }
    this.pending.delete(message.id);
    if (message.type === 'error') pending.reject(new IndexClientError(message.code, message.message));
    else pending.resolve(message);
  }

  private onExit(live: Live, code: number): void {
    if (live.retiring || live !== this.live) return;
    this.live = undefined;
    const ranMs = Date.now() - live.startedAt;
    if (ranMs > 60_000) this.consecutiveCrashes = 0;
    this.consecutiveCrashes++;
    const reason = `exit code ${code}`;
    this.log(`index worker stopped unexpectedly (${reason})`);
    this.rejectAll(
      new IndexClientError('worker-stopped', `The context index worker stopped (${reason}); it is being restarted.`),
    );
    if (this.disposed) return;
    if (this.consecutiveCrashes > MAX_CONSECUTIVE_CRASHES) {
      this.failedForGood = true;
      this.log('index worker keeps crashing: codebase context is off until the window is reloaded');
      for (const wake of this.waitingForWorker.splice(0)) wake();
      return;
    }
    const delays = this.options.restartDelaysMs ?? DEFAULT_RESTART_DELAYS_MS;
    const delay = delays[Math.min(this.consecutiveCrashes - 1, delays.length - 1)] ?? 1000;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.disposed) return;
      this.restartCount++;
      this.spawn();
      if (this.wantIndex) this.backgroundIndex('after a restart');
    }, delay);
  }

  private backgroundIndex(why: string): void {
    this.indexOnce(() => {}, undefined, false).then(
      (p) => {
        if (p.phase === 'done') this.consecutiveCrashes = 0;
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
    const id = this.nextId++;
    const message: IndexHostMessage = fresh ? { type: 'indexAll', id, fresh } : { type: 'indexAll', id };
    // Cancelling asks the worker to stop; its answer (phase 'cancelled') still resolves the promise.
    const unlisten = whenAborted(signal, () => this.live?.worker.postMessage({ type: 'cancel', id }));
    try {
      const reply = await this.send(message, onProgress);
      if (signal?.aborted && reply.type === 'indexed' && reply.progress.phase !== 'cancelled') return reply.progress;
      if (reply.type !== 'indexed') throw new IndexClientError('failed', `Unexpected ${reply.type} reply to indexAll.`);
      return reply.progress;
    } finally {
      unlisten();
    }
  }

  /** A request answered by one reply; rejects at once when there is no worker. */
  private async request(message: IndexHostMessage & { id: number }, signal?: AbortSignal): Promise<IndexWorkerMessage> {
    if (signal?.aborted) throw abortError();
    if (!signal) return this.send(message);
    const id = message.id;
    return new Promise<IndexWorkerMessage>((resolve, reject) => {
      const unlisten = whenAborted(signal, () => {
        this.pending.delete(id);
        this.live?.worker.postMessage({ type: 'cancel', id });
        reject(abortError());
      });
      this.send(message).then(
        (reply) => {
          unlisten();
          resolve(reply);
        },
        (e: unknown) => {
          unlisten();
          reject(e as Error);
        },
      );
    });
  }

  private send(message: IndexHostMessage & { id: number }, onProgress?: (p: IndexProgress) => void): Promise<IndexWorkerMessage> {
    const live = this.live;
    if (!live) return Promise.reject(this.unavailable());
    const reply = this.track(message.id, onProgress);
    live.worker.postMessage(message);
    return reply;
  }

  private track(id: number, onProgress?: (p: IndexProgress) => void): Promise<IndexWorkerMessage> {
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject, onProgress }));
  }

  private post(message: IndexHostMessage): void {
    // Without a worker the event is dropped: open documents are replayed and the re-index catches
    // up on files when the worker is back.
    this.live?.worker.postMessage(message);
  }

  /** Waits until a worker is running (after a crash, the restart backoff). */
  private async workerReady(): Promise<void> {
    while (!this.live) {
      if (this.disposed) throw new IndexClientError('disposed', 'The context index was shut down.');
      if (this.failedForGood) throw this.unavailable();
      await new Promise<void>((resolve) => this.waitingForWorker.push(resolve));
    }
  }

  private unavailable(): IndexClientError {
    if (this.disposed) return new IndexClientError('disposed', 'The context index was shut down.');
    return this.failedForGood
      ? new IndexClientError('unavailable', 'The context index worker keeps crashing; reload the window to try again.')
      : new IndexClientError('unavailable', 'The context index worker is restarting; try again in a moment.');
  }

  private rejectAll(error: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(error);
  }

  /** Ends a worker on purpose: asks it to save and stop, terminates it if it takes too long. */
  private retire(live: Live): Promise<void> {
    live.retiring = true;
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => void live.worker.terminate(), SHUTDOWN_GRACE_MS);
      live.worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      try {
        live.worker.postMessage({ type: 'shutdown', id: this.nextId++ });
      } catch {
        void live.worker.terminate();
      }
    });
  }

  /** After a full index: recycle the worker once if its memory is above the cap and a cache makes it cheap. */
  private async maybeRecycle(): Promise<void> {
    if (this.recycling || this.disposed || this.options.storageDir === undefined) return;
    let stats: IndexStats;
    try {
      stats = await this.stats();
    } catch {
      return;
    }
    const usedMb = stats.memory.heapUsedMb + stats.memory.externalMb;
    const cap = this.options.recycleAboveMb ?? DEFAULT_RECYCLE_ABOVE_MB;
    if (usedMb <= cap || this.disposed) return;
    this.recycling = true;
    try {
      this.log(`index worker uses ${usedMb.toFixed(0)} MB (cap ${cap} MB): recycling it`);
      const old = this.live;
      if (!old) return;
      this.live = undefined;
      this.rejectAll(new IndexClientError('worker-stopped', 'The context index worker is being recycled.'));
      await this.retire(old);
      if (this.disposed) return;
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

function abortError(): Error {
  const e = new Error('The context request was cancelled.');
  e.name = 'AbortError';
  return e;
}
