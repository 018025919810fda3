// Tests for the per-language text knowledge and the line helpers the stages share.
import * as assert from 'node:assert/strict';
import { commentLines, commentSyntax, isWordChar } from '../../../src/core/syntax/languageSyntax';
import {
  countLineBreaks,
  lineEndAt,
  lineStartAt,
  nextNonBlankLine,
  previousNonBlankLine,
  usesCrlf,
} from '../../../src/core/kernel/textLines';
import { withCursor } from '../../support/cursor';

describe('commentLines', () => {
  const table: [string, string, string][] = [
    ['typescript', 'a\nb\n', '// a\n// b\n'],
    ['python', 'x = 1\n\ny = 2', '# x = 1\n#\n# y = 2\n'],
    ['sql', 'select 1', '-- select 1\n'],
    ['html', '<p>x</p>', '<!-- <p>x</p> -->\n'],
    ['css', 'a { } /* c */', '/* a { } /* c * / */\n'],
    ['some-new-language', 'x', '// x\n'],
    ['typescript', 'a\r\nb\r\n', '// a\n// b\n'],
  ];
  for (const [languageId, text, expected] of table) {
    it(`${languageId}: ${JSON.stringify(text)}`, () => assert.equal(commentLines(text, commentSyntax(languageId)), expected));
  }
});

describe('isWordChar', () => {
  const table: [string | undefined, boolean][] = [
    ['a', true], ['Z', true], ['0', true], ['_', true], ['$', true], ['é', true], ['ж', true], ['😀', false],
    [' ', false], [')', false], [';', false], ['', false], [undefined, false],
  ];
  for (const [ch, expected] of table) it(`${JSON.stringify(ch)} -> ${expected}`, () => assert.equal(isWordChar(ch), expected));
});

describe('textLines', () => {
  it('finds the line around the cursor, without its CR', () => {
    const { text, offset } = withCursor('one\r\ntw█o\r\nthree');
    assert.equal(text.slice(lineStartAt(text, offset), lineEndAt(text, offset)), 'two');
  });

  it('finds the nearest non-blank lines around a line', () => {
    const { text, offset } = withCursor('first\n\n  \n█\n\nlast\n');
    const start = lineStartAt(text, offset);
    assert.equal(previousNonBlankLine(text, start), 'first');
    assert.equal(nextNonBlankLine(text, start + 1), 'last');
  });

  it('has no previous line on the first line, even when it is empty', () => {
    assert.equal(previousNonBlankLine('\nx', 0), undefined);
    assert.equal(previousNonBlankLine('\nx', 1), undefined);
  });

  it('counts line breaks before an offset', () => {
    assert.equal(countLineBreaks('a\nb\nc\nd', 4), 2);
    assert.equal(countLineBreaks('abc', 3), 0);
  });

  it('detects CRLF documents', () => {
    assert.equal(usesCrlf('a\r\nb'), true);
    assert.equal(usesCrlf('a\nb\r\n'), false);
    assert.equal(usesCrlf('single line'), false);
  });
});
