// The next-edit model the settings name: the embedded one from a GGUF file (its format read from its
// names, the user told once when there is no file or a broken one, looked for again after a download),
// and a real rewrite client of the model host answering a request through the whole pipeline.
import * as assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { configFrom } from '../../../src/core/config';
import { EditHistory } from '../../../src/core/nextEdit/editHistory';
import { NextEditClient } from '../../../src/core/nextEdit/nextEditClient';
import type { NextEditModel } from '../../../src/core/nextEdit/nextEditModel';
import { NextEditPredictor } from '../../../src/core/nextEdit/nextEditPredictor';
import { NextEditStats } from '../../../src/core/nextEdit/nextEditStats';
import { makeTempDir, writeModelLike } from '../../support/gguf/smallGguf';
import { TINY_MODEL_TEXT } from '../../support/gguf/testModels';
import { ensureTinyModels, noFimModel, workerPath } from '../providers/local/llamaTestModels';

const MACHINE = { ramBytes: 8 * 2 ** 30, cpuCores: 2, gpu: null };
const stubModel = (): NextEditModel => ({ rewrite: () => Promise.reject(new Error('not used')), dispose: () => undefined });

describe('NextEditClient', function () {
  this.timeout(60_000);
  let dir: string;
  let told: string[];

  beforeEach(async () => {
    dir = await makeTempDir('bantam-next-edit-');
    told = [];
  });

  afterEach(() => rm(dir, { recursive: true, force: true }));

  function client(create?: () => NextEditModel): NextEditClient {
    return new NextEditClient({ hostScript: workerPath, modelsDir: join(dir, 'models'), machine: MACHINE, notify: (m) => told.push(m), ...(create ? { create } : {}) });
  }

  it('without a downloaded model says to download one, once, and finds the file once it is there', async () => {
    const file = join(dir, 'sweep-next-edit-0.5b.q8_0.gguf');
    const config = configFrom({ 'nextEdit.backend': 'embedded', 'nextEdit.model': file });
    const c = client(stubModel);
    // A path that does not exist is a broken file to the inspector: the user hears what is wrong with it.
    assert.equal(await c.ready(config), undefined);
    assert.equal(await c.ready(config), undefined);
    assert.equal(told.length, 1, told.join('\n'));
    assert.match(told[0]!, /^Bantam next-edit: /);

    await writeModelLike(file, { architecture: 'qwen2', name: 'Sweep Next Edit 0.5B', tokens: ['a', 'b'] });
    const ready = await c.ready(config);
    assert.equal(ready?.format, 'sweep');
    assert.equal(ready?.label, 'sweep-next-edit-0.5b.q8_0.gguf');
    c.dispose();
  });

  it('with bantam.nextEdit.model empty and nothing downloaded, names the download command', async () => {
    const c = client(stubModel);
    assert.equal(await c.ready(configFrom({ 'nextEdit.backend': 'embedded' })), undefined);
    assert.deepEqual(told, ["Bantam next-edit: No next-edit model yet: run 'Bantam: Download Next-Edit Model', or set bantam.nextEdit.model to a GGUF file."]);
    c.dispose();
  });

  it('a file that is not a GGUF is refused with the inspector’s message', async () => {
    const file = join(dir, 'notes.gguf');
    await writeFile(file, 'not a model');
    const c = client(stubModel);
    assert.equal(await c.ready(configFrom({ 'nextEdit.model': file })), undefined);
    assert.equal(told.length, 1);
    assert.match(told[0]!, /notes\.gguf/);
    c.dispose();
  });

  it('reads the format from the model’s names, unless bantam.nextEdit.promptFormat names one', async () => {
    const file = join(dir, 'model.gguf');
    await writeModelLike(file, { architecture: 'qwen2', name: 'Zeta', tokens: ['a', 'b'] });
    const c = client(stubModel);
    assert.equal((await c.ready(configFrom({ 'nextEdit.model': file })))?.format, 'zeta');
    assert.equal((await c.ready(configFrom({ 'nextEdit.model': file, 'nextEdit.promptFormat': 'sweep' })))?.format, 'sweep');
    c.dispose();
  });

  it('builds a new client when a setting it depends on changes, and disposes the old one', async () => {
    const file = join(dir, 'model.gguf');
    await writeModelLike(file, { architecture: 'qwen2', name: 'Sweep Next Edit', tokens: ['a', 'b'] });
    let disposed = 0;
    const c = client(() => ({ rewrite: () => Promise.reject(new Error('not used')), dispose: () => void disposed++ }));
    const first = await c.ready(configFrom({ 'nextEdit.model': file }));
    assert.equal(await c.ready(configFrom({ 'nextEdit.model': file })), first);
    const second = await c.ready(configFrom({ 'nextEdit.model': file, 'embedded.threads': 1 }));
    assert.notEqual(second, first);
    assert.equal(disposed, 1);
    c.dispose();
  });

  it('the embedded model answers through the shared model host as a rewrite client (a real GGUF)', async () => {
    ensureTinyModels();
    const c = new NextEditClient({ hostScript: workerPath, modelsDir: dir, machine: MACHINE, notify: (m) => told.push(m), host: { dir, shared: false } });
    const stats = new NextEditStats();
    const config = configFrom({ 'nextEdit.model': noFimModel, 'embedded.threads': 1, 'embedded.contextSize': 2048 });
    const predictor = new NextEditPredictor({ config: () => config, client: c, history: new EditHistory(() => true), stats });
    const text = 'function add(a, b) {\n  return a + b;\n}\n';
    const attempt = await predictor.attempt({ path: 'a.ts', languageId: 'typescript', text, documentVersion: 1, cursorOffset: 10 }, new AbortController().signal);
    c.dispose();
    assert.deepEqual(told, []);
    assert.ok(attempt.prompt?.text.endsWith('<|file_sep|>updated/a.ts'));
    // The tiny model always writes TINY_MODEL_TEXT: its answer became the suggestion's edit (never a quality figure).
    assert.ok(attempt.suggestion, attempt.refused);
    assert.deepEqual(attempt.suggestion.edits.map((e) => e.newText), [TINY_MODEL_TEXT.trim()]);
    assert.equal(stats.snapshot().requests, 1);
    assert.equal(stats.snapshot().errors, 0);
  });
});
