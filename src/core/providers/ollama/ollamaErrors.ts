// Turns whatever the Ollama client, fetch or the server threw into a BackendError with a message
// the user can act on. Kept apart from the backend because the failure modes are many (refused
// connections arrive as `TypeError: fetch failed` with the real reason nested in `cause`, HTTP
// errors as the client's ResponseError, mid-stream failures as `{"error"}` lines) and each needs its
// own words; the backend only says where in the request it was.

import { BackendError } from '../../kernel/backendError';
import { errorCodes } from '../http/httpErrors';
import { MalformedStreamError } from './ollamaFetch';

export interface OllamaErrorContext {
  /** The host as the user configured it (messages quote it so they can compare with their setting). */
  host: string;
  model: string;
  /** True once a streamed reply had started: a broken connection then means "cut", not "unreachable". */
  streaming?: boolean;
  /** The per-request limit, quoted when a metadata request timed out. */
  requestTimeoutMs?: number;
}

/** An `{"error": "..."}` line inside a streamed 200 reply. */
export class OllamaStreamError extends Error {
  override readonly name = 'OllamaStreamError';
}

/** Socket-level failures: the server is not there, or not answering. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ETIMEDOUT',
  'EPIPE',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_TIMEOUT',
]);

/** What Ollama says when it cannot bring a model up (runner crash, memory, bad file). */
const MODEL_LOAD_PATTERN =
  /llama runner|runner process|failed to load model|unable to load model|error loading model|requires more system memory|out of memory|insufficient memory|exit status/i;

/** Ollama's not-found wording: `model 'x' not found` or `model "x" not found, try pulling it first`. */
const MODEL_NOT_FOUND_PATTERN = /model\s+["']?[^"']*["']?\s*not found|try pulling it/i;

export function unreachableError(ctx: OllamaErrorContext, cause?: unknown): BackendError {
  return new BackendError(
    'unreachable',
    `Ollama is not reachable at ${ctx.host}. Start it with \`ollama serve\`, or set bantam.ollama.host.`,
    { cause },
  );
}

export function notAnsweringError(ctx: OllamaErrorContext, cause?: unknown): BackendError {
  const limit = ctx.requestTimeoutMs !== undefined ? ` within ${ctx.requestTimeoutMs} ms` : '';
  return new BackendError(
    'unreachable',
    `Ollama did not answer at ${ctx.host}${limit}. Start it with \`ollama serve\`, or set bantam.ollama.host.`,
    { cause },
  );
}

export function modelMissingError(ctx: OllamaErrorContext, cause?: unknown): BackendError {
  return new BackendError(
    'model-missing',
    `Model ${ctx.model} is not pulled in Ollama. Run \`ollama pull ${ctx.model}\`.`,
    { cause },
  );
}

export function noInsertError(ctx: OllamaErrorContext, cause?: unknown): BackendError {
  return new BackendError(
    'http',
    `Model ${ctx.model} cannot fill in the middle through Ollama. Set bantam.ollama.model to a code model with FIM support, such as qwen2.5-coder:1.5b-base.`,
    { cause },
  );
}

export function streamCutError(ctx: OllamaErrorContext, cause?: unknown): BackendError {
  return new BackendError(
    'http',
    `Ollama at ${ctx.host} closed the connection before the completion finished. Check that \`ollama serve\` is still running and look at its log.`,
    { cause },
  );
}

export function malformedError(ctx: OllamaErrorContext, cause?: unknown): BackendError {
  return new BackendError(
    'malformed',
    `Ollama at ${ctx.host} sent a reply Bantam could not read. Check that bantam.ollama.host points at an Ollama server and that Ollama is up to date.`,
    { cause },
  );
}

/** Maps any failure of a request to Ollama to a BackendError (BackendErrors pass through unchanged). */
export function toBackendError(error: unknown, ctx: OllamaErrorContext): BackendError {
  if (error instanceof BackendError) return error;
  if (error instanceof MalformedStreamError || error instanceof SyntaxError) return malformedError(ctx, error);
  if (error instanceof OllamaStreamError) return fromServerMessage(undefined, error.message, ctx, error);

  const status = responseStatus(error);
  if (status !== undefined) return fromServerMessage(status, (error as Error).message, ctx, error);

  if (errorName(error) === 'TimeoutError') return notAnsweringError(ctx, error);
  if (errorName(error) === 'AbortError') {
    return new BackendError('aborted', 'The request to Ollama was cancelled. Try again.', { cause: error });
  }
  if (errorCodes(error).some((code) => code === 'ERR_INVALID_URL')) return invalidHostError(ctx, error);

  const message = error instanceof Error ? error.message : String(error);
  // The client's own words when a stream ends without its `done` line.
  if (/did not receive done/i.test(message)) return streamCutError(ctx, error);

  const socketFailure =
    errorCodes(error).some((code) => UNREACHABLE_CODES.has(code)) ||
    (error instanceof TypeError && /fetch failed|terminated|socket/i.test(message));
  if (socketFailure) return ctx.streaming ? streamCutError(ctx, error) : unreachableError(ctx, error);

  return new BackendError(
    'http',
    `Talking to Ollama at ${ctx.host} failed: ${clip(message)}. Check the Ollama server log, then try again.`,
    { cause: error },
  );
}

/** An error Ollama reported in words, with its HTTP status when it came as one. */
function fromServerMessage(
  status: number | undefined,
  serverMessage: string,
  ctx: OllamaErrorContext,
  cause: unknown,
): BackendError {
  if (status === 401 || status === 403) {
    return new BackendError(
      'unauthorized',
      `Ollama at ${ctx.host} refused the request as unauthorized (HTTP ${status}). Check the proxy or credentials in front of it, or point bantam.ollama.host at Ollama directly.`,
      { cause },
    );
  }
  if (MODEL_NOT_FOUND_PATTERN.test(serverMessage) && (status === undefined || status === 404)) {
    return modelMissingError(ctx, cause);
  }
  if (/does not support insert/i.test(serverMessage)) return noInsertError(ctx, cause);
  if (MODEL_LOAD_PATTERN.test(serverMessage)) {
    return new BackendError(
      'model-load',
      `Ollama could not load model ${ctx.model}: ${clip(serverMessage)}. Free some memory or choose a smaller model, and see the Ollama log for details.`,
      { cause },
    );
  }
  const what = status !== undefined ? `answered HTTP ${status}` : 'reported an error';
  return new BackendError(
    'http',
    `Ollama at ${ctx.host} ${what}: ${clip(serverMessage)}. Check the Ollama server log, then try again.`,
    { cause },
  );
}

function invalidHostError(ctx: OllamaErrorContext, cause: unknown): BackendError {
  return new BackendError(
    'unreachable',
    `${ctx.host} is not a valid Ollama address. Set bantam.ollama.host to a URL such as http://127.0.0.1:11434.`,
    { cause },
  );
}

/** The ollama client's ResponseError is not exported, so it is recognised by shape. */
function responseStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = (error as { status_code?: unknown }).status_code;
  return typeof status === 'number' ? status : undefined;
}

function errorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? String((error as { name?: unknown }).name) : undefined;
}

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim().replace(/[.\s]+$/, '');
  return oneLine.length > 200 ? `${oneLine.slice(0, 200)}…` : oneLine;
}
