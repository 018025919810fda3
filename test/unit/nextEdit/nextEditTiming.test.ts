// Tests for when next-edit asks the model: after an accept at once, after an edit once it settles,
// never inside a word nor before a word's pause, on cursor moves only near recent edits and by
// eagerness; and the adaptive wait's x1.5 / x0.8 steps and its 50 ms .. 3 s bounds.
import * as assert from 'node:assert/strict';
import {
  AdaptiveWait,
  EAGERNESS_POLICIES,
  WORD_PAUSE_MS,
  decideNextEditTiming,
  type TimingDecision,
  type TimingSituation,
} from '../../../src/core/nextEdit/nextEditTiming';
import type { EditHunk } from '../../../src/core/nextEdit/nextEditTypes';

const CURSOR = '█';
const NOW = 1_000_000;
const edit = (inserted: string, deleted = 0) => ({ kind: 'edit' as const, inserted, deleted });
const hunk = (startLine: number, agoMs: number, path = 'a.ts'): EditHunk => ({
  path,
  startLine,
  original: 'let count = 0;',
  updated: 'let total = 0;',
  at: NOW - agoMs,
});

/** A situation on `line` whose text has the cursor marker where the cursor is. */
function situation(marked: string, overrides: Partial<TimingSituation> = {}): TimingSituation {
  return {
    trigger: edit('x'),
    eagerness: 'medium',
    waitMs: 600,
    path: 'a.ts',
    documentVersion: 7,
    line: 40,
    lineText: marked.replace(CURSOR, ''),
    column: marked.indexOf(CURSOR),
    selectionEmpty: true,
    suggestionShowing: false,
    recentEdits: [],
    now: NOW,
    ...overrides,
  };
}

describe('decideNextEditTiming', () => {
  const cases: Array<{ name: string; s: TimingSituation; expected: TimingDecision }> = [
    {
      name: 'after accepting a suggestion: at once, whatever the eagerness (prefetch the next)',
      s: situation('foo(█)', { trigger: { kind: 'accepted' }, eagerness: 'low', suggestionShowing: true }),
      expected: { ask: true, delayMs: 0, reason: 'after-accept' },
    },
    {
      name: 'an edit that ended a statement: after the adaptive wait',
      s: situation('  total += 1;█', { trigger: edit(';') }),
      expected: { ask: true, delayMs: 600, reason: 'edit-settled' },
    },
    {
      name: 'a new line: after the adaptive wait',
      s: situation('  █', { trigger: edit('\n  ') }),
      expected: { ask: true, delayMs: 600, reason: 'edit-settled' },
    },
    {
      name: 'a space after a word ends the word: after the adaptive wait',
      s: situation('let total █', { trigger: edit(' '), waitMs: 300 }),
      expected: { ask: true, delayMs: 300, reason: 'edit-settled' },
    },
    {
      name: 'typing a word at its end: not before the word pause',
      s: situation('function area(tot█) {', { trigger: edit('t'), waitMs: 300 }),
      expected: { ask: true, delayMs: WORD_PAUSE_MS, reason: 'word-paused' },
    },
    {
      name: 'erasing a word\'s last letter: not before the word pause either',
      s: situation('let coun█', { trigger: edit('', 1), waitMs: 50 }),
      expected: { ask: true, delayMs: WORD_PAUSE_MS, reason: 'word-paused' },
    },
    {
      name: 'a wait already longer than the word pause is kept',
      s: situation('let tot█', { trigger: edit('t'), waitMs: 1200 }),
      expected: { ask: true, delayMs: 1200, reason: 'word-paused' },
    },
    {
      name: 'a pasted identifier is not a keystroke: after the adaptive wait',
      s: situation('let totalCount█', { trigger: edit('totalCount') }),
      expected: { ask: true, delayMs: 600, reason: 'edit-settled' },
    },
    {
      name: 'typing a non-Latin identifier at its end: the word pause',
      s: situation('const 名█ = 1', { trigger: edit('名'), waitMs: 100 }),
      expected: { ask: true, delayMs: WORD_PAUSE_MS, reason: 'word-paused' },
    },
    {
      name: 'typing an astral letter (a surrogate pair) at a word\'s end: the word pause',
      s: situation('let 𝑥█', { trigger: edit('𝑥'), waitMs: 100 }),
      expected: { ask: true, delayMs: WORD_PAUSE_MS, reason: 'word-paused' },
    },
    {
      name: 'inside a word (letters on both sides): never',
      s: situation('let co█unt = 0;', { trigger: edit('o') }),
      expected: { ask: false, reason: 'inside-word' },
    },
    {
      name: 'inside a word after erasing: never',
      s: situation('let c█unt = 0;', { trigger: edit('', 1) }),
      expected: { ask: false, reason: 'inside-word' },
    },
    {
      name: 'while a suggestion is showing: never',
      s: situation('x;█', { trigger: edit(';'), suggestionShowing: true }),
      expected: { ask: false, reason: 'showing' },
    },
    {
      name: 'with a selection: never',
      s: situation('x;█', { trigger: edit(';'), selectionEmpty: false }),
      expected: { ask: false, reason: 'selection' },
    },
    {
      name: 'a cursor move near a recent edit (medium): after the wait',
      s: situation('  return count;█', { trigger: { kind: 'cursor-moved' }, recentEdits: [hunk(35, 60_000)] }),
      expected: { ask: true, delayMs: 600, reason: 'near-recent-edit' },
    },
    {
      name: 'a cursor move inside a multi-line hunk counts as near',
      s: situation('█', {
        trigger: { kind: 'cursor-moved' },
        line: 103,
        recentEdits: [{ ...hunk(100, 1000), updated: 'a\nb\nc\nd\ne' }],
      }),
      expected: { ask: true, delayMs: 600, reason: 'near-recent-edit' },
    },
    {
      name: 'a cursor move too far from the edit (medium, 11 lines): not asked',
      s: situation('█', { trigger: { kind: 'cursor-moved' }, recentEdits: [hunk(29, 1000)] }),
      expected: { ask: false, reason: 'not-near-edit' },
    },
    {
      name: 'the same distance is near at high eagerness',
      s: situation('█', { trigger: { kind: 'cursor-moved' }, eagerness: 'high', waitMs: 300, recentEdits: [hunk(29, 1000)] }),
      expected: { ask: true, delayMs: 300, reason: 'near-recent-edit' },
    },
    {
      name: 'a cursor move near an edit that is too old (medium, 3 minutes): not asked',
      s: situation('█', { trigger: { kind: 'cursor-moved' }, recentEdits: [hunk(40, 180_000)] }),
      expected: { ask: false, reason: 'not-near-edit' },
    },
    {
      name: 'a cursor move near an edit in another document: not asked',
      s: situation('█', { trigger: { kind: 'cursor-moved' }, recentEdits: [hunk(40, 1000, 'b.ts')] }),
      expected: { ask: false, reason: 'not-near-edit' },
    },
    {
      name: 'cursor moves never ask at low eagerness',
      s: situation('█', { trigger: { kind: 'cursor-moved' }, eagerness: 'low', recentEdits: [hunk(40, 1000)] }),
      expected: { ask: false, reason: 'eagerness' },
    },
    {
      name: 'a cursor resting where it was last asked, same version: not asked again',
      s: situation('█', {
        trigger: { kind: 'cursor-moved' },
        recentEdits: [hunk(40, 1000)],
        lastAsked: { path: 'a.ts', documentVersion: 7, line: 40 },
      }),
      expected: { ask: false, reason: 'already-asked' },
    },
    {
      name: 'the same place after a new version is asked again',
      s: situation('█', {
        trigger: { kind: 'cursor-moved' },
        recentEdits: [hunk(40, 1000)],
        lastAsked: { path: 'a.ts', documentVersion: 6, line: 40 },
      }),
      expected: { ask: true, delayMs: 600, reason: 'near-recent-edit' },
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(decideNextEditTiming(c.s), c.expected));
  }
});

describe('AdaptiveWait', () => {
  it('starts at the eagerness\'s base wait', () => {
    for (const eagerness of ['low', 'medium', 'high'] as const) {
      assert.equal(new AdaptiveWait(eagerness).waitMs, EAGERNESS_POLICIES[eagerness].baseWaitMs);
    }
  });

  it('grows x1.5 after a dismissal and shrinks x0.8 after an accept', () => {
    const wait = new AdaptiveWait('medium');
    wait.recordDismissed();
    assert.equal(wait.waitMs, 900);
    wait.recordAccepted();
    assert.equal(wait.waitMs, 720);
  });

  const bounds = [
    { eagerness: 'low' as const, many: 'dismissals', then: 'accept', bound: 3000, after: 2400 },
    { eagerness: 'high' as const, many: 'accepts', then: 'dismissal', bound: 50, after: 75 },
  ];
  for (const b of bounds) {
    it(`stops at ${b.bound} ms after many ${b.many}, and one ${b.then} moves it at once`, () => {
      const wait = new AdaptiveWait(b.eagerness);
      const toBound = b.many === 'accepts' ? () => wait.recordAccepted() : () => wait.recordDismissed();
      for (let i = 0; i < 50; i++) toBound();
      assert.equal(wait.waitMs, b.bound);
      if (b.then === 'accept') wait.recordAccepted();
      else wait.recordDismissed();
      assert.equal(wait.waitMs, b.after);
    });
  }

  it('a new eagerness keeps what was learned, scaled to its base', () => {
    const wait = new AdaptiveWait('medium');
    wait.recordDismissed();
    wait.setEagerness('high');
    assert.equal(wait.waitMs, 450);
  });

  it('takes other bounds', () => {
    const wait = new AdaptiveWait('medium', { minMs: 500, maxMs: 700 });
    wait.recordDismissed();
    assert.equal(wait.waitMs, 700);
  });
});
