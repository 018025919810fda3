// FIM family detection from the control-token texts of a vocabulary.
import * as assert from 'node:assert/strict';
import { detectFimFamily } from '../../../src/workers/fimVocabulary';

describe('detectFimFamily', () => {
  const filler = ['a', 'b', 'def', '<|endoftext|>'];
  const cases: Array<{ name: string; vocab: string[]; metaPrefix: string | null; family: string | null }> = [
    { name: 'qwen', vocab: [...filler, '<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>'], metaPrefix: null, family: 'qwen' },
    { name: 'starcoder2', vocab: [...filler, '<fim_prefix>', '<fim_middle>', '<fim_suffix>'], metaPrefix: null, family: 'starcoder2' },
    {
      name: 'deepseek',
      vocab: [...filler, '<｜fim▁begin｜>', '<｜fim▁hole｜>', '<｜fim▁end｜>'],
      metaPrefix: null,
      family: 'deepseek',
    },
    { name: 'codellama with SentencePiece marks', vocab: [...filler, '▁<PRE>', '▁<SUF>', '▁<MID>'], metaPrefix: '▁<PRE>', family: 'codellama' },
    { name: 'codestral', vocab: [...filler, '[PREFIX]', '[SUFFIX]', '[MIDDLE]'], metaPrefix: null, family: 'codestral' },
    { name: 'no FIM tokens', vocab: filler, metaPrefix: null, family: null },
    { name: 'an incomplete set is not enough', vocab: [...filler, '<|fim_prefix|>', '<|fim_suffix|>'], metaPrefix: null, family: null },
    {
      name: 'metadata decides between two complete sets',
      vocab: [...filler, '<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<fim_prefix>', '<fim_suffix>', '<fim_middle>'],
      metaPrefix: '<fim_prefix>',
      family: 'starcoder2',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(detectFimFamily(c.vocab, c.metaPrefix).family, c.family);
    });
  }

  it('reports the token texts the prompt must use', () => {
    assert.deepEqual(detectFimFamily(['▁<PRE>', '▁<SUF>', '▁<MID>'], null).tokens, { prefix: '<PRE>', suffix: '<SUF>', middle: '<MID>' });
  });
});
