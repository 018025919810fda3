// The supervised-worker base: what a client needs to keep one worker (a child process, a thread)
// alive and talk to it by request id, whatever the worker does. Pending requests are kept by id with
// their deadline and abort listener, released the moment the request leaves, so no timer or listener
// outlives its request; they all fail when the worker dies or is retired. A worker that dies unasked
// is restarted after a backoff delay (giving up after too many crashes in a row), callers can wait
// for a worker to be up, and a worker is retired gracefully: asked to finish by itself, terminated
// after a grace period. Each client keeps its protocol, errors and policies and hands them in; the
// worker is reached through a small transport, so this file knows neither processes nor threads.

import { whenAborted } from './abort';

/** How a worker ended. */
export interface WorkerExit {
  code: number | null;
  signal: string | null;
}

/** The worker as the base sees it; each client adapts its child process or thread to this. */
export interface WorkerTransport<Out> {
  /** Sends a message; false when the channel is already gone (its exit follows). */
  post(message: Out): boolean;
  /** Ends the worker now if it still runs. */
  terminate(): void;
  onMessage(listener: (raw: unknown) => void): void;
  onExit(listener: (exit: WorkerExit) => void): void;
}

/** A pending request: whatever the client keeps for it, as long as it can fail. */
export interface PendingEntry {
  reject(error: Error): void;
}

/** What watches a pending request while it waits; the hooks decide whether to take it. */
export interface RequestWatch {
  deadlineMs?: number;
  onDeadline?: () => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

interface Tracked<E> {
  entry: E;
  timer: NodeJS.Timeout | undefined;
  onDeadline: (() => void) | undefined;
  unlisten: () => void;
}

/** Requests waiting for the worker's reply, by id. */
export class PendingRequests<E extends PendingEntry> {
  private readonly tracked = new Map<number, Tracked<E>>();
  private lastId = 0;

  /** Ids are never reused, so a late reply to a request that went away never meets a newer one. */
  nextId(): number {
    return ++this.lastId;
  }

  get size(): number {
    return this.tracked.size;
  }

  add(id: number, entry: E, watch: RequestWatch = {}): void {
    const onAbort = watch.onAbort;
    this.tracked.set(id, {
      entry,
      timer: undefined,
      onDeadline: watch.onDeadline,
      unlisten: onAbort ? whenAborted(watch.signal, onAbort) : () => {},
    });
    if (watch.deadlineMs !== undefined) this.setDeadline(id, watch.deadlineMs);
  }

  /** The request, left in place (a progress report or a streamed piece, not its answer). */
  get(id: number): E | undefined {
    return this.tracked.get(id)?.entry;
  }

  /** Removes the request and releases its watch; whoever takes it settles it. */
  take(id: number): E | undefined {
    const tracked = this.tracked.get(id);
    if (!tracked) return undefined;
    this.tracked.delete(id);
    clearTimeout(tracked.timer);
    tracked.unlisten();
    return tracked.entry;
  }

  /** Re-arms the request's deadline, `ms` from now (a request whose slow first step is done gets a new one). */
  setDeadline(id: number, ms: number): void {
    const tracked = this.tracked.get(id);
    if (!tracked) return;
    clearTimeout(tracked.timer);
    // The worker, not a deadline, is what keeps a process alive while it answers.
    tracked.timer = setTimeout(() => tracked.onDeadline?.(), ms).unref();
  }

  rejectAll(error: Error): void {
    for (const id of [...this.tracked.keys()]) this.take(id)?.reject(error);
  }
}

/** When and how often a crashed worker is restarted. */
export interface Backoff {
  /** Delay before the restart that follows the nth crash in a row (n = 1, 2, ...). */
  delayMs(crashes: number): number;
  /** A worker up this long before it crashed was healthy: the count of crashes in a row starts again. */
  healthyAfterMs: number;
  /** Crashes in a row that are still followed by a restart; one more and the base gives up. Unlimited when absent. */
  maxCrashes?: number;
  /** Whether a restart not yet due keeps the process alive (a CLI waiting for the worker) or not. */
  holdsProcess: boolean;
}

export interface SupervisedWorkerOptions<Out, T> {
  backoff: Backoff;
  /** Asks a retiring worker to finish by itself (save its state, free memory, exit). */
  shutdownMessage(): Out;
  /** How long a retiring worker may take before it is terminated. */
  graceMs: number;
  /** A message from one of this client's workers: the running one, or one retiring (never one that crashed). */
  onMessage(worker: T, raw: unknown): void;
  /** The running worker died unasked: what its pending requests fail with, and whether a restart can help. */
  onCrash(worker: T, exit: WorkerExit): { error: Error; restart: boolean };
  /** A restart is due in `delayMs` (status bars say so). */
  onRestartScheduled?(worker: T, delayMs: number, crash: Error): void;
  /** Too many crashes in a row: no more restarts. */
  onGiveUp?(): void;
  /** The backoff delay has passed and no worker runs: start the next one (through start()) if the client still wants it. */
  restart(): void;
  /** Clock for a worker's healthy time; tests replace it. */
  now?: () => number;
}

interface Life<T> {
  worker: T;
  /** When the worker's healthy time started (start, or markReady). */
  upSince: number;
  retiring: boolean;
  crashed: boolean;
  onExited: (() => void)[];
}

/** Keeps one worker at a time alive for a client; see the file comment. */
export class SupervisedWorker<Out, T extends WorkerTransport<Out>, E extends PendingEntry> {
  readonly pending = new PendingRequests<E>();
  private live: Life<T> | undefined;
  private crashes = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private waiting: (() => void)[] = [];
  private gaveUpForGood = false;
  private isDisposed = false;
  private stopped: Promise<void> = Promise.resolve();
  private readonly now: () => number;

  constructor(private readonly options: SupervisedWorkerOptions<Out, T>) {
    this.now = options.now ?? (() => performance.now());
  }

  /** The running worker; undefined while none runs (not started, restarting, retired, given up). */
  get current(): T | undefined {
    return this.live?.worker;
  }

  /** A crashed worker is coming back once its backoff delay has passed. */
  get restartPending(): boolean {
    return this.restartTimer !== undefined;
  }

  get gaveUp(): boolean {
    return this.gaveUpForGood;
  }

  get disposed(): boolean {
    return this.isDisposed;
  }

  /** Makes `worker` the running one: its messages reach onMessage, its exit is watched. */
  start(worker: T): void {
    const life: Life<T> = { worker, upSince: this.now(), retiring: false, crashed: false, onExited: [] };
    this.live = life;
    worker.onMessage((raw) => {
      if (!life.crashed) this.options.onMessage(worker, raw);
    });
    worker.onExit((exit) => this.onExit(life, exit));
    this.wake();
  }

  /** Counts the running worker's healthy time from now: a worker that must load first is not up before. */
  markReady(): void {
    if (this.live) this.live.upSince = this.now();
  }

  /** The worker proved itself (or the client starts over): the next crash waits the first delay again. */
  resetBackoff(): void {
    this.crashes = 0;
  }

  /** Sends to the running worker; false when none runs or the channel is gone. */
  post(message: Out): boolean {
    return this.live?.worker.post(message) ?? false;
  }

  /**
   * Registers `entry` under `id` and sends `message` to the running worker. False, with nothing left
   * registered, when no worker runs or the message did not go.
   */
  send(id: number, message: Out, entry: E, watch?: RequestWatch): boolean {
    const worker = this.live?.worker;
    if (!worker) return false;
    this.pending.add(id, entry, watch);
    let sent = false;
    try {
      sent = worker.post(message);
    } finally {
      if (!sent) this.pending.take(id);
    }
    return sent;
  }

  /**
   * Resolves at the next turn in the worker's life: one started, a restart came due or was called
   * off, the base gave up or was disposed. Whoever waits for a worker looks again then.
   */
  changed(): Promise<void> {
    return new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Calls off a restart not yet due (the client starts over, or stops). */
  cancelRestart(): void {
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    this.wake();
  }

  /**
   * Ends the running worker on purpose: pending requests fail with `reason`, the worker is asked to
   * finish and terminated after the grace period. Resolves once it has exited.
   */
  retire(reason: Error): Promise<void> {
    const life = this.live;
    this.live = undefined;
    this.pending.rejectAll(reason);
    if (!life) return Promise.resolve();
    life.retiring = true;
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => life.worker.terminate(), this.options.graceMs).unref();
      life.onExited.push(() => {
        clearTimeout(timer);
        resolve();
      });
      try {
        life.worker.post(this.options.shutdownMessage());
      } catch {
        life.worker.terminate();
      }
    });
  }

  /** No more workers: calls off a restart, retires the running worker with `reason`. Resolves once it has exited. */
  dispose(reason: Error): Promise<void> {
    if (this.isDisposed) return this.stopped;
    this.isDisposed = true;
    this.cancelRestart();
    this.stopped = this.retire(reason);
    return this.stopped;
  }

  private onExit(life: Life<T>, exit: WorkerExit): void {
    for (const done of life.onExited.splice(0)) done();
    if (life.retiring || life !== this.live) return;
    this.live = undefined;
    life.crashed = true;
    const { error, restart } = this.options.onCrash(life.worker, exit);
    this.pending.rejectAll(error);
    if (!restart) return;
    if (this.now() - life.upSince >= this.options.backoff.healthyAfterMs) this.crashes = 0;
    this.crashes++;
    if (this.crashes > (this.options.backoff.maxCrashes ?? Number.POSITIVE_INFINITY)) {
      this.gaveUpForGood = true;
      this.options.onGiveUp?.();
      this.wake();
      return;
    }
    const delay = this.options.backoff.delayMs(this.crashes);
    this.options.onRestartScheduled?.(life.worker, delay, error);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (!this.isDisposed && !this.live) this.options.restart();
      this.wake();
    }, delay);
    if (!this.options.backoff.holdsProcess) this.restartTimer.unref();
  }

  private wake(): void {
    for (const wake of this.waiting.splice(0)) wake();
  }
}
