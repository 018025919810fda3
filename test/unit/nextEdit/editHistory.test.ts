// The edit history next-edit prompts are built from: keystrokes coalesced by time and place into
// whole-line hunks, bounds, barred documents never recorded, records gone on close, and undo seen.
import * as assert from 'node:assert/strict';
import { EditHistory, lineHunk } from '../../../src/core/nextEdit/editHistory';

const always = () => true;

/** Types `typed` one character at a time at `offset` of `text`, `stepMs` apart from `at`; returns the end text. */
function type(history: EditHistory, path: string, text: string, offset: number, typed: string, at: number, stepMs = 100): string {
  for (let i = 0; i < typed.length; i++) {
    const next = text.slice(0, offset + i) + typed[i] + text.slice(offset + i);
    history.record(path, text, next, at + i * stepMs);
    text = next;
  }
  return text;
}

const doc = ['function area(w, h) {', '  return w * h;', '}', '', 'const a = area(1, 2);', 'const b = area(3, 4);', '', '', '', 'export { a, b };'].join('\n');

describe('EditHistory', () => {
  it('coalesces keystrokes on one line into one hunk of whole lines, before and after', () => {
    const history = new EditHistory(always);
    type(history, 'a.ts', doc, doc.indexOf(', h)') + 3, ', d', 0);
    assert.deepEqual(history.hunks().map(({ startLine, original, updated }) => ({ startLine, original, updated })), [
      { startLine: 0, original: 'function area(w, h) {', updated: 'function area(w, h, d) {' },
    ]);
  });

  it('keystrokes a few lines apart join the hunk being typed; far away or after a pause they start a new one', () => {
    const history = new EditHistory(always, { coalesceMs: 1000, coalesceLines: 3 });
    let text = type(history, 'a.ts', doc, doc.indexOf(', h)') + 3, ', d', 0);
    text = type(history, 'a.ts', text, text.indexOf('w * h') + 5, ' * d', 500);
    assert.equal(history.hunks().length, 1, 'two lines apart, within a second: one hunk');
    assert.equal(history.hunks()[0]!.updated, 'function area(w, h, d) {\n  return w * h * d;');
    text = type(history, 'a.ts', text, text.indexOf('export') , '// ', 1500);
    assert.equal(history.hunks().length, 2, 'eight lines below: a new hunk');
    type(history, 'a.ts', text, text.indexOf('export') + 3, 'x', 9000);
    assert.equal(history.hunks().length, 3, 'same place after a pause: a new hunk');
  });

  it('a pure insertion or deletion keeps a line above it, so every hunk says where it happened', () => {
    assert.deepEqual(lineHunk('a', 'x\ny', 'x\nnew\ny', 0), { path: 'a', startLine: 0, original: 'x', updated: 'x\nnew', at: 0 });
    assert.deepEqual(lineHunk('a', 'x\ny', 'y', 0), { path: 'a', startLine: 0, original: 'x\ny', updated: 'y', at: 0 });
    assert.equal(lineHunk('a', 'same', 'same', 0), undefined);
  });

  it('typing and then deleting it again leaves no hunk', () => {
    const history = new EditHistory(always);
    const text = type(history, 'a.ts', doc, 3, 'ab', 0);
    history.record('a.ts', text, text.slice(0, 4) + text.slice(5), 300);
    history.record('a.ts', text.slice(0, 4) + text.slice(5), doc, 400);
    assert.deepEqual(history.hunks(), []);
    assert.deepEqual(history.recentlyUndone('a.ts', 500), [], 'backspacing is not an undo');
  });

  it('keeps at most the bounded count and characters per document, dropping the oldest', () => {
    const history = new EditHistory(always, { maxHunksPerDocument: 3, maxCharsPerDocument: 1000, coalesceMs: 0 });
    let text = doc;
    for (let i = 0; i < 5; i++) text = type(history, 'a.ts', text, 0, String(i), i * 10_000);
    // Each digit typed at the start of line 0 after a pause is its own hunk: '0function', '10function', ...
    assert.deepEqual(history.hunksOf('a.ts').map((h) => h.updated.slice(0, 1)), ['2', '3', '4']);
    const small = new EditHistory(always, { maxCharsPerDocument: 60, coalesceMs: 0 });
    let t2 = doc;
    for (let i = 0; i < 4; i++) t2 = type(small, 'a.ts', t2, 0, String(i), i * 10_000);
    const hunks = small.hunksOf('a.ts');
    assert.ok(hunks.reduce((n, h) => n + h.original.length + h.updated.length, 0) <= 60);
    assert.equal(hunks.at(-1)!.updated.slice(0, 1), '3', 'the newest is kept');
    const huge = new EditHistory(always, { maxCharsPerDocument: 60 });
    huge.record('a.ts', doc, 'x'.repeat(100) + doc, 0);
    assert.deepEqual(huge.hunks(), [], 'a hunk larger than the bound is not kept');
  });

  it('keeps at most the bounded count over all documents', () => {
    const history = new EditHistory(always, { maxHunks: 2 });
    history.record('a.ts', 'a', 'b', 1);
    history.record('b.ts', 'a', 'b', 2);
    history.record('c.ts', 'a', 'b', 3);
    assert.deepEqual(history.hunks().map((h) => h.path), ['b.ts', 'c.ts']);
  });

  it('never records a document the rule bars, and forgets one when it becomes barred', () => {
    const barred = new Set(['.env']);
    const history = new EditHistory((path, text) => !barred.has(path) && !text.includes('SECRET='));
    history.record('.env', 'A=1', 'A=2', 0);
    history.recordViewed({ path: '.env', startLine: 0, endLine: 1, text: 'A=2', at: 0 });
    assert.deepEqual(history.hunks(), []);
    assert.deepEqual(history.viewed(), []);
    history.record('a.ts', 'x', 'y', 1);
    assert.equal(history.hunks().length, 1);
    history.record('a.ts', 'y', 'y\nSECRET=abc', 2);
    assert.deepEqual(history.hunks(), [], 'a secret typed into it bars the document and drops its records');
    // Deleting the secret again: the text before that change still holds it, so nothing is recorded.
    history.record('a.ts', 'y\nSECRET=abc', 'y', 3);
    assert.deepEqual(history.hunks(), [], 'the deleted secret would be the hunk’s original side');
    history.record('a.ts', 'y', 'z', 4);
    assert.deepEqual(history.hunks().map((h) => h.original), ['y'], 'a clean change after it is recorded again');
  });

  it('forgets a document when it closes: hunks, viewed ranges and undone edits', () => {
    const history = new EditHistory(always);
    history.record('a.ts', 'x', 'y', 0);
    history.record('b.ts', 'x', 'y', 0);
    history.recordViewed({ path: 'a.ts', startLine: 0, endLine: 1, text: 'y', at: 0 });
    history.record('a.ts', 'y', 'y\nz', 1);
    history.record('a.ts', 'y\nz', 'y', 2, 'undo');
    assert.equal(history.recentlyUndone('a.ts', 3).length, 1);
    history.close('a.ts');
    assert.deepEqual(history.hunks().map((h) => h.path), ['b.ts']);
    assert.deepEqual(history.viewed(), []);
    assert.deepEqual(history.recentlyUndone('a.ts', 3), []);
  });

  it('viewed ranges are bounded and a newer look at the same lines replaces the older', () => {
    const history = new EditHistory(always, { maxViewed: 2 });
    history.recordViewed({ path: 'a.ts', startLine: 0, endLine: 10, text: 'old', at: 0 });
    history.recordViewed({ path: 'a.ts', startLine: 5, endLine: 15, text: 'new', at: 1 });
    assert.deepEqual(history.viewed().map((v) => v.text), ['new']);
    history.recordViewed({ path: 'b.ts', startLine: 0, endLine: 1, text: 'b', at: 2 });
    history.recordViewed({ path: 'c.ts', startLine: 0, endLine: 1, text: 'c', at: 3 });
    assert.deepEqual(history.viewed().map((v) => v.text), ['b', 'c']);
  });

  it('an undo that restores the text before a hunk moves it from the history to recentlyUndone', () => {
    const history = new EditHistory(always, { undoneMs: 10_000 });
    const typed = type(history, 'a.ts', doc, doc.indexOf(', h)') + 3, ', d', 0);
    history.record('a.ts', typed, doc, 500);
    assert.deepEqual(history.hunks(), []);
    const undone = history.recentlyUndone('a.ts', 600);
    assert.deepEqual(undone.map(({ original, updated }) => ({ original, updated })), [
      { original: 'function area(w, h) {', updated: 'function area(w, h, d) {' },
    ]);
    assert.deepEqual(history.recentlyUndone('a.ts', 20_000), [], 'only for a while');
  });

  it('an older hunk reversed in place, or a change the editor calls an undo, counts as undone too', () => {
    const history = new EditHistory(always, { coalesceMs: 0 });
    const one = doc.replace('w * h', 'h * w');
    history.record('a.ts', doc, one, 0);
    const two = one.replace('const b', 'let b');
    history.record('a.ts', one, two, 5000);
    history.record('a.ts', two, two.replace('h * w', 'w * h'), 6000);
    assert.deepEqual(history.hunks().map((h) => h.updated), ['let b = area(3, 4);']);
    assert.deepEqual(history.recentlyUndone('a.ts', 6000).map((h) => h.updated), ['  return h * w;']);
    const other = new EditHistory(always);
    other.record('a.ts', 'x', 'y', 0, 'undo');
    assert.deepEqual(other.hunks(), [], 'an undo is never history of its own');
  });

  it('an undo that takes back part of a coalesced hunk counts what it took back as undone', () => {
    const history = new EditHistory(always, { undoneMs: 10_000 });
    const one = doc.replace('area(w, h)', 'area(w, h, d)');
    history.record('a.ts', doc, one, 0);
    // Within the coalescing time and lines: one hunk with the first.
    const two = one.replace('w * h', 'w * h * d');
    history.record('a.ts', one, two, 100);
    history.record('a.ts', two, one, 200, 'undo');
    assert.deepEqual(history.recentlyUndone('a.ts', 300).map(({ original, updated }) => ({ original, updated })), [
      { original: '  return w * h;', updated: '  return w * h * d;' },
    ]);
    // The hunk keeps only what is left of it: the document as it is after the undo.
    assert.deepEqual(history.hunks().map(({ original, updated }) => ({ original, updated })), [
      { original: 'function area(w, h) {', updated: 'function area(w, h, d) {' },
    ]);
  });
});
