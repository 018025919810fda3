// bench:windows's player: a window types only while it is in front, stops where the user left it
// and goes on from there when the user comes back; each request is logged with its window and segment.
import * as assert from 'node:assert/strict';
import { now } from '../../../bench/clock';
import { TraceReplayer, type ReplayTarget } from '../../../bench/traceReplayer';
import type { FileTrace, TraceStep } from '../../../bench/typingTrace';
import { playSchedule } from '../../../bench/windowPlayer';
import { WindowSampleRecorder } from '../../../bench/windowRecorder';
import type { CompletionRequest } from '../../../src/core/kernel/completionTypes';

/** A completion provider that answers nothing at once and remembers the documents it was asked about. */
function fakeTarget(): ReplayTarget & { asked: CompletionRequest[] } {
  const asked: CompletionRequest[] = [];
  return {
    asked,
    complete: (request) => {
      asked.push(request);
      return Promise.resolve(undefined);
    },
    accepted: () => undefined,
    readAhead: () => Promise.resolve(false),
  };
}

function trace(name: string, steps: TraceStep[]): FileTrace {
  return { name, relativePath: `src/${name}`, languageId: 'typescript', initialText: 'let a = 1;\n', initialOffset: 10, steps, editPoints: [], plannedMs: steps.reduce((a, s) => a + s.delayMs, 0) };
}

const typeAndUndo = (delayMs: number): TraceStep[] => [
  { kind: 'insert', text: 'x', delayMs },
  { kind: 'backspace', delayMs },
];

describe('bench:windows player', () => {
  it('playUntil stops before a step that would come after the deadline and resumes there', async () => {
    const target = fakeTarget();
    const recorder = new WindowSampleRecorder(new Map([['a.ts', 0]]));
    const replayer = new TraceReplayer(target, recorder);
    await replayer.open(trace('a.ts', [...typeAndUndo(1), { kind: 'insert', text: 'y', delayMs: 60_000 }, { kind: 'backspace', delayMs: 1 }]));
    assert.equal(target.asked.length, 1, 'opening primes once');

    assert.equal(await replayer.playUntil(now() - 1), true, 'nothing fits before a past deadline');
    assert.equal(target.asked.length, 1);

    assert.equal(await replayer.playUntil(now() + 30_000), true, 'the 60 s step is left for later');
    assert.deepEqual(
      target.asked.map((r) => r.text),
      ['let a = 1;\n', 'let a = 1;x\n', 'let a = 1;\n'],
    );
    // Left mid-trace, the file need not be restored.
    const counts = await replayer.finish();
    assert.equal(counts.keystrokes, 2);
  });

  it('a whole trace played through must restore its file', async () => {
    const replayer = new TraceReplayer(fakeTarget(), new WindowSampleRecorder(new Map([['a.ts', 0]])));
    await replayer.open(trace('a.ts', [{ kind: 'insert', text: 'x', delayMs: 1 }]));
    assert.equal(await replayer.playUntil(Number.POSITIVE_INFINITY), false);
    await assert.rejects(replayer.finish(), /did not restore the file/);
  });

  it('only the window in front types; every request is logged with its window and the segment it was fired in', async () => {
    const targets = [fakeTarget(), fakeTarget()];
    const recorder = new WindowSampleRecorder(
      new Map([
        ['a.ts', 0],
        ['b.ts', 1],
      ]),
    );
    const replayers = targets.map((t) => new TraceReplayer(t, recorder));
    await replayers[0]!.open(trace('a.ts', [...typeAndUndo(2), ...typeAndUndo(2), ...typeAndUndo(2)]));
    await replayers[1]!.open(trace('b.ts', [...typeAndUndo(2), ...typeAndUndo(2)]));
    const schedule = [
      { window: 0, startMs: 0, endMs: 15 },
      { window: 1, startMs: 15, endMs: 30 },
      { window: 0, startMs: 30, endMs: 200 },
    ];
    await playSchedule(replayers, schedule, recorder);

    const primes = recorder.fired.filter((f) => f.phase === 'prime');
    assert.deepEqual(
      primes.map((f) => [f.window, f.segment]),
      [
        [0, -1],
        [1, -1],
      ],
    );
    const typed = recorder.fired.filter((f) => f.phase === 'trace');
    for (const f of typed) assert.equal(schedule[f.segment]!.window, f.window, `request ${f.seq} of window ${f.window} was fired in segment ${f.segment}`);
    assert.deepEqual(
      recorder.fired.map((f) => f.seq),
      recorder.fired.map((_, i) => i),
    );
    // Window 0's trace fits in its 185 ms; it ends where it started.
    assert.equal(typed.filter((f) => f.window === 0).length, 6);
    assert.equal(targets[0]!.asked.at(-1)!.text, 'let a = 1;\n');
  });
});
