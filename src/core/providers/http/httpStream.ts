// The one HTTP layer under every network provider (OpenAI-compatible, Anthropic, Ollama): POSTs a
// JSON body, streams the reply through the provider's decoder, and owns the rules that must behave
// the same whichever API is on the other end:
//  - a first-byte timeout (headers plus the first body chunk; a cold model load or a queue sits here)
//    and an idle timeout between chunks;
//  - retries with exponential backoff and jitter on 429, 5xx and connection failures, but only while
//    no answer text has reached the caller (a retry after text would show the user a second answer
//    glued to half of the first); a Retry-After from the server is obeyed, or, when longer than the
//    policy allows, turned at once into a message saying when to try again;
//  - the caller's AbortSignal ends everything at once, including a backoff sleep.
// Failures leave as BackendErrors worded in httpErrors.ts (or by the caller's own wording, for a
// backend whose messages predate the shared ones). Once text has arrived, an abort or an idle
// timeout is not an error: the outcome says so and the caller keeps the partial answer.
// requestJson is the same layer for a reply that is one JSON document rather than a stream.

import type { HttpPolicy } from './httpPolicy';
import {
  clip,
  failureError,
  isRetryable,
  MalformedReplyError,
  parseServerMessage,
  retryAfterTooLongError,
  StreamErrorEvent,
  type Endpoint,
  type FailureWording,
  type HttpFailure,
} from './httpErrors';
import { whenAborted, type SleepFn } from '../../kernel/abort';
import { backoffDelay, retryAfterMs } from './retryTiming';
import type { TextFeeder } from './sseEvents';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** What the layer needs from the outside world; tests replace each. */
export interface HttpDeps {
  fetch: FetchLike;
  sleep: SleepFn;
  /** Wall-clock ms (Date.now): durations and Retry-After dates. */
  now: () => number;
  /** [0, 1) for backoff jitter. */
  random: () => number;
}

/** Where a decoder delivers answer text; the layer counts it, times it and passes it on. */
export interface TextSink {
  text(chunk: string): void;
}

/** Turns one API's streamed body into answer text. A new one is made for every attempt. */
export interface BodyDecoder {
  /** The body as UTF-8 text, in pieces as they arrive. Throws MalformedReplyError / StreamErrorEvent. */
  feed(chunk: string): void;
  /** The body has ended: handle any unterminated last line. */
  flush?(): void;
  /** True once the API's documented end of stream was seen; ending before it is a cut. */
  done(): boolean;
}

/** A decoder over a text feeder (SSE or NDJSON): subclasses read its events and say when the stream is done. */
export abstract class FeederDecoder implements BodyDecoder {
  protected abstract readonly feeder: TextFeeder;

  feed(chunk: string): void {
    this.feeder.feed(chunk);
  }

  flush(): void {
    this.feeder.flush();
  }

  abstract done(): boolean;
}

export interface StreamCall {
  endpoint: Endpoint;
  /** Default POST; a GET sends no body. */
  method?: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  /**
   * Timeouts may be Infinity (no limit: a caller that enforces its own). A Retry-After longer than
   * maxRetryAfterMs is worded by retryAfterTooLongError whatever `describe` says.
   */
  policy: HttpPolicy;
  deps: HttpDeps;
  signal?: AbortSignal;
  onText?: (chunk: string) => void;
  decoder: (sink: TextSink) => BodyDecoder;
  /** Words the failures; default failureError for `endpoint`. */
  describe?: FailureWording;
}

export interface StreamOutcome {
  /** All answer text delivered, in order. */
  text: string;
  /**
   * 'abort' / 'timeout': the caller aborted, or the server went quiet (or past the whole-request
   * deadline), after some text had arrived; 'length': the answer reached policy.maxResponseChars.
   */
  end: 'complete' | 'abort' | 'timeout' | 'length';
  attempts: number;
  /** From the call to the first text, retries included (NaN when none arrived). */
  ttftMs: number;
  totalMs: number;
}

/** Carries an attempt's failure out of its try blocks. */
/** The answer reached policy.maxResponseChars: the request ends there with what arrived. */
class TooLong extends Error {}

class AttemptFailed extends Error {
  constructor(readonly failure: HttpFailure) {
    super(failure.kind);
  }
}

/** The most of an error reply that is read: enough for any API's error JSON, never a flood. */
const ERROR_BODY_BYTES = 64 * 1024;

/** Reads at most `max` bytes of a body as text, then lets go of the rest. */
async function readCapped(response: Response, max: number): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < max) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      size += value.length;
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
  return new TextDecoder().decode(Buffer.concat(parts).subarray(0, max));
}

/** An exception thrown by the caller's own onText: not ours to reword, so it leaves as it came. */
class CallerError extends Error {
  constructor(readonly original: unknown) {
    super('onText threw');
  }
}

export async function streamRequest(call: StreamCall): Promise<StreamOutcome> {
  const { endpoint, policy, deps } = call;
  const started = deps.now();
  let text = '';
  let ttftMs = Number.NaN;
  const sink: TextSink = {
    text(chunk) {
      if (chunk === '') return;
      if (Number.isNaN(ttftMs)) ttftMs = deps.now() - started;
      if (text.length + chunk.length > policy.maxResponseChars) {
        text += chunk.slice(0, Math.max(0, policy.maxResponseChars - text.length));
        throw new TooLong();
      }
      text += chunk;
      try {
        call.onText?.(chunk);
      } catch (error) {
        throw new CallerError(error);
      }
    },
  };
  const outcome = (end: StreamOutcome['end'], attempts: number): StreamOutcome => ({
    text,
    end,
    attempts,
    ttftMs,
    totalMs: deps.now() - started,
  });

  const describe: FailureWording = call.describe ?? ((failure, context) => failureError(endpoint, failure, context));
  if (call.signal?.aborted) throw describe({ kind: 'aborted' }, { attempts: 0, chars: 0 });
  // One deadline for the whole request, retries included: a server that trickles can't hold it forever.
  const deadline = new AbortController();
  const deadlineTimer = startTimer(policy.totalTimeoutMs, () => deadline.abort());
  const signal = call.signal ? AbortSignal.any([call.signal, deadline.signal]) : deadline.signal;
  try {
    return await attempts({ ...call, signal, describe }, sink, outcome, () => deadline.signal.aborted, () => text.length);
  } finally {
    clearTimeout(deadlineTimer);
  }
}

/** The attempts of one request (see streamRequest); `pastDeadline` says the whole-request deadline fired. */
async function attempts(
  call: StreamCall & { describe: FailureWording },
  sink: TextSink,
  outcome: (end: StreamOutcome['end'], attempts: number) => StreamOutcome,
  pastDeadline: () => boolean,
  chars: () => number,
): Promise<StreamOutcome> {
  const { endpoint, policy, deps, describe } = call;
  for (let attempt = 1; ; attempt++) {
    let failure: HttpFailure;
    try {
      await attemptOnce(call, sink);
      return outcome('complete', attempt);
    } catch (error) {
      if (error instanceof TooLong) return outcome('length', attempt);
      if (error instanceof CallerError) throw error.original;
      if (!(error instanceof AttemptFailed)) throw error;
      failure = error.failure;
    }
    // The whole-request deadline surfaces as an abort of our own: it is a timeout, not the user's Stop.
    if (failure.kind === 'aborted' && pastDeadline()) failure = { kind: 'timeout', ms: policy.totalTimeoutMs };
    const text = chars();
    const context = { attempts: attempt, chars: text };
    if (text > 0 && failure.kind === 'aborted') return outcome('abort', attempt);
    if (text > 0 && failure.kind === 'timeout') return outcome('timeout', attempt);
    if (text > 0 || !isRetryable(failure) || pastDeadline()) throw describe(failure, context);

    const serverWait = failure.kind === 'status' ? failure.retryAfterMs : undefined;
    if (failure.kind === 'status' && serverWait !== undefined && serverWait > policy.maxRetryAfterMs) {
      throw retryAfterTooLongError(endpoint, failure.status, serverWait);
    }
    if (attempt > policy.maxRetries) throw describe(failure, context);
    try {
      // A server's "retry at once" (0, a past date) still backs off: never a tight retry loop.
      await deps.sleep(Math.max(serverWait ?? 0, backoffDelay(policy, attempt, deps.random)), call.signal);
    } catch {
      throw describe({ kind: 'aborted' }, context);
    }
    if (call.signal?.aborted) throw describe({ kind: 'aborted' }, context);
  }
}

/** One POST and its streamed reply; resolves when the decoder saw the end, else throws AttemptFailed. */
async function attemptOnce(call: StreamCall, sink: TextSink): Promise<void> {
  const { policy, deps } = call;
  const controller = new AbortController();
  let timedOutAfter: number | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (ms: number): void => {
    clearTimeout(timer);
    timer = startTimer(ms, () => {
      timedOutAfter = ms;
      controller.abort();
    });
  };
  const onAbort = (): void => controller.abort();
  const unlisten = whenAborted(call.signal, onAbort);

  // Why a step threw: the caller's abort and our own timers first, since both surface as AbortError.
  const why = (error: unknown, fallback: (error: unknown) => HttpFailure): AttemptFailed => {
    if (error instanceof CallerError || error instanceof AttemptFailed || error instanceof TooLong) throw error;
    if (call.signal?.aborted) return new AttemptFailed({ kind: 'aborted' });
    if (timedOutAfter !== undefined) return new AttemptFailed({ kind: 'timeout', ms: timedOutAfter });
    return new AttemptFailed(fallback(error));
  };
  const network = (error: unknown): HttpFailure => ({ kind: 'network', cause: error });

  arm(policy.firstByteTimeoutMs);
  try {
    let response: Response;
    try {
      response = await deps.fetch(call.url, {
        method: call.method ?? 'POST',
        headers: call.headers,
        ...(call.method === 'GET' ? {} : { body: JSON.stringify(call.body) }),
        signal: controller.signal,
        // Never follow a redirect: the key (x-api-key survives cross-origin redirects) and the code
        // would go to wherever the server points, https -> http included.
        redirect: 'error',
      });
    } catch (error) {
      throw why(error, network);
    }

    if (!response.ok) {
      let body = '';
      try {
        body = await readCapped(response, ERROR_BODY_BYTES);
      } catch (error) {
        // A status without its body still says enough, unless we were aborted or timed out meanwhile.
        if (call.signal?.aborted || timedOutAfter !== undefined) throw why(error, network);
      }
      throw new AttemptFailed({
        kind: 'status',
        status: response.status,
        statusText: response.statusText,
        server: parseServerMessage(body),
        retryAfterMs: retryAfterMs(response.headers, deps.now()),
      });
    }
    if (response.body === null) throw new AttemptFailed({ kind: 'malformed', detail: 'the reply had no body' });

    const reader = response.body.getReader();
    const utf8 = new TextDecoder();
    const decoder = call.decoder(sink);
    const feed = (run: () => void): void => {
      try {
        run();
      } catch (error) {
        throw why(error, decodeFailure);
      }
    };
    try {
      for (;;) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (error) {
          // The body broke off: with nothing read yet the connection failed, else the stream was cut.
          throw why(error, (cause) => ({ kind: 'network', cause, afterHeaders: true }));
        }
        if (chunk.done) break;
        arm(policy.idleTimeoutMs);
        feed(() => decoder.feed(utf8.decode(chunk.value, { stream: true })));
        if (decoder.done()) return;
      }
      feed(() => {
        decoder.feed(utf8.decode());
        decoder.flush?.();
      });
      if (!decoder.done()) throw new AttemptFailed({ kind: 'cut' });
    } finally {
      reader.cancel().catch(() => undefined);
    }
  } finally {
    clearTimeout(timer);
    unlisten();
  }
}

function decodeFailure(error: unknown): HttpFailure {
  if (error instanceof StreamErrorEvent) return { kind: 'stream-error', server: error.server, status: error.status };
  if (error instanceof MalformedReplyError) return { kind: 'malformed', detail: error.message };
  // A decoder tripping over an unexpected shape (a null where an object was documented).
  return { kind: 'malformed', detail: error instanceof Error ? error.message : String(error) };
}

/** A timer for `ms`, or none when `ms` is Infinity (setTimeout would fire it at once). */
function startTimer(ms: number, fire: () => void): ReturnType<typeof setTimeout> | undefined {
  return Number.isFinite(ms) ? setTimeout(fire, ms) : undefined;
}

/**
 * One request whose reply is a single JSON document (Ollama's /api/tags and /api/show), over the
 * same layer as the streams: its timeouts, retries, redirect rule and failures.
 */
export async function requestJson(call: Omit<StreamCall, 'decoder' | 'onText'>): Promise<unknown> {
  let value: unknown;
  await streamRequest({ ...call, decoder: () => new JsonDocumentDecoder((parsed) => (value = parsed)) });
  return value;
}

/** Gathers the whole body and parses it once it has ended. */
class JsonDocumentDecoder implements BodyDecoder {
  private body = '';
  private parsed = false;

  constructor(private readonly onValue: (value: unknown) => void) {}

  feed(chunk: string): void {
    this.body += chunk;
  }

  flush(): void {
    let value: unknown;
    try {
      value = JSON.parse(this.body);
    } catch {
      throw new MalformedReplyError(`a reply that is not JSON: "${clip(this.body, 80)}"`);
    }
    this.parsed = true;
    this.onValue(value);
  }

  done(): boolean {
    return this.parsed;
  }
}
