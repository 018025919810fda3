// The model host's one queue: the client that asked last goes first, a client's newer completion
// stops its older ones, chats are never stopped by others, and another client's running work is not
// interrupted.
import * as assert from 'node:assert/strict';
import { HostScheduler, type HostJob, type JobKind } from '../../../../../src/core/providers/local/host/hostScheduler';

interface Probe {
  job: HostJob;
  aborted: boolean;
  finish(): void;
}

describe('HostScheduler', () => {
  let order: string[];
  let scheduler: HostScheduler;

  /** A job that records when it starts and runs until finish() is called. */
  function job(name: string, client: number, kind: JobKind = 'completion'): Probe {
    let finish: () => void = () => undefined;
    const probe: Probe = {
      aborted: false,
      finish: () => finish(),
      job: {
        client,
        kind,
        abort: () => {
          probe.aborted = true;
        },
        run: () => {
          order.push(name);
          return new Promise<void>((resolve) => (finish = resolve));
        },
      },
    };
    return probe;
  }

  const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

  beforeEach(() => {
    order = [];
    scheduler = new HostScheduler();
  });

  it('runs one job at a time, the queued work of the client that asked most recently first', async () => {
    const running = job('a1', 1);
    const b1 = job('b1', 2, 'chat');
    const c1 = job('c1', 3, 'chat');
    const b2 = job('b2', 2, 'rates');
    for (const p of [running, b1, c1, b2]) scheduler.submit(p.job);
    assert.deepEqual(order, ['a1']);
    assert.equal(scheduler.waiting, 3);
    running.finish();
    await tick();
    // Client 2 asked last (b2): its jobs go first, in the order it asked.
    assert.deepEqual(order, ['a1', 'b1']);
    b1.finish();
    await tick();
    assert.deepEqual(order, ['a1', 'b1', 'b2']);
    b2.finish();
    await tick();
    assert.deepEqual(order, ['a1', 'b1', 'b2', 'c1']);
  });

  it("a client's newer completion stops its older ones, queued or running; a chat and other clients' work go on", async () => {
    const running = job('a1', 1);
    const chat = job('a-chat', 1, 'chat');
    const queued = job('a2', 1);
    const other = job('b1', 2);
    for (const p of [running, chat, other, queued]) scheduler.submit(p.job);
    const newest = job('a3', 1);
    scheduler.submit(newest.job);
    assert.equal(running.aborted, true);
    assert.equal(queued.aborted, true);
    assert.equal(chat.aborted, false);
    assert.equal(other.aborted, false);
    assert.equal(newest.aborted, false);
  });

  it("does not interrupt another client's running work; a session's setup does not count as asking", async () => {
    const background = job('b1', 2);
    scheduler.submit(background.job);
    const foreground = job('a1', 1);
    scheduler.submit(foreground.job);
    assert.equal(background.aborted, false);
    const setup = job('c-setup', 3, 'setup');
    scheduler.submit(setup.job);
    background.finish();
    await tick();
    // Client 1 asked after client 2; client 3's setup is not asking, so it goes last.
    assert.deepEqual(order, ['b1', 'a1']);
    foreground.finish();
    await tick();
    assert.deepEqual(order, ['b1', 'a1', 'c-setup']);
  });

  it("runs a client's jobs first once it left, so its sequence is freed without waiting behind others", async () => {
    const running = job('b1', 2);
    scheduler.submit(running.job);
    const other = job('b2', 2);
    scheduler.submit(other.job);
    const leaving = job('a1', 1, 'rates');
    scheduler.submit(leaving.job);
    // Client 2 asks again, after client 1: normally it would go first.
    const otherAgain = job('b3', 2, 'chat');
    scheduler.submit(otherAgain.job);
    scheduler.forget(1);
    running.finish();
    await tick();
    assert.deepEqual(order, ['b1', 'a1']);
  });

  it('goes on after a job that throws', async () => {
    const errors: unknown[] = [];
    scheduler = new HostScheduler((e) => errors.push(e));
    scheduler.submit({ client: 1, kind: 'rates', abort: () => undefined, run: () => Promise.reject(new Error('boom')) });
    const next = job('next', 1, 'rates');
    scheduler.submit(next.job);
    await tick();
    assert.deepEqual(order, ['next']);
    assert.equal((errors[0] as Error).message, 'boom');
  });
});
