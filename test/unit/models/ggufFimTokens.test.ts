// FIM family detection from in-memory metadata: one row per family and variant, plus the rules
// for declared token ids, mixed vocabularies and vocabularies without FIM tokens.
import assert from 'node:assert/strict';
import type { FimFamily } from '../../../src/core/kernel/completionTypes';
import { fimTokensFromGguf } from '../../../src/core/models/ggufFimTokens';
import type { GgufValue } from '../../../src/core/models/ggufValues';
import { gv } from '../../support/gguf/ggufWriter';

const filler = ['<unk>', '<s>', '</s>', 'Ġa', 'Ġb', 'Ċ'];

function meta(tokens: string[], extra: Record<string, GgufValue> = {}, architecture = 'llama', name?: string) {
  const m = new Map<string, GgufValue>([
    ['general.architecture', gv.str(architecture)],
    ['tokenizer.ggml.tokens', gv.strings([...filler, ...tokens])],
  ]);
  if (name !== undefined) m.set('general.name', gv.str(name));
  for (const [k, v] of Object.entries(extra)) m.set(k, v);
  return m;
}

/** Id of `text` in a vocabulary built by meta(). */
const id = (tokens: string[], text: string): number => filler.length + tokens.indexOf(text);

const qwen = ['<|fim_prefix|>', '<|fim_middle|>', '<|fim_suffix|>', '<|fim_pad|>', '<|repo_name|>', '<|file_sep|>'];
const starcoder = ['<fim_prefix>', '<fim_middle>', '<fim_suffix>', '<fim_pad>', '<repo_name>', '<file_sep>'];
const deepseek = ['<\uff5cfim\u2581begin\uff5c>', '<\uff5cfim\u2581hole\uff5c>', '<\uff5cfim\u2581end\uff5c>'];
const codellamaSp = ['\u2581<PRE>', '\u2581<SUF>', '\u2581<MID>', '\u2581<EOT>'];
const codellamaPlain = ['<PRE>', '<SUF>', '<MID>', '<EOT>'];

describe('fimTokensFromGguf', () => {
  const rows: {
    name: string;
    tokens: string[];
    family: FimFamily;
    prefix: string;
    suffix: string;
    middle: string | undefined;
    pad?: string;
    repo?: [string, string];
  }[] = [
    { name: 'Qwen2.5-Coder', tokens: qwen, family: 'qwen', prefix: qwen[0]!, suffix: qwen[2]!, middle: qwen[1]!, pad: qwen[3]!, repo: [qwen[4]!, qwen[5]!] },
    {
      name: 'StarCoder2',
      tokens: starcoder,
      family: 'starcoder2',
      prefix: starcoder[0]!,
      suffix: starcoder[2]!,
      middle: starcoder[1]!,
      pad: starcoder[3]!,
      repo: [starcoder[4]!, starcoder[5]!],
    },
    // DeepSeek's PSM roles: begin = prefix, hole = where the suffix starts, end = middle.
    { name: 'DeepSeek-Coder (fullwidth bars, ▁)', tokens: deepseek, family: 'deepseek', prefix: deepseek[0]!, suffix: deepseek[1]!, middle: deepseek[2]! },
    { name: 'CodeLlama (▁<PRE>)', tokens: codellamaSp, family: 'codellama', prefix: codellamaSp[0]!, suffix: codellamaSp[1]!, middle: codellamaSp[2]! },
    { name: 'CodeLlama (<PRE>)', tokens: codellamaPlain, family: 'codellama', prefix: '<PRE>', suffix: '<SUF>', middle: '<MID>' },
    { name: 'Codestral (no [MIDDLE])', tokens: ['[SUFFIX]', '[PREFIX]'], family: 'codestral', prefix: '[PREFIX]', suffix: '[SUFFIX]', middle: undefined },
    {
      name: 'Codestral with [MIDDLE]',
      tokens: ['[PREFIX]', '[MIDDLE]', '[SUFFIX]'],
      family: 'codestral',
      prefix: '[PREFIX]',
      suffix: '[SUFFIX]',
      middle: '[MIDDLE]',
    },
  ];

  for (const r of rows) {
    it(`finds ${r.name}`, () => {
      const d = fimTokensFromGguf(meta(r.tokens));
      assert.ok(d);
      assert.equal(d.family, r.family);
      assert.deepEqual(d.prefix, { text: r.prefix, id: id(r.tokens, r.prefix) });
      assert.deepEqual(d.suffix, { text: r.suffix, id: id(r.tokens, r.suffix) });
      assert.deepEqual(d.middle, r.middle === undefined ? undefined : { text: r.middle, id: id(r.tokens, r.middle) });
      assert.deepEqual(d.pad, r.pad === undefined ? undefined : { text: r.pad, id: id(r.tokens, r.pad) });
      assert.deepEqual(d.repoName?.text, r.repo?.[0]);
      assert.deepEqual(d.fileSep?.text, r.repo?.[1]);
      assert.equal(d.repoLevel, r.repo !== undefined);
    });
  }

  const none: [string, string[]][] = [
    ['a vocabulary without FIM tokens', ['<|im_start|>', '<|im_end|>', '<|endoftext|>']],
    ['a prefix token without a suffix token', ['<|fim_prefix|>', '<|fim_middle|>']],
    ['prefix and suffix but no middle (a family that needs one)', ['<fim_prefix>', '<fim_suffix>']],
    ['lookalike texts', ['<|fim_prefix|> ', 'fim_prefix', '<FIM_PREFIX>', '<|fim suffix|>', '<|fim_middle|>']],
    ['an empty vocabulary', []],
  ];
  for (const [name, tokens] of none) {
    it(`returns null for ${name}`, () => {
      assert.equal(fimTokensFromGguf(meta(tokens)), null);
    });
  }

  it('uses the repo tokens only when both exist', () => {
    const d = fimTokensFromGguf(meta(qwen.slice(0, 5)));
    assert.equal(d?.repoName?.text, '<|repo_name|>');
    assert.equal(d?.fileSep, undefined);
    assert.equal(d?.repoLevel, false);
  });

  it('prefers the ids the converter declared over the first occurrence of a text', () => {
    const tokens = ['<fim_prefix>', '<fim_middle>', '<fim_suffix>', 'x', '<fim_prefix>'];
    const d = fimTokensFromGguf(meta(tokens, { 'tokenizer.ggml.fim_pre_token_id': gv.u32(filler.length + 4) }));
    assert.deepEqual(d?.prefix, { text: '<fim_prefix>', id: filler.length + 4 });
  });

  it('ignores a declared id that is out of range or -1', () => {
    for (const bad of [gv.i32(-1), gv.u32(99_999)]) {
      const d = fimTokensFromGguf(meta(qwen, { 'tokenizer.ggml.fim_pre_token_id': bad }));
      assert.deepEqual(d?.prefix, { text: '<|fim_prefix|>', id: id(qwen, '<|fim_prefix|>') });
    }
  });

  describe('with more than one family in the vocabulary', () => {
    const both = [...qwen, ...starcoder];
    const cases: [string, Map<string, GgufValue>, FimFamily][] = [
      ['declared prefix id wins over the name', meta(both, { 'tokenizer.ggml.fim_pre_token_id': gv.u32(id(both, '<fim_prefix>')) }, 'qwen2', 'Qwen2.5-Coder'), 'starcoder2'],
      ['declared prefix id (legacy key) wins', meta(both, { 'tokenizer.ggml.prefix_token_id': gv.u32(id(both, '<|fim_prefix|>')) }, 'starcoder2'), 'qwen'],
      ['general.name breaks the tie', meta(both, {}, 'llama', 'StarCoder2 15B'), 'starcoder2'],
      ['the architecture breaks the tie without a name', meta(both, {}, 'starcoder2'), 'starcoder2'],
      ['otherwise the first family in the table', meta(both, {}, 'llama'), 'qwen'],
    ];
    for (const [name, m, family] of cases) {
      it(name, () => {
        assert.equal(fimTokensFromGguf(m)?.family, family);
      });
    }
  });

  it('trusts declared ids with unknown texts only when the name names a family', () => {
    const tokens = ['<|code_prefix|>', '<|code_suffix|>', '<|code_middle|>'];
    const ids = {
      'tokenizer.ggml.fim_pre_token_id': gv.u32(id(tokens, '<|code_prefix|>')),
      'tokenizer.ggml.fim_suf_token_id': gv.u32(id(tokens, '<|code_suffix|>')),
      'tokenizer.ggml.fim_mid_token_id': gv.u32(id(tokens, '<|code_middle|>')),
    };
    assert.equal(fimTokensFromGguf(meta(tokens, ids, 'glm4', 'GLM 4.5')), null);
    const d = fimTokensFromGguf(meta(tokens, ids, 'qwen2', 'Some Qwen fine-tune'));
    assert.equal(d?.family, 'qwen');
    assert.deepEqual(d?.prefix, { text: '<|code_prefix|>', id: id(tokens, '<|code_prefix|>') });
    assert.deepEqual(d?.middle, { text: '<|code_middle|>', id: id(tokens, '<|code_middle|>') });
  });

  it('finds the FIM tokens in a 151,936-token vocabulary', () => {
    const tokens = Array.from({ length: 151_936 }, (_, i) => `<t${i}>`);
    tokens[151_659] = '<|fim_prefix|>';
    tokens[151_660] = '<|fim_middle|>';
    tokens[151_661] = '<|fim_suffix|>';
    const m = new Map<string, GgufValue>([['tokenizer.ggml.tokens', gv.strings(tokens)]]);
    const d = fimTokensFromGguf(m);
    assert.equal(d?.prefix.id, 151_659);
  });
});
