// Tests for batching streamed chunks into deltas: at most one per interval, the first at once,
// nothing lost or reordered, and what is pending sent when the answer ends. Time is a fake clock
// whose timers run when the test advances it.
import * as assert from 'node:assert/strict';
import { DeltaCoalescer } from '../../../src/core/chat/deltaCoalescer';
import { FakeClock } from './chatFakes';

describe('DeltaCoalescer', () => {
  const cases: { name: string; chunks: [number, string][]; end: number; deltas: [number, string][] }[] = [
    {
      name: 'sends the first chunk at once and batches a burst',
      chunks: [[0, 'a'], [5, 'b'], [10, 'c'], [40, 'd'], [45, 'e'], [100, 'f']],
      end: 100,
      deltas: [[0, 'a'], [30, 'bc'], [60, 'de'], [100, 'f']],
    },
    {
      name: 'sends chunks an interval apart as they come',
      chunks: [[0, 'one '], [30, 'two '], [75, 'three']],
      end: 80,
      deltas: [[0, 'one '], [30, 'two '], [75, 'three']],
    },
    {
      name: 'sends what is pending when the answer ends, before the interval',
      chunks: [[0, 'x'], [1, 'y'], [2, 'z']],
      end: 3,
      deltas: [[0, 'x'], [3, 'yz']],
    },
    {
      name: 'ignores empty chunks',
      chunks: [[0, ''], [1, 'a'], [2, '']],
      end: 50,
      deltas: [[1, 'a']],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const clock = new FakeClock();
      const deltas: [number, string][] = [];
      const coalescer = new DeltaCoalescer((text) => deltas.push([clock.time, text]), clock.now, clock, 30);
      for (const [at, chunk] of c.chunks) {
        clock.advanceTo(at);
        coalescer.push(chunk);
      }
      clock.advanceTo(c.end);
      coalescer.flush();
      assert.deepEqual(deltas, c.deltas);
      assert.equal(deltas.map(([, t]) => t).join(''), c.chunks.map(([, t]) => t).join(''));
      assert.equal(clock.pending, 0, 'no timer is left running');
      for (let i = 1; i < deltas.length - 1; i++) assert.ok(deltas[i]![0] - deltas[i - 1]![0] >= 30);
    });
  }
});
