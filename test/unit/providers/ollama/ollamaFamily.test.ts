// Family detection from /api/show answers: which models get Bantam's raw prompt, and which are
// left to Ollama's own template because a wrong guess would feed the model noise.

import * as assert from 'node:assert/strict';
import type { FimFamily } from '../../../../src/core/kernel/completionTypes';
import { fimFamilyOfServedModel } from '../../../../src/core/models/fimFamilies';
import { factsFromShow } from '../../../../src/core/providers/ollama/ollamaFamily';
import { FAKE_MODELS, fakeShowResponse, type FakeOllamaModel } from '../../../support/fakeOllamaServer';

describe('fimFamilyOfServedModel (from an Ollama /api/show answer)', () => {
  const table: Array<[label: string, model: FakeOllamaModel, expected: FimFamily | undefined]> = [
    ['Qwen2.5-Coder by its template', FAKE_MODELS.qwenCoder, 'qwen'],
    ['StarCoder2 by its template', FAKE_MODELS.starcoder2, 'starcoder2'],
    ['DeepSeek-Coder-V2 by its template', FAKE_MODELS.deepseekCoder, 'deepseek'],
    ['Code Llama by <PRE>', FAKE_MODELS.codellama, 'codellama'],
    ['Codestral by [SUFFIX]', FAKE_MODELS.codestral, 'codestral'],
    ['CodeGemma: Qwen-style markers on a gemma model stay unknown', FAKE_MODELS.codegemma, undefined],
    ['a chat model without FIM', FAKE_MODELS.llamaChat, undefined],
    [
      'Qwen2.5-Coder by name when the template has no markers',
      { name: 'qwen2.5-coder:7b', architecture: 'qwen2', template: '{{ .Prompt }}' },
      'qwen',
    ],
    [
      'a Hugging Face Qwen coder GGUF by name',
      { name: 'hf.co/bartowski/Qwen2.5-Coder-1.5B-GGUF:Q4_K_M', architecture: 'qwen2', template: '{{ .Prompt }}' },
      'qwen',
    ],
    [
      'plain Qwen2.5 (not a coder) stays unknown',
      { name: 'qwen2.5:7b', architecture: 'qwen2', template: '{{ .Prompt }}' },
      undefined,
    ],
    [
      'a coder name on the wrong architecture is not trusted',
      { name: 'my-qwen2.5-coder-remix', architecture: 'llama', template: '{{ .Prompt }}' },
      undefined,
    ],
    [
      'StarCoder2 by architecture alone',
      { name: 'custom-completer', architecture: 'starcoder2', template: '{{ .Prompt }}' },
      'starcoder2',
    ],
    [
      'deepseek-coder v1 (llama architecture) by name',
      { name: 'deepseek-coder:1.3b-base', architecture: 'llama', template: '{{ .Prompt }}' },
      'deepseek',
    ],
    [
      'codellama by name',
      { name: 'codellama:7b-code', architecture: 'llama', template: '{{ .Prompt }}' },
      'codellama',
    ],
  ];

  for (const [label, model, expected] of table) {
    it(`${label} -> ${expected ?? 'unknown'}`, () => {
      assert.equal(fimFamilyOfServedModel(factsFromShow(model.name, fakeShowResponse(model))), expected);
    });
  }

  it('uses details.family when model_info is missing (older servers)', () => {
    const show = { template: '<|fim_prefix|>{{ .Prompt }}', details: { family: 'qwen2' } };
    assert.equal(fimFamilyOfServedModel(factsFromShow('anything', show)), 'qwen');
    assert.equal(fimFamilyOfServedModel(factsFromShow('anything', { ...show, details: { family: 'gemma' } })), undefined);
  });

  it('falls back to the name when the answer has no usable shape', () => {
    assert.equal(fimFamilyOfServedModel(factsFromShow('qwen2.5-coder:1.5b-base', {})), 'qwen');
    assert.equal(fimFamilyOfServedModel(factsFromShow('mystery', null)), undefined);
    assert.equal(fimFamilyOfServedModel(factsFromShow('mystery', 'not an object')), undefined);
  });
});

describe('factsFromShow', () => {
  it('reads architecture, template and capabilities', () => {
    const facts = factsFromShow('codegemma:2b', fakeShowResponse(FAKE_MODELS.codegemma));
    assert.equal(facts.architecture, 'gemma');
    assert.match(facts.template ?? '', /<\|fim_prefix\|>/);
    assert.deepEqual(facts.capabilities, ['completion', 'insert']);
  });

  it('leaves capabilities undefined when the server does not report them', () => {
    assert.equal(factsFromShow('x', { template: '' }).capabilities, undefined);
  });
});
