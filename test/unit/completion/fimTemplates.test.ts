// Tests for the per-family FIM vocabulary.
import * as assert from 'node:assert/strict';
import { controlStrings, renderFim } from '../../../src/core/completion/fimTemplates';
import type { FimFamily } from '../../../src/core/kernel/completionTypes';
import { FIM_FAMILIES, fimTemplate } from '../../../src/core/models/fimFamilies';

interface Row {
  family: FimFamily;
  rendered: string;
  repo: boolean;
  suffixFirst: boolean;
  mustStop: string[];
}

const rows: Row[] = [
  {
    family: 'qwen',
    rendered: '<|fim_prefix|>P<|fim_suffix|>S<|fim_middle|>',
    repo: true,
    suffixFirst: false,
    mustStop: ['<|endoftext|>', '<|file_sep|>', '<|fim_pad|>', '<|repo_name|>', '<|im_end|>'],
  },
  {
    family: 'starcoder2',
    rendered: '<fim_prefix>P<fim_suffix>S<fim_middle>',
    repo: true,
    suffixFirst: false,
    mustStop: ['<|endoftext|>', '<file_sep>', '<repo_name>', '<fim_pad>'],
  },
  {
    family: 'deepseek',
    rendered: '<｜fim▁begin｜>P<｜fim▁hole｜>S<｜fim▁end｜>',
    repo: false,
    suffixFirst: false,
    mustStop: ['<｜end▁of▁sentence｜>', '<｜fim▁begin｜>'],
  },
  { family: 'codellama', rendered: '<PRE> P <SUF>S <MID>', repo: false, suffixFirst: false, mustStop: ['<EOT>'] },
  { family: 'codestral', rendered: '[SUFFIX]S[PREFIX]P', repo: false, suffixFirst: true, mustStop: ['[PREFIX]', '[SUFFIX]', '</s>'] },
];

describe('fimTemplates', () => {
  it('covers every family', () => {
    assert.deepEqual([...FIM_FAMILIES].sort(), rows.map((r) => r.family).sort());
  });

  for (const row of rows) {
    describe(row.family, () => {
      const t = fimTemplate(row.family);
      it('renders its native FIM order', () => assert.equal(renderFim(t, 'P', 'S'), row.rendered));
      it(`${row.repo ? 'has' : 'has no'} repo-level markers`, () => assert.equal(t.repo !== undefined, row.repo));
      it(`is ${row.suffixFirst ? '' : 'not '}suffix-first`, () => assert.equal(t.suffixFirst, row.suffixFirst));
      it('stops on its end tokens and markers', () => {
        for (const s of row.mustStop) assert.ok(t.stop.includes(s), `missing ${s}`);
      });
      it('leaks no empty or padded control strings', () => {
        for (const s of controlStrings(row.family)) assert.ok(s.length > 0 && s.trim() === s, JSON.stringify(s));
      });
    });
  }
});
