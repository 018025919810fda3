// The one error type every completion backend (Ollama, the llama worker, remote providers) rejects
// with, so the engine, the status bar and the "what do I do now" notifications branch on a small,
// shared set of codes instead of on each backend's own exceptions. The message is for the user:
// what happened, then what to do, one sentence each; the backend that raises it writes the words
// because only it knows the host, the model or the setting involved.

export type BackendErrorCode =
  /** The server or process could not be reached at all (refused, DNS, no answer in time). */
  | 'unreachable'
  /** The configured model is not installed / pulled / present. */
  | 'model-missing'
  /** The server refused the credentials (HTTP 401/403). */
  | 'unauthorized'
  /** The server answered with an error status or broke off a reply. */
  | 'http'
  /** The reply could not be parsed (not JSON, not the documented shape). */
  | 'malformed'
  /** An operation ran past its time limit and produced nothing usable. */
  | 'timeout'
  /** The operation was cancelled (e.g. the backend was disposed while it ran). */
  | 'aborted'
  /** The model exists but could not be loaded (memory, corrupt file, runner crash). */
  | 'model-load'
  /** The process hosting the model died. */
  | 'worker-crashed';

export const BACKEND_ERROR_CODES: readonly BackendErrorCode[] = [
  'unreachable',
  'model-missing',
  'unauthorized',
  'http',
  'malformed',
  'timeout',
  'aborted',
  'model-load',
  'worker-crashed',
];

export class BackendError extends Error {
  override readonly name = 'BackendError';

  constructor(
    readonly code: BackendErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * True for a BackendError, also one created by another copy of this module: the extension bundle
 * and the transpiled out/ tree each have their own class, so `instanceof` alone can lie.
 */
export function isBackendError(value: unknown, code?: BackendErrorCode): value is BackendError {
  if (value instanceof BackendError) return code === undefined || value.code === code;
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { name?: unknown; code?: unknown; message?: unknown };
  return (
    candidate.name === 'BackendError' &&
    typeof candidate.message === 'string' &&
    BACKEND_ERROR_CODES.includes(candidate.code as BackendErrorCode) &&
    (code === undefined || candidate.code === code)
  );
}
