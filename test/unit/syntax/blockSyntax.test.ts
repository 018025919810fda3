// What opens, closes and reopens a block, read from one line of text.
import * as assert from 'node:assert/strict';
import { endsOpen, isCloserOnly, opensBlock, reopensBlock, startsWithCloser } from '../../../src/core/syntax/blockSyntax';

describe('blockSyntax', () => {
  const opens: Array<[string, string, boolean]> = [
    ['if (x) {', 'typescript', true],
    ['const f = () =>', 'typescript', true],
    ['def f(x):', 'python', true],
    ['a ? b :', 'typescript', false],
    ['<ul class="nav">', 'html', true],
    ['<li>One</li>', 'html', false],
    ['<img src="a.png">', 'html', false],
    ['<Card title="x" />', 'typescriptreact', false],
    ['doc = """', 'python', true],
    ['s = """one line"""', 'python', false],
    ['const t = `', 'typescript', true],
    ['items.each do |x|', 'ruby', true],
    ['x = 1;', 'typescript', false],
  ];
  for (const [line, languageId, expected] of opens) {
    it(`opensBlock(${JSON.stringify(line)}, ${languageId}) is ${expected}`, () => {
      assert.equal(opensBlock(line, languageId), expected);
    });
  }

  it('closer lines, closer-only lines and reopening lines', () => {
    assert.ok(startsWithCloser('});'));
    assert.ok(startsWithCloser('</ul>'));
    assert.ok(startsWithCloser('end'));
    assert.ok(!startsWithCloser('endpoint()'));
    assert.ok(isCloserOnly('  });'));
    assert.ok(isCloserOnly('end'));
    assert.ok(!isCloserOnly('} else {'));
    assert.ok(!isCloserOnly('return;'));
    assert.ok(reopensBlock('} else {', 'typescript'));
    assert.ok(reopensBlock('} catch (e) {', 'typescript'));
    assert.ok(reopensBlock('elif x:', 'python'));
    assert.ok(!reopensBlock('}', 'typescript'));
  });

  it('lines that end open', () => {
    for (const line of ['a +', 'key:', 'x,', 'path \\', 'a &&']) assert.ok(endsOpen(line), line);
    for (const line of ['a;', 'f()', 'x = 1']) assert.ok(!endsOpen(line), line);
  });
});
