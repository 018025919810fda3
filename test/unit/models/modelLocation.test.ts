// From the bantam.completion.model setting to a model file path, or to a message saying what to do.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expandModelPath, locateModel, type ModelLocationOptions } from '../../../src/core/models/modelLocation';
import { RECOMMENDED_MODELS } from '../../../src/core/models/recommendedModel';

describe('expandModelPath', () => {
  const ws = resolve(tmpdir(), 'project');
  const cases: Array<{ name: string; value: string; workspace?: string; expected: string }> = [
    { name: 'an absolute path is kept', value: resolve('/models/a.gguf'), workspace: ws, expected: resolve('/models/a.gguf') },
    { name: 'surrounding blanks are trimmed', value: `  ${resolve('/models/a.gguf')} \n`, expected: resolve('/models/a.gguf') },
    { name: '~ alone is the home folder', value: '~', expected: homedir() },
    { name: '~/ is under the home folder', value: '~/models/a.gguf', workspace: ws, expected: join(homedir(), 'models', 'a.gguf') },
    { name: '~user is not the home folder', value: '~other/a.gguf', workspace: ws, expected: join(ws, '~other', 'a.gguf') },
    { name: '${workspaceFolder} is replaced', value: '${workspaceFolder}/models/a.gguf', workspace: ws, expected: join(ws, 'models', 'a.gguf') },
    { name: 'a relative path is against the workspace', value: 'models/a.gguf', workspace: ws, expected: join(ws, 'models', 'a.gguf') },
    { name: 'a relative path may leave the workspace', value: '../shared/a.gguf', workspace: ws, expected: resolve(ws, '..', 'shared', 'a.gguf') },
    { name: 'without a workspace, relative is against the current folder', value: 'models/a.gguf', expected: resolve(process.cwd(), 'models', 'a.gguf') },
  ];
  for (const c of cases) {
    it(`${c.name}: ${JSON.stringify(c.value)}`, () => {
      assert.equal(expandModelPath(c.value, c.workspace), c.expected);
    });
  }
});

describe('locateModel', () => {
  let modelsDir: string;
  let options: ModelLocationOptions;
  const recommended = RECOMMENDED_MODELS['0.5b'];

  beforeEach(() => {
    modelsDir = mkdtempSync(join(tmpdir(), 'bantam-models-'));
    options = { modelsDir, workspaceFolder: resolve(tmpdir(), 'project'), recommended };
  });

  afterEach(() => {
    rmSync(modelsDir, { recursive: true, force: true });
  });

  it('a plain path is a file, expanded (whether it exists is for the model inspector to say)', async () => {
    assert.deepEqual(await locateModel('models/mine.gguf', options), {
      kind: 'file',
      path: join(resolve(tmpdir(), 'project'), 'models', 'mine.gguf'),
    });
    assert.deepEqual(await locateModel('~/m.gguf', options), { kind: 'file', path: join(homedir(), 'm.gguf') });
  });

  it("nothing set and nothing downloaded: not-downloaded, saying to run the download command or set a file", async () => {
    const location = await locateModel('', options);
    assert.equal(location.kind, 'not-downloaded');
    assert.ok(location.kind === 'not-downloaded');
    assert.equal(location.uri, recommended.uri);
    assert.match(location.message, /Bantam: Download Recommended Model/);
    assert.match(location.message, /bantam\.completion\.model/);
    assert.equal(await locateModel('   ', options).then((l) => l.kind), 'not-downloaded');
  });

  it('nothing set and the recommended model downloaded: that file', async () => {
    // The name node-llama-cpp gives an hf: download (the download command writes it the same way).
    const downloaded = join(modelsDir, 'hf_ggml-org_qwen2.5-coder-0.5b-q8_0.gguf');
    writeFileSync(downloaded, 'GGUF');
    assert.deepEqual(await locateModel('', options), { kind: 'file', path: downloaded });
  });

  it('nothing set, the recommended model not downloaded but other sizes of the table are: the biggest of those', async () => {
    // e.g. the download command chose 3B by the GPU it probed, and the service names 0.5B without probing
    const small = join(modelsDir, 'hf_ggml-org_qwen2.5-coder-1.5b-q8_0.gguf');
    const big = join(modelsDir, 'hf_ggml-org_qwen2.5-coder-3b-q8_0.gguf');
    writeFileSync(small, 'GGUF');
    writeFileSync(big, 'GGUF');
    assert.deepEqual(await locateModel('', options), { kind: 'file', path: big });
    // the recommended one still wins once it is there
    const own = join(modelsDir, 'hf_ggml-org_qwen2.5-coder-0.5b-q8_0.gguf');
    writeFileSync(own, 'GGUF');
    assert.deepEqual(await locateModel('', options), { kind: 'file', path: own });
  });

  // A URI naming its file resolves without the network (a `repo:quant` URI may ask the hub which file).
  for (const uri of ['hf:someone/some-coder-GGUF/some-coder-q4_k_m.gguf', 'hf:someone/other-GGUF/sub/dir/model.Q8_0.gguf']) {
    it(`an hf: URI not downloaded (${uri}): not-downloaded, naming the URI`, async () => {
      const location = await locateModel(`  ${uri} `, options);
      assert.ok(location.kind === 'not-downloaded', JSON.stringify(location));
      assert.equal(location.uri, uri);
      assert.ok(location.message.includes(uri), location.message);
      assert.match(location.message, /bantam\.completion\.model/);
    });
  }
});
