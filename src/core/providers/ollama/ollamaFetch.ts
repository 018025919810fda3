// The fetch the Ollama client is given, wrapped around the real one (or a test's) for two things
// the client cannot do itself:
//  - cancel a request before its response headers arrive: the client only exposes an abort handle
//    (its AbortableAsyncIterator) once the stream is open, but a cold model load can hold the
//    headers back for seconds, and a keystroke must be able to cancel that too;
//  - refuse malformed NDJSON: the client logs and skips lines it cannot parse, which would silently
//    drop pieces of a completion. Here a bad line fails the stream with MalformedStreamError.
// It also reports `{"error": ...}` lines, which Ollama sends inside a 200 stream when generation
// fails after it started; the client turns them into a bare Error, losing that they came from the server.

export type FetchLike = typeof fetch;

/** A line of a streamed Ollama reply that is not a JSON object. */
export class MalformedStreamError extends Error {
  override readonly name = 'MalformedStreamError';

  constructor(readonly line: string) {
    super(`Ollama sent a line that is not JSON: ${line.length > 120 ? `${line.slice(0, 120)}…` : line}`);
  }
}

export interface StreamWatcher {
  /** Called with the message of an `{"error": "..."}` line inside a streamed reply. */
  onErrorLine?(message: string): void;
}

/**
 * A fetch that also aborts when `signal` does and validates streamed replies line by line.
 * JSON replies (non-streamed endpoints) pass through untouched: the client's `response.json()`
 * already throws on malformed JSON.
 */
export function ollamaFetch(base: FetchLike, signal?: AbortSignal, watcher?: StreamWatcher): FetchLike {
  return async (input, init) => {
    const signals = [init?.signal, signal].filter((s): s is AbortSignal => s !== undefined && s !== null);
    const merged = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    const response = await base(input, { ...init, signal: merged });
    if (!response.ok || response.body === null) return response;
    if ((response.headers.get('content-type') ?? '').includes('application/json')) return response;
    return new Response(response.body.pipeThrough(ndjsonValidator(watcher)), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

/** Passes complete, valid NDJSON lines through and errors the stream on the first invalid one. */
function ndjsonValidator(watcher: StreamWatcher | undefined): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let pending = '';

  const pass = (line: string, controller: TransformStreamDefaultController<Uint8Array>): boolean => {
    const trimmed = line.trim();
    if (trimmed === '') return true;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      value = undefined;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      controller.error(new MalformedStreamError(trimmed));
      return false;
    }
    const error = (value as { error?: unknown }).error;
    if (typeof error === 'string') watcher?.onErrorLine?.(error);
    controller.enqueue(encoder.encode(`${trimmed}\n`));
    return true;
  };

  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      pending += decoder.decode(chunk, { stream: true });
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        if (!pass(line, controller)) return;
        newline = pending.indexOf('\n');
      }
    },
    flush(controller) {
      pending += decoder.decode();
      pass(pending, controller);
      pending = '';
    },
  });
}
