// The load options of a next-edit (rewrite) client: its purpose and prompt lookup, validated where
// the message crosses into the model host, and the sequence options the host builds from them.
import * as assert from 'node:assert/strict';
import { MAX_DRAFT_TOKENS, parseHostMessage, parseWorkerMessage } from '../../../../src/core/providers/local/llamaProtocol';
import { requireFimFor, sequenceOptions } from '../../../../src/core/providers/local/host/llamaModelLoader';
import type { ModelFileFacts } from '../../../../src/core/models/modelInspector';
import { WorkerError } from '../../../../src/core/providers/local/host/workerError';

const load = { type: 'load', modelPath: '/m.gguf', gpu: 'auto', threads: 1, flashAttention: true, contextSize: 2048, batchSize: 256 };
const done = { type: 'done', id: 1, result: { text: 'x', promptTokens: 3, reusedTokens: 1, generatedTokens: 1, ttftMs: 5, totalMs: 6, stoppedBy: 'eos' } };

describe('rewrite client load options', () => {
  it('accepts a purpose and prompt lookup within bounds', () => {
    for (const ok of [
      { ...load, purpose: 'completion' },
      { ...load, purpose: 'rewrite' },
      { ...load, purpose: 'rewrite', promptLookup: { maxDraftTokens: 8 } },
      { ...load, promptLookup: { maxDraftTokens: MAX_DRAFT_TOKENS } },
    ]) {
      assert.deepEqual(parseHostMessage(ok), ok);
    }
  });

  it('rejects an unknown purpose and malformed prompt lookup', () => {
    for (const bad of [
      { ...load, purpose: 'chat' },
      { ...load, purpose: 1 },
      { ...load, promptLookup: true },
      { ...load, promptLookup: {} },
      { ...load, promptLookup: { maxDraftTokens: 0 } },
      { ...load, promptLookup: { maxDraftTokens: 2.5 } },
      { ...load, promptLookup: { maxDraftTokens: MAX_DRAFT_TOKENS + 1 } },
    ]) {
      assert.equal(parseHostMessage(bad), undefined, JSON.stringify(bad));
    }
  });

  it('a done message may carry draft counts, well-formed only', () => {
    const withDrafts = { ...done, result: { ...done.result, drafts: { accepted: 3, rejected: 5 } } };
    assert.deepEqual((parseWorkerMessage(withDrafts) as typeof withDrafts).result.drafts, { accepted: 3, rejected: 5 });
    assert.equal(parseWorkerMessage({ ...done, result: { ...done.result, drafts: { accepted: -1, rejected: 0 } } }), undefined);
    assert.equal(parseWorkerMessage({ ...done, result: { ...done.result, drafts: 4 } }), undefined);
  });
});

describe('what the host builds from them', () => {
  const facts = (fim: boolean): ModelFileFacts => ({
    family: fim ? 'qwen' : null,
    architecture: 'qwen2',
    name: undefined,
    contextLength: 4096,
    vocabSize: 10,
    fileBytes: 1,
    fim: fim
      ? {
          prefix: { id: 1, text: '<|fim_prefix|>' },
          suffix: { id: 2, text: '<|fim_suffix|>' },
          middle: { id: 3, text: '<|fim_middle|>' },
          pad: null,
          repoName: null,
          fileSep: null,
        }
      : null,
    repoLevel: false,
  } as ModelFileFacts);

  it('a completion client refuses a model without FIM tokens; a rewrite client takes it', () => {
    assert.throws(
      () => requireFimFor('completion', facts(false), '/m.gguf'),
      (e: unknown) => e instanceof WorkerError && e.code === 'no-fim' && /no fill-in-the-middle tokens/.test(e.message),
    );
    assert.doesNotThrow(() => requireFimFor('rewrite', facts(false), '/m.gguf'));
    assert.doesNotThrow(() => requireFimFor('completion', facts(true), '/m.gguf'));
  });

  it('prompt lookup gives the sequence an InputLookupTokenPredictor drafting up to maxDraftTokens', async () => {
    const nlc = await import('node-llama-cpp');
    assert.deepEqual(sequenceOptions(nlc, undefined, false), {});
    const { tokenPredictor } = sequenceOptions(nlc, { maxDraftTokens: 12 }, false);
    assert.ok(tokenPredictor instanceof nlc.InputLookupTokenPredictor);
    assert.equal(tokenPredictor.predictionMaxLength, 12);
    assert.equal(tokenPredictor.patternMinLength, 1);
    // It drafts by copying from the input: after "1 2", the input's "3 4 5" follows.
    tokenPredictor.updateInputTokens([1, 2, 3, 4, 5] as never);
    tokenPredictor.reset({ stateTokens: [9, 1, 2] as never });
    assert.deepEqual(tokenPredictor.predictTokens(), [3, 4, 5]);
    tokenPredictor.dispose();
  });
});
