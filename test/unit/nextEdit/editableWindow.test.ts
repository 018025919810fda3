// The window a next-edit model rewrites: Sweep's 10 lines above the cursor, its line and 10 below,
// clipped at the file's edges; Zeta's region within its token budget, inside its context.
import * as assert from 'node:assert/strict';
import { editableWindowFor, sweepWindow, zetaContext, zetaWindow } from '../../../src/core/nextEdit/editableWindow';

const lines = Array.from({ length: 40 }, (_, i) => `line ${i}`);
const doc = lines.join('\n');
const at = (line: number, column = 2) => doc.split('\n').slice(0, line).join('\n').length + (line > 0 ? 1 : 0) + column;

describe('editableWindow', () => {
  it('Sweep: 21 lines, 10 above the cursor line and 10 below, the cursor as an offset into the window', () => {
    const w = sweepWindow(doc, at(20, 3));
    assert.equal(w.startLine, 10);
    assert.equal(w.endLine, 31);
    assert.equal(w.text, lines.slice(10, 31).join('\n'));
    assert.equal(w.text.slice(w.cursorOffset), lines.slice(20, 31).join('\n').slice(3));
  });

  it('Sweep: clipped at the top and at the bottom of the file', () => {
    const top = sweepWindow(doc, at(2));
    assert.deepEqual([top.startLine, top.endLine], [0, 13]);
    assert.equal(top.text, lines.slice(0, 13).join('\n'));
    const bottom = sweepWindow(doc, at(37));
    assert.deepEqual([bottom.startLine, bottom.endLine], [27, 40]);
    assert.equal(bottom.text, lines.slice(27).join('\n'));
    const tiny = sweepWindow('only', 4);
    assert.deepEqual(tiny, { startLine: 0, endLine: 1, text: 'only', cursorOffset: 4 });
    const empty = sweepWindow('', 0);
    assert.deepEqual(empty, { startLine: 0, endLine: 1, text: '', cursorOffset: 0 });
  });

  it('Sweep: the previous window stays while the cursor is 3 lines or more inside it, else it re-centres', () => {
    const previous = { startLine: 10, endLine: 31 };
    const kept = sweepWindow(doc, at(22, 1), previous);
    assert.deepEqual([kept.startLine, kept.endLine], [10, 31]);
    assert.equal(kept.text.slice(kept.cursorOffset), lines.slice(22, 31).join('\n').slice(1));
    for (const [line, range] of [[13, [10, 31]], [27, [10, 31]], [12, [2, 23]], [28, [18, 39]]] as const) {
      const w = sweepWindow(doc, at(line), previous);
      assert.deepEqual([w.startLine, w.endLine], range, `cursor on line ${line}`);
    }
    // A window that no longer fits the document, or is not a whole window, is not kept.
    assert.deepEqual([sweepWindow(lines.slice(0, 25).join('\n'), at(20), { startLine: 10, endLine: 31 }).startLine], [10]);
    assert.equal(sweepWindow(lines.slice(0, 25).join('\n'), at(20), { startLine: 10, endLine: 31 }).endLine, 25);
    assert.deepEqual([sweepWindow(doc, at(20), { startLine: 15, endLine: 20 }).startLine], [10]);
    // At the document's edges no margin is needed on that side.
    const bottom = sweepWindow(doc, at(39), { startLine: 19, endLine: 40 });
    assert.deepEqual([bottom.startLine, bottom.endLine], [19, 40]);
  });

  it('Sweep: a cursor at the very end of a file ending in a newline is on the last, empty line', () => {
    const w = sweepWindow('a\nb\n', 4);
    assert.deepEqual([w.startLine, w.endLine, w.text, w.cursorOffset], [0, 3, 'a\nb\n', 4]);
  });

  it('Zeta: whole lines around the cursor within the token budget, clipped to the file, and context around them', () => {
    const small = zetaWindow(doc, at(20), 20);
    assert.ok(small.startLine <= 20 && small.endLine > 20 && small.endLine - small.startLine < 10);
    assert.equal(small.text, lines.slice(small.startLine, small.endLine).join('\n'));
    const whole = zetaWindow(doc, at(1));
    assert.deepEqual([whole.startLine, whole.endLine], [0, 40], 'a short file fits in the region whole');
    const context = zetaContext(doc, small, 20);
    assert.ok(context.startLine < small.startLine && context.endLine > small.endLine);
    assert.deepEqual(editableWindowFor('zeta', doc, at(20)), zetaWindow(doc, at(20)));
    assert.deepEqual(editableWindowFor('sweep', doc, at(20)), sweepWindow(doc, at(20)));
  });
});
