// LlamaGenerator's text handling against a scripted byte-level model (each UTF-8 byte one token), so
// the cases a random-weight model never produces on demand are exact: characters split across
// tokens, stop strings across token boundaries, and which prompt tokens are reused from the cache.
import * as assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { LlamaGenerator, type GenerationJob } from '../../../../../src/core/providers/local/host/llamaGenerator';
import type { LoadedModel } from '../../../../../src/core/providers/local/host/llamaModelLoader';

const EOG = 1;
const byteToken = (b: number): number => b + 10;

/** A fake model+sequence: prompts tokenize to bytes, and generation replays `output` then EOG. */
function scripted(output: string): { loaded: LoadedModel; evaluated: number[][] } {
  const evaluated: number[][] = [];
  let context: number[] = [];
  const model = {
    tokenize: (text: string) => [...Buffer.from(text, 'utf8')].map(byteToken),
    // Like llama.cpp: bytes of an unfinished character come out as one U+FFFD.
    detokenize: (tokens: readonly number[]) => Buffer.from(tokens.filter((t) => t >= 10).map((t) => t - 10)).toString('utf8'),
    isEogToken: (t: number) => t === EOG,
    getTokenAttributes: (t: number) => ({ control: t < 10 }),
    tokens: { bos: null },
  };
  const sequence = {
    contextSize: 4096,
    get nextTokenIndex() {
      return context.length;
    },
    compareContextTokens(tokens: number[]) {
      let i = 0;
      while (i < context.length && context[i] === tokens[i]) i++;
      return { firstDifferentIndex: i };
    },
    async eraseContextTokenRanges(ranges: Array<{ start: number; end: number }>) {
      for (const r of ranges) context = [...context.slice(0, r.start), ...context.slice(r.end)];
    },
    async clearHistory() {
      context = [];
    },
    async evaluateWithoutGeneratingNewTokens(tokens: number[]) {
      evaluated.push([...tokens]);
      context.push(...tokens);
    },
    async *evaluate(tokens: number[]) {
      evaluated.push([...tokens]);
      context.push(...tokens);
      for (const t of [...model.tokenize(output), EOG]) {
        yield t;
        context.push(t);
      }
    },
  };
  const loaded = {
    model,
    sequence,
    info: { batchSize: 4 },
    vocab: { addBos: false },
  } as unknown as LoadedModel;
  return { loaded, evaluated };
}

function job(prompt: string, extra: Partial<GenerationJob> = {}): GenerationJob {
  return {
    id: 1,
    prompt,
    maxTokens: 100,
    stop: [],
    timeoutMs: 60_000,
    temperature: 0,
    fresh: false,
    stream: true,
    ignoreEos: false,
    receivedAt: performance.now(),
    aborted: false,
    ...extra,
  };
}

async function run(output: string, j: GenerationJob, loaded = scripted(output).loaded) {
  const chunks: string[] = [];
  const result = await new LlamaGenerator(loaded).generate(j, { firstToken: () => undefined, chunk: (t) => chunks.push(t) });
  return { result, chunks };
}

describe('LlamaGenerator (scripted byte-level model)', () => {
  it('never streams half a character: chunks hold whole characters and add up to the text', async () => {
    const { result, chunks } = await run('ok ✓ 😀 é', job('p'));
    assert.equal(result.text, 'ok ✓ 😀 é');
    assert.equal(result.stoppedBy, 'eos');
    assert.equal(chunks.join(''), result.text);
    for (const c of chunks) assert.ok(!c.includes('\uFFFD'), `chunk ${JSON.stringify(c)}`);
  });

  it('stops at a stop string that spans many tokens and a multi-byte character', async () => {
    const { result, chunks } = await run('value ✓ done; rest', job('p', { stop: ['✓ do'] }));
    assert.equal(result.stoppedBy, 'stop');
    assert.equal(result.text, 'value ');
    assert.equal(chunks.join(''), 'value ');
  });

  it('drops an unfinished character when maxTokens cuts it', async () => {
    // "a✓" is 1 + 3 bytes; three tokens end inside the check mark.
    const { result } = await run('a✓', job('p', { maxTokens: 3 }));
    assert.equal(result.stoppedBy, 'maxTokens');
    assert.equal(result.text, 'a');
    assert.equal(result.generatedTokens, 3);
  });

  it('evaluates only what differs from the cache, and always the last prompt token', async () => {
    const { loaded, evaluated } = scripted('x');
    const g = new LlamaGenerator(loaded);
    const events = { firstToken: () => undefined, chunk: () => undefined };
    const first = await g.generate(job('abcdefghij'), events);
    assert.equal(first.reusedTokens, 0);
    evaluated.length = 0;
    const second = await g.generate(job('abcdefghXY'), events);
    assert.equal(second.reusedTokens, 8);
    // 'X' and 'Y' in the one pass that also produces the first token.
    assert.deepEqual(evaluated, [[byteToken(88), byteToken(89)]]);
    evaluated.length = 0;
    const same = await g.generate(job('abcdefghXY'), events);
    assert.equal(same.reusedTokens, 9);
    assert.deepEqual(evaluated, [[byteToken(89)]]);
  });

  it('maxTokens 0 reads the whole prompt into the cache and samples nothing (a read-ahead)', async () => {
    const { loaded, evaluated } = scripted('never');
    const g = new LlamaGenerator(loaded);
    let firstTokens = 0;
    const events = { firstToken: () => firstTokens++, chunk: () => assert.fail('no text from a read') };
    const read = await g.generate(job('abcdefghij', { maxTokens: 0 }), events);
    assert.equal(read.stoppedBy, 'maxTokens');
    assert.equal(read.text, '');
    assert.equal(read.generatedTokens, 0);
    assert.equal(firstTokens, 0);
    // All ten tokens, in batch-sized pieces, none of them through the sampling path.
    assert.deepEqual(evaluated.map((b) => b.length), [4, 4, 2]);
    evaluated.length = 0;
    // The request that follows finds everything cached but re-reads the last token for its logits.
    const next = await g.generate(job('abcdefghij'), { firstToken: () => undefined, chunk: () => undefined });
    assert.equal(next.reusedTokens, 9);
    assert.deepEqual(evaluated, [[byteToken(106)]]);
    assert.equal(next.text, 'never');
  });

  it('a read stops between batches when aborted, keeping what it read', async () => {
    const { loaded, evaluated } = scripted('x');
    const j = job('0123456789abcdef', { maxTokens: 0 });
    const seq = loaded.sequence as unknown as { evaluateWithoutGeneratingNewTokens(t: number[]): Promise<void> };
    const original = seq.evaluateWithoutGeneratingNewTokens.bind(seq);
    let batches = 0;
    seq.evaluateWithoutGeneratingNewTokens = async (t) => {
      await original(t);
      if (++batches === 2) j.aborted = true;
    };
    const g = new LlamaGenerator(loaded);
    const read = await g.generate(j, { firstToken: () => undefined, chunk: () => undefined });
    assert.equal(read.stoppedBy, 'abort');
    assert.deepEqual(evaluated.map((b) => b.length), [4, 4]);
    seq.evaluateWithoutGeneratingNewTokens = original;
    const next = await g.generate(job('0123456789abcdef'), { firstToken: () => undefined, chunk: () => undefined });
    assert.equal(next.reusedTokens, 8, 'the two batches read before the abort are reused');
  });

  it('evaluates a long prompt in batch-sized pieces and stops between them when aborted', async () => {
    const { loaded, evaluated } = scripted('x');
    const j = job('0123456789abcdef');
    let batches = 0;
    const seq = loaded.sequence as unknown as { evaluateWithoutGeneratingNewTokens(t: number[]): Promise<void> };
    const original = seq.evaluateWithoutGeneratingNewTokens.bind(seq);
    seq.evaluateWithoutGeneratingNewTokens = async (t) => {
      await original(t);
      if (++batches === 2) j.aborted = true;
    };
    const result = await new LlamaGenerator(loaded).generate(j, { firstToken: () => undefined, chunk: () => undefined });
    assert.equal(result.stoppedBy, 'abort');
    assert.deepEqual(evaluated.map((b) => b.length), [4, 4]);
  });

  it('ends a completion where its extent rule says it is complete, with the tokens counted so far', async () => {
    const extent = { shape: 'line-or-block' as const, linePrefix: '  total = ', languageId: 'typescript', tabSize: 4, maxFirstLineChars: 128 };
    const { result } = await run('price * qty;\n  tax();\n', job('p', { stream: false, extent }));
    assert.equal(result.stoppedBy, 'stop');
    assert.equal(result.text, 'price * qty;');
    // One token past the line break decides; nothing of the next line is generated.
    assert.equal(result.generatedTokens, 'price * qty;\n'.length);
  });

  it('without an extent rule the same output runs on to its end', async () => {
    const { result } = await run('price * qty;\n  tax();\n', job('p', { stream: false }));
    assert.equal(result.stoppedBy, 'eos');
    assert.equal(result.text, 'price * qty;\n  tax();\n');
  });
});
