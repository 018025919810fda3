// The extent rule decides, on the text generated so far, whether the suggestion is complete. Each
// case feeds the model's text one character at a time, as a stream would, and checks where it ends.
import * as assert from 'node:assert/strict';
import { extentEnd, generationCut } from '../../../src/core/syntax/completionExtent';
import type { ExtentRule } from '../../../src/core/kernel/completionTypes';

interface Case {
  name: string;
  linePrefix: string;
  shape?: ExtentRule['shape'];
  languageId?: string;
  written: string;
  /** The suggestion as the rule ends it; the whole text when the rule never ends it. */
  expected: string;
}

const cases: Case[] = [
  { name: 'a first line that finishes a statement ends at its line break', linePrefix: '  total = ', written: 'a + b;\n  next();\n', expected: 'a + b;' },
  { name: 'a first line that opens a block goes on to its closer', linePrefix: 'function f()', written: ' {\n  go();\n}\nf();\n', expected: ' {\n  go();\n}' },
  { name: 'an empty first line goes on through the block', linePrefix: '  a();', written: '\n  b();\n  c();\n}\nx();', expected: '\n  b();\n  c();\n}' },
  { name: 'a dedent that is not a closer ends the block before it', shape: 'block', languageId: 'python', linePrefix: '    ', written: 'x = 1\n    y = 2\nprint(x)', expected: 'x = 1\n    y = 2' },
  { name: 'a line ending open with a deeper next line is a body', linePrefix: 'def f(a', written: '):\n  return a\nf(1)', expected: '):\n  return a' },
  { name: 'a line ending open with a level next line ends at its break', linePrefix: 'x = a +', written: ' b\ny = 2\n', expected: ' b' },
  { name: 'a list item ending in a comma goes on to the end of the list', linePrefix: '  a: ', written: '1,\n  b: 2,\n};\nnext();', expected: '1,\n  b: 2,\n};' },
  { name: 'a line that closes and reopens is not part of the block', shape: 'block', linePrefix: '    ', written: 'read();\n  } catch (e) {\n    log(e);\n  }\n}\n', expected: 'read();' },
  { name: 'after an opener on the cursor line, a first line that finishes the statement is all', shape: 'block', linePrefix: '  }.bind(', written: 'this));\n    this.done = true;\n', expected: 'this));' },
  { name: 'a closing first line is all', shape: 'block', linePrefix: '    ', written: '};\n        more();\n', expected: '};' },
  { name: 'a line still inside an open docstring goes on', shape: 'block', languageId: 'python', linePrefix: '    doc = """', written: 'Sums.\n    Returns an int.\n    """\nx = 1\n', expected: 'Sums.\n    Returns an int.\n    """' },
  { name: 'in a block, a first line that does not open goes on with its siblings', shape: 'block', linePrefix: '  ', written: 'a();\n  b();\n}\n', expected: 'a();\n  b();\n}' },
  { name: 'a first line over the line budget ends there', linePrefix: 'x = ', written: 'y'.repeat(200), expected: 'y'.repeat(129) },
];

function streamed(c: Case): string {
  const rule: ExtentRule = {
    shape: c.shape ?? 'line-or-block',
    linePrefix: c.linePrefix,
    languageId: c.languageId ?? 'typescript',
    tabSize: 4,
    maxFirstLineChars: 128,
  };
  for (let n = 1; n <= c.written.length; n++) {
    const end = extentEnd(c.written.slice(0, n), rule);
    if (end !== undefined) return c.written.slice(0, end);
  }
  return c.written;
}

describe('extentEnd', () => {
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(streamed(c), c.expected);
    });
  }

  it('waits while the next line has no code yet', () => {
    const rule: ExtentRule = { shape: 'line-or-block', linePrefix: 'def f(a', languageId: 'typescript', tabSize: 4, maxFirstLineChars: 128 };
    assert.equal(extentEnd('):\n  ', rule), undefined);
    assert.equal(extentEnd('):\n  r', rule), undefined);
    assert.equal(extentEnd('):\nr', rule), 2);
  });
});

describe('generationCut', () => {
  const rule: ExtentRule = { shape: 'line-or-block', linePrefix: 'x = ', languageId: 'typescript', tabSize: 4, maxFirstLineChars: 128 };
  it('the earliest of a stop string and the extent rule', () => {
    assert.equal(generationCut('a;<|endoftext|>', ['<|endoftext|>'], rule), 2);
    assert.equal(generationCut('a;\nb;<|endoftext|>', ['<|endoftext|>'], rule), 2);
    assert.equal(generationCut('a;', ['<|endoftext|>'], rule), undefined);
  });
  it('stop strings alone without a rule, searched from where the caller says', () => {
    assert.equal(generationCut('ab\n\ncd', ['\n\n'], undefined), 2);
    assert.equal(generationCut('ab\n\ncd\n\n', ['\n\n'], undefined, 3), 6);
  });
});
