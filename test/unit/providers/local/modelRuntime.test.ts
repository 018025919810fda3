// Where the embedded model runs, in the words the tooltip and the stats use.
import * as assert from 'node:assert/strict';
import type { AcceleratorInfo } from '../../../../src/core/providers/local/llamaProtocol';
import { formatBytes, runtimeLines, type ModelRuntime } from '../../../../src/core/providers/local/modelRuntime';

const cpu: AcceleratorInfo = {
  kind: 'cpu',
  devices: [],
  gpuLayers: 0,
  totalLayers: 25,
  vramUsedBytes: 0,
  ramUsedBytes: 890_288_640,
  vramTotalBytes: 0,
  unifiedMemory: false,
  cpuMathCores: 2,
  fallback: null,
};

describe('runtimeLines', () => {
  const cases: Array<{ name: string; runtime: ModelRuntime; lines: Array<[string, string]> }> = [
    {
      name: 'the CPU',
      runtime: { accelerator: cpu, threads: 1 },
      lines: [
        ['Accelerator', 'CPU'],
        ['GPU layers', 'none of 25 layers on the GPU'],
        ['Memory', '890 MB RAM'],
        ['Threads', '1 (of 2 math cores)'],
      ],
    },
    {
      name: 'a discrete CUDA GPU holding part of a model',
      runtime: {
        accelerator: { ...cpu, kind: 'cuda', devices: ['NVIDIA GeForce RTX 3050'], gpuLayers: 20, totalLayers: 29, vramUsedBytes: 3_210_000_000, ramUsedBytes: 1_100_000_000, vramTotalBytes: 4e9, cpuMathCores: 8 },
        threads: 7,
      },
      lines: [
        ['Accelerator', 'CUDA (NVIDIA GeForce RTX 3050)'],
        ['GPU layers', '20 of 29 layers on the GPU'],
        ['Memory', '3.21 GB VRAM, 1.10 GB RAM'],
        ['Threads', '7 (of 8 math cores)'],
      ],
    },
    {
      name: 'Apple silicon (Metal, unified memory)',
      runtime: {
        accelerator: { ...cpu, kind: 'metal', devices: ['Apple M2'], gpuLayers: 25, vramUsedBytes: 600_000_000, ramUsedBytes: 40_000_000, unifiedMemory: true, cpuMathCores: 4 },
        threads: 3,
      },
      lines: [
        ['Accelerator', 'Metal (Apple M2, unified memory)'],
        ['GPU layers', '25 of 25 layers on the GPU'],
        ['Memory', '600 MB VRAM, 40 MB RAM'],
        ['Threads', '3 (of 4 math cores)'],
      ],
    },
    {
      name: "the shared model host, and a window's own",
      runtime: { accelerator: cpu, threads: 1, host: { pid: 4120, shared: true } },
      lines: [
        ['Accelerator', 'CPU'],
        ['GPU layers', 'none of 25 layers on the GPU'],
        ['Memory', '890 MB RAM'],
        ['Threads', '1 (of 2 math cores)'],
        ['Model host', 'shared by every window (pid 4120); its memory covers them all'],
      ],
    },
    {
      name: 'a private model host',
      runtime: { accelerator: cpu, threads: 1, host: { pid: undefined, shared: false } },
      lines: [
        ['Accelerator', 'CPU'],
        ['GPU layers', 'none of 25 layers on the GPU'],
        ['Memory', '890 MB RAM'],
        ['Threads', '1 (of 2 math cores)'],
        ['Model host', "this window's own"],
      ],
    },
    {
      name: 'Vulkan with no device names',
      runtime: { accelerator: { ...cpu, kind: 'vulkan', gpuLayers: 25, vramUsedBytes: 1 }, threads: 1 },
      lines: [
        ['Accelerator', 'Vulkan'],
        ['GPU layers', '25 of 25 layers on the GPU'],
        ['Memory', '1 MB VRAM, 890 MB RAM'],
        ['Threads', '1 (of 2 math cores)'],
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(runtimeLines(c.runtime), c.lines));
  }
});

describe('formatBytes', () => {
  const cases: Array<[number, string]> = [
    [0, '0 MB'],
    [Number.NaN, '0 MB'],
    [200_000, '1 MB'],
    [531_000_000, '531 MB'],
    [999_400_000, '999 MB'],
    [1_650_000_000, '1.65 GB'],
  ];
  for (const [bytes, text] of cases) it(`${bytes} -> ${text}`, () => assert.equal(formatBytes(bytes), text));
});
