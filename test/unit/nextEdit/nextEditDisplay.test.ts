// How a next-edit suggestion is shown: an insertion at the cursor as ghost text (with the rest of the
// line it is spread over), anything else as decorations with a jump target, a marker and where the
// cursor lands after applying; edits that don't fit the text show nothing.
import * as assert from 'node:assert/strict';
import {
  applyEdits,
  editedLines,
  editsFit,
  insertionLabel,
  markerText,
  planDecorations,
  planDisplay,
  type DecorationsDisplay,
} from '../../../src/core/nextEdit/nextEditDisplay';
import type { SuggestedEdit } from '../../../src/core/nextEdit/nextEditTypes';
import { withCursor } from '../../support/cursor';

/** An edit replacing the first `old` found in `text` (at or after `from`) with `newText`. */
function replace(text: string, old: string, newText: string, from = 0): SuggestedEdit {
  const start = text.indexOf(old, from);
  assert.ok(start >= 0, `${old} not in text`);
  return { startOffset: start, endOffset: start + old.length, newText };
}

function insertAt(offset: number, newText: string): SuggestedEdit {
  return { startOffset: offset, endOffset: offset, newText };
}

const RENAMED = withCursor(
  ['export function scale(ratio█: number, values: number[]): number[] {', '  const out: number[] = [];', '  for (const v of values) out.push(v * factor);', '  return out;', '}', ''].join('\n'),
);

describe('nextEditDisplay', () => {
  describe('ghost text at the cursor', () => {
    it('a pure insertion at the cursor is ghost text with an empty range', () => {
      const { text, offset } = withCursor('const total = add(1, 2█);\n');
      const display = planDisplay(text, offset, [insertAt(offset, ', 3')]);
      assert.deepEqual(display, { kind: 'ghost', startOffset: offset, endOffset: offset, text: ', 3' });
    });

    it('insertions spread over the rest of the line become one item covering it, the line’s own text kept', () => {
      const { text, offset } = withCursor('if (ready█ {\n');
      const close = text.indexOf(' {');
      const display = planDisplay(text, offset, [insertAt(offset, ' && open'), insertAt(close, ')')]);
      assert.deepEqual(display, { kind: 'ghost', startOffset: offset, endOffset: close, text: ' && open)' });
      assert.equal(applyEdits(text, [{ startOffset: offset, endOffset: close, newText: ' && open)' }]), 'if (ready && open) {\n');
    });

    it('a multi-line insertion at the cursor is ghost text too', () => {
      const { text, offset } = withCursor('function f() {█\n}\n');
      const display = planDisplay(text, offset, [insertAt(offset, '\n  return 1;')]);
      assert.equal(display?.kind, 'ghost');
    });

    it('an insertion at the cursor plus an edit on another line is drawn as decorations', () => {
      const { text, offset } = withCursor('a(█);\nb();\n');
      const display = planDisplay(text, offset, [insertAt(offset, 'x'), insertAt(text.indexOf('b(') + 2, 'x')]);
      assert.equal(display?.kind, 'decorations');
    });

    it('a replacement at the cursor is not ghost text', () => {
      const { text, offset } = withCursor('let █value = 1;\n');
      assert.equal(planDisplay(text, offset, [replace(text, 'value', 'count')])?.kind, 'decorations');
    });
  });

  describe('decorations elsewhere', () => {
    it('a renamed use two lines below: strike it, show the new name after it, jump down to it', () => {
      const { text, offset } = RENAMED;
      const edit = replace(text, 'factor', 'ratio');
      const display = planDisplay(text, offset, [edit]) as DecorationsDisplay;
      assert.equal(display.kind, 'decorations');
      assert.deepEqual(display.deletions, [{ startOffset: edit.startOffset, endOffset: edit.endOffset }]);
      assert.deepEqual(display.insertions, [{ offset: edit.endOffset, text: 'ratio', label: 'ratio' }]);
      assert.equal(display.jumpOffset, edit.startOffset);
      assert.equal(display.needsJump, true);
      assert.equal(display.direction, 'below');
      assert.equal(markerText(display), 'Tab to jump ↓');
      assert.equal(display.offsetAfterApply, edit.startOffset + 'ratio'.length);
    });

    it('after the jump the same edits say "Tab to accept"', () => {
      const { text } = RENAMED;
      const edit = replace(text, 'factor', 'ratio');
      const display = planDecorations(text, edit.startOffset, [edit]);
      assert.equal(display.needsJump, false);
      assert.equal(display.direction, 'here');
      assert.equal(markerText(display), 'Tab to accept');
    });

    it('an edit above the cursor is jumped up to', () => {
      const { text, offset } = withCursor('let a = 1;\nlet b = 2;\nlet c = a█;\n');
      const display = planDisplay(text, offset, [replace(text, '1', '10')]) as DecorationsDisplay;
      assert.equal(display.direction, 'above');
      assert.equal(markerText(display), 'Tab to jump ↑');
    });

    it('jumps to the edit nearest the cursor, and lands after applying at its end, shifted by the edits before it', () => {
      const { text, offset } = withCursor(['a = 1', 'b = 2', 'c = 3', 'd = 4█', 'e = 5', ''].join('\n'));
      const far = replace(text, 'a', 'alpha');
      const near = replace(text, 'e', 'echo');
      const display = planDisplay(text, offset, [far, near]) as DecorationsDisplay;
      assert.equal(display.jumpOffset, near.startOffset);
      const after = applyEdits(text, [far, near]);
      assert.equal(after.slice(0, display.offsetAfterApply).endsWith('echo'), true);
    });

    it('a pure deletion has no after-text; a pure insertion elsewhere no strike-through', () => {
      const { text, offset } = withCursor('█x\nfoo(a, b);\n');
      const deletion = replace(text, ', b', '');
      const insertion = insertAt(text.indexOf(');'), ', c');
      const display = planDisplay(text, offset, [deletion]) as DecorationsDisplay;
      assert.equal(display.insertions.length, 0);
      assert.equal(display.deletions.length, 1);
      const shown = planDisplay(text, offset, [insertion]) as DecorationsDisplay;
      assert.equal(shown.deletions.length, 0);
      assert.deepEqual(shown.insertions.map((i) => i.text), [', c']);
    });
  });

  describe('edits that do not fit show nothing', () => {
    const text = 'abc\ndef\n';
    for (const [what, edits] of [
      ['none', []],
      ['out of order', [insertAt(5, 'x'), insertAt(1, 'y')]],
      ['overlapping', [{ startOffset: 0, endOffset: 3, newText: 'x' }, { startOffset: 2, endOffset: 5, newText: 'y' }]],
      ['past the end', [{ startOffset: 7, endOffset: 20, newText: '' }]],
      ['backwards', [{ startOffset: 3, endOffset: 1, newText: '' }]],
      ['changing nothing', [{ startOffset: 0, endOffset: 3, newText: 'abc' }]],
    ] as Array<[string, SuggestedEdit[]]>) {
      it(what, () => {
        assert.equal(editsFit(text, edits), false);
        assert.equal(planDisplay(text, 0, edits), undefined);
      });
    }
  });

  it('inserted text as after-text: one line, cut when long', () => {
    assert.equal(insertionLabel('\n  this.size = size;'), ' ⏎   this.size = size;');
    const long = insertionLabel('x'.repeat(200));
    assert.equal(long.length, 60);
    assert.ok(long.endsWith('…'));
  });

  it('the hover diff holds the whole lines the edits touch, before and after', () => {
    const { text } = RENAMED;
    const { before, after } = editedLines(text, [replace(text, 'factor', 'ratio')]);
    assert.equal(before, '  for (const v of values) out.push(v * factor);');
    assert.equal(after, '  for (const v of values) out.push(v * ratio);');
  });
});
