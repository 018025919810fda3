// The quality benchmark's oracle replay: the block a suggestion should fill, the junk the oracle
// adds, and a replay over a small file scoring Bantam against the raw output.
import * as assert from 'node:assert/strict';
import { blockChars, oracleOutput, replayOracle } from '../../../bench/oracleReplay';
import { SeededRandom } from '../../../bench/seededRandom';
import { generateTrace } from '../../../bench/traceGenerator';

describe('oracle replay (bench:quality)', () => {
  it('the missing text up to the end of its block', () => {
    // Mid-line: the rest of the line.
    assert.equal(blockChars('b);\n  next();', '  call(a, ', 'typescript'), 'b);'.length);
    // A line that opens a block: its body and closing line.
    assert.equal(blockChars(' {\n  go();\n}\nafter();', 'if (x)', 'typescript'), ' {\n  go();\n}'.length);
    // At the end of a line: the next lines of the same block, then its closer.
    assert.equal(blockChars('\n  b();\n  c();\n}\nd();', '  a();', 'typescript'), '\n  b();\n  c();\n}'.length);
    // Never past a blank line.
    assert.equal(blockChars('\n  b();\n\n  c();', '  a();', 'typescript'), '\n  b();'.length);
  });

  it('junk follows the missing text', () => {
    const rng = new SeededRandom(1);
    const original = 'function f() {\n  a();\n  b();\n}\n\nfunction g() {\n  c();\n}\n';
    assert.equal(oracleOutput('clean', 'a();', '\n  b();\n}', original, '  ', 'typescript', rng), 'a();');
    assert.ok(oracleOutput('repeat-suffix', 'a();', '\n  b();\n}', original, '  ', 'typescript', rng).startsWith('a();\n  b();'));
    assert.equal(oracleOutput('missing-closer', 'f(a);', '\n', original, '  ', 'typescript', rng), 'f(a;');
    assert.match(oracleOutput('rambling', 'a();', '\n  b();\n}\n', original, '  ', 'typescript', rng), /^a\(\);\n  b\(\);\n}\n\n?function/);
  });

  it('replays a trace and scores every pause with text missing', async () => {
    const lines = Array.from({ length: 40 }, (_, i) => `  const value${i} = compute(${i}, 'item ${i}');`);
    const text = `function build() {\n${lines.join('\n')}\n  return value0;\n}\n`;
    const trace = generateTrace({ name: 'build.ts', relativePath: 'src/build.ts', languageId: 'typescript', text }, 3, {
      budgetMs: 20_000,
      maxEditPoints: 2,
      maxSpanChars: 160,
    });
    const result = await replayOracle(trace, 3);
    assert.ok(result.samples.length > 0, 'some pauses had text missing');
    for (const s of result.samples) {
      assert.ok(s.blockChars > 0);
      for (const score of Object.values(s.scores)) {
        assert.ok(score.useful <= s.blockChars && score.junk <= score.shownChars, JSON.stringify(score));
      }
      assert.equal(s.scores.raw.shown, true, 'the raw output is always shown');
    }
  });
});
