// The machine description the recommendation reads: the probe's answer checked before it is
// trusted, and the real probe process (dist/gpuProbe.js) on this GPU-less machine.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { describeMachine, gpuFromProbe, parseGpuProbeMessage, readMachineProfile, runGpuProbe, type GpuProbeReport } from '../../../src/core/models/machineProfile';
import { repoRoot } from '../../support/repoRoot';

const probePath = process.env.BANTAM_GPU_PROBE ?? join(repoRoot, 'dist', 'gpuProbe.js');
const report: GpuProbeReport = { kind: 'cuda', devices: ['NVIDIA GeForce RTX 4070'], vramBytes: 12 * 1024 ** 3, unified: false, cpuMathCores: 8, fallback: null };

describe('parseGpuProbeMessage', () => {
  it('accepts a well-formed report', () => {
    assert.deepEqual(parseGpuProbeMessage({ type: 'gpu', report }), report);
    assert.deepEqual(parseGpuProbeMessage({ type: 'gpu', report: { ...report, kind: 'cpu', devices: [], vramBytes: 0, fallback: 'why' } })?.fallback, 'why');
  });

  it('rejects anything else', () => {
    for (const bad of [
      null,
      { type: 'error', message: 'x' },
      { type: 'gpu' },
      { type: 'gpu', report: { ...report, kind: 'rocm' } },
      { type: 'gpu', report: { ...report, vramBytes: -1 } },
      { type: 'gpu', report: { ...report, devices: 'GPU' } },
      { type: 'gpu', report: { ...report, unified: 1 } },
      { type: 'gpu', report: { ...report, fallback: undefined } },
    ]) {
      assert.equal(parseGpuProbeMessage(bad), undefined, JSON.stringify(bad));
    }
  });
});

describe('gpuFromProbe', () => {
  it('a GPU is what the recommendation sees; a probe that ended on the CPU is no GPU', () => {
    assert.deepEqual(gpuFromProbe(report), { kind: 'cuda', vramBytes: 12 * 1024 ** 3, unified: false });
    assert.equal(gpuFromProbe({ ...report, kind: 'cpu' }), null);
  });
});

describe('describeMachine', () => {
  const GiB = 1024 ** 3;
  const cases: Array<[Parameters<typeof describeMachine>[0], string]> = [
    [{ ramBytes: 8 * GiB, cpuCores: 2, gpu: null }, '8 GiB RAM, 2 cores, no GPU'],
    [{ ramBytes: 31.3 * GiB, cpuCores: 16, gpu: { kind: 'cuda', vramBytes: 12 * GiB, unified: false } }, '31.3 GiB RAM, 16 cores, CUDA with 12 GiB'],
    [{ ramBytes: 16 * GiB, cpuCores: 8, gpu: { kind: 'metal', vramBytes: 16 * GiB, unified: true } }, '16 GiB RAM, 8 cores, Metal with unified memory'],
  ];
  for (const [machine, text] of cases) it(text, () => assert.equal(describeMachine(machine), text));
});

describe('the GPU probe process', function () {
  this.timeout(60_000);
  let scratch: string;
  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'bantam-probe-'));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it("answers for 'vulkan' on this machine: the CPU, with the reason (or Vulkan where it exists)", async () => {
    const answer = await runGpuProbe(probePath, 'vulkan', 30_000, () => undefined);
    assert.ok(answer, 'the probe answered');
    if (answer.kind === 'cpu') assert.match(answer.fallback ?? '', /^Bantam runs the model on the CPU: .*Vulkan/);
    else assert.equal(answer.kind, 'vulkan');
    assert.ok(answer.cpuMathCores >= 1);
  });

  it('a probe that never answers is given up on, and one that is missing is said to be', async () => {
    const silent = join(scratch, 'silent.js');
    writeFileSync(silent, 'setInterval(() => {}, 1000);\n');
    const log: string[] = [];
    assert.equal(await runGpuProbe(silent, 'auto', 300, (l) => log.push(l)), undefined);
    assert.equal(await runGpuProbe(join(scratch, 'none.js'), 'auto', 300, (l) => log.push(l)), undefined);
    assert.match(log.join('\n'), /no answer within 300 ms/);
    assert.match(log.join('\n'), /none\.js is missing/);
  });

  it("readMachineProfile: the OS's RAM and cores; 'off' never probes and has no GPU", async () => {
    const off = await readMachineProfile({ probePath: join(scratch, 'none.js'), gpu: 'off' });
    assert.deepEqual(off, { ramBytes: totalmem(), cpuCores: availableParallelism(), gpu: null });
    const probed = await readMachineProfile({ probePath, gpu: 'auto' });
    assert.equal(probed.ramBytes, totalmem());
    const { getLlamaGpuTypes } = await import('node-llama-cpp');
    const gpus = (await getLlamaGpuTypes('supported')).filter((t) => t !== false);
    if (gpus.length === 0 && !(process.platform === 'darwin' && process.arch === 'arm64')) assert.equal(probed.gpu, null);
    else assert.notEqual(probed.gpu, null);
  });
});
