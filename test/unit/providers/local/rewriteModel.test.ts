// A next-edit client on the real model host: a model without FIM tokens loads as a rewrite model
// (it is refused for completion), and generates with prompt lookup on, its drafts counted.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBackendError } from '../../../../src/core/kernel/backendError';
import { hostAddress, hostBuild } from '../../../../src/core/providers/local/hostAddress';
import { LocalLlamaBackend, type LocalLlamaBackendOptions } from '../../../../src/core/providers/local/localLlamaBackend';
import { ensureTinyModels, noFimModel, qwenPrompt, sampleCode, tinyModel, workerPath } from './llamaTestModels';

function client(overrides: Partial<LocalLlamaBackendOptions>): LocalLlamaBackend {
  return new LocalLlamaBackend({
    workerPath,
    modelPath: noFimModel,
    threads: 1,
    flashAttention: true,
    contextSize: 2048,
    batchSize: 128,
    host: { shared: false },
    restart: { initialDelayMs: 50, maxDelayMs: 200 },
    ...overrides,
  });
}

describe('a rewrite (next-edit) client of the model host', function () {
  this.timeout(60_000);
  const clients: LocalLlamaBackend[] = [];
  before(() => ensureTinyModels());
  afterEach(() => {
    for (const c of clients.splice(0)) c.dispose();
  });

  it('loads a model without FIM tokens and generates with prompt lookup, counting its drafts', async () => {
    const rewrite = client({ purpose: 'rewrite', promptLookup: { maxDraftTokens: 8 } });
    clients.push(rewrite);
    const info = await rewrite.load();
    assert.equal(info.info.fimTokens, null);
    assert.equal(info.info.family, null);

    const window = sampleCode.slice(0, 400);
    const prompt = `<|file_sep|>original/a.ts\n${window}\n<|file_sep|>current/a.ts\n${window}\n<|file_sep|>updated/a.ts\n`;
    const result = await rewrite.generateText(prompt, { maxTokens: 48, stop: [], timeoutMs: 30_000, temperature: 0, ignoreEos: true });
    assert.equal(result.generatedTokens, 48);
    assert.ok(result.drafts, 'a client with prompt lookup reports its drafts');
    // The byte-level vocabulary means every generated token appears in the window: drafts are made and verified.
    assert.ok(result.drafts.accepted + result.drafts.rejected > 0, JSON.stringify(result.drafts));

    // The same prompt again: the KV cache keeps all of it but the last token.
    const again = await rewrite.generateText(prompt, { maxTokens: 4, stop: [], timeoutMs: 30_000, temperature: 0, ignoreEos: true });
    assert.equal(again.reusedTokens, again.promptTokens - 1);
  });

  it('prompt lookup changes only the speed: greedy, it writes the same tokens as plain decoding', async () => {
    const lookup = client({ purpose: 'rewrite', promptLookup: { maxDraftTokens: 8 } });
    const plain = client({ purpose: 'rewrite' });
    clients.push(lookup, plain);
    // The tiny model's greedy output repeats "quick brown\n"; in the window, prompt lookup finds it and drafts it.
    const window = `${sampleCode.slice(0, 200)}${'quick brown\n'.repeat(6)}`;
    const prompt = `<|file_sep|>original/a.ts\n${window}\n<|file_sep|>current/a.ts\n${window}\n<|file_sep|>updated/a.ts\n`;
    const options = { maxTokens: 64, stop: [], timeoutMs: 30_000, temperature: 0, ignoreEos: true };
    const drafted = await lookup.generateText(prompt, options);
    const decoded = await plain.generateText(prompt, options);
    // Drafts were verified in batches (some accepted), so the comparison covers batched evaluation.
    assert.ok(drafted.drafts && drafted.drafts.accepted > 0, JSON.stringify(drafted.drafts));
    assert.equal(decoded.drafts, undefined);
    assert.equal(drafted.generatedTokens, 64);
    assert.equal(decoded.generatedTokens, 64);
    assert.equal(drafted.text, decoded.text);
  });

  it('without prompt lookup, no drafts are reported', async () => {
    const plain = client({ purpose: 'rewrite' });
    clients.push(plain);
    const result = await plain.generateText(`<|file_sep|>a.ts\n${sampleCode.slice(0, 200)}`, {
      maxTokens: 8,
      stop: [],
      timeoutMs: 30_000,
      temperature: 0,
      ignoreEos: true,
    });
    assert.equal(result.generatedTokens, 8);
    assert.equal(result.drafts, undefined);
  });

  it('the same file asked for completion is refused: it has no FIM tokens', async () => {
    const completion = client({});
    clients.push(completion);
    await assert.rejects(completion.load(), (e: unknown) => isBackendError(e) && /no fill-in-the-middle tokens/.test(e.message));
  });

  it("shares the completion client's host and weights but not its cache: a rewrite in between costs the completion nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bantam-rewrite-host-'));
    try {
      const host = { dir, shared: true, idleExitMs: 60_000 };
      const completion = client({ modelPath: tinyModel, host });
      const rewrite = client({ modelPath: tinyModel, host, purpose: 'rewrite', promptLookup: { maxDraftTokens: 4 } });
      clients.push(completion, rewrite);
      const prompt = qwenPrompt(sampleCode, '\n');
      const options = { maxTokens: 4, stop: [], timeoutMs: 30_000, temperature: 0, ignoreEos: true };
      const first = await completion.generate(prompt, options);
      assert.equal(first.reusedTokens, 0);
      const rewritten = await rewrite.generateText(`<|file_sep|>b.ts\n${sampleCode.slice(200, 500)}`, options);
      assert.ok(rewritten.drafts, 'the rewrite client has prompt lookup on; the completion client does not');
      const again = await completion.generate(prompt, options);
      assert.equal(again.reusedTokens, again.promptTokens - 1, 'the completion prompt stayed in its own sequence');
      assert.equal(again.drafts, undefined);
      const log = readFileSync(hostAddress(dir, hostBuild(workerPath, 'auto')).logPath, 'utf8');
      assert.equal(log.match(/loaded the weights of/g)?.length, 1, 'one copy of the weights for both clients');
      assert.match(log, /\(rewrite, prompt lookup\)/);
    } finally {
      for (const c of clients.splice(0)) c.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
