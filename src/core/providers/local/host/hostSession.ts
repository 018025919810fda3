// One client of the model host (a VS Code window, the CLI): its own context and long-lived KV
// sequence on a shared model, its requests, and what it is told. It answers llamaProtocol messages
// as the one-window worker did: a load opens the session on the (shared) model, generates and chats
// go through the host's scheduler, an abort stops its request, and `dispose` (or a vanished
// connection) aborts whatever it still has running, frees its sequence and releases the model.

import { performance } from 'node:perf_hooks';
import type { GenerationResult } from '../../../kernel/completionTypes';
import { LlamaChatRunner, type ChatJob } from './llamaChat';
import { LlamaGenerator, type GenerationEvents, type GenerationJob, type RunJob } from './llamaGenerator';
import { openModelSession, type LoadedModel } from './llamaModelLoader';
import type { ChatRequestMessage, GenerateMessage, HostMessage, LoadMessage, MeasureRatesMessage, WorkerErrorCode, WorkerMessage } from '../llamaProtocol';
import type { HostScheduler, JobKind } from './hostScheduler';
import { SharedModels } from './sharedModels';
import { WorkerError } from './workerError';

type SessionState =
  | { kind: 'empty' }
  | { kind: 'loading' }
  | { kind: 'ready'; loaded: LoadedModel; generator: LlamaGenerator; chat: LlamaChatRunner; modelKey: string }
  | { kind: 'failed' }
  | { kind: 'closed' };

export interface SessionPeer {
  send(message: WorkerMessage): void;
  log(line: string): void;
}

function errorReply(e: unknown, fallback: WorkerErrorCode, id?: number): WorkerMessage {
  const code = e instanceof WorkerError ? e.code : fallback;
  const message = e instanceof Error ? e.message : String(e);
  return id === undefined ? { type: 'error', code, message } : { type: 'error', id, code, message };
}

const notLoaded = (id: number): WorkerMessage => ({ type: 'error', id, code: 'not-loaded', message: 'The model is not loaded yet.' });

export class HostSession {
  private state: SessionState = { kind: 'empty' };
  private readonly jobs = new Map<number, RunJob>();
  /** Scheduled jobs not yet finished: the sequence is freed only after the last one. */
  private inFlight = 0;
  private drained: (() => void)[] = [];
  private closing: Promise<void> | undefined;

  constructor(
    readonly id: number,
    readonly name: string,
    private readonly peer: SessionPeer,
    private readonly models: SharedModels,
    private readonly scheduler: HostScheduler,
  ) {}

  /** Read through a method: the state changes while a job awaits, which narrowing can't see. */
  private isClosed(): boolean {
    return this.state.kind === 'closed';
  }

  /** What the host's log and status say about this client. */
  describe(): string {
    return `${this.name} (${this.state.kind}${this.state.kind === 'ready' ? `, ${this.state.modelKey}` : ''})`;
  }

  handle(message: HostMessage): void {
    if (this.state.kind === 'closed') return;
    switch (message.type) {
      case 'load':
        this.load(message);
        return;
      case 'generate':
        this.generate(message);
        return;
      case 'chat':
        this.chat(message);
        return;
      case 'abort': {
        const job = this.jobs.get(message.id);
        if (job) job.aborted = true;
        return;
      }
      case 'tokenize': {
        if (this.state.kind !== 'ready') return this.peer.send(notLoaded(message.id));
        try {
          // Tokenizing only reads the vocabulary, so it need not wait behind a running generation.
          this.peer.send({ type: 'tokenized', id: message.id, count: this.state.generator.tokenCount(message.text) });
        } catch (e) {
          this.peer.send(errorReply(e, 'generate-failed', message.id));
        }
        return;
      }
      case 'measureRates':
        this.measureRates(message);
        return;
      case 'dispose':
      case 'shutdown':
        // The server handles both (it owns the connection); a session never sees them.
        return;
    }
  }

  /** Aborts the client's requests, waits for the one running, frees the sequence and releases the model. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    const previous = this.state;
    this.state = { kind: 'closed' };
    for (const job of this.jobs.values()) job.aborted = true;
    this.scheduler.forget(this.id);
    if (this.inFlight > 0) await new Promise<void>((resolve) => this.drained.push(resolve));
    if (previous.kind === 'ready') {
      await previous.loaded.context.dispose().catch((e: unknown) => this.peer.log(`${this.name}: freeing its context failed: ${(e as Error).message}`));
      this.models.release(previous.modelKey);
    }
  }

  private load(message: LoadMessage): void {
    if (this.state.kind !== 'empty') {
      this.peer.send({ type: 'error', code: 'bad-message', message: 'This client has already asked for a model.' });
      return;
    }
    this.state = { kind: 'loading' };
    const started = performance.now();
    const { type: _type, ...options } = message;
    const modelKey = SharedModels.key(options);
    const fail = (e: unknown): void => {
      if (this.state.kind === 'closed') return;
      this.state = { kind: 'failed' };
      this.peer.log(`${this.name}: load failed: ${(e as Error).message}`);
      this.peer.send(errorReply(e, 'load-failed'));
    };
    this.models.acquire(options).then((shared) => {
      if (this.state.kind === 'closed') {
        this.models.release(modelKey);
        return;
      }
      // Opening the session evaluates (warm-up, rate probe): it waits its turn like any request.
      this.schedule('setup', async () => {
        if (this.isClosed()) {
          // Left while waiting its turn: no warm-up for nobody.
          this.models.release(modelKey);
          return;
        }
        let loaded: LoadedModel;
        try {
          loaded = await openModelSession(shared, options);
        } catch (e) {
          this.models.release(modelKey);
          fail(e);
          return;
        }
        if (this.isClosed()) {
          await loaded.context.dispose().catch(() => undefined);
          this.models.release(modelKey);
          return;
        }
        const generator = new LlamaGenerator(loaded);
        const chat = new LlamaChatRunner(loaded, generator, (line) => this.peer.log(`${this.name}: ${line}`));
        this.state = { kind: 'ready', loaded, generator, chat, modelKey };
        const loadMs = performance.now() - started;
        this.peer.log(
          `${this.name}: ready on ${loaded.info.name ?? loaded.info.architecture} (${options.purpose === 'rewrite' ? 'rewrite' : loaded.info.family}${options.promptLookup ? ', prompt lookup' : ''}) in ${Math.round(loadMs)} ms`,
        );
        this.peer.send({
          type: 'loaded',
          info: loaded.info,
          trainContextSize: loaded.trainContextSize,
          vocab: loaded.vocab,
          loadMs,
          promptTokPerS: loaded.promptTokPerS,
        });
      });
    }, fail);
  }

  private generate(message: GenerateMessage): void {
    if (this.state.kind !== 'ready') return this.peer.send(notLoaded(message.id));
    const generator = this.state.generator;
    const job: GenerationJob = {
      id: message.id,
      prompt: message.prompt,
      maxTokens: message.maxTokens,
      stop: message.stop,
      timeoutMs: message.timeoutMs,
      temperature: message.temperature,
      fresh: message.fresh === true,
      stream: message.stream === true,
      ignoreEos: message.ignoreEos === true,
      ...(message.extent ? { extent: message.extent } : {}),
      receivedAt: performance.now(),
      aborted: false,
    };
    this.run('completion', job, generator, (events) => generator.generate(job, events));
  }

  private chat(message: ChatRequestMessage): void {
    if (this.state.kind !== 'ready') return this.peer.send(notLoaded(message.id));
    const { generator, chat } = this.state;
    const job: ChatJob = {
      id: message.id,
      messages: message.messages,
      maxTokens: message.maxTokens,
      stop: message.stop ?? [],
      timeoutMs: message.timeoutMs,
      temperature: message.temperature,
      fresh: false,
      // The chat panel shows the answer as it comes, so a chat always streams.
      stream: true,
      ignoreEos: message.ignoreEos === true,
      receivedAt: performance.now(),
      aborted: false,
    };
    this.run('chat', job, generator, (events) => chat.chat(job, events));
  }

  /** Schedules a generation: its events and result (or error) go back to the client under its id. */
  private run(kind: JobKind, job: RunJob, generator: LlamaGenerator, start: (events: GenerationEvents) => Promise<GenerationResult>): void {
    this.jobs.set(job.id, job);
    this.schedule(
      kind,
      async () => {
        try {
          const result = await start({
            firstToken: (ms) => this.peer.send({ type: 'firstToken', id: job.id, ms }),
            chunk: (text) => this.peer.send({ type: 'chunk', id: job.id, text }),
          });
          this.peer.send({ type: 'done', id: job.id, result });
        } catch (e) {
          this.peer.log(`${this.name}: request ${job.id} failed: ${(e as Error).message}`);
          this.peer.send(errorReply(e, 'generate-failed', job.id));
          // A failure mid-evaluation leaves the cache in an unknown state; start the next request clean.
          if (!(e instanceof WorkerError)) await generator.reset().catch(() => undefined);
        } finally {
          this.jobs.delete(job.id);
        }
      },
      () => {
        job.aborted = true;
      },
    );
  }

  private measureRates(message: MeasureRatesMessage): void {
    if (this.state.kind !== 'ready') return this.peer.send(notLoaded(message.id));
    const generator = this.state.generator;
    this.schedule('rates', async () => {
      try {
        const rates = await generator.measureRates(message.promptTokens, message.genTokens);
        this.peer.send({ type: 'rates', id: message.id, ...rates });
      } catch (e) {
        this.peer.send(errorReply(e, 'generate-failed', message.id));
      }
    });
  }

  private schedule(kind: JobKind, task: () => Promise<void>, abort: () => void = () => undefined): void {
    this.inFlight++;
    this.scheduler.submit({
      client: this.id,
      kind,
      abort,
      run: async () => {
        try {
          await task();
        } finally {
          if (--this.inFlight === 0) for (const done of this.drained.splice(0)) done();
        }
      },
    });
  }
}
