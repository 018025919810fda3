// The one set of abort helpers: listeners come off when the work ends, a linked controller follows
// its signal (also one that has already fired), a race gives up at the abort while the promise runs
// on, and the sleep ends early.
import * as assert from 'node:assert/strict';
import { abortableSleep, ABORTED, linkAbort, raceAbort, whenAborted } from '../../../src/core/kernel/abort';

describe('abort helpers', () => {
  it('whenAborted calls its listener once, and never after the unsubscribe', () => {
    const first = new AbortController();
    let calls = 0;
    whenAborted(first.signal, () => calls++);
    first.abort();
    first.abort();
    assert.equal(calls, 1);

    const second = new AbortController();
    const unsubscribe = whenAborted(second.signal, () => calls++);
    unsubscribe();
    second.abort();
    assert.equal(calls, 1);
  });

  it('whenAborted does not call the listener for a signal that has already aborted, nor without one', () => {
    let calls = 0;
    whenAborted(AbortSignal.abort(), () => calls++)();
    whenAborted(undefined, () => calls++)();
    assert.equal(calls, 0);
  });

  it('linkAbort aborts the controller with its signal, at once when the signal already has', () => {
    const source = new AbortController();
    const linked = new AbortController();
    linkAbort(source.signal, linked);
    assert.equal(linked.signal.aborted, false);
    source.abort();
    assert.equal(linked.signal.aborted, true);

    const late = new AbortController();
    linkAbort(AbortSignal.abort(), late);
    assert.equal(late.signal.aborted, true);

    const unlinked = new AbortController();
    const other = new AbortController();
    linkAbort(other.signal, unlinked)();
    other.abort();
    assert.equal(unlinked.signal.aborted, false);
  });

  it('raceAbort resolves with the value, or ABORTED when the signal wins (the promise runs on)', async () => {
    assert.equal(await raceAbort(Promise.resolve(7), new AbortController().signal), 7);
    assert.equal(await raceAbort(Promise.resolve(7), undefined), 7);
    assert.equal(await raceAbort(Promise.resolve(7), AbortSignal.abort()), ABORTED);

    const controller = new AbortController();
    let release!: (v: number) => void;
    const slow = new Promise<number>((resolve) => (release = resolve));
    const raced = raceAbort(slow, controller.signal);
    controller.abort();
    assert.equal(await raced, ABORTED);
    release(3);
    assert.equal(await slow, 3);
  });

  it('raceAbort passes a rejection on', async () => {
    await assert.rejects(raceAbort(Promise.reject(new Error('boom')), new AbortController().signal), /boom/);
  });

  it('rejects an abortable sleep as soon as its signal aborts', async () => {
    const controller = new AbortController();
    const sleeping = abortableSleep(60_000, controller.signal);
    controller.abort();
    await assert.rejects(sleeping, { name: 'AbortError' });
  });

  it('rejects at once for an already-aborted signal', async () => {
    await assert.rejects(abortableSleep(60_000, AbortSignal.abort()));
  });

  it('sleeps the time it is given', async () => {
    const started = Date.now();
    await abortableSleep(20);
    assert.ok(Date.now() - started >= 15);
  });
});
