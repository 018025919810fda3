// Tests for `npx bantam ask --local embedded --model-file X` with a real llama.cpp run (the llama
// worker, dist/modelHost.js) on the generated tiny test model: nothing is faked between the
// command line and the model. The tiny model's weights are random except for one greedy path
// ("quick brown\n", then end of text), so its answers are noise; what is checked is the road.
//
// The stock tiny model has no chat template, so the worker renders ChatML, whose prompt ends in
// "\n": on the model's path that leads straight to end of text, an empty answer. The CLI must say so
// and fail rather than print a blank line. A copy of the model with a chat template whose prompt
// ends off that path ("assistant:") answers with text.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gv, writeGguf } from '../../support/gguf/ggufWriter';
import { ensureTinyModel } from '../../support/gguf/testModels';
import { tinyModelSpec } from '../../support/gguf/tinyModel';
import { copyWorkspace, runBantam } from './cliHarness';

const CHAT_TEMPLATE =
  "{% for message in messages %}{{ message['role'] }}: {{ message['content'] }}\n{% endfor %}{% if add_generation_prompt %}assistant:{% endif %}";

const QUESTION = 'How is computeTotal calculated?';

describe('bantam ask with the embedded model (CLI, real llama.cpp)', function () {
  this.timeout(120_000);
  let ws: ReturnType<typeof copyWorkspace>;
  let models: string;
  let stockModel: string;
  let chatModel: string;
  before(async () => {
    ws = copyWorkspace();
    models = mkdtempSync(join(tmpdir(), 'bantam-cli-models-'));
    stockModel = await ensureTinyModel();
    const spec = tinyModelSpec({ fim: true, kind: 'tiny-chat-template', version: 1 });
    chatModel = join(models, 'bantam-tiny-chat.gguf');
    await writeGguf(chatModel, { metadata: [...spec.metadata, ['tokenizer.chat_template', gv.str(CHAT_TEMPLATE)]], tensors: spec.tensors });
  });
  after(() => {
    ws.dispose();
    rmSync(models, { recursive: true, force: true });
  });

  const ask = (modelFile: string) =>
    runBantam(['ask', '--workspace', ws.root, '--no-cache', '--frontier', 'none', '--local', 'embedded', '--model-file', modelFile, '--max-tokens', '24', QUESTION]);

  it('answers end to end: exit 0, the answer on stdout, the embedded route on stderr', async () => {
    const run = await ask(chatModel);
    assert.equal(run.status, 0, run.stderr);
    assert.ok(run.stdout.trim().length > 0, `stdout: ${JSON.stringify(run.stdout)}`);
    assert.match(run.stderr, /^ {2}src\/pricing\.ts:\d+-\d+ {2}defines computeTotal/m);
    assert.match(run.stderr.trimEnd().split('\n').at(-1)!, /^bantam: embedded \(bantam-tiny-chat\.gguf\) .*, local, [1-9]\d* tokens in, [1-9]\d* out, /);
  });

  it('an empty answer is a failure that says so, not a blank line and exit 0', async () => {
    const run = await ask(stockModel);
    assert.equal(run.status, 1, run.stderr);
    assert.equal(run.stdout.trim(), '');
    assert.match(run.stderr.trimEnd().split('\n').at(-1)!, /^bantam: embedded \(bantam-tiny-qwen2\.gguf\) returned an empty answer; /);
  });
});
