// LocalLlamaBackend against a real worker process and the tiny test model: lazy loading, KV reuse,
// stop strings, limits, abort, surviving a killed worker, and clear errors for unusable models.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, openSync, readSync, closeSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBackendError } from '../../../../src/core/kernel/backendError';
import {
  LocalLlamaBackend,
  type LocalGenerateOptions,
  type LocalLlamaBackendOptions,
  type LocalLlamaStatus,
} from '../../../../src/core/providers/local/localLlamaBackend';
import { ensureTinyModels, noFimModel, qwenPrompt, sampleCode, tinyModel, workerPath } from './llamaTestModels';

const logs: string[] = [];

function backend(overrides: Partial<LocalLlamaBackendOptions> = {}): LocalLlamaBackend {
  return new LocalLlamaBackend({
    workerPath,
    modelPath: tinyModel,
    threads: 1,
    flashAttention: true,
    contextSize: 4096,
    batchSize: 64,
    log: (line) => logs.push(line),
    restart: { initialDelayMs: 50, maxDelayMs: 200 },
    ...overrides,
  });
}

const greedy = (extra: Partial<LocalGenerateOptions> = {}): LocalGenerateOptions => ({
  maxTokens: 16,
  stop: [],
  timeoutMs: 30_000,
  temperature: 0,
  ...extra,
});

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  assert.fail('expected the promise to reject');
}

describe('LocalLlamaBackend with the tiny model', function () {
  this.timeout(60_000);
  let b: LocalLlamaBackend | undefined;
  let tmp: string;

  before(() => {
    ensureTinyModels();
    tmp = mkdtempSync(join(tmpdir(), 'bantam-llama-'));
  });
  afterEach(() => {
    b?.dispose();
    b = undefined;
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('does not start the worker at construction, loads on first use, and generates text', async () => {
    b = backend();
    const states: LocalLlamaStatus[] = [];
    b.onState((s) => states.push(s.status));
    assert.equal(b.pid, undefined);
    assert.equal(b.currentState.status, 'idle');
    const r = await b.generate(qwenPrompt(sampleCode, '\n'), greedy());
    assert.ok(r.text.length > 0, 'non-empty text');
    assert.ok(r.generatedTokens > 0 && r.generatedTokens <= 16);
    assert.ok(r.promptTokens > 100);
    assert.ok(Number.isFinite(r.ttftMs) && r.ttftMs <= r.totalMs);
    assert.deepEqual(states, ['loading', 'ready']);
    assert.equal(await b.family(), 'qwen');
    const rate = b.promptTokPerS();
    assert.ok(rate !== undefined && rate > 0, `the model host measured its prompt rate at load: ${rate}`);
  });

  it('reuses the cached prefix for a request that extends the previous prompt; fresh reuses nothing', async () => {
    b = backend();
    const first = await b.generate(qwenPrompt(sampleCode, '\n}\n'), greedy({ maxTokens: 4 }));
    assert.equal(first.reusedTokens, 0);
    const second = await b.generate(qwenPrompt(sampleCode + 'co', '\n}\n'), greedy({ maxTokens: 4 }));
    assert.ok(second.reusedTokens > 100, `reused ${second.reusedTokens} of ${second.promptTokens}`);
    assert.ok(second.reusedTokens < second.promptTokens);
    const fresh = await b.generate(qwenPrompt(sampleCode + 'co', '\n}\n'), greedy({ maxTokens: 4, fresh: true }));
    assert.equal(fresh.reusedTokens, 0);
  });

  it('readPrompt reads a prompt into the cache and generates nothing; the request after it reads one token', async () => {
    b = backend();
    await b.load();
    const prompt = qwenPrompt(sampleCode + 'const other = ', '\n}\n');
    const read = await b.readPrompt(prompt, new AbortController().signal);
    assert.equal(read.stoppedBy, 'maxTokens');
    assert.equal(read.text, '');
    assert.equal(read.generatedTokens, 0);
    assert.ok(read.promptTokens > 100 && read.reusedTokens === 0, `read ${read.promptTokens}, reused ${read.reusedTokens}`);
    const next = await b.generate(prompt, greedy({ maxTokens: 4 }));
    assert.equal(next.reusedTokens, next.promptTokens - 1);
    assert.ok(next.generatedTokens > 0);
  });

  it('a generate supersedes a read still running and keeps what it read', async () => {
    // Batches of 8 tokens make the read long enough to be overtaken.
    b = backend({ batchSize: 8 });
    await b.load();
    const prompt = qwenPrompt(sampleCode.repeat(4), '\n}\n');
    const reading = b.readPrompt(prompt, new AbortController().signal);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const next = await b.generate(prompt, greedy({ maxTokens: 4 }));
    const read = await reading;
    assert.equal(read.stoppedBy, 'abort', 'the newer request won');
    assert.ok(next.reusedTokens > 0 && next.reusedTokens < next.promptTokens - 1, `reused ${next.reusedTokens} of ${next.promptTokens}`);
  });

  describe('stop strings', () => {
    const prompt = qwenPrompt(sampleCode, '\n');
    let free = '';

    beforeEach(async () => {
      b = backend();
      // What the model says with no stop (greedy and fresh, so it says it again).
      free = (await b.generate(prompt, greedy({ maxTokens: 24, fresh: true }))).text;
      assert.ok(free.length >= 8, `need some text to pick stop strings from, got ${JSON.stringify(free)}`);
    });

    for (const [name, from, to] of [
      ['inside the text', 2, 4],
      // Several characters around a space: BPE starts a token at the space, so this spans tokens.
      ['spanning a token boundary', 3, 7],
    ] as const) {
      it(`ends at a stop string ${name} and leaves it out of the text and the stream`, async () => {
        const stop = free.slice(from, to);
        const expected = free.slice(0, free.indexOf(stop));
        const chunks: string[] = [];
        const stopped = await b!.generate(prompt, greedy({ maxTokens: 24, fresh: true, stop: [stop], onChunk: (t) => chunks.push(t) }));
        assert.equal(stopped.stoppedBy, 'stop');
        assert.equal(stopped.text, expected);
        assert.equal(chunks.join(''), expected);
      });
    }

    it('streams chunks that add up to the final text', async () => {
      const chunks: string[] = [];
      const r = await b!.generate(prompt, greedy({ maxTokens: 24, fresh: true, onChunk: (t) => chunks.push(t) }));
      assert.equal(chunks.join(''), r.text);
      assert.equal(r.text, free);
    });
  });

  it('respects maxTokens', async () => {
    b = backend();
    // The tiny model's greedy answer is a dozen tokens long, so three cut it short.
    const r = await b.generate(qwenPrompt(sampleCode, '\n'), greedy({ maxTokens: 3 }));
    assert.equal(r.stoppedBy, 'maxTokens');
    assert.equal(r.generatedTokens, 3);
  });

  it('resolves promptly with stoppedBy abort when the signal fires mid-generation', async () => {
    b = backend();
    await b.load();
    const controller = new AbortController();
    const r = await b.generate(
      qwenPrompt(sampleCode, '\n'),
      greedy({ maxTokens: 3000, ignoreEos: true, signal: controller.signal, onFirstToken: () => controller.abort() }),
    );
    assert.equal(r.stoppedBy, 'abort');
    // The worker stops too: the next request is answered normally.
    const next = await b.generate(qwenPrompt(sampleCode, '\n'), greedy({ maxTokens: 2 }));
    assert.notEqual(next.stoppedBy, 'abort');
  });

  it('answers an already-aborted signal without loading anything', async () => {
    b = backend();
    const r = await b.generate(qwenPrompt('x', ''), greedy({ signal: AbortSignal.abort() }));
    assert.equal(r.stoppedBy, 'abort');
    assert.equal(b.pid, undefined);
  });

  it('rejects with worker-crashed when the worker is killed mid-request, then restarts for the next one', async () => {
    b = backend();
    await b.load();
    const firstPid = b.pid!;
    const states: LocalLlamaStatus[] = [];
    b.onState((s) => states.push(s.status));
    const err = await rejection(
      // ignoreEos keeps the worker busy for thousands of tokens, so the kill lands mid-request.
      b.generate(qwenPrompt(sampleCode, '\n'), greedy({ maxTokens: 3000, ignoreEos: true, onFirstToken: () => process.kill(firstPid, 'SIGKILL') })),
    );
    assert.ok(isBackendError(err, 'worker-crashed'), String(err));
    const next = await b.generate(qwenPrompt(sampleCode, '\n'), greedy({ maxTokens: 2 }));
    assert.ok(next.generatedTokens > 0 || next.stoppedBy === 'eos');
    assert.notEqual(b.pid, firstPid);
    assert.deepEqual(states.slice(0, 2), ['restarting', 'restarting']);
    assert.equal(states.at(-1), 'ready');
    assert.match(b.currentState.lastError ?? '', /SIGKILL|died/);
  });

  it('rejects a prompt longer than the context with a clear message', async () => {
    b = backend({ contextSize: 256 });
    const err = await rejection(b.generate(qwenPrompt(sampleCode.repeat(2), '\n'), greedy()));
    assert.ok(isBackendError(err, 'malformed'), String(err));
    assert.match(err.message, /the model context holds/);
    // The worker is still fine for a prompt that fits.
    const ok = await b.generate(qwenPrompt('let x = ', ';'), greedy({ maxTokens: 2 }));
    assert.ok(ok.promptTokens > 0);
  });

  it('counts tokens and measures rates', async () => {
    b = backend();
    assert.ok((await b.tokenCount('<|fim_prefix|>hello')) >= 2);
    const rates = await b.measureRates(64, 8);
    assert.ok(rates.promptTokPerS > 0 && rates.genTokPerS > 0);
  });

  describe('unusable models', () => {
    async function expectLoadError(modelPath: string, code: string, message: RegExp): Promise<void> {
      b = backend({ modelPath });
      const err = await rejection(b.generate(qwenPrompt('x', ''), greedy()));
      assert.ok(isBackendError(err), String(err));
      assert.equal(err.code, code);
      assert.match(err.message, message);
      assert.equal(b.currentState.status, 'error');
      assert.match(b.currentState.message ?? '', message);
      // Asking again repeats the error without starting another worker.
      const again = await rejection(b.generate(qwenPrompt('x', ''), greedy()));
      assert.equal(again, err);
      assert.equal(b.pid, undefined);
    }

    it('a missing file', () => expectLoadError(join(tmp, 'absent.gguf'), 'model-missing', /absent\.gguf does not exist/));

    it('a file that is not GGUF', () => {
      const path = join(tmp, 'notes.gguf');
      writeFileSync(path, 'these are not the weights you are looking for\n'.repeat(10));
      return expectLoadError(path, 'model-load', /is not a GGUF model/);
    });

    it('a truncated GGUF file', () => {
      const path = join(tmp, 'truncated.gguf');
      const size = statSync(tinyModel).size;
      const keep = Buffer.alloc(Math.floor(size * 0.6));
      const fd = openSync(tinyModel, 'r');
      readSync(fd, keep, 0, keep.length, 0);
      closeSync(fd);
      writeFileSync(path, keep);
      return expectLoadError(path, 'model-load', /is truncated \(\d+ of \d+ bytes\); download it again/);
    });

    it('a model without FIM tokens', () => {
      const path = join(tmp, 'nofim.gguf');
      copyFileSync(noFimModel, path);
      return expectLoadError(path, 'model-load', /no fill-in-the-middle tokens/);
    });
  });
});
