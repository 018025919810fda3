// The one table of FIM families: each row agrees with itself (the markers its prompts use are tokens
// its vocabulary has), and a served model's name, template or architecture names its family only
// when nothing contradicts it.
import * as assert from 'node:assert/strict';
import { FIM_FAMILIES, fimFamilyFromModelName, fimFamilyOfServedModel, fimFamilySpec } from '../../../src/core/models/fimFamilies';

describe('fimFamilies', () => {
  for (const family of FIM_FAMILIES) {
    it(`${family}: the prompt's markers are tokens of its vocabulary, and its rows are complete`, () => {
      const { template, vocabulary, ggufHints, architectures } = fimFamilySpec(family);
      assert.equal(template.family, family);
      assert.ok(vocabulary.prefix.includes(template.prefix.trim()), `prefix ${template.prefix}`);
      assert.ok(vocabulary.suffix.includes(template.suffix.trim()), `suffix ${template.suffix}`);
      if (template.middle !== '') assert.ok(vocabulary.middle.includes(template.middle.trim()), `middle ${template.middle}`);
      else assert.equal(vocabulary.middleRequired, false);
      if (template.repo) {
        assert.ok(vocabulary.repoName.includes(template.repo.repoName));
        assert.ok(vocabulary.fileSep.includes(template.repo.fileSep));
      }
      assert.ok(ggufHints.length > 0 && architectures.length > 0);
    });
  }

  it('no prefix marker contains another (a template mentioning one names one family)', () => {
    const markers = FIM_FAMILIES.map((f) => fimFamilySpec(f).template.prefix.trim());
    for (const a of markers) for (const b of markers) if (a !== b) assert.ok(!a.includes(b), `${a} contains ${b}`);
  });

  const names: Array<[string, string | undefined]> = [
    ['qwen2.5-coder:1.5b-base', 'qwen'],
    ['Qwen2.5-Coder-7B', 'qwen'],
    ['hf.co/bigcode/starcoder2-3b-GGUF', 'starcoder2'],
    ['deepseek-coder:6.7b-base', 'deepseek'],
    ['codellama:7b-code', 'codellama'],
    ['codestral:22b', 'codestral'],
    ['llama3.1:8b', undefined],
    ['team-coder', undefined],
  ];
  for (const [name, family] of names) {
    it(`names ${name} as ${family ?? 'no family'}`, () => assert.equal(fimFamilyFromModelName(name), family));
  }

  it('trusts a name or template only on an architecture the family is built on', () => {
    assert.equal(fimFamilyOfServedModel({ name: 'qwen2.5-coder:1.5b', architecture: 'qwen2' }), 'qwen');
    assert.equal(fimFamilyOfServedModel({ name: 'qwen2.5-coder:1.5b', architecture: 'gemma' }), undefined);
    assert.equal(fimFamilyOfServedModel({ name: 'mystery', template: '{{ .Prompt }}<fim_prefix>' }), 'starcoder2');
    assert.equal(fimFamilyOfServedModel({ name: 'mystery', architecture: 'starcoder2' }), 'starcoder2');
    assert.equal(fimFamilyOfServedModel({ name: 'mystery', architecture: 'llama' }), undefined);
  });
});
