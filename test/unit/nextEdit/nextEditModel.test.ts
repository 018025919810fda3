// The next-edit model client: embedded, a rewrite client of the model host with prompt lookup on.
import * as assert from 'node:assert/strict';
import { configFrom } from '../../../src/core/config';
import { createNextEditModel, NEXT_EDIT_BATCH_SIZE, NEXT_EDIT_PROMPT_LOOKUP, type NextEditModel } from '../../../src/core/nextEdit/nextEditModel';
import type { NextEditPrompt } from '../../../src/core/nextEdit/nextEditTypes';
import { ensureTinyModels, noFimModel, sampleCode, workerPath } from '../providers/local/llamaTestModels';
import { startFakeProviderServer } from '../../support/fakeProviderServer';

/** A Sweep prompt whose window is the start of the sample code, unchanged. */
const windowText = sampleCode.slice(0, 300);
const unchangedWindow: NextEditPrompt = {
  format: 'sweep',
  text: `<|file_sep|>original/a.ts\n${windowText}\n<|file_sep|>current/a.ts\n${windowText}\n<|file_sep|>updated/a.ts\n`,
  stablePrefixChars: 0,
  stop: ['<|file_sep|>'],
  window: { startLine: 0, endLine: 3, text: windowText, cursorOffset: 0 },
};

/** The embedded next-edit model on the tiny model without FIM tokens, in a host of its own. */
function embeddedModel(): NextEditModel {
  ensureTinyModels();
  const config = configFrom({ 'embedded.threads': 1, 'embedded.contextSize': 2048 });
  return createNextEditModel(config, { hostScript: workerPath, modelPath: noFimModel, host: { shared: false } });
}

describe('createNextEditModel', function () {
  this.timeout(60_000);
  let model: NextEditModel | undefined;
  afterEach(() => {
    model?.dispose();
    model = undefined;
  });

  it('embedded without a model file: says to download one or set bantam.nextEdit.model', () => {
    assert.throws(() => createNextEditModel(configFrom({}), { hostScript: workerPath }), /Download Next-Edit Model.*bantam\.nextEdit\.model/);
  });

  it('embedded: rewrites with a model without FIM tokens, prompt lookup on, stopping at the prompt stop', async () => {
    assert.ok(NEXT_EDIT_PROMPT_LOOKUP.maxDraftTokens > 0);
    model = embeddedModel();
    const result = await model.rewrite(unchangedWindow, { maxTokens: 24, timeoutMs: 30_000 });
    assert.ok(result.promptTokens > 0);
    // Small batches, so the host can turn to another client's ghost text soon while a long prompt reads.
    const info = await (model as unknown as { backend: { load(): Promise<{ info: { batchSize: number } }> } }).backend.load();
    assert.equal(info.info.batchSize, NEXT_EDIT_BATCH_SIZE);
    assert.ok(result.drafts, 'prompt lookup is on: the result counts the drafts');
    assert.ok(!result.text.includes('<|file_sep|>'));
  });

  it("embedded: a read-ahead reads the prompt into the rewrite client's cache; the rewrite after it reads only its last token, prompt lookup still on", async () => {
    model = embeddedModel();
    assert.ok(model.readPrompt, 'an embedded model reads ahead');
    const read = await model.readPrompt(unchangedWindow, new AbortController().signal);
    assert.equal(read.generatedTokens, 0);
    assert.equal(read.reusedTokens, 0);
    assert.ok(read.promptTokens > 100, `read ${read.promptTokens} tokens`);
    const result = await model.rewrite(unchangedWindow, { maxTokens: 8, timeoutMs: 30_000, ignoreEos: true });
    assert.equal(result.reusedTokens, result.promptTokens - 1);
    assert.equal(result.generatedTokens, 8);
    assert.ok(result.drafts, 'prompt lookup is on after a read-ahead');
  });

  it("openai: sends the prompt text as it is to the server's /completions, with the prompt's stops and the model's name", async () => {
    const server = await startFakeProviderServer({ pathPrefix: '/v1', script: { chunks: ['const a = 1;', '\n'] } });
    try {
      const config = configFrom({ 'nextEdit.backend': 'openai', 'nextEdit.model': 'sweep-next-edit-0.5b', 'openai.baseUrl': `${server.url}/v1` });
      model = createNextEditModel(config, { hostScript: workerPath });
      const prompt: NextEditPrompt = {
        format: 'sweep',
        text: '<|file_sep|>current/a.ts\nconst a = 0;\n<|file_sep|>updated/a.ts\n',
        stablePrefixChars: 0,
        stop: ['<|file_sep|>', '<|endoftext|>'],
        window: { startLine: 0, endLine: 1, text: 'const a = 0;', cursorOffset: 0 },
      };
      assert.equal(model.readPrompt, undefined, "a served model's cache is the server's: no read-ahead");
      const result = await model.rewrite(prompt, { maxTokens: 64, timeoutMs: 5000 });
      assert.equal(result.text, 'const a = 1;\n');
      const [request] = server.requestsTo('/completions');
      assert.equal(request!.body.prompt, prompt.text);
      assert.equal(request!.body.model, 'sweep-next-edit-0.5b');
      assert.deepEqual(request!.body.stop, prompt.stop);
      assert.equal(request!.body.temperature, 0);
    } finally {
      await server.close();
    }
  });
});
