// Entry point of the llama worker child process (bundled to dist/llamaWorker.js). It owns
// node-llama-cpp, the model, one context and its one long-lived sequence, so a native crash or an
// out-of-memory here never takes the extension host down. It speaks llamaProtocol over the IPC
// channel; logs go to stderr, which the host forwards to its own log.
//
// One request runs at a time and the latest wins: a new generate aborts the running one (its
// result comes back with stoppedBy 'abort'), because a completion for text the user has already
// typed past is worthless. A chat is different: the user waits for that answer, so neither a
// completion nor another chat aborts it (only its own abort does); requests behind it wait their
// turn. Everything that touches the sequence runs through one serial queue.

import { performance } from 'node:perf_hooks';
import type { GenerationResult } from '../core/kernel/completionTypes';
import { LlamaChatRunner, type ChatJob } from '../core/providers/local/host/llamaChat';
import { LlamaGenerator, type GenerationEvents, type GenerationJob, type RunJob } from '../core/providers/local/host/llamaGenerator';
import { loadLlamaModel, type LoadedModel } from '../core/providers/local/host/llamaModelLoader';
import {
  describeRejected,
  parseHostMessage,
  type ChatRequestMessage,
  type GenerateMessage,
  type HostMessage,
  type LoadMessage,
  type MeasureRatesMessage,
  type WorkerErrorCode,
  type WorkerMessage,
} from '../core/providers/local/llamaProtocol';
import { WorkerError } from '../core/providers/local/host/workerError';

type WorkerState =
  | { kind: 'empty' }
  | { kind: 'loading' }
  | { kind: 'ready'; loaded: LoadedModel; generator: LlamaGenerator; chat: LlamaChatRunner }
  | { kind: 'failed' }
  | { kind: 'disposing' };

function log(line: string): void {
  process.stderr.write(`[llama-worker ${process.pid}] ${line}\n`);
}

function send(message: WorkerMessage): void {
  // After the host is gone there is nobody to tell; the disconnect handler is already exiting.
  if (process.connected) process.send!(message);
}

function errorReply(e: unknown, fallback: WorkerErrorCode, id?: number): WorkerMessage {
  const code = e instanceof WorkerError ? e.code : fallback;
  const message = e instanceof Error ? e.message : String(e);
  return id === undefined ? { type: 'error', code, message } : { type: 'error', id, code, message };
}

class LlamaWorker {
  private state: WorkerState = { kind: 'empty' };
  private queue: Promise<void> = Promise.resolve();
  private readonly jobs = new Map<number, RunJob>();
  /** The newest completion request: the next generate supersedes it. */
  private latest: GenerationJob | null = null;

  handle(message: HostMessage): void {
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
        if (this.state.kind !== 'ready') {
          send({ type: 'error', id: message.id, code: 'not-loaded', message: 'The model is not loaded yet.' });
          return;
        }
        try {
          // Tokenizing only reads the vocabulary, so it need not wait behind a running generation.
          send({ type: 'tokenized', id: message.id, count: this.state.generator.tokenCount(message.text) });
        } catch (e) {
          send(errorReply(e, 'generate-failed', message.id));
        }
        return;
      }
      case 'measureRates':
        this.measureRates(message);
        return;
      case 'dispose':
        this.dispose();
        return;
    }
  }

  private load(message: LoadMessage): void {
    if (this.state.kind !== 'empty') {
      send({ type: 'error', code: 'bad-message', message: 'This worker has already been asked to load a model.' });
      return;
    }
    this.state = { kind: 'loading' };
    const started = performance.now();
    const { type: _type, ...options } = message;
    loadLlamaModel(options, log).then(
      (loaded) => {
        if (this.state.kind === 'disposing') return;
        const generator = new LlamaGenerator(loaded);
        this.state = { kind: 'ready', loaded, generator, chat: new LlamaChatRunner(loaded, generator, log) };
        const loadMs = performance.now() - started;
        log(`loaded ${loaded.info.name ?? loaded.info.architecture} (${loaded.info.family}) in ${Math.round(loadMs)} ms`);
        send({
          type: 'loaded',
          info: loaded.info,
          trainContextSize: loaded.trainContextSize,
          vocab: loaded.vocab,
          loadMs,
          promptTokPerS: loaded.promptTokPerS,
        });
      },
      (e: unknown) => {
        if (this.state.kind === 'disposing') return;
        this.state = { kind: 'failed' };
        log(`load failed: ${(e as Error).message}`);
        send(errorReply(e, 'load-failed'));
      },
    );
  }

  private generate(message: GenerateMessage): void {
    if (this.state.kind !== 'ready') {
      send({ type: 'error', id: message.id, code: 'not-loaded', message: 'The model is not loaded yet.' });
      return;
    }
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
    if (this.latest) this.latest.aborted = true;
    this.latest = job;
    this.run(job, generator, (events) => generator.generate(job, events), () => {
      if (this.latest === job) this.latest = null;
    });
  }

  private chat(message: ChatRequestMessage): void {
    if (this.state.kind !== 'ready') {
      send({ type: 'error', id: message.id, code: 'not-loaded', message: 'The model is not loaded yet.' });
      return;
    }
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
    this.run(job, generator, (events) => chat.chat(job, events));
  }

  /** Queues a generation: its events and result (or error) go back to the host under its id. */
  private run(
    job: RunJob,
    generator: LlamaGenerator,
    start: (events: GenerationEvents) => Promise<GenerationResult>,
    finished?: () => void,
  ): void {
    this.jobs.set(job.id, job);
    this.enqueue(async () => {
      try {
        const result = await start({
          firstToken: (ms) => send({ type: 'firstToken', id: job.id, ms }),
          chunk: (text) => send({ type: 'chunk', id: job.id, text }),
        });
        send({ type: 'done', id: job.id, result });
      } catch (e) {
        log(`request ${job.id} failed: ${(e as Error).message}`);
        send(errorReply(e, 'generate-failed', job.id));
        // A failure mid-evaluation leaves the cache in an unknown state; start the next request clean.
        if (!(e instanceof WorkerError)) await generator.reset().catch(() => undefined);
      } finally {
        this.jobs.delete(job.id);
        finished?.();
      }
    });
  }

  private measureRates(message: MeasureRatesMessage): void {
    if (this.state.kind !== 'ready') {
      send({ type: 'error', id: message.id, code: 'not-loaded', message: 'The model is not loaded yet.' });
      return;
    }
    const generator = this.state.generator;
    this.enqueue(async () => {
      try {
        const rates = await generator.measureRates(message.promptTokens, message.genTokens);
        send({ type: 'rates', id: message.id, ...rates });
      } catch (e) {
        send(errorReply(e, 'generate-failed', message.id));
      }
    });
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(task, task);
  }

  private dispose(): void {
    if (this.state.kind === 'disposing') return;
    const previous = this.state;
    this.state = { kind: 'disposing' };
    for (const job of this.jobs.values()) job.aborted = true;
    // Don't let a stuck native call keep the process alive after the host asked it to go.
    setTimeout(() => process.exit(0), 2000).unref();
    void this.queue
      .then(async () => {
        if (previous.kind === 'ready') {
          await previous.loaded.model.dispose();
          await previous.loaded.llama.dispose();
        }
      })
      .catch((e: unknown) => log(`dispose: ${(e as Error).message}`))
      .finally(() => process.exit(0));
  }
}

function main(): void {
  if (!process.send) {
    process.stderr.write('llamaWorker must be started by Bantam with an IPC channel (child_process.fork).\n');
    process.exit(1);
  }
  const worker = new LlamaWorker();
  process.on('message', (raw: unknown) => {
    const message = parseHostMessage(raw);
    if (!message) {
      log(`ignored ${describeRejected(raw)}`);
      // A request we can't read but can name gets an answer, so its sender doesn't wait for nothing.
      const id = (raw as { id?: unknown } | null)?.id;
      if (typeof id === 'number' && Number.isSafeInteger(id)) {
        send({ type: 'error', id, code: 'bad-message', message: 'The request was malformed and was ignored.' });
      }
      return;
    }
    worker.handle(message);
  });
  // The host died or closed the channel: nobody can use this process any more.
  process.on('disconnect', () => process.exit(0));
  process.on('uncaughtException', (e) => {
    log(`uncaught: ${e.stack ?? e.message}`);
    process.exit(1);
  });
  process.on('unhandledRejection', (e) => {
    log(`unhandled rejection: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  });
}

main();
