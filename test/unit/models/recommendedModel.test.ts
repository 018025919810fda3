// Which model Bantam recommends for a machine, over simulated machines: RAM, cores, and a discrete
// GPU's VRAM or Apple silicon's unified memory.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  gpuMemoryForModel,
  isModelUri,
  RECOMMENDED_MODELS,
  recommendModel,
  recommendModelSize,
  type MachineProfile,
  type ModelSize,
} from '../../../src/core/models/recommendedModel';
import { repoRoot } from '../../support/repoRoot';

const GiB = 1024 ** 3;

describe('recommendModel', () => {
  type Gpu = MachineProfile['gpu'];
  const cuda = (vramGiB: number): Gpu => ({ kind: 'cuda', vramBytes: vramGiB * GiB, unified: false });
  const vulkan = (vramGiB: number): Gpu => ({ kind: 'vulkan', vramBytes: vramGiB * GiB, unified: false });
  // Apple silicon: Metal on unified memory, the GPU addresses (about) all of RAM.
  const apple = (ramGiB: number): Gpu => ({ kind: 'metal', vramBytes: ramGiB * GiB, unified: true });
  const cases: Array<{ machine: string; ramGiB: number; cores: number; gpu: Gpu; size: ModelSize }> = [
    // CPU only: 0.5B unless many cores and plenty of RAM make 1.5B as quick; never bigger.
    { machine: '2-core VM, 4 GiB', ramGiB: 4, cores: 2, gpu: null, size: '0.5b' },
    { machine: '2-core VM, 64 GiB (cores make it slow)', ramGiB: 64, cores: 2, gpu: null, size: '0.5b' },
    { machine: '8-thread laptop, 16 GiB', ramGiB: 16, cores: 8, gpu: null, size: '0.5b' },
    { machine: '11 threads, 32 GiB', ramGiB: 32, cores: 11, gpu: null, size: '0.5b' },
    { machine: '12 threads, 16 GiB', ramGiB: 16, cores: 12, gpu: null, size: '1.5b' },
    { machine: '16 threads, 15.9 GiB', ramGiB: 15.9, cores: 16, gpu: null, size: '0.5b' },
    { machine: '64-thread workstation, 128 GiB, no GPU', ramGiB: 128, cores: 64, gpu: null, size: '1.5b' },
    // Discrete GPUs: by VRAM (and RAM enough to load the file).
    { machine: 'CUDA 2 GiB (too small: the CPU rows decide)', ramGiB: 16, cores: 8, gpu: cuda(2), size: '0.5b' },
    { machine: 'CUDA 2 GiB on a 16-thread desktop', ramGiB: 32, cores: 16, gpu: cuda(2), size: '1.5b' },
    { machine: 'CUDA 4 GiB', ramGiB: 8, cores: 4, gpu: cuda(4), size: '1.5b' },
    { machine: 'CUDA 6 GiB', ramGiB: 16, cores: 8, gpu: cuda(6), size: '1.5b' },
    { machine: 'CUDA 8 GiB', ramGiB: 16, cores: 8, gpu: cuda(8), size: '3b' },
    { machine: 'CUDA 8 GiB, only 4 GiB RAM', ramGiB: 4, cores: 4, gpu: cuda(8), size: '1.5b' },
    { machine: 'Vulkan 12 GiB', ramGiB: 32, cores: 12, gpu: vulkan(12), size: '3b' },
    { machine: 'CUDA 16 GiB', ramGiB: 32, cores: 16, gpu: cuda(16), size: '7b' },
    { machine: 'CUDA 24 GiB, 12 GiB RAM (too little to load 7B)', ramGiB: 12, cores: 8, gpu: cuda(24), size: '3b' },
    { machine: 'Vulkan 24 GiB', ramGiB: 64, cores: 24, gpu: vulkan(24), size: '7b' },
    // Integrated GPUs off Apple silicon share slow RAM: no help, the CPU rows decide.
    { machine: 'integrated Vulkan GPU, 32 GiB shared, 8 threads', ramGiB: 32, cores: 8, gpu: { kind: 'vulkan', vramBytes: 16 * GiB, unified: true }, size: '0.5b' },
    // Apple silicon: half of RAM counts as the GPU's; 7B only on Pro/Max-class memory (36 GiB+).
    { machine: 'M1, 8 GiB', ramGiB: 8, cores: 8, gpu: apple(8), size: '1.5b' },
    { machine: 'M2, 16 GiB', ramGiB: 16, cores: 8, gpu: apple(16), size: '3b' },
    { machine: 'M4, 32 GiB (base chip)', ramGiB: 32, cores: 10, gpu: apple(32), size: '3b' },
    { machine: 'M3 Pro, 36 GiB', ramGiB: 36, cores: 12, gpu: apple(36), size: '7b' },
    { machine: 'M2 Max, 96 GiB', ramGiB: 96, cores: 12, gpu: apple(96), size: '7b' },
  ];
  for (const c of cases) {
    it(`${c.machine} -> ${c.size}`, () => {
      const machine: MachineProfile = { ramBytes: c.ramGiB * GiB, cpuCores: c.cores, gpu: c.gpu };
      assert.equal(recommendModelSize(machine), c.size);
      assert.equal(recommendModel(machine), RECOMMENDED_MODELS[c.size]);
    });
  }

  it('thresholds are inclusive and one byte under is under', () => {
    const at = (ramBytes: number, vramBytes: number): ModelSize => recommendModelSize({ ramBytes, cpuCores: 4, gpu: { kind: 'cuda', vramBytes, unified: false } });
    assert.equal(at(16 * GiB, 16 * GiB), '7b');
    assert.equal(at(16 * GiB, 16 * GiB - 1), '3b');
    assert.equal(at(16 * GiB - 1, 16 * GiB), '3b');
    assert.equal(at(8 * GiB, 4 * GiB), '1.5b');
    assert.equal(at(8 * GiB, 4 * GiB - 1), '0.5b');
  });

  it('the GPU memory the table counts: VRAM, half of RAM on Apple silicon, none for other shared-memory GPUs', () => {
    assert.equal(gpuMemoryForModel({ ramBytes: 32 * GiB, cpuCores: 8, gpu: null }), 0);
    assert.equal(gpuMemoryForModel({ ramBytes: 32 * GiB, cpuCores: 8, gpu: cuda(12) }), 12 * GiB);
    assert.equal(gpuMemoryForModel({ ramBytes: 32 * GiB, cpuCores: 8, gpu: apple(32) }), 16 * GiB);
    assert.equal(gpuMemoryForModel({ ramBytes: 32 * GiB, cpuCores: 8, gpu: { kind: 'vulkan', vramBytes: 16 * GiB, unified: true } }), 0);
  });

  it('the README lists every model of the table', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    for (const model of Object.values(RECOMMENDED_MODELS)) assert.ok(readme.includes(`\`${model.uri}\``), model.uri);
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
    const sizes = Object.values(RECOMMENDED_MODELS).map((m) => m.approxBytes);
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
