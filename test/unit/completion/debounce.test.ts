// Tests for the adaptive debounce, driven by a hand-cranked clock.
import * as assert from 'node:assert/strict';
import { AdaptiveDebounce, type DebounceTimer } from '../../../src/core/completion/debounce';

class FakeTimer implements DebounceTimer {
  time = 0;
  private nextId = 0;
  private readonly tasks = new Map<number, { at: number; callback: () => void }>();
  now(): number {
    return this.time;
  }
  setTimeout(callback: () => void, ms: number): unknown {
    const id = ++this.nextId;
    this.tasks.set(id, { at: this.time + ms, callback });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.tasks.delete(handle as number);
  }
  advance(ms: number): void {
    this.time += ms;
    for (const [id, task] of [...this.tasks].sort((a, b) => a[1].at - b[1].at)) {
      if (task.at > this.time) break;
      this.tasks.delete(id);
      task.callback();
    }
  }
  pending(): number {
    return this.tasks.size;
  }
}

/** Settles to 'pending' if the promise has not resolved after the current microtasks. */
async function state<T>(promise: Promise<T>): Promise<T | 'pending'> {
  return Promise.race([promise, new Promise<'pending'>((resolve) => setImmediate(() => resolve('pending')))]);
}

interface DelayCase {
  name: string;
  gaps: number[];
  latencies?: number[];
  initialMs?: number;
  expected: number;
}

const delayCases: DelayCase[] = [
  { name: 'no rhythm yet: midpoint of the range', gaps: [], expected: 110 },
  { name: 'no rhythm yet: configured initial delay', gaps: [], initialMs: 60, expected: 60 },
  { name: 'one gap is not a rhythm', gaps: [100], expected: 110 },
  { name: 'fast typist: wait for a pause', gaps: [100, 100, 100], expected: 125 },
  { name: 'fast typist and a slow model: still wait for a pause', gaps: [100, 100, 100], latencies: [300], expected: 125 },
  { name: 'slow typist and a fast model: ask at once', gaps: [500, 500, 500], latencies: [100], expected: 20 },
  { name: 'slow typist, model latency unknown: wait, capped at max', gaps: [500, 500, 500], expected: 200 },
  { name: 'pauses over 1 s are not rhythm', gaps: [100, 5000, 100], expected: 125 },
  { name: 'duplicate events are not rhythm', gaps: [100, 1, 100], expected: 125 },
  { name: 'median ignores one slow gap', gaps: [100, 100, 900], expected: 125 },
  { name: 'very fast typist: short wait above min', gaps: [30, 30, 30, 30], expected: 37.5 },
  { name: 'never below min', gaps: [8, 8, 8], expected: 20 },
  { name: 'latency is a moving average', gaps: [400, 400, 400], latencies: [100, 1000], expected: 20 },
];

describe('AdaptiveDebounce', () => {
  describe('delayMs', () => {
    for (const c of delayCases) {
      it(`${c.name}: ${c.expected} ms`, () => {
        const timer = new FakeTimer();
        const debounce = new AdaptiveDebounce({ minMs: 20, maxMs: 200, initialMs: c.initialMs }, timer);
        let t = 1000;
        debounce.recordKeystroke(t);
        for (const gap of c.gaps) debounce.recordKeystroke((t += gap));
        for (const ms of c.latencies ?? []) debounce.recordLatency(ms);
        assert.equal(debounce.delayMs(), c.expected);
      });
    }
  });

  it('waits the delay from the last keystroke, then resolves true', async () => {
    const timer = new FakeTimer();
    const debounce = new AdaptiveDebounce({ minMs: 20, maxMs: 200 }, timer);
    debounce.recordKeystroke(0);
    timer.advance(30);
    const waited = debounce.wait();
    timer.advance(79);
    assert.equal(await state(waited), 'pending');
    timer.advance(1);
    assert.equal(await state(waited), true);
    assert.equal(timer.pending(), 0);
  });

  it('resolves at once when the delay has already passed since the keystroke', async () => {
    const timer = new FakeTimer();
    const debounce = new AdaptiveDebounce({ minMs: 20, maxMs: 200 }, timer);
    debounce.recordKeystroke(0);
    timer.advance(500);
    assert.equal(await state(debounce.wait()), true);
    assert.equal(timer.pending(), 0);
  });

  it('resolves false promptly on abort and leaves no timer or listener behind', async () => {
    const timer = new FakeTimer();
    const debounce = new AdaptiveDebounce({ minMs: 20, maxMs: 200 }, timer);
    const controller = new AbortController();
    debounce.recordKeystroke(0);
    const waited = debounce.wait(controller.signal);
    assert.equal(timer.pending(), 1);
    controller.abort();
    assert.equal(await state(waited), false);
    assert.equal(timer.pending(), 0);
    assert.equal(debounce.pendingWaits(), 0);
  });

  it('resolves false without a timer for an already aborted signal', async () => {
    const timer = new FakeTimer();
    const debounce = new AdaptiveDebounce({ minMs: 20, maxMs: 200 }, timer);
    const controller = new AbortController();
    controller.abort();
    assert.equal(await debounce.wait(controller.signal), false);
    assert.equal(timer.pending(), 0);
  });

  it('dispose resolves pending waits false and refuses new ones', async () => {
    const timer = new FakeTimer();
    const debounce = new AdaptiveDebounce({ minMs: 20, maxMs: 200 }, timer);
    debounce.recordKeystroke(0);
    const waited = debounce.wait();
    debounce.dispose();
    assert.equal(await state(waited), false);
    assert.equal(timer.pending(), 0);
    assert.equal(await debounce.wait(), false);
  });

  it('configure changes the range', () => {
    const debounce = new AdaptiveDebounce({ minMs: 20, maxMs: 200 }, new FakeTimer());
    debounce.configure({ minMs: 0, maxMs: 40 });
    assert.equal(debounce.delayMs(), 20);
  });

  it('works with the real timers', async () => {
    const debounce = new AdaptiveDebounce({ minMs: 1, maxMs: 5 });
    debounce.recordKeystroke();
    assert.equal(await debounce.wait(), true);
    const controller = new AbortController();
    debounce.recordKeystroke();
    const waited = debounce.wait(controller.signal);
    controller.abort();
    assert.equal(await waited, false);
    assert.equal(debounce.pendingWaits(), 0);
  });
});
