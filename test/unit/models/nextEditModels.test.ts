// The recommended next-edit model by machine, and where bantam.nextEdit.model points.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { locateNextEditModel, NEXT_EDIT_MODELS, recommendNextEditModel } from '../../../src/core/models/nextEditModels';
import type { MachineProfile } from '../../../src/core/models/recommendedModel';

const GiB = 1024 ** 3;

describe('recommendNextEditModel', () => {
  const cases: { name: string; machine: MachineProfile; size: keyof typeof NEXT_EDIT_MODELS }[] = [
    { name: '2-core laptop, no GPU', machine: { ramBytes: 8 * GiB, cpuCores: 2, gpu: null }, size: '0.5b' },
    { name: '16-core workstation, no GPU', machine: { ramBytes: 32 * GiB, cpuCores: 16, gpu: null }, size: '1.5b' },
    { name: '8 GiB discrete GPU', machine: { ramBytes: 16 * GiB, cpuCores: 8, gpu: { kind: 'cuda', vramBytes: 8 * GiB, unified: false } }, size: '1.5b' },
    { name: 'integrated GPU (counts as none)', machine: { ramBytes: 16 * GiB, cpuCores: 4, gpu: { kind: 'vulkan', vramBytes: 8 * GiB, unified: true } }, size: '0.5b' },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.size}`, () => assert.equal(recommendNextEditModel(c.machine), NEXT_EDIT_MODELS[c.size]));
  }

  it("names Sweep's own GGUF files", () => {
    assert.equal(NEXT_EDIT_MODELS['0.5b'].uri, 'hf:sweepai/sweep-next-edit-0.5B/sweep-next-edit-0.5b.q8_0.gguf');
    assert.equal(NEXT_EDIT_MODELS['1.5b'].uri, 'hf:sweepai/sweep-next-edit-1.5B/sweep-next-edit-1.5b.q8_0.v2.gguf');
  });
});

describe('locateNextEditModel', () => {
  let modelsDir: string;
  const recommended = NEXT_EDIT_MODELS['0.5b'];
  beforeEach(() => {
    modelsDir = mkdtempSync(join(tmpdir(), 'bantam-ne-models-'));
  });
  afterEach(() => rmSync(modelsDir, { recursive: true, force: true }));

  it('a plain path is a file, expanded against the workspace', async () => {
    const workspaceFolder = resolve(tmpdir(), 'project');
    assert.deepEqual(await locateNextEditModel('models/ne.gguf', { modelsDir, workspaceFolder, recommended }), {
      kind: 'file',
      path: join(workspaceFolder, 'models', 'ne.gguf'),
    });
  });

  it('nothing set and nothing downloaded: not-downloaded, naming the next-edit download command', async () => {
    const location = await locateNextEditModel('', { modelsDir, recommended });
    assert.ok(location.kind === 'not-downloaded');
    assert.equal(location.uri, recommended.uri);
    assert.match(location.message, /Bantam: Download Next-Edit Model/);
    assert.match(location.message, /bantam\.nextEdit\.model/);
  });

  it('nothing set: the recommended model once downloaded, else the other size', async () => {
    const other = join(modelsDir, 'hf_sweepai_sweep-next-edit-1.5B_sweep-next-edit-1.5b.q8_0.v2.gguf');
    writeFileSync(other, 'GGUF');
    assert.deepEqual(await locateNextEditModel('', { modelsDir, recommended }), { kind: 'file', path: other });
    const own = join(modelsDir, 'hf_sweepai_sweep-next-edit-0.5B_sweep-next-edit-0.5b.q8_0.gguf');
    writeFileSync(own, 'GGUF');
    assert.deepEqual(await locateNextEditModel('', { modelsDir, recommended }), { kind: 'file', path: own });
  });
});
