// The model host process spoken to directly over its protocol, with a real tiny model:
// malformed messages are ignored, load failures are clean error replies (the process stays up),
// a running generation is aborted by an abort message or by a newer request, and chat requests
// share the host with completions without being superseded by them.
import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostConnection } from '../../../src/core/providers/local/hostConnection';
import { parseWorkerMessage, type HostMessage, type WorkerMessage } from '../../../src/core/providers/local/llamaProtocol';
import { ensureTinyModels, qwenPrompt, sampleCode, tinyModel, workerPath } from '../providers/local/llamaTestModels';

/** A private model host spoken to message by message over its socket, after the handshake. */
class HostHarness {
  readonly connection: HostConnection;
  readonly received: WorkerMessage[] = [];
  readonly stderr: string[] = [];
  private ended = false;
  private waiters: Array<() => void> = [];

  constructor() {
    this.connection = new HostConnection({
      hostScript: workerPath,
      dir: mkdtempSync(join(tmpdir(), 'bmh-')),
      shared: false,
      idleExitMs: 0,
      clientName: 'test',
      log: (line) => this.stderr.push(line),
    });
    this.connection.onExit(() => (this.ended = true));
    this.connection.onMessage((raw) => {
      const m = parseWorkerMessage(raw);
      assert.ok(m, `the host sent a malformed message: ${JSON.stringify(raw)}`);
      this.received.push(m);
      for (const w of this.waiters) w();
    });
  }

  send(message: HostMessage | unknown): void {
    this.connection.post(message as HostMessage);
  }

  /** The first message (received so far or later) that matches. */
  async next<T extends WorkerMessage>(match: (m: WorkerMessage) => m is T): Promise<T>;
  async next(match: (m: WorkerMessage) => boolean): Promise<WorkerMessage>;
  async next(match: (m: WorkerMessage) => boolean): Promise<WorkerMessage> {
    for (;;) {
      const found = this.received.find(match);
      if (found) return found;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
      this.waiters = [];
    }
  }

  get alive(): boolean {
    return !this.ended;
  }

  kill(): void {
    this.connection.terminate();
  }
}

const load = (modelPath: string): HostMessage => ({
  type: 'load',
  modelPath,
  gpu: 'off',
  threads: 1,
  flashAttention: true,
  contextSize: 4096,
  batchSize: 64,
});

const isLoaded = (m: WorkerMessage): boolean => m.type === 'loaded';
const isLoadError = (m: WorkerMessage): boolean => m.type === 'error' && m.id === undefined;
const doneFor = (id: number) => (m: WorkerMessage): m is Extract<WorkerMessage, { type: 'done' }> => m.type === 'done' && m.id === id;

describe('model host process', function () {
  this.timeout(60_000);
  let w: HostHarness | undefined;

  before(() => ensureTinyModels());
  afterEach(() => w?.kill());

  it('ignores malformed messages and keeps serving', async () => {
    w = new HostHarness();
    for (const junk of [{ type: 'explode' }, { type: 'generate', id: 'one' }, 42, 'load', [1, 2]]) w.send(junk);
    w.send(load(tinyModel));
    await w.next(isLoaded);
    w.send({ type: 'tokenize', id: 7, text: '<|fim_prefix|>abc' });
    const t = await w.next((m) => m.type === 'tokenized' && m.id === 7);
    assert.ok(t.type === 'tokenized' && t.count >= 2);
    assert.ok(w.alive);
    assert.match(w.stderr.join(''), /ignored malformed or unknown message of type "explode"/);
  });

  it('answers a malformed request that carries an id with bad-message, so nobody waits for it', async () => {
    w = new HostHarness();
    w.send({ type: 'generate', id: 9, prompt: 3 });
    const e = await w.next((m) => m.type === 'error' && m.id === 9);
    assert.ok(e.type === 'error' && e.code === 'bad-message');
    assert.ok(w.alive);
  });

  it('answers a generate before load with not-loaded', async () => {
    w = new HostHarness();
    w.send({ type: 'generate', id: 1, prompt: 'x', maxTokens: 4, stop: [], timeoutMs: 1000, temperature: 0 });
    const e = await w.next((m) => m.type === 'error');
    assert.ok(e.type === 'error' && e.id === 1 && e.code === 'not-loaded');
    assert.ok(w.alive);
  });

  it('reports a load failure as an error reply and stays alive', async () => {
    w = new HostHarness();
    w.send(load('/definitely/not/here.gguf'));
    const e = await w.next(isLoadError);
    assert.ok(e.type === 'error' && e.code === 'model-missing');
    assert.ok(w.alive);
  });

  it('stops a running generation on abort, well before maxTokens', async () => {
    w = new HostHarness();
    w.send(load(tinyModel));
    await w.next(isLoaded);
    const prompt = qwenPrompt(sampleCode, '\n').text;
    // ignoreEos: the tiny model would otherwise finish in a dozen tokens, before the abort arrives.
    w.send({ type: 'generate', id: 1, prompt, maxTokens: 3000, stop: [], timeoutMs: 60_000, temperature: 0, stream: true, ignoreEos: true });
    await w.next((m) => m.type === 'firstToken' && m.id === 1);
    w.send({ type: 'abort', id: 1 });
    const done = await w.next(doneFor(1));
    assert.equal(done.result.stoppedBy, 'abort');
    assert.ok(done.result.generatedTokens < 3000, `generated ${done.result.generatedTokens}`);
  });

  it('ends at timeoutMs with stoppedBy timeout', async () => {
    w = new HostHarness();
    w.send(load(tinyModel));
    await w.next(isLoaded);
    const prompt = qwenPrompt(sampleCode, '\n').text;
    w.send({ type: 'generate', id: 1, prompt, maxTokens: 3000, stop: [], timeoutMs: 200, temperature: 0, ignoreEos: true });
    const done = await w.next(doneFor(1));
    assert.equal(done.result.stoppedBy, 'timeout');
    assert.ok(done.result.generatedTokens < 3000);
  });

  it('generates exactly maxTokens with ignoreEos', async () => {
    w = new HostHarness();
    w.send(load(tinyModel));
    await w.next(isLoaded);
    w.send({ type: 'generate', id: 1, prompt: qwenPrompt(sampleCode, '\n').text, maxTokens: 40, stop: [], timeoutMs: 60_000, temperature: 0, ignoreEos: true });
    const done = await w.next(doneFor(1));
    assert.equal(done.result.stoppedBy, 'maxTokens');
    assert.equal(done.result.generatedTokens, 40);
  });

  it('lets the latest request win over a running one', async () => {
    w = new HostHarness();
    w.send(load(tinyModel));
    await w.next(isLoaded);
    const prompt = qwenPrompt(sampleCode, '\n').text;
    w.send({ type: 'generate', id: 1, prompt, maxTokens: 3000, stop: [], timeoutMs: 60_000, temperature: 0, ignoreEos: true });
    await w.next((m) => m.type === 'firstToken' && m.id === 1);
    w.send({ type: 'generate', id: 2, prompt: prompt + 'x', maxTokens: 4, stop: [], timeoutMs: 60_000, temperature: 0 });
    const first = await w.next(doneFor(1));
    const second = await w.next(doneFor(2));
    assert.equal(first.result.stoppedBy, 'abort');
    assert.notEqual(second.result.stoppedBy, 'abort');
    assert.ok(second.result.reusedTokens > 0, 'the second request reuses the first one\'s cached prefix');
  });

  describe('chat', () => {
    // The tiny model answers "quick brown\n" after any token off its chain; ChatML's prompt ends in
    // "\n", which is on it (it leads to end of text), so conversations end with a started answer.
    const conversation = [
      { role: 'system', content: 'Answer briefly.' },
      { role: 'user', content: 'What does scale0 do?' },
      { role: 'assistant', content: 'It' },
    ];
    const chat = (id: number, extra: Record<string, unknown> = {}): HostMessage =>
      ({ type: 'chat', id, messages: conversation, maxTokens: 64, temperature: 0, timeoutMs: 60_000, ...extra }) as HostMessage;

    beforeEach(async () => {
      w = new HostHarness();
      w.send(load(tinyModel));
      await w.next(isLoaded);
    });

    it('streams an answer whose chunks add up to the text and reports its token counts', async () => {
      w!.send(chat(1));
      const done = await w!.next(doneFor(1));
      const chunks = w!.received.filter((m) => m.type === 'chunk' && m.id === 1).map((m) => (m.type === 'chunk' ? m.text : ''));
      assert.ok(done.result.text.length > 0, 'non-empty answer');
      assert.equal(chunks.join(''), done.result.text);
      assert.equal(done.result.stoppedBy, 'eos');
      assert.ok(done.result.promptTokens > 10 && done.result.generatedTokens > 0);
      assert.ok(w!.received.some((m) => m.type === 'firstToken' && m.id === 1));
    });

    it('stops a running chat on abort, and the next completion is answered normally', async () => {
      w!.send(chat(1, { maxTokens: 3000, ignoreEos: true }));
      await w!.next((m) => m.type === 'firstToken' && m.id === 1);
      w!.send({ type: 'abort', id: 1 });
      const done = await w!.next(doneFor(1));
      assert.equal(done.result.stoppedBy, 'abort');
      assert.ok(done.result.generatedTokens < 3000, `generated ${done.result.generatedTokens}`);
      w!.send({ type: 'generate', id: 2, prompt: qwenPrompt(sampleCode, '\n').text, maxTokens: 8, stop: [], timeoutMs: 60_000, temperature: 0 });
      const next = await w!.next(doneFor(2));
      assert.notEqual(next.result.stoppedBy, 'abort');
      assert.ok(next.result.generatedTokens > 0);
    });

    it('is not superseded by a completion that arrives while it runs; the completion waits its turn', async () => {
      w!.send(chat(1, { maxTokens: 200, ignoreEos: true }));
      await w!.next((m) => m.type === 'firstToken' && m.id === 1);
      w!.send({ type: 'generate', id: 2, prompt: qwenPrompt(sampleCode, '\n').text, maxTokens: 8, stop: [], timeoutMs: 60_000, temperature: 0 });
      const chatDone = await w!.next(doneFor(1));
      const generateDone = await w!.next(doneFor(2));
      assert.equal(chatDone.result.stoppedBy, 'maxTokens');
      assert.equal(chatDone.result.generatedTokens, 200);
      assert.notEqual(generateDone.result.stoppedBy, 'abort');
      const order = w!.received.filter((m) => m.type === 'done').map((m) => (m.type === 'done' ? m.id : -1));
      assert.deepEqual(order, [1, 2]);
    });

    it('ends at timeoutMs keeping the text generated so far', async () => {
      w!.send(chat(1, { maxTokens: 3000, ignoreEos: true, timeoutMs: 100 }));
      const done = await w!.next(doneFor(1));
      assert.equal(done.result.stoppedBy, 'timeout');
      assert.ok(done.result.text.length > 0 && done.result.generatedTokens < 3000);
    });

    it('refuses a conversation longer than the context window with prompt-too-long, and keeps serving', async () => {
      w!.send(chat(1, { messages: [{ role: 'user', content: sampleCode.repeat(8) }] }));
      const e = await w!.next((m) => m.type === 'error' && m.id === 1);
      assert.ok(e.type === 'error' && e.code === 'prompt-too-long');
      assert.match(e.message, /^The prompt is \d+ tokens but the embedded model's window is 4096; use a frontier model or raise bantam\.embedded\.contextSize\.$/);
      w!.send(chat(2));
      assert.equal((await w!.next(doneFor(2))).result.stoppedBy, 'eos');
      assert.ok(w!.alive);
    });

    it('answers a malformed chat with bad-message', async () => {
      w!.send({ type: 'chat', id: 5, messages: [], maxTokens: 8, temperature: 0, timeoutMs: 1000 });
      const e = await w!.next((m) => m.type === 'error' && m.id === 5);
      assert.ok(e.type === 'error' && e.code === 'bad-message');
      assert.ok(w!.alive);
    });
  });
});
