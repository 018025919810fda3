// The supervised-worker base against a scripted fake transport: requests kept by id with their
// deadline and abort listener released when they leave, all failed when the worker dies or retires,
// the backoff sequence after crashes in a row (reset by a healthy run, ended by giving up), waiting
// for a worker, and a graceful retire that terminates a worker slow to leave.
import * as assert from 'node:assert/strict';
import {
  PendingRequests,
  SupervisedWorker,
  type SupervisedWorkerOptions,
  type WorkerExit,
  type WorkerTransport,
} from '../../../src/core/kernel/supervisedWorker';

type Msg = { type: string; id?: number };

/** A worker whose sends, terminations and exits the test scripts. */
class FakeWorker implements WorkerTransport<Msg> {
  readonly sent: Msg[] = [];
  terminated = 0;
  /** The channel is gone: post answers false. */
  closed = false;
  /** post throws, as a thread's postMessage can. */
  throws = false;
  /** terminate() ends it (a real kill does); off for a wedged worker. */
  diesOnTerminate = true;
  private readonly messageListeners: ((raw: unknown) => void)[] = [];
  private readonly exitListeners: ((exit: WorkerExit) => void)[] = [];

  post(message: Msg): boolean {
    if (this.throws) throw new Error('channel broken');
    if (this.closed) return false;
    this.sent.push(message);
    return true;
  }
  terminate(): void {
    this.terminated++;
    if (this.diesOnTerminate) setImmediate(() => this.exit({ code: null, signal: 'SIGKILL' }));
  }
  onMessage(listener: (raw: unknown) => void): void {
    this.messageListeners.push(listener);
  }
  onExit(listener: (exit: WorkerExit) => void): void {
    this.exitListeners.push(listener);
  }
  reply(raw: unknown): void {
    for (const l of this.messageListeners) l(raw);
  }
  exit(exit: WorkerExit = { code: 1, signal: null }): void {
    for (const l of this.exitListeners) l(exit);
  }
}

interface Entry {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** A base over fake workers that records what it was told; `restart` starts a fresh fake. */
function supervise(overrides: Partial<SupervisedWorkerOptions<Msg, FakeWorker>> = {}) {
  const log: string[] = [];
  const workers: FakeWorker[] = [];
  const messages: Array<{ worker: FakeWorker; raw: unknown }> = [];
  const sup: SupervisedWorker<Msg, FakeWorker, Entry> = new SupervisedWorker<Msg, FakeWorker, Entry>({
    backoff: { delayMs: (n) => n * 5, healthyAfterMs: 60_000, maxCrashes: 3, holdsProcess: false },
    shutdownMessage: () => ({ type: 'shutdown' }),
    graceMs: 30,
    onMessage: (worker, raw) => messages.push({ worker, raw }),
    onCrash: (_w, exit) => {
      log.push(`crash ${exit.code}`);
      return { error: new Error(`died with ${exit.code}`), restart: true };
    },
    onRestartScheduled: (_w, delay) => log.push(`restart in ${delay}`),
    onGiveUp: () => log.push('gave up'),
    restart: () => startOne(),
    ...overrides,
  });
  const startOne = (): FakeWorker => {
    const w = new FakeWorker();
    workers.push(w);
    sup.start(w);
    return w;
  };
  return { sup, log, workers, messages, startOne };
}

/** Sends a request and returns its promise (rejected with the reason when it could not go). */
function request(sup: SupervisedWorker<Msg, FakeWorker, Entry>, type = 'ask'): { id: number; reply: Promise<unknown> } {
  const id = sup.pending.nextId();
  const reply = new Promise<unknown>((resolve, reject) => {
    if (!sup.send(id, { type, id }, { resolve, reject })) reject(new Error('not sent'));
  });
  reply.catch(() => undefined);
  return { id, reply };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PendingRequests', () => {
  const entry = (log: string[], name: string) => ({ reject: (e: Error) => log.push(`${name}: ${e.message}`) });

  it('gives ids that never repeat, and take removes a request once', () => {
    const p = new PendingRequests<{ reject(e: Error): void }>();
    const ids = [p.nextId(), p.nextId(), p.nextId()];
    assert.deepEqual(ids, [1, 2, 3]);
    const e = entry([], 'a');
    p.add(2, e);
    assert.equal(p.get(2), e);
    assert.equal(p.size, 1);
    assert.equal(p.take(2), e);
    assert.equal(p.take(2), undefined);
    assert.equal(p.size, 0);
  });

  it('calls the deadline hook when it passes, never after the request was taken', async () => {
    const p = new PendingRequests<{ reject(e: Error): void }>();
    const fired: number[] = [];
    p.add(1, entry([], 'a'), { deadlineMs: 5, onDeadline: () => fired.push(1) });
    p.add(2, entry([], 'b'), { deadlineMs: 5, onDeadline: () => fired.push(2) });
    p.take(2);
    await sleep(30);
    assert.deepEqual(fired, [1]);
  });

  it('re-arms a deadline from now', async () => {
    const p = new PendingRequests<{ reject(e: Error): void }>();
    const fired: string[] = [];
    p.add(1, entry([], 'a'), { deadlineMs: 10, onDeadline: () => fired.push('deadline') });
    p.setDeadline(1, 200);
    await sleep(50);
    assert.deepEqual(fired, [], 'the first deadline no longer counts');
    p.setDeadline(1, 1);
    await sleep(30);
    assert.deepEqual(fired, ['deadline']);
  });

  it('calls the abort hook when the signal fires, and removes the listener when the request leaves', () => {
    const p = new PendingRequests<{ reject(e: Error): void }>();
    const aborted: number[] = [];
    const first = new AbortController();
    const second = new AbortController();
    p.add(1, entry([], 'a'), { signal: first.signal, onAbort: () => aborted.push(1) });
    p.add(2, entry([], 'b'), { signal: second.signal, onAbort: () => aborted.push(2) });
    p.take(2);
    first.abort();
    second.abort();
    assert.deepEqual(aborted, [1]);
  });

  it('rejectAll fails every request with the error and releases their watches', async () => {
    const p = new PendingRequests<{ reject(e: Error): void }>();
    const log: string[] = [];
    const controller = new AbortController();
    p.add(1, entry(log, 'a'), { deadlineMs: 5, onDeadline: () => log.push('deadline') });
    p.add(2, entry(log, 'b'), { signal: controller.signal, onAbort: () => log.push('abort') });
    p.rejectAll(new Error('gone'));
    controller.abort();
    await sleep(20);
    assert.deepEqual(log, ['a: gone', 'b: gone']);
    assert.equal(p.size, 0);
  });
});

describe('SupervisedWorker', () => {
  it('sends a request to the running worker and keeps it until its answer is taken', async () => {
    const { sup, startOne } = supervise();
    const w = startOne();
    const { id, reply } = request(sup);
    assert.deepEqual(w.sent, [{ type: 'ask', id }]);
    sup.pending.take(id)!.resolve('answer');
    assert.equal(await reply, 'answer');
  });

  it('registers nothing when no worker runs, the channel is gone, or posting throws', async () => {
    const { sup, startOne } = supervise();
    await assert.rejects(request(sup).reply, /not sent/);
    assert.equal(sup.post({ type: 'event' }), false);
    const w = startOne();
    w.closed = true;
    await assert.rejects(request(sup).reply, /not sent/);
    w.throws = true;
    assert.throws(() => sup.send(sup.pending.nextId(), { type: 'ask' }, { resolve: () => {}, reject: () => {} }), /channel broken/);
    assert.equal(sup.pending.size, 0);
  });

  it('delivers messages from the running and a retiring worker, not from one that crashed', () => {
    const { sup, messages, startOne } = supervise();
    const first = startOne();
    first.reply('hello');
    void sup.retire(new Error('bye'));
    first.reply('last words');
    const second = startOne();
    second.exit();
    second.reply('ghost');
    assert.deepEqual(
      messages.map((m) => [m.worker === first ? 'first' : 'second', m.raw]),
      [
        ['first', 'hello'],
        ['first', 'last words'],
      ],
    );
  });

  it('a crash fails every pending request with the error the client chose, then restarts after the delay', async () => {
    const { sup, log, workers, startOne } = supervise();
    startOne();
    const a = request(sup);
    const b = request(sup);
    workers[0]!.exit({ code: 7, signal: null });
    await assert.rejects(a.reply, /died with 7/);
    await assert.rejects(b.reply, /died with 7/);
    assert.equal(sup.current, undefined);
    assert.equal(sup.restartPending, true);
    await sup.changed();
    assert.equal(workers.length, 2);
    assert.equal(sup.current, workers[1]);
    assert.equal(sup.restartPending, false);
    assert.deepEqual(log, ['crash 7', 'restart in 5']);
  });

  it('waits longer after each crash in a row and gives up after too many, waking whoever waits', async () => {
    const { sup, log, workers, startOne } = supervise();
    startOne();
    for (let i = 0; i < 3; i++) {
      workers.at(-1)!.exit();
      await sup.changed();
    }
    const waiting = sup.changed();
    workers.at(-1)!.exit();
    await waiting;
    assert.equal(sup.gaveUp, true);
    assert.equal(sup.current, undefined);
    assert.equal(sup.restartPending, false);
    assert.equal(workers.length, 4, 'no fifth worker');
    assert.deepEqual(
      log.filter((l) => !l.startsWith('crash')),
      ['restart in 5', 'restart in 10', 'restart in 15', 'gave up'],
    );
  });

  it('starts the count again after a healthy run (counted from markReady) or resetBackoff', async () => {
    let now = 0;
    const { sup, log, workers, startOne } = supervise({ now: () => now, backoff: { delayMs: (n) => n, healthyAfterMs: 100, holdsProcess: false } });
    startOne();
    const crashAndWait = async (ranMs: number) => {
      now += ranMs;
      workers.at(-1)!.exit();
      await sup.changed();
    };
    await crashAndWait(10);
    await crashAndWait(10);
    await crashAndWait(100); // healthy
    await crashAndWait(10);
    now += 90;
    sup.markReady(); // up only from here: 90 ms of loading do not count
    await crashAndWait(20);
    sup.resetBackoff();
    await crashAndWait(10);
    assert.deepEqual(
      log.filter((l) => l.startsWith('restart')),
      ['restart in 1', 'restart in 2', 'restart in 1', 'restart in 2', 'restart in 3', 'restart in 1'],
    );
  });

  it('does not restart or count a crash the client says a restart cannot help', async () => {
    const { sup, log, workers, startOne } = supervise({
      onCrash: () => ({ error: new Error('bad model'), restart: false }),
      onRestartScheduled: () => log.push('restart'),
    });
    startOne();
    const a = request(sup);
    workers[0]!.exit();
    await assert.rejects(a.reply, /bad model/);
    assert.equal(sup.restartPending, false);
    assert.equal(sup.gaveUp, false);
    assert.deepEqual(log, []);
  });

  it('retire fails pending requests, asks the worker to stop, and its exit is no crash', async () => {
    const { sup, log, workers, startOne } = supervise();
    const w = startOne();
    const a = request(sup);
    const retired = sup.retire(new Error('recycled'));
    await assert.rejects(a.reply, /recycled/);
    assert.equal(sup.current, undefined);
    assert.deepEqual(w.sent.at(-1), { type: 'shutdown' });
    w.exit({ code: 0, signal: null });
    await retired;
    assert.equal(w.terminated, 0);
    assert.equal(sup.restartPending, false);
    assert.deepEqual(log, []);
    assert.equal(workers.length, 1);
  });

  it('retire terminates a worker that does not leave within the grace period, or cannot be asked', async () => {
    const { sup, startOne } = supervise();
    const slow = startOne();
    await sup.retire(new Error('bye'));
    assert.equal(slow.terminated, 1, 'terminated after graceMs');

    const broken = startOne();
    broken.throws = true;
    const started = Date.now();
    await sup.retire(new Error('bye'));
    assert.equal(broken.terminated >= 1, true);
    assert.ok(Date.now() - started < 1000, 'terminated at once, not after the grace period');
  });

  it('dispose calls off a pending restart, retires the running worker once, and wakes whoever waits', async () => {
    const { sup, workers, startOne } = supervise({ backoff: { delayMs: () => 20, healthyAfterMs: 60_000, holdsProcess: false } });
    startOne();
    workers[0]!.exit();
    assert.equal(sup.restartPending, true);
    const waiting = sup.changed();
    const first = sup.dispose(new Error('shut down'));
    assert.equal(sup.dispose(new Error('again')), first);
    await waiting;
    await first;
    await sleep(40);
    assert.equal(workers.length, 1, 'the restart was called off');
    assert.equal(sup.disposed, true);

    const other = supervise();
    const w = other.startOne();
    const a = request(other.sup);
    const done = other.sup.dispose(new Error('shut down'));
    await assert.rejects(a.reply, /shut down/);
    assert.deepEqual(w.sent.at(-1), { type: 'shutdown' });
    w.exit({ code: 0, signal: null });
    await done;
  });

  it('cancelRestart wakes waiters without starting a worker', async () => {
    const { sup, workers, startOne } = supervise({ backoff: { delayMs: () => 20, healthyAfterMs: 60_000, holdsProcess: false } });
    startOne();
    workers[0]!.exit();
    const waiting = sup.changed();
    sup.cancelRestart();
    await waiting;
    assert.equal(sup.restartPending, false);
    await sleep(40);
    assert.equal(workers.length, 1);
  });
});
