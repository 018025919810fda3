import * as assert from 'node:assert/strict';
import { splitLines } from '../../../src/core/kernel/textLines';

describe('splitLines', () => {
  const cases: [string, string[]][] = [
    ['', ['']],
    ['a', ['a']],
    ['a\n', ['a', '']],
    ['a\r\nb\r\n', ['a', 'b', '']],
    ['a\nb\r\nc', ['a', 'b', 'c']],
    ['a\rb\n', ['a\rb', '']],
    ['\r\n\r\n', ['', '', '']],
    ['a\r', ['a\r']],
  ];
  for (const [text, lines] of cases) {
    it(`${JSON.stringify(text)} -> ${JSON.stringify(lines)}, as the editor numbers lines`, () => {
      assert.deepEqual(splitLines(text), lines);
      assert.deepEqual(splitLines(text), text.split(/\r?\n/));
    });
  }
});
