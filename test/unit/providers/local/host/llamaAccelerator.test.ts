// Which llama.cpp build openLlama ends on and what it says, against a scripted node-llama-cpp, for
// the machines this one is not: a GPU whose driver is found but whose build fails to load.
// (llamaModelLoader.test.ts runs the real node-llama-cpp on this GPU-less machine.)
import * as assert from 'node:assert/strict';
import { openLlama } from '../../../../../src/core/providers/local/host/llamaAccelerator';
import type { GpuChoice } from '../../../../../src/core/providers/local/llamaProtocol';

type Gpu = 'cuda' | 'vulkan' | 'metal' | false;

class NoBinaryFoundError extends Error {}

/** A node-llama-cpp whose getLlama ends on `loads(asked)` (or throws when that is an Error). */
function scripted(supported: Gpu[], allValid: Gpu[], loads: (asked: Gpu | 'auto') => Gpu | Error) {
  const asked: Array<Gpu | 'auto'> = [];
  const nlc = {
    NoBinaryFoundError,
    getLlamaGpuTypes: async (include: 'supported' | 'allValid') => (include === 'supported' ? supported : allValid),
    getLlama: async ({ gpu }: { gpu: Gpu | 'auto' }) => {
      asked.push(gpu);
      const result = loads(gpu);
      if (result instanceof Error) throw result;
      return { gpu: result };
    },
  };
  return { nlc: nlc as unknown as Parameters<typeof openLlama>[0], asked };
}

const linux: Gpu[] = ['cuda', 'vulkan', false];

describe('openLlama', () => {
  const cases: Array<{ name: string; choice: GpuChoice; supported: Gpu[]; loads: (asked: Gpu | 'auto') => Gpu | Error; gpu: Gpu; asked: Array<Gpu | 'auto'>; fallback: RegExp | null }> = [
    { name: "'off' never tries a GPU", choice: 'off', supported: ['cuda', false], loads: () => false, gpu: false, asked: [false], fallback: null },
    { name: "'auto' on a CUDA machine uses CUDA", choice: 'auto', supported: ['cuda', false], loads: () => 'cuda', gpu: 'cuda', asked: ['auto'], fallback: null },
    { name: "'auto' with no GPU found is the CPU, silently", choice: 'auto', supported: [false], loads: () => false, gpu: false, asked: ['auto'], fallback: null },
    {
      name: "'auto' with a CUDA driver whose build fails: the CPU, saying so",
      choice: 'auto',
      supported: ['cuda', false],
      loads: () => false,
      gpu: false,
      asked: ['auto'],
      fallback: /^Bantam runs the model on the CPU: a CUDA GPU was found but its llama\.cpp build could not load; install or update the GPU driver/,
    },
    {
      name: "'cuda' with the driver found but a build that fails: the CPU, with node-llama-cpp's reason",
      choice: 'cuda',
      supported: ['cuda', false],
      loads: (asked) => (asked === 'cuda' ? new Error('binary test failed') : false),
      gpu: false,
      asked: ['cuda', false],
      fallback: /the CUDA build of llama\.cpp could not load \(binary test failed\); set bantam\.embedded\.gpu to 'auto'/,
    },
    {
      name: "'cuda' with the driver found but no CUDA build installed (Bantam's package leaves it out): says so",
      choice: 'cuda',
      supported: ['cuda', 'vulkan', false],
      loads: (asked) => (asked === 'cuda' ? new NoBinaryFoundError('NoBinaryFoundError') : false),
      gpu: false,
      asked: ['cuda', false],
      fallback: /the CUDA build of llama\.cpp could not load \(it is not part of this installation or does not run here\); set bantam\.embedded\.gpu to 'auto' to use another GPU build/,
    },
    {
      name: "'vulkan' without a driver: the CPU, saying no driver was found",
      choice: 'vulkan',
      supported: [false],
      loads: (asked) => (asked === 'vulkan' ? new NoBinaryFoundError('NoBinaryFoundError') : false),
      gpu: false,
      asked: ['vulkan', false],
      fallback: /no Vulkan driver or runtime was found/,
    },
    {
      name: "'metal' off macOS is not even tried (node-llama-cpp would quietly make it 'auto')",
      choice: 'metal',
      supported: linux,
      loads: (asked) => (asked === false ? false : 'cuda'),
      gpu: false,
      asked: [false],
      fallback: /Metal is not available on .*; set bantam\.embedded\.gpu to 'auto'/,
    },
    { name: "'vulkan' that loads is used", choice: 'vulkan', supported: linux, loads: (asked) => (asked === 'vulkan' ? 'vulkan' : false), gpu: 'vulkan', asked: ['vulkan'], fallback: null },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { nlc, asked } = scripted(c.supported, linux, c.loads);
      const opened = await openLlama(nlc, c.choice, {});
      assert.equal(opened.llama.gpu, c.gpu);
      assert.deepEqual(asked, c.asked);
      if (c.fallback === null) assert.equal(opened.fallback, null);
      else assert.match(opened.fallback ?? '', c.fallback);
    });
  }

  it('throws when not even the CPU build loads', async () => {
    const { nlc } = scripted([false], linux, () => new Error('no binary'));
    await assert.rejects(openLlama(nlc, 'vulkan', {}), /no binary/);
  });
});
