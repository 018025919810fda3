// How Ollama completion words a failed request. The HTTP layer says what failed (httpErrors.ts: a
// status with Ollama's `{"error"}` body, an error line in the stream, a socket failure read from
// the one table of codes, a timeout, a cut or unreadable stream); this says it in the words Ollama
// completion has always used, which quote bantam.ollama.host as configured and point at
// `ollama serve`, `ollama pull` and Ollama's log. Unlike the chat providers' wording, any socket
// failure before the reply began (a reset included) reads as "not reachable": the advice is the same.

import { BackendError } from '../../kernel/backendError';
import { clip, errorCodes, isSocketFailure, type FailureWording, type HttpFailure } from '../http/httpErrors';
import { pullHint } from './ollamaServer';

export interface OllamaErrorContext {
  /** The host as the user configured it (messages quote it so they can compare with their setting). */
  host: string;
  model: string;
}

/** What Ollama says when it cannot bring a model up (runner crash, memory, bad file). */
const MODEL_LOAD_PATTERN =
  /llama runner|runner process|failed to load model|unable to load model|error loading model|requires more system memory|out of memory|insufficient memory|exit status/i;

/** Ollama's not-found wording: `model 'x' not found` or `model "x" not found, try pulling it first`. */
const MODEL_NOT_FOUND_PATTERN = /model\s+["']?[^"']*["']?\s*not found|try pulling it/i;

/**
 * The wording for one kind of request: `streaming` for /api/generate, where a connection that
 * breaks after the reply began cut the completion short rather than never reaching Ollama.
 */
export function ollamaFailure(ctx: OllamaErrorContext, streaming = false): FailureWording {
  return (failure) => {
    switch (failure.kind) {
      case 'aborted':
        return new BackendError('aborted', 'The request to Ollama was cancelled. Try again.');
      case 'timeout':
        return notAnsweringError(ctx, failure.ms);
      case 'malformed':
        return malformedError(ctx, new Error(failure.detail));
      case 'cut':
        return streamCutError(ctx);
      case 'status':
        return fromServerMessage(
          failure.status,
          failure.server.message ?? `Error ${failure.status}: ${failure.statusText ?? ''}`,
          ctx,
        );
      case 'stream-error':
        return fromServerMessage(undefined, failure.server.message ?? '', ctx);
      case 'network':
        return networkError(failure, ctx, streaming);
    }
  };
}

/** Any failure as a BackendError: BackendErrors as they are, anything else as a failed request. */
export function ollamaError(error: unknown, ctx: OllamaErrorContext): BackendError {
  return error instanceof BackendError ? error : networkError({ kind: 'network', cause: error }, ctx, false);
}

export function modelMissingError(ctx: OllamaErrorContext): BackendError {
  return new BackendError('model-missing', `Model ${ctx.model} is not pulled in Ollama. ${pullHint(ctx.model)}`);
}

export function noInsertError(ctx: OllamaErrorContext): BackendError {
  return new BackendError(
    'http',
    `Model ${ctx.model} cannot fill in the middle through Ollama. Set bantam.ollama.model to a code model with FIM support, such as qwen2.5-coder:1.5b-base.`,
  );
}

export function invalidHostError(ctx: OllamaErrorContext, cause?: unknown): BackendError {
  return new BackendError(
    'unreachable',
    `${ctx.host} is not a valid Ollama address. Set bantam.ollama.host to a URL such as http://127.0.0.1:11434.`,
    { cause },
  );
}

function networkError(failure: Extract<HttpFailure, { kind: 'network' }>, ctx: OllamaErrorContext, streaming: boolean): BackendError {
  const { cause } = failure;
  if (errorCodes(cause).includes('ERR_INVALID_URL')) return invalidHostError(ctx, cause);
  if (isSocketFailure(cause)) {
    if (streaming && failure.afterHeaders) return streamCutError(ctx, cause);
    return new BackendError(
      'unreachable',
      `Ollama is not reachable at ${ctx.host}. Start it with \`ollama serve\`, or set bantam.ollama.host.`,
      { cause },
    );
  }
  const message = cause instanceof Error ? cause.message : String(cause);
  return new BackendError(
    'http',
    `Talking to Ollama at ${ctx.host} failed: ${clip(message)}. Check the Ollama server log, then try again.`,
    { cause },
  );
}

function notAnsweringError(ctx: OllamaErrorContext, ms: number): BackendError {
  return new BackendError(
    'unreachable',
    `Ollama did not answer at ${ctx.host} within ${ms} ms. Start it with \`ollama serve\`, or set bantam.ollama.host.`,
  );
}

function streamCutError(ctx: OllamaErrorContext, cause?: unknown): BackendError {
  return new BackendError(
    'http',
    `Ollama at ${ctx.host} closed the connection before the completion finished. Check that \`ollama serve\` is still running and look at its log.`,
    { cause },
  );
}

function malformedError(ctx: OllamaErrorContext, cause: unknown): BackendError {
  return new BackendError(
    'malformed',
    `Ollama at ${ctx.host} sent a reply Bantam could not read. Check that bantam.ollama.host points at an Ollama server and that Ollama is up to date.`,
    { cause },
  );
}

/** An error Ollama reported in words, with its HTTP status when it came as one. */
function fromServerMessage(status: number | undefined, serverMessage: string, ctx: OllamaErrorContext): BackendError {
  if (status === 401 || status === 403) {
    return new BackendError(
      'unauthorized',
      `Ollama at ${ctx.host} refused the request as unauthorized (HTTP ${status}). Check the proxy or credentials in front of it, or point bantam.ollama.host at Ollama directly.`,
    );
  }
  if (MODEL_NOT_FOUND_PATTERN.test(serverMessage) && (status === undefined || status === 404)) {
    return modelMissingError(ctx);
  }
  if (/does not support insert/i.test(serverMessage)) return noInsertError(ctx);
  if (MODEL_LOAD_PATTERN.test(serverMessage)) {
    return new BackendError(
      'model-load',
      `Ollama could not load model ${ctx.model}: ${clip(serverMessage)}. Free some memory or choose a smaller model, and see the Ollama log for details.`,
    );
  }
  const what = status !== undefined ? `answered HTTP ${status}` : 'reported an error';
  return new BackendError(
    'http',
    `Ollama at ${ctx.host} ${what}: ${clip(serverMessage)}. Check the Ollama server log, then try again.`,
  );
}
