// The client side of the model host: a CompletionBackend whose model runs in the user's one model
// host process (dist/modelHost.js, shared by every window and the CLI over a local socket, see
// hostConnection.ts), so a native crash, an abort or an out-of-memory in llama.cpp never takes the
// extension host down and the weights load once. This client has its own KV sequence there. It loads
// lazily on first use, reports a state for the status bar, turns AbortSignals and timeouts into abort
// messages, and when the host dies reconnects with exponential backoff (starting a new host if no
// other window did), so the user loses at most the suggestion that was in flight. It also answers
// chat-style requests on the same host and model (LocalChatProvider wraps that as a ChatProvider).
// Plain Node: it runs in the extension host, the CLI and the benchmark alike.

import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { BuiltPrompt, CompletionBackend, FimFamily, GenerateOptions, GenerationResult } from '../../kernel/completionTypes';
import type { ChatMessage } from '../../kernel/chatTypes';
import {
  describeRejected,
  isChatMessageList,
  parseWorkerMessage,
  type GpuChoice,
  type HostMessage,
  type LoadedMessage,
  type ModelPurpose,
  type PromptLookupOptions,
  type WorkerErrorCode,
  type WorkerMessage,
} from './llamaProtocol';
import { ABORTED, raceAbort } from '../../kernel/abort';
import { BackendError } from '../../kernel/backendError';
import {
  defaultThreads,
  LOCAL_LLAMA_DEFAULTS,
  LOCAL_LLAMA_RESTART,
  LOCAL_LLAMA_PROMPT_DEADLINE_MS,
  LOCAL_LLAMA_TIMEOUT_GRACE_MS,
  type RestartPolicy,
} from './localLlamaDefaults';
import { backendErrorFromWorker } from './localLlamaErrors';
import { SupervisedWorker, type WorkerExit } from '../../kernel/supervisedWorker';
import { HostConnection, type HostLaunchOptions } from './hostConnection';
import { defaultHostDir } from './hostAddress';

/** Which model host serves this client. */
export interface ModelHostChoice {
  /** The state folder holding the host's socket, token and log (default: defaultHostDir()). */
  dir?: string;
  /** true (default): the user's one shared host; false: a host for this client only. */
  shared?: boolean;
  /** How long a shared host started by this client stays up after its last client left. */
  idleExitMs?: number;
}

/** A shared host nobody uses goes after five minutes: a reloaded window finds it still warm. */
export const DEFAULT_HOST_IDLE_EXIT_MS = 5 * 60_000;

export interface LocalLlamaBackendOptions {
  /** Path to dist/modelHost.js. */
  workerPath: string;
  modelPath: string;
  /** The accelerator to ask for (default 'auto': a GPU when one is found, else the CPU). */
  gpu?: GpuChoice;
  threads?: number;
  flashAttention?: boolean;
  contextSize?: number;
  batchSize?: number;
  /** The FIM family when the caller already knows it (e.g. from the GGUF inspection). */
  family?: FimFamily;
  log?: (line: string) => void;
  /** Restart backoff; tests shorten it. */
  restart?: Partial<RestartPolicy>;
  host?: ModelHostChoice;
  /** Who this client is, in the host's log (e.g. "vscode window", "cli"). */
  clientName?: string;
  /** 'rewrite' for a next-edit model, which needs no FIM tokens (default 'completion'). */
  purpose?: ModelPurpose;
  /** Prompt lookup decoding on this client's sequence (for rewrites, which mostly copy the prompt). */
  promptLookup?: PromptLookupOptions;
}

export type LocalLlamaStatus = 'idle' | 'loading' | 'ready' | 'error' | 'restarting';

export interface LocalLlamaState {
  status: LocalLlamaStatus;
  /** What the status bar should say: the error while in 'error', progress otherwise. */
  message?: string;
  /** The most recent failure (load error or worker crash), kept after recovery for diagnostics. */
  lastError?: string;
}

/** What the worker reported after loading the model. */
export type LocalLlamaModelInfo = Omit<LoadedMessage, 'type'>;

/** Extra per-request hooks the llama backend supports beyond the shared contract. */
export interface LocalGenerateOptions extends GenerateOptions {
  /** Final text as it is generated (stop strings never appear in it). */
  onChunk?: (text: string) => void;
}

/** A chat request to the embedded model: the conversation is rendered with the model's chat template. */
export interface LocalChatOptions {
  maxTokens: number;
  temperature: number;
  /** Caps generation, counted from the first token (reading a long prompt on a CPU is not cut short). */
  timeoutMs: number;
  /** Extra stop strings; the chat template's end-of-turn markers always stop. */
  stop?: string[];
  signal?: AbortSignal;
  /** Answer text as it is generated, in order; the pieces add up to the result's text. */
  onChunk?: (text: string) => void;
  onFirstToken?: () => void;
  /** Generate through end-of-turn tokens, so exactly maxTokens are produced (tests and benchmarks). */
  ignoreEos?: boolean;
}

export interface LocalChatResult extends GenerationResult {
  /**
   * False when this client answered before the worker reported (an abort, or a worker too busy to
   * answer by its deadline): the text is what had streamed so far and the token counts are 0.
   */
  reported: boolean;
}

/** The per-request hooks a streamed request calls as the worker reports. */
interface StreamHooks {
  signal?: AbortSignal;
  onChunk?: (text: string) => void;
  onFirstToken?: () => void;
}

interface PendingGenerate {
  kind: 'generate';
  text: string;
  firstTokenMs: number;
  /** Moves the client's own deadline from "prompt read" to "generation" once the first token arrives. */
  onFirstToken?: () => void;
  hooks: StreamHooks;
  /** How a worker error becomes the caller's BackendError. */
  toError(code: WorkerErrorCode, message: string): BackendError;
  resolve(result: LocalChatResult): void;
  reject(error: Error): void;
}

interface PendingQuery {
  kind: 'tokenize' | 'rates';
  resolve(value: WorkerMessage): void;
  reject(error: Error): void;
}

type Pending = PendingGenerate | PendingQuery;

/** The longest generation the client asks for (ten minutes). */
const MAX_TIMEOUT_MS = 600_000;
/** How long a worker asked to dispose may take before it is killed. */
const DISPOSE_GRACE_MS = 1000;

export class LocalLlamaBackend implements CompletionBackend {
  readonly id = 'local-llama';

  private readonly opts: Required<Omit<LocalLlamaBackendOptions, 'family' | 'log' | 'restart' | 'host' | 'clientName' | 'promptLookup'>> &
    Pick<LocalLlamaBackendOptions, 'promptLookup'>;
  private readonly launch: Omit<HostLaunchOptions, 'log'>;
  private readonly log: (line: string) => void;
  private readonly knownFamily: FimFamily | undefined;

  private readonly workers: SupervisedWorker<HostMessage, ModelHostClient, Pending>;
  private state: LocalLlamaState = { status: 'idle' };
  private readonly listeners = new Set<(state: LocalLlamaState) => void>();
  private info: LocalLlamaModelInfo | undefined;
  /** A load failure is remembered: asking again on every keystroke would only repeat it. */
  private loadFailure: BackendError | null = null;

  constructor(options: LocalLlamaBackendOptions) {
    this.opts = {
      workerPath: options.workerPath,
      modelPath: options.modelPath,
      gpu: options.gpu ?? 'auto',
      threads: options.threads ?? defaultThreads(),
      flashAttention: options.flashAttention ?? LOCAL_LLAMA_DEFAULTS.flashAttention,
      contextSize: options.contextSize ?? LOCAL_LLAMA_DEFAULTS.contextSize,
      batchSize: options.batchSize ?? LOCAL_LLAMA_DEFAULTS.batchSize,
      purpose: options.purpose ?? 'completion',
      ...(options.promptLookup ? { promptLookup: options.promptLookup } : {}),
    };
    this.log = options.log ?? (() => undefined);
    this.launch = {
      hostScript: options.workerPath,
      dir: options.host?.dir ?? defaultHostDir(),
      shared: options.host?.shared ?? true,
      idleExitMs: options.host?.idleExitMs ?? DEFAULT_HOST_IDLE_EXIT_MS,
      clientName: `${options.clientName ?? 'client'} (pid ${process.pid})`,
      gpu: options.gpu ?? 'auto',
    };
    const backoff: RestartPolicy = { ...LOCAL_LLAMA_RESTART, ...options.restart };
    this.knownFamily = options.family;
    this.workers = new SupervisedWorker({
      backoff: {
        // The first delay as configured, then doubling up to the cap; spread by up to a fifth, so the
        // windows that saw one host die don't all start the next one at the same moment.
        delayMs: (crashes) =>
          Math.round((crashes === 1 ? backoff.initialDelayMs : Math.min(backoff.initialDelayMs * 2 ** (crashes - 1), backoff.maxDelayMs)) * (1 + Math.random() * 0.2)),
        healthyAfterMs: backoff.healthyResetMs,
        // A pending restart must not keep a CLI or test process alive.
        holdsProcess: false,
      },
      // It frees the model and exits within one batch.
      shutdownMessage: () => ({ type: 'dispose' }),
      graceMs: DISPOSE_GRACE_MS,
      onMessage: (worker, raw) => this.onMessage(worker, raw),
      onCrash: (worker, exit) => this.onCrash(worker, exit),
      onRestartScheduled: (worker, delay, crash) =>
        this.setState({ status: 'restarting', message: `Reconnecting to the model host in ${delay} ms`, lastError: crash.message + stderrTail(worker) }),
      restart: () => {
        // Reload right away, so the model is warm again when the user next types.
        if (!this.loadFailure) this.startWorker('restarting');
      },
    });
  }

  /** The model host's process id (shared with the other clients of a shared host), while connected. */
  get pid(): number | undefined {
    return this.workers.current?.hostPid;
  }

  /** Whether this client's host is the user's shared one. */
  get sharedHost(): boolean {
    return this.launch.shared;
  }

  get currentState(): LocalLlamaState {
    return this.state;
  }

  /** What the worker reported about the loaded model, once loaded. */
  get modelInfo(): LocalLlamaModelInfo | undefined {
    return this.info;
  }

  onState(listener: (state: LocalLlamaState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async family(): Promise<FimFamily> {
    if (this.knownFamily) return this.knownFamily;
    const info = await this.ensureLoaded();
    if (!info.info.family) {
      throw new BackendError('model-load', `Bantam cannot tell which fill-in-the-middle format ${this.opts.modelPath} uses; pick a supported code model.`);
    }
    return info.info.family;
  }

  /** The prompt reading rate the model host measured when it loaded the model. */
  promptTokPerS(): number | undefined {
    return this.info?.promptTokPerS ?? undefined;
  }

  /** Loads the model now rather than on the first request (e.g. from a "warm up" command). */
  async load(): Promise<LocalLlamaModelInfo> {
    return this.ensureLoaded();
  }

  async generate(prompt: BuiltPrompt, options: LocalGenerateOptions): Promise<GenerationResult> {
    return this.generateText(prompt.text, options);
  }

  /**
   * Generates after a plain text prompt (control tokens allowed): how a next-edit client asks its
   * rewrite model for the window rewritten. With prompt lookup on, the result counts the drafts.
   */
  async generateText(promptText: string, options: LocalGenerateOptions): Promise<GenerationResult> {
    const { reported: _reported, ...result } = await this.stream(
      options,
      options.timeoutMs,
      (id, timeoutMs) => ({
        type: 'generate',
        id,
        prompt: promptText,
        maxTokens: wholeTokens(options.maxTokens),
        stop: options.stop,
        timeoutMs,
        temperature: Number.isFinite(options.temperature) ? Math.max(0, options.temperature) : 0,
        fresh: options.fresh === true,
        stream: options.onChunk !== undefined,
        ignoreEos: options.ignoreEos === true,
        ...(options.extent ? { extent: options.extent } : {}),
      }),
      // A completion cut short is worthless: an abort answers with no text.
      { keepTextOnAbort: false, toError: backendErrorFromWorker },
    );
    return result;
  }

  /** Reads the prompt into the worker's KV cache and generates nothing (maxTokens 0). */
  async readPrompt(prompt: BuiltPrompt, signal: AbortSignal): Promise<GenerationResult> {
    return this.generate(prompt, { maxTokens: 0, stop: [], timeoutMs: MAX_TIMEOUT_MS, temperature: 0, signal });
  }

  /**
   * Answers a conversation with the embedded model, rendered with the model's own chat template.
   * Runs on the same worker and context as completions (a chat invalidates the completion's KV
   * cache once). An abort resolves at once with the text streamed so far and stoppedBy 'abort'.
   */
  async chat(messages: readonly ChatMessage[], options: LocalChatOptions): Promise<LocalChatResult> {
    if (!isChatMessageList(messages)) {
      throw new BackendError(
        'malformed',
        'The conversation for the embedded model is malformed (it needs messages with roles system, user or assistant, a system message only first); this is a bug in Bantam, please report it.',
      );
    }
    return this.stream(
      options,
      options.timeoutMs,
      (id, timeoutMs) => ({
        type: 'chat',
        id,
        messages: messages.map(({ role, content }) => ({ role, content })),
        maxTokens: wholeTokens(options.maxTokens),
        temperature: Number.isFinite(options.temperature) ? Math.max(0, options.temperature) : 0,
        timeoutMs,
        stop: options.stop ?? [],
        ignoreEos: options.ignoreEos === true,
      }),
      { keepTextOnAbort: true, toError: chatErrorFromWorker },
    );
  }

  /** Tokens the loaded model's context holds (prompt + answer); loads the model if needed. */
  async contextSize(): Promise<number> {
    return (await this.ensureLoaded()).info.contextSize;
  }

  /** Sends one generating request and follows it to its end, abort or deadline. */
  private async stream(
    hooks: StreamHooks,
    requestedTimeoutMs: number,
    build: (id: number, timeoutMs: number) => HostMessage,
    how: { keepTextOnAbort: boolean; toError: PendingGenerate['toError'] },
  ): Promise<LocalChatResult> {
    const started = performance.now();
    const signal = hooks.signal;
    if (signal?.aborted) return abortedResult(performance.now() - started);
    const loaded = await raceAbort(this.ensureLoaded(), signal);
    if (loaded === ABORTED) return abortedResult(performance.now() - started);

    const id = this.workers.pending.nextId();
    // JSON has no Infinity and timers overflow past 2^31 ms: an "unlimited" timeout becomes a long one.
    const timeoutMs = Number.isFinite(requestedTimeoutMs) ? Math.min(Math.max(1, requestedTimeoutMs), MAX_TIMEOUT_MS) : MAX_TIMEOUT_MS;
    return new Promise<LocalChatResult>((resolve, reject) => {
      const entry: PendingGenerate = {
        kind: 'generate',
        text: '',
        firstTokenMs: Number.NaN,
        hooks,
        toError: how.toError,
        resolve,
        reject,
      };
      // The caller moved on: tell the worker to stop, and answer now rather than after its next batch.
      const finishEarly = (stoppedBy: 'abort' | 'timeout'): void => {
        if (!this.workers.pending.take(id)) return;
        this.workers.post({ type: 'abort', id });
        resolve({
          text: stoppedBy === 'timeout' || how.keepTextOnAbort ? entry.text : '',
          promptTokens: 0,
          reusedTokens: 0,
          generatedTokens: 0,
          ttftMs: entry.firstTokenMs,
          totalMs: performance.now() - started,
          stoppedBy,
          reported: false,
        });
      };
      // The worker enforces timeoutMs itself, from the first token on; this only covers a worker too
      // busy to answer: generous until the prompt is read, then timeoutMs from the first token.
      entry.onFirstToken = () => this.workers.pending.setDeadline(id, timeoutMs + LOCAL_LLAMA_TIMEOUT_GRACE_MS);
      const watch = { deadlineMs: LOCAL_LLAMA_PROMPT_DEADLINE_MS, onDeadline: () => finishEarly('timeout'), signal, onAbort: () => finishEarly('abort') };
      if (!this.workers.send(id, build(id, timeoutMs), entry, watch)) reject(crashedBeforeSend());
    });
  }

  /** Tokens in `text` as the model's tokenizer counts them (special tokens enabled). */
  async tokenCount(text: string): Promise<number> {
    const reply = await this.query('tokenize', (id) => ({ type: 'tokenize', id, text }));
    return reply.type === 'tokenized' ? reply.count : 0;
  }

  /** Prompt and generation speed on an empty cache (drops the cache: for benchmarks only). */
  async measureRates(promptTokens = 512, genTokens = 64): Promise<{ promptTokPerS: number; genTokPerS: number }> {
    const reply = await this.query('rates', (id) => ({ type: 'measureRates', id, promptTokens, genTokens }));
    if (reply.type !== 'rates') throw new BackendError('malformed', 'The local model answered a rate measurement with something else.');
    return { promptTokPerS: reply.promptTokPerS, genTokPerS: reply.genTokPerS };
  }

  /** Forgets a load failure and starts over on the next request (e.g. after the model was downloaded). */
  reload(): void {
    this.loadFailure = null;
    this.stopWorker(new BackendError('aborted', 'The local model is being reloaded.'));
    this.workers.cancelRestart();
    this.workers.resetBackoff();
    this.setState({ status: 'idle', lastError: this.state.lastError });
  }

  dispose(): void {
    if (this.workers.disposed) return;
    const worker = this.workers.current;
    const reason = new BackendError('aborted', 'The local model was shut down.');
    void this.workers.dispose(reason);
    worker?.settleLoad(reason);
    this.listeners.clear();
  }

  // ---- worker lifecycle ----

  private async ensureLoaded(): Promise<LocalLlamaModelInfo> {
    for (;;) {
      if (this.workers.disposed) throw new BackendError('aborted', 'The local model was shut down.');
      if (this.loadFailure) throw this.loadFailure;
      const worker = this.workers.current;
      if (worker) return worker.loaded;
      // A crashed worker is coming back after its backoff delay; don't start one early.
      if (this.workers.restartPending) await this.workers.changed();
      else this.startWorker('loading');
    }
  }

  private startWorker(status: 'loading' | 'restarting'): void {
    if (!existsSync(this.opts.workerPath)) {
      this.failLoad(new BackendError('model-load', `The model host script is missing at ${this.opts.workerPath}; rebuild or reinstall Bantam.`));
      return;
    }
    this.setState({ status, message: status === 'loading' ? 'Loading the model' : 'Reconnecting to the model host', lastError: this.state.lastError });
    const worker = new ModelHostClient({ ...this.launch, log: this.log });
    this.workers.start(worker);
    worker.post({
      type: 'load',
      modelPath: this.opts.modelPath,
      gpu: this.opts.gpu,
      threads: this.opts.threads,
      flashAttention: this.opts.flashAttention,
      contextSize: this.opts.contextSize,
      batchSize: this.opts.batchSize,
      purpose: this.opts.purpose,
      ...(this.opts.promptLookup ? { promptLookup: this.opts.promptLookup } : {}),
    });
  }

  private onMessage(worker: ModelHostClient, raw: unknown): void {
    if (worker !== this.workers.current) return;
    const message = parseWorkerMessage(raw);
    if (!message) {
      this.log(`llama worker: ignored ${describeRejected(raw)}`);
      return;
    }
    const pending = this.workers.pending;
    switch (message.type) {
      case 'stopping':
        this.log(`model host stopping: ${message.reason}`);
        return;
      case 'loaded': {
        const { type: _type, ...info } = message;
        this.info = info;
        worker.ready = true;
        this.workers.markReady();
        this.setState({ status: 'ready', lastError: this.state.lastError });
        this.log(
          `model host (pid ${worker.hostPid}) ready for this client in ${Math.round(info.loadMs)} ms: ${info.info.name ?? info.info.architecture}, ${info.info.family} FIM, ` +
            `${info.info.threads} threads, flash attention ${info.info.flashAttention ? 'on' : 'off'}, context ${info.info.contextSize}`,
        );
        worker.settleLoad(null, info);
        return;
      }
      case 'error': {
        if (message.id === undefined) {
          if (!worker.ready) {
            this.failLoad(backendErrorFromWorker(message.code, message.message));
          } else {
            this.log(`llama worker error: ${message.message}`);
          }
          return;
        }
        const entry = pending.take(message.id);
        if (!entry) return;
        if (entry.kind === 'generate') {
          entry.reject(entry.toError(message.code, message.message));
        } else {
          entry.reject(backendErrorFromWorker(message.code, message.message));
        }
        return;
      }
      case 'firstToken': {
        const entry = pending.get(message.id);
        if (entry?.kind !== 'generate') return;
        entry.firstTokenMs = message.ms;
        entry.onFirstToken?.();
        this.callHook(() => entry.hooks.onFirstToken?.());
        return;
      }
      case 'chunk': {
        const entry = pending.get(message.id);
        if (entry?.kind !== 'generate') return;
        entry.text += message.text;
        this.callHook(() => entry.hooks.onChunk?.(message.text));
        return;
      }
      case 'done': {
        const entry = pending.get(message.id);
        if (entry?.kind !== 'generate') return;
        pending.take(message.id);
        entry.resolve({ ...message.result, reported: true });
        return;
      }
      case 'tokenized':
      case 'rates': {
        const entry = pending.get(message.id);
        if (!entry || entry.kind === 'generate') return;
        pending.take(message.id);
        entry.resolve(message);
        return;
      }
    }
  }

  /**
   * The connection ended unasked. The host stopping on purpose (a user's stop command) is not a
   * failure: the next request connects again (starting a host). Failing to reach or start a host, or
   * a host dying while loading, is a property of this model or machine: an error until reload().
   * Otherwise the host crashed: reconnect after the backoff delay.
   */
  private onCrash(worker: ModelHostClient, _exit: WorkerExit): { error: BackendError; restart: boolean } {
    const how = worker.describeEnd();
    this.log(`model host ${how}`);
    if (worker.stoppedOnPurpose) {
      const error = new BackendError('aborted', 'The model host was stopped; the next request starts it again.');
      worker.settleLoad(error);
      this.setState({ status: 'idle', message: error.message, lastError: this.state.lastError });
      return { error, restart: false };
    }
    if (worker.hostPid === undefined) {
      const error = new BackendError('model-load', `Bantam could not start or reach its model host: ${worker.failure ?? how}.${stderrTail(worker)}`);
      worker.settleLoad(error);
      this.failLoad(error);
      return { error, restart: false };
    }
    if (!worker.ready) {
      const error = new BackendError('model-load', `The local model process ${how} while loading ${this.opts.modelPath}; check the model file and free memory, then restart completions.${stderrTail(worker)}`);
      worker.settleLoad(error);
      this.failLoad(error);
      return { error, restart: false };
    }
    return { error: new BackendError('worker-crashed', `The local model process ${how}; it is restarting and the next suggestion will use it.`), restart: true };
  }

  private failLoad(error: BackendError): void {
    this.loadFailure = error;
    if (this.workers.current) this.stopWorker(error);
    this.log(`local model failed to load: ${error.message}`);
    this.setState({ status: 'error', message: error.message, lastError: error.message });
  }

  /** Ends the current worker on purpose: pending requests fail with `reason`. */
  private stopWorker(reason: BackendError): void {
    const worker = this.workers.current;
    void this.workers.retire(reason);
    worker?.settleLoad(reason);
  }

  private async query(kind: 'tokenize' | 'rates', build: (id: number) => HostMessage): Promise<WorkerMessage> {
    await this.ensureLoaded();
    const id = this.workers.pending.nextId();
    return new Promise<WorkerMessage>((resolve, reject) => {
      // A worker that never answers (busy, wedged) must not hold the caller forever.
      const onDeadline = (): void =>
        this.workers.pending.take(id)?.reject(new BackendError('timeout', `The model process did not answer a ${kind} request within ${LOCAL_LLAMA_PROMPT_DEADLINE_MS / 1000} s.`));
      if (!this.workers.send(id, build(id), { kind, resolve, reject }, { deadlineMs: LOCAL_LLAMA_PROMPT_DEADLINE_MS, onDeadline })) reject(crashedBeforeSend());
    });
  }

  /** A caller's hook runs inside the IPC message handler: its exception must not escape into the process. */
  private callHook(hook: () => void): void {
    try {
      hook();
    } catch (e) {
      this.log(`llama request hook failed: ${(e as Error).message}`);
    }
  }

  private setState(state: LocalLlamaState): void {
    if (this.workers.disposed && state.status !== 'idle') return;
    this.state = state;
    for (const listener of [...this.listeners]) {
      try {
        listener(state);
      } catch (e) {
        this.log(`state listener failed: ${(e as Error).message}`);
      }
    }
  }
}

/** A connection to the model host, with what this client tracks about it. */
class ModelHostClient extends HostConnection {
  readonly loaded: Promise<LocalLlamaModelInfo>;
  settleLoad: (error: Error | null, info?: LocalLlamaModelInfo) => void = () => undefined;
  /** The host reported the model loaded; a crash before that is a load failure, not a reason to restart. */
  ready = false;

  constructor(options: HostLaunchOptions) {
    super(options);
    this.loaded = new Promise<LocalLlamaModelInfo>((resolve, reject) => {
      let done = false;
      this.settleLoad = (error, info) => {
        if (done) return;
        done = true;
        if (error) reject(error);
        else resolve(info!);
      };
    });
    // Whoever awaits `loaded` handles the rejection; this only keeps an unawaited one quiet.
    this.loaded.catch(() => undefined);
  }
}

/** The end of the host's output, for an error message. */
function stderrTail(worker: ModelHostClient): string {
  const tail = worker.outputTail();
  return tail.length > 0 ? ` Last output: ${tail.slice(-3).join(' | ')}` : '';
}

function crashedBeforeSend(): BackendError {
  return new BackendError('worker-crashed', 'The local model process stopped before the request reached it; the next suggestion will restart it.');
}

function abortedResult(totalMs: number): LocalChatResult {
  return { text: '', promptTokens: 0, reusedTokens: 0, generatedTokens: 0, ttftMs: Number.NaN, totalMs, stoppedBy: 'abort', reported: false };
}

function wholeTokens(n: number): number {
  return Number.isFinite(n) ? Math.max(0, Math.floor(n)) : 0;
}

/**
 * Chat errors as the chat providers report them: a prompt over the model's window is the request's
 * fault, as an HTTP provider's 400 for a too-long prompt is ('http'), so the router treats both alike.
 */
function chatErrorFromWorker(code: WorkerErrorCode, message: string): BackendError {
  if (code === 'prompt-too-long') return new BackendError('http', message, { cause: { workerCode: code } });
  return backendErrorFromWorker(code, message);
}
