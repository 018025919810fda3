// The embedded model (the llama worker that serves inline completion) as a ChatProvider, so the
// router can send explain / document / chat tasks, and frontier tasks it falls back on, to the same
// local model. It owns nothing: the completion service owns the backend, which it may replace when
// settings change, so every request asks for the current one.

import { performance } from 'node:perf_hooks';
import { BackendError, isBackendError } from '../../kernel/backendError';
import type { ChatProvider, ChatRequest, ChatResult, FinishReason, ProviderKind, Tier } from '../../kernel/chatTypes';
import type { LocalChatResult, LocalLlamaBackend } from './localLlamaBackend';

export interface LocalChatProviderOptions {
  /** The completion service's current embedded backend; undefined when the embedded model isn't set up. */
  backend: () => Promise<LocalLlamaBackend | undefined>;
  /** The configured model, as the user named it (shown in logs and the routing log). */
  model: string;
  /**
   * The configured context size, when known: the router asks for the window on every request, and
   * answering from the setting spares loading the model for a task that goes to the frontier anyway.
   * (llama.cpp may round the real window up, never down.)
   */
  contextSize?: number;
  /** Longest an answer may take to generate, counted from its first token. */
  timeoutMs?: number;
  /** Clock for ttftMs / totalMs; tests inject one. */
  now?: () => number;
}

/** A chat answer is long compared with a completion; two minutes is far past any useful local answer. */
const DEFAULT_TIMEOUT_MS = 120_000;

/** Rough characters per token, for usage when the worker could not report it (an abort). */
const charsPerToken = 4;

export class LocalChatProvider implements ChatProvider {
  readonly kind: ProviderKind = 'embedded';
  readonly tier: Tier = 'local';
  readonly label: string;
  readonly model: string;

  private readonly getBackend: () => Promise<LocalLlamaBackend | undefined>;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private disposed = false;
  private readonly contextSize: number | undefined;

  constructor(options: LocalChatProviderOptions) {
    this.getBackend = options.backend;
    this.contextSize = options.contextSize;
    this.model = options.model;
    this.label = `embedded (${options.model})`;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.now = options.now ?? (() => performance.now());
  }

  async contextWindow(): Promise<number> {
    const backend = await this.backend();
    return this.contextSize ?? backend.contextSize();
  }

  async chat(request: ChatRequest): Promise<ChatResult> {
    const started = this.now();
    if (request.signal?.aborted) throw cancelled();
    const backend = await this.backend();
    let firstTextAt = Number.NaN;
    let result: LocalChatResult;
    try {
      result = await backend.chat(request.messages, {
        maxTokens: request.maxTokens,
        temperature: request.temperature,
        timeoutMs: this.timeoutMs,
        stop: request.stop,
        signal: request.signal,
        onChunk: (text) => {
          if (Number.isNaN(firstTextAt)) firstTextAt = this.now();
          request.onText?.(text);
        },
      });
    } catch (e) {
      throw asBackendError(e);
    }
    const totalMs = this.now() - started;

    if (result.text === '') {
      // Nothing usable came back: the shared contract says so with an error, not an empty answer.
      if (result.stoppedBy === 'abort') throw cancelled();
      if (result.stoppedBy === 'timeout') {
        throw new BackendError('timeout', `The embedded model ${this.model} produced no answer within ${Math.round(this.timeoutMs / 1000)} s; try again or use a frontier model.`);
      }
    }
    return {
      text: result.text,
      usage: result.reported
        ? { inputTokens: result.promptTokens, outputTokens: result.generatedTokens, estimated: false }
        : {
            inputTokens: Math.ceil(request.messages.reduce((n, m) => n + m.content.length, 0) / charsPerToken),
            outputTokens: Math.ceil(result.text.length / charsPerToken),
            estimated: true,
          },
      finishReason: finishReason(result.stoppedBy),
      model: this.model,
      ttftMs: Number.isNaN(firstTextAt) ? Number.NaN : firstTextAt - started,
      totalMs,
      attempts: 1,
    };
  }

  dispose(): void {
    this.disposed = true;
  }

  private async backend(): Promise<LocalLlamaBackend> {
    if (this.disposed) throw new BackendError('aborted', 'The embedded chat provider was shut down.');
    let backend: LocalLlamaBackend | undefined;
    try {
      backend = await this.getBackend();
    } catch (e) {
      throw asBackendError(e);
    }
    if (!backend) {
      throw new BackendError(
        'model-missing',
        "The embedded model isn't set up. Run 'Bantam: Download Recommended Model' or set bantam.completion.model.",
      );
    }
    return backend;
  }
}

function finishReason(stoppedBy: LocalChatResult['stoppedBy']): FinishReason {
  switch (stoppedBy) {
    case 'eos':
    case 'stop':
      return 'stop';
    case 'maxTokens':
      return 'length';
    case 'timeout':
      return 'timeout';
    case 'abort':
      return 'abort';
  }
}

function cancelled(): BackendError {
  return new BackendError('aborted', 'The request to the embedded model was cancelled.');
}

/** The backend rejects only with BackendError; anything else is a bug, still reported in the shared shape. */
function asBackendError(e: unknown): BackendError {
  if (isBackendError(e)) return e;
  const detail = e instanceof Error ? e.message : String(e);
  return new BackendError('model-load', `The embedded model failed unexpectedly (${detail}); restart completions or check the Bantam log.`, { cause: e });
}
