// How much code a task gathers for the room its model has: the preferred amounts shrink to fit a
// small local window, and a file too long to show whole is shown around the selection.
import * as assert from 'node:assert/strict';
import {
  fitToRoom,
  PROMPT_OVERHEAD_TOKENS,
  selectionFile,
  shownTokens,
} from '../../../src/core/chat/promptBudget';
import { estimateTokens } from '../../../src/core/kernel/tokenEstimate';

const lines = (n: number) => Array.from({ length: n }, (_, i) => `const value${i} = compute(${i}, "some text to make the line longer");`).join('\n');

describe('promptBudget', () => {
  const fits = [
    { preferred: 12_000, room: 195_904, expected: 12_000 },
    { preferred: 12_000, room: 3_072, expected: 3_072 - PROMPT_OVERHEAD_TOKENS },
    { preferred: 2_000, room: 500, expected: 0 },
    { preferred: 2_000, room: 0, expected: 0 },
  ];
  for (const f of fits) {
    it(`fitToRoom(${f.preferred}, ${f.room}) = ${f.expected}`, () => {
      assert.equal(fitToRoom(f.preferred, f.room), f.expected);
    });
  }

  it('a file that fits half the room is shown whole', () => {
    const text = lines(20);
    const file = selectionFile('src/a.ts', text, { path: 'src/a.ts', startLine: 5, endLine: 6, text: '' }, 195_904);
    assert.deepEqual(file, { path: 'src/a.ts', text });
    assert.equal(shownTokens(file), estimateTokens(text));
  });

  it('a file too long for a small window is shown around the selection, its whole text kept for matching', () => {
    const text = lines(2_000);
    const file = selectionFile('src/a.ts', text, { path: 'src/a.ts', startLine: 1000, endLine: 1010, text: '' }, 3_072);
    assert.equal(file.text, text);
    assert.deepEqual(file.range, { startLine: 940, endLine: 1070 });
    assert.ok(shownTokens(file) < estimateTokens(text) / 10, `${shownTokens(file)} tokens shown`);
  });

  it('a selection near the top does not start the shown range before line 1', () => {
    const file = selectionFile('src/a.ts', lines(2_000), { path: 'src/a.ts', startLine: 3, endLine: 4, text: '' }, 3_072);
    assert.deepEqual(file.range, { startLine: 1, endLine: 64 });
  });
});
