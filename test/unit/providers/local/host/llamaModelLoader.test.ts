// The model loader in the real node-llama-cpp with the tiny test model: the accelerator the user
// asks for, the clear fallback to the CPU when its build can't load (this machine has no GPU, but
// the CUDA and Vulkan packages are installed), and what the loaded model reports about itself.
import * as assert from 'node:assert/strict';
import { llamaLoader, loadSharedModel, openBinding, openModelSession, type LoadedModel } from '../../../../../src/core/providers/local/host/llamaModelLoader';
import type { GpuChoice, LoadOptions } from '../../../../../src/core/providers/local/llamaProtocol';
import { tinyModel, ensureTinyModels } from '../llamaTestModels';

/** What the model host does for a client's load: binding, shared weights, the client's own session. */
async function load(gpu: GpuChoice, log: string[] = []): Promise<LoadedModel> {
  const options: LoadOptions = { modelPath: tinyModel, gpu, threads: 1, flashAttention: true, contextSize: 2048, batchSize: 64 };
  const say = (line: string): void => void log.push(line);
  const errors: string[] = [];
  const loader = await llamaLoader(say, errors);
  const shared = await loadSharedModel(loader, await openBinding(loader, gpu, say), options, errors, say);
  return openModelSession(shared, options);
}

async function unload(loaded: LoadedModel): Promise<void> {
  await loaded.context.dispose();
  await loaded.model.dispose();
  await loaded.llama.dispose();
}

describe('the model loader: accelerator choice and CPU fallback', function () {
  this.timeout(60_000);
  before(() => ensureTinyModels());

  const gpuOnly = async (): Promise<string[]> => {
    const { getLlamaGpuTypes } = await import('node-llama-cpp');
    return (await getLlamaGpuTypes('supported')).filter((t) => t !== false) as string[];
  };

  for (const [gpu, name] of [
    ['vulkan', 'Vulkan'],
    ['cuda', 'CUDA'],
  ] as const) {
    it(`${gpu} asked for on a machine whose ${name} build can't load: runs on the CPU and says why`, async function () {
      // On a machine that does have this GPU the fallback would not happen; then the GPU must be used.
      const present = (await gpuOnly()).includes(gpu);
      const log: string[] = [];
      const loaded = await load(gpu, log);
      try {
        const a = loaded.info.accelerator;
        if (present) {
          assert.equal(a.kind, gpu);
          return;
        }
        assert.equal(a.kind, 'cpu');
        assert.equal(a.gpuLayers, 0);
        assert.deepEqual(a.devices, []);
        assert.match(a.fallback ?? '', new RegExp(`^Bantam runs the model on the CPU: .*${name}`));
        assert.match(a.fallback ?? '', /bantam\.embedded\.gpu/);
        assert.ok(log.includes(a.fallback!), 'the fallback is logged');
        // and the model really works there
        assert.ok(loaded.promptTokPerS === null || loaded.promptTokPerS > 0);
        assert.ok(loaded.model.tokenize('abc').length > 0);
      } finally {
        await unload(loaded);
      }
    });
  }

  it(`metal asked for off macOS: runs on the CPU and says Metal is not available here`, async function () {
    const loaded = await load('metal');
    try {
      const a = loaded.info.accelerator;
      if (process.platform === 'darwin') {
        assert.equal(a.kind, 'metal');
        return;
      }
      assert.equal(a.kind, 'cpu');
      assert.match(a.fallback ?? '', new RegExp(`^Bantam runs the model on the CPU: Metal is not available on ${process.platform}`));
      assert.match(a.fallback ?? '', /set bantam\.embedded\.gpu to 'auto'/);
    } finally {
      await unload(loaded);
    }
  });

  it("'off' runs on the CPU with no fallback message, and reports layers, memory and threads", async () => {
    const loaded = await load('off');
    try {
      const a = loaded.info.accelerator;
      assert.equal(a.kind, 'cpu');
      assert.equal(a.fallback, null);
      assert.equal(a.gpuLayers, 0);
      // the tiny model has 2 blocks; llama.cpp counts the output layer too
      assert.equal(a.totalLayers, 3);
      assert.equal(a.vramUsedBytes, 0);
      // weights (~220 KB) plus the 2048-token context's buffers
      assert.ok(a.ramUsedBytes > loaded.info.fileBytes / 2, String(a.ramUsedBytes));
      assert.ok(a.cpuMathCores >= 1);
      assert.equal(loaded.info.threads, 1);
    } finally {
      await unload(loaded);
    }
  });

  it("'auto' uses a GPU it finds, and on a machine without one runs on the CPU without a fallback message", async () => {
    const found = await gpuOnly();
    const loaded = await load('auto');
    try {
      const a = loaded.info.accelerator;
      if (found.length === 0) {
        assert.equal(a.kind, 'cpu');
        assert.equal(a.fallback, null, 'a CPU-only machine is not told about GPUs it never had');
      } else {
        assert.ok(a.kind !== 'cpu' || a.fallback !== null, 'a GPU that was found is used, or the fallback says why not');
      }
    } finally {
      await unload(loaded);
    }
  });
});
