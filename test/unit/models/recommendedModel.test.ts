// Which model Bantam recommends for a machine: size follows RAM, capped by CPU cores.
import * as assert from 'node:assert/strict';
import { isModelUri, RECOMMENDED_MODELS, recommendModel } from '../../../src/core/models/recommendedModel';

const GiB = 1024 ** 3;

describe('recommendModel', () => {
  const cases: Array<{ ramGiB: number; cores: number; size: keyof typeof RECOMMENDED_MODELS }> = [
    { ramGiB: 4, cores: 2, size: '0.5b' },
    { ramGiB: 8, cores: 2, size: '0.5b' },
    { ramGiB: 64, cores: 2, size: '0.5b' }, // plenty of RAM, but 2 cores make a bigger model slow
    { ramGiB: 16, cores: 4, size: '0.5b' },
    { ramGiB: 16, cores: 5, size: '0.5b' },
    { ramGiB: 11.99, cores: 16, size: '0.5b' }, // plenty of cores, too little RAM
    { ramGiB: 12, cores: 6, size: '1.5b' }, // both thresholds exactly
    { ramGiB: 16, cores: 8, size: '1.5b' },
    { ramGiB: 31.99, cores: 16, size: '1.5b' },
    { ramGiB: 32, cores: 11, size: '1.5b' },
    { ramGiB: 32, cores: 12, size: '3b' },
    { ramGiB: 128, cores: 64, size: '3b' },
  ];
  for (const c of cases) {
    it(`${c.ramGiB} GiB, ${c.cores} cores -> ${c.size}`, () => {
      assert.equal(recommendModel(c.ramGiB * GiB, c.cores), RECOMMENDED_MODELS[c.size]);
    });
  }

  it('one byte under 12 GiB is under the threshold', () => {
    assert.equal(recommendModel(12 * GiB - 1, 8), RECOMMENDED_MODELS['0.5b']);
  });

  for (const [size, model] of Object.entries(RECOMMENDED_MODELS)) {
    it(`${size}: an hf: URI of a base Qwen2.5-Coder GGUF whose file name is the download's`, () => {
      assert.ok(isModelUri(model.uri), model.uri);
      assert.equal(model.uri.slice(model.uri.lastIndexOf('/') + 1), model.fileName);
      assert.match(model.fileName, /^qwen2\.5-coder-.*\.gguf$/);
      assert.ok(!/instruct/i.test(model.uri), 'base models are the ones trained for FIM');
      assert.ok(model.label.includes(size.toUpperCase()), model.label);
    });
  }

  it('bigger models download more', () => {
    const sizes = [RECOMMENDED_MODELS['0.5b'], RECOMMENDED_MODELS['1.5b'], RECOMMENDED_MODELS['3b']].map((m) => m.approxBytes);
    assert.deepEqual([...sizes].sort((a, b) => a - b), sizes);
  });
});

describe('isModelUri', () => {
  const cases: Array<[string, boolean]> = [
    ['hf:ggml-org/Qwen2.5-Coder-0.5B-Q8_0-GGUF/qwen2.5-coder-0.5b-q8_0.gguf', true],
    ['hf:user/repo:Q4_K_M', true],
    ['  HF:user/repo/file.gguf ', true],
    ['/models/qwen.gguf', false],
    ['./hf:odd-name.gguf', false],
    ['https://huggingface.co/user/repo/resolve/main/file.gguf', false],
    ['', false],
  ];
  for (const [value, expected] of cases) {
    it(`${JSON.stringify(value)} -> ${expected}`, () => {
      assert.equal(isModelUri(value), expected);
    });
  }
});
