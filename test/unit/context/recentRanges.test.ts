// Tests for RecentRanges: merging touched ranges, following line shifts, caps, expiry, renames.
import * as assert from 'node:assert/strict';
import { RecentRanges, type RecentRange, type RecentRangesOptions } from '../../../src/core/context/recentRanges';

type Step =
  | { edit: [file: string, start: number, end: number, at: number] }
  | { view: [file: string, start: number, end: number, at: number] }
  | { shift: [file: string, atLine: number, delta: number] }
  | { rename: [from: string, to: string] }
  | { remove: string };

/** Compact expectation: "file:start-end kind@at", newest first. */
function show(ranges: RecentRange[]): string[] {
  return ranges.map((r) => `${r.file}:${r.startLine}-${r.endLine} ${r.kind}@${r.at}`);
}

function run(steps: Step[], options: RecentRangesOptions = {}): RecentRanges {
  const ranges = new RecentRanges(options);
  for (const step of steps) {
    if ('edit' in step) ranges.recordEdit(...step.edit);
    else if ('view' in step) ranges.recordView(...step.view);
    else if ('shift' in step) ranges.shift(...step.shift);
    else if ('rename' in step) ranges.rename(...step.rename);
    else ranges.remove(step.remove);
  }
  return ranges;
}

interface Case {
  name: string;
  steps: Step[];
  options?: RecentRangesOptions;
  now?: number;
  expected: string[];
}

const mergeCases: Case[] = [
  { name: 'one edit', steps: [{ edit: ['a.ts', 3, 5, 1] }], expected: ['a.ts:3-5 edit@1'] },
  { name: 'reversed bounds are normalised', steps: [{ edit: ['a.ts', 9, 4, 1] }], expected: ['a.ts:4-9 edit@1'] },
  { name: 'overlapping edits merge and take the newer time', steps: [{ edit: ['a.ts', 3, 5, 1] }, { edit: ['a.ts', 5, 8, 2] }], expected: ['a.ts:3-8 edit@2'] },
  { name: 'adjacent edits merge', steps: [{ edit: ['a.ts', 3, 5, 1] }, { edit: ['a.ts', 6, 6, 2] }], expected: ['a.ts:3-6 edit@2'] },
  { name: 'a gap of one line keeps them apart', steps: [{ edit: ['a.ts', 3, 5, 1] }, { edit: ['a.ts', 7, 7, 2] }], expected: ['a.ts:7-7 edit@2', 'a.ts:3-5 edit@1'] },
  { name: 'a wide edit swallows two ranges', steps: [{ edit: ['a.ts', 1, 2, 1] }, { edit: ['a.ts', 10, 12, 2] }, { edit: ['a.ts', 2, 11, 3] }], expected: ['a.ts:1-12 edit@3'] },
  { name: 'an edit and a view over the same lines stay separate', steps: [{ edit: ['a.ts', 3, 5, 1] }, { view: ['a.ts', 1, 40, 2] }], expected: ['a.ts:1-40 view@2', 'a.ts:3-5 edit@1'] },
  { name: 'same lines in different files stay separate', steps: [{ edit: ['a.ts', 3, 5, 1] }, { edit: ['b.ts', 3, 5, 2] }], expected: ['b.ts:3-5 edit@2', 'a.ts:3-5 edit@1'] },
  { name: 're-touching an old range makes it newest', steps: [{ edit: ['a.ts', 3, 5, 1] }, { edit: ['b.ts', 1, 1, 2] }, { edit: ['a.ts', 4, 4, 3] }], expected: ['a.ts:3-5 edit@3', 'b.ts:1-1 edit@2'] },
  { name: 'same-time entries: the later call is newer', steps: [{ edit: ['a.ts', 1, 1, 5] }, { edit: ['b.ts', 1, 1, 5] }], expected: ['b.ts:1-1 edit@5', 'a.ts:1-1 edit@5'] },
];

const shiftCases: Case[] = [
  { name: 'insert above moves the range down', steps: [{ edit: ['a.ts', 10, 12, 1] }, { shift: ['a.ts', 5, 3] }], expected: ['a.ts:13-15 edit@1'] },
  { name: 'insert at its first line moves it down', steps: [{ edit: ['a.ts', 10, 12, 1] }, { shift: ['a.ts', 10, 2] }], expected: ['a.ts:12-14 edit@1'] },
  { name: 'insert inside grows it', steps: [{ edit: ['a.ts', 10, 12, 1] }, { shift: ['a.ts', 11, 2] }], expected: ['a.ts:10-14 edit@1'] },
  { name: 'insert below leaves it', steps: [{ edit: ['a.ts', 10, 12, 1] }, { shift: ['a.ts', 13, 5] }], expected: ['a.ts:10-12 edit@1'] },
  { name: 'delete above moves it up', steps: [{ edit: ['a.ts', 10, 12, 1] }, { shift: ['a.ts', 2, -3] }], expected: ['a.ts:7-9 edit@1'] },
  { name: 'delete overlapping its top shrinks and moves it', steps: [{ edit: ['a.ts', 5, 10, 1] }, { shift: ['a.ts', 3, -4] }], expected: ['a.ts:3-6 edit@1'] },
  { name: 'delete inside shrinks it', steps: [{ edit: ['a.ts', 5, 10, 1] }, { shift: ['a.ts', 6, -2] }], expected: ['a.ts:5-8 edit@1'] },
  { name: 'delete overlapping its bottom shrinks it', steps: [{ edit: ['a.ts', 5, 10, 1] }, { shift: ['a.ts', 9, -5] }], expected: ['a.ts:5-8 edit@1'] },
  { name: 'delete of all its lines drops it', steps: [{ edit: ['a.ts', 5, 10, 1] }, { shift: ['a.ts', 4, -8] }], expected: [] },
  { name: 'other files are untouched', steps: [{ edit: ['a.ts', 10, 12, 1] }, { shift: ['b.ts', 1, 5] }], expected: ['a.ts:10-12 edit@1'] },
  { name: 'delete between two ranges brings them together', steps: [{ edit: ['a.ts', 1, 2, 1] }, { edit: ['a.ts', 6, 7, 2] }, { shift: ['a.ts', 3, -3] }], expected: ['a.ts:1-4 edit@2'] },
  { name: 'zero delta does nothing', steps: [{ edit: ['a.ts', 10, 12, 1] }, { shift: ['a.ts', 1, 0] }], expected: ['a.ts:10-12 edit@1'] },
];

const capAndTtlCases: Case[] = [
  {
    name: 'edit cap drops the oldest',
    options: { maxEdits: 2 },
    steps: [{ edit: ['a.ts', 1, 1, 1] }, { edit: ['a.ts', 10, 10, 2] }, { edit: ['a.ts', 20, 20, 3] }],
    expected: ['a.ts:20-20 edit@3', 'a.ts:10-10 edit@2'],
  },
  {
    name: 'view cap does not evict edits',
    options: { maxEdits: 2, maxViews: 1 },
    steps: [{ edit: ['a.ts', 1, 1, 1] }, { view: ['b.ts', 1, 9, 2] }, { view: ['c.ts', 1, 9, 3] }],
    expected: ['c.ts:1-9 view@3', 'a.ts:1-1 edit@1'],
  },
  {
    name: 'merging keeps the count under the cap',
    options: { maxEdits: 2 },
    steps: [{ edit: ['a.ts', 1, 1, 1] }, { edit: ['a.ts', 10, 10, 2] }, { edit: ['a.ts', 2, 2, 3] }],
    expected: ['a.ts:1-2 edit@3', 'a.ts:10-10 edit@2'],
  },
  {
    name: 'entries older than the TTL are gone',
    options: { ttlMs: 100 },
    now: 250,
    steps: [{ edit: ['a.ts', 1, 1, 100] }, { edit: ['b.ts', 1, 1, 150] }, { view: ['c.ts', 1, 1, 200] }],
    expected: ['c.ts:1-1 view@200', 'b.ts:1-1 edit@150'],
  },
  {
    name: 'a new record expires stale ones too',
    options: { ttlMs: 100 },
    now: 1000,
    steps: [{ edit: ['a.ts', 1, 1, 0] }, { edit: ['a.ts', 2, 2, 1000] }],
    expected: ['a.ts:2-2 edit@1000'],
  },
];

const renameCases: Case[] = [
  { name: 'rename moves the ranges', steps: [{ edit: ['a.ts', 1, 3, 1] }, { view: ['a.ts', 5, 9, 2] }, { rename: ['a.ts', 'b.ts'] }], expected: ['b.ts:5-9 view@2', 'b.ts:1-3 edit@1'] },
  { name: 'rename onto a file with ranges merges them', steps: [{ edit: ['a.ts', 1, 3, 1] }, { edit: ['b.ts', 3, 6, 2] }, { rename: ['a.ts', 'b.ts'] }], expected: ['b.ts:1-6 edit@2'] },
  { name: 'rename to itself changes nothing', steps: [{ edit: ['a.ts', 1, 3, 1] }, { rename: ['a.ts', 'a.ts'] }], expected: ['a.ts:1-3 edit@1'] },
  { name: 'remove forgets only that file', steps: [{ edit: ['a.ts', 1, 3, 1] }, { view: ['a.ts', 5, 9, 2] }, { edit: ['b.ts', 1, 1, 3] }, { remove: 'a.ts' }], expected: ['b.ts:1-1 edit@3'] },
];

describe('RecentRanges', () => {
  for (const [group, cases] of [
    ['merging', mergeCases],
    ['shifting lines', shiftCases],
    ['caps and TTL', capAndTtlCases],
    ['rename and remove', renameCases],
  ] as const) {
    describe(group, () => {
      for (const c of cases) {
        it(c.name, () => {
          const ranges = run(c.steps, c.options);
          assert.deepEqual(show(ranges.recent({ now: c.now ?? 10 })), c.expected);
        });
      }
    });
  }

  describe('queries', () => {
    const steps: Step[] = [{ edit: ['a.ts', 1, 1, 1] }, { view: ['b.ts', 1, 9, 2] }, { edit: ['c.ts', 4, 4, 3] }];
    const queryCases: { name: string; kinds?: ('edit' | 'view')[]; excludeFile?: string; limit?: number; expected: string[] }[] = [
      { name: 'everything, newest first', expected: ['c.ts:4-4 edit@3', 'b.ts:1-9 view@2', 'a.ts:1-1 edit@1'] },
      { name: 'only edits', kinds: ['edit'], expected: ['c.ts:4-4 edit@3', 'a.ts:1-1 edit@1'] },
      { name: 'leaving out the current file', excludeFile: 'c.ts', expected: ['b.ts:1-9 view@2', 'a.ts:1-1 edit@1'] },
      { name: 'limited', limit: 1, expected: ['c.ts:4-4 edit@3'] },
    ];
    for (const q of queryCases) {
      it(q.name, () => {
        const ranges = run(steps);
        const found = ranges.recent({ now: 10, kinds: q.kinds, excludeFile: q.excludeFile, limit: q.limit });
        assert.deepEqual(show(found), q.expected);
      });
    }

    it('returns copies the caller cannot use to corrupt the store', () => {
      const ranges = run(steps);
      const [first] = ranges.recent({ now: 10 });
      first!.startLine = 999;
      assert.equal(ranges.recent({ now: 10 })[0]!.startLine, 4);
    });
  });
});
