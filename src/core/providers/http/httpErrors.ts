// How a failed request to a network model provider reaches the user: every way an attempt can fail
// (an HTTP status with the API's error body, an error event inside a stream, a socket failure, a
// timeout, a reply Bantam cannot read, a stream cut short) becomes one BackendError whose message
// names the provider and host, says what to do next, and never contains the API key or a full URL
// (a base URL may carry a key in its query; headers are never quoted at all).

import { BackendError } from '../../kernel/backendError';
import { describeWait } from './retryTiming';

/** Who a request went to, for messages. Built once per provider (see endpointFor). */
export interface Endpoint {
  /** The provider in words, e.g. "Anthropic", "Ollama", "OpenAI-compatible server". */
  name: string;
  /** `URL.host` of the base URL: hostname plus a non-default port, never credentials or path. */
  host: string;
  /** hostname:port with the default port filled in, for "could not reach" messages. */
  hostPort: string;
  model: string;
  /** What the base URL must point at, e.g. "an OpenAI-compatible API (it usually ends in /v1)". */
  api: string;
  /** True when the request carried an API key. */
  hadKey: boolean;
  /** What to do about a rejected or missing key, e.g. "Run 'Bantam: Set API Key'." */
  keyHint: string;
  /** What to do about an unknown model, e.g. "Run `ollama pull qwen2.5-coder:7b`." */
  modelMissingHint: string;
  /** What to do about a prompt the server refused for its length, given the context it named (if it did). */
  contextHint?: (limit: number | undefined) => string;
  /** Texts that must never appear in a message (the API key). */
  secrets: readonly string[];
}

/** "Anthropic (api.anthropic.com)": the provider's label and the subject of its messages. */
export function endpointLabel(endpoint: Pick<Endpoint, 'name' | 'host'>): string {
  return `${endpoint.name} (${endpoint.host})`;
}

/** The message part of an API's error body, whichever API it came from. */
export interface ServerMessage {
  message?: string;
  /** OpenAI `error.type`, Anthropic `error.type` (e.g. overloaded_error). */
  type?: string;
  /** OpenAI `error.code` (e.g. model_not_found, invalid_api_key). */
  code?: string;
}

/**
 * Reads OpenAI `{"error":{"message","type","code"}}`, Anthropic `{"type":"error","error":{"type",
 * "message"}}`, Ollama `{"error":"..."}`, vLLM `{"message","type"}` and FastAPI `{"detail"}`; any
 * other text is kept as it is (a proxy's HTML page, a plain-text 404).
 */
export function parseServerMessage(body: string): ServerMessage {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    const text = body.replace(/<[^>]*>/g, ' ').trim();
    return text === '' ? {} : { message: text };
  }
  return serverMessageOf(value);
}

/** The same, for an already parsed JSON value (an error object inside a stream). */
export function serverMessageOf(value: unknown): ServerMessage {
  if (!isRecord(value)) return typeof value === 'string' ? { message: value } : {};
  const error = value['error'];
  if (typeof error === 'string') return { message: error };
  const source = isRecord(error) ? error : value;
  const message = text(source['message']) ?? text(value['detail']) ?? text(value['message']);
  return {
    ...(message !== undefined ? { message } : {}),
    ...(text(source['type']) !== undefined ? { type: text(source['type']) } : {}),
    ...(text(source['code']) !== undefined ? { code: text(source['code']) } : {}),
  };
}

/** What went wrong in one attempt, before it is worded for the user. */
export type HttpFailure =
  | { kind: 'status'; status: number; statusText?: string; server: ServerMessage; retryAfterMs?: number }
  | { kind: 'stream-error'; server: ServerMessage; status?: number }
  /** `afterHeaders`: a 2xx reply had begun, and its body broke off. */
  | { kind: 'network'; cause: unknown; afterHeaders?: boolean }
  | { kind: 'timeout'; ms: number }
  | { kind: 'malformed'; detail: string }
  | { kind: 'cut' }
  | { kind: 'aborted' };

/** Thrown by a stream decoder for a chunk it cannot read. */
export class MalformedReplyError extends Error {
  override readonly name = 'MalformedReplyError';
}

/** Thrown by a stream decoder for an error the server reported inside a 200 stream. */
export class StreamErrorEvent extends Error {
  override readonly name = 'StreamErrorEvent';

  /** `status` is the HTTP status the error type stands for (Anthropic overloaded_error: 529), if any. */
  constructor(
    readonly server: ServerMessage,
    readonly status?: number,
  ) {
    super(server.message ?? 'error event');
  }
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504, 529]);

/** Socket failures worth another try: the server may be restarting or shed the connection. */
const RETRYABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** What a socket failure's code says happened. */
type SocketFailure = 'unreachable' | 'dropped' | 'gave-up';

/**
 * The one table of socket failure codes: nobody answered at that address ('unreachable'); the server
 * took the connection, then dropped it ('dropped'); undici gave up on a connection it had made
 * ('gave-up': closed under it, or no headers within its own limit). Each wording reads it its own
 * way (see networkError and isSocketFailure).
 */
const SOCKET_CODES = new Map<string, SocketFailure>([
  ['ECONNREFUSED', 'unreachable'],
  ['ENOTFOUND', 'unreachable'],
  ['EAI_AGAIN', 'unreachable'],
  ['EAI_FAIL', 'unreachable'],
  ['EHOSTUNREACH', 'unreachable'],
  ['EHOSTDOWN', 'unreachable'],
  ['ENETUNREACH', 'unreachable'],
  ['ENETDOWN', 'unreachable'],
  ['ETIMEDOUT', 'unreachable'],
  ['EADDRNOTAVAIL', 'unreachable'],
  ['UND_ERR_CONNECT_TIMEOUT', 'unreachable'],
  ['ECONNRESET', 'dropped'],
  ['EPIPE', 'dropped'],
  ['UND_ERR_SOCKET', 'dropped'],
  ['UND_ERR_CLOSED', 'gave-up'],
  ['UND_ERR_HEADERS_TIMEOUT', 'gave-up'],
]);

/**
 * True when the failure's codes are in the table, or undici says the fetch or its socket failed (its
 * words for any connection that could not be made or was lost). For a wording that gives one piece
 * of advice for all of them (Ollama completion: start `ollama serve`); networkError tells them apart.
 */
export function isSocketFailure(cause: unknown): boolean {
  if (errorCodes(cause).some((code) => SOCKET_CODES.has(code))) return true;
  const message = cause instanceof Error ? cause.message : String(cause);
  return cause instanceof TypeError && /fetch failed|terminated|socket/i.test(message);
}

/** True for failures another attempt may cure, provided no answer text has reached the caller. */
export function isRetryable(failure: HttpFailure): boolean {
  switch (failure.kind) {
    case 'status':
      return RETRYABLE_STATUS.has(failure.status);
    case 'stream-error':
      return failure.status !== undefined && RETRYABLE_STATUS.has(failure.status);
    case 'network': {
      const codes = errorCodes(failure.cause);
      return codes.some((c) => RETRYABLE_CODES.has(c)) || (codes.length === 0 && isSocketClose(failure.cause));
    }
    case 'cut':
      return true;
    default:
      return false;
  }
}

/** Where in a request a failure happened: the attempts made, and the answer text already delivered. */
export interface FailureContext {
  attempts: number;
  chars: number;
}

/** Words a failure for the user; failureError is the one the network providers share. */
export type FailureWording = (failure: HttpFailure, context: FailureContext) => BackendError;

/** Words the failure for the user. `chars` is the answer text already delivered. */
export function failureError(endpoint: Endpoint, failure: HttpFailure, context: FailureContext): BackendError {
  const label = endpointLabel(endpoint);
  const make = (code: BackendError['code'], message: string, cause?: unknown): BackendError =>
    new BackendError(code, redact(message, endpoint.secrets), cause !== undefined ? { cause } : undefined);
  const cutOff = (): BackendError =>
    make('http', `${label} closed the connection and the answer was cut off after ${context.chars} characters. Try again.`);

  switch (failure.kind) {
    case 'aborted':
      return make('aborted', `The request to ${label} was cancelled before any answer arrived.`);
    case 'timeout':
      return make(
        'timeout',
        `${label} sent nothing for ${describeWait(failure.ms)}. Try again, or allow a longer timeout in the settings.`,
      );
    case 'malformed':
      return make(
        'malformed',
        `${label} sent a reply Bantam could not read (${clip(failure.detail, 120)}). Check that the base URL points at ${endpoint.api}.`,
      );
    case 'cut':
      return cutOff();
    case 'network':
      return context.chars > 0 ? cutOff() : networkError(endpoint, failure.cause, make);
    case 'stream-error':
      if (failure.status !== undefined && context.chars === 0) {
        return statusError(endpoint, { kind: 'status', status: failure.status, server: failure.server }, context, make);
      }
      return make(
        'http',
        `${label} reported an error after ${context.chars} characters of the answer: ${quote(failure.server, 'no details', endpoint.secrets)}. Try again.`,
      );
    case 'status':
      return statusError(endpoint, failure, context, make);
  }
}

type Make = (code: BackendError['code'], message: string, cause?: unknown) => BackendError;

function statusError(
  endpoint: Endpoint,
  failure: Extract<HttpFailure, { kind: 'status' }>,
  context: { attempts: number },
  make: Make,
): BackendError {
  const label = endpointLabel(endpoint);
  const { status, server } = failure;
  // Redacted before it is clipped: a key cut in half by the clip would leave its first half behind.
  const said = server.message !== undefined ? `: ${clip(redact(server.message, endpoint.secrets))}` : '';
  if (status === 401 || status === 403) {
    const what = endpoint.hadKey ? 'rejected the API key' : 'needs an API key';
    return make('unauthorized', `${label} ${what} (HTTP ${status}${said}). ${endpoint.keyHint}`);
  }
  const tooLong = contextExceeded(server);
  if (tooLong.exceeded) {
    const what = endpoint.contextHint?.(tooLong.limit) ?? 'Ask about less at once, or give the server a larger context.';
    return make('http', `${label} can't take a prompt this long (HTTP ${status}${said}). ${what}`);
  }
  if ((status === 404 || status === 400) && saysModelUnknown(server)) {
    return make(
      'model-missing',
      `${label} does not know the model "${endpoint.model}" (HTTP ${status}${said}). ${endpoint.modelMissingHint}`,
    );
  }
  if (status === 404) {
    return make(
      'http',
      `${label} does not serve the requested path (HTTP 404${said}). Check that the base URL points at ${endpoint.api}.`,
    );
  }
  if (status === 429) {
    if (failure.retryAfterMs !== undefined && failure.retryAfterMs > 0) {
      const wait = describeWait(failure.retryAfterMs);
      return make('http', `${label} is rate-limiting requests (HTTP 429${said}). Try again in ${wait}.`);
    }
    return make('http', `${label} is rate-limiting requests (HTTP 429${said}). Wait a minute and try again, or check your plan's limits.`);
  }
  if (status >= 500) {
    const tries = context.attempts > 1 ? ` on all ${context.attempts} attempts` : '';
    const what = status === 529 || server.type === 'overloaded_error' ? 'is overloaded' : 'had a server error';
    return make('http', `${label} ${what} (HTTP ${status}${said})${tries}. Try again in a few minutes.`);
  }
  return make('http', `${label} refused the request (HTTP ${status}${said}). Check the model and its settings, then try again.`);
}

/** "Try again later" is no answer when the server asked for a long pause: say how long. */
export function retryAfterTooLongError(endpoint: Endpoint, status: number, waitMs: number): BackendError {
  return new BackendError(
    'http',
    redact(
      `${endpointLabel(endpoint)} asked Bantam to wait ${describeWait(waitMs)} before retrying (HTTP ${status}). Try again in ${describeWait(waitMs)}.`,
      endpoint.secrets,
    ),
  );
}

function networkError(endpoint: Endpoint, cause: unknown, make: Make): BackendError {
  const codes = errorCodes(cause);
  const label = endpointLabel(endpoint);
  if (codes.length === 0 && isSocketClose(cause)) {
    return make('http', `${label} closed the connection before answering. Try again, and check the server's log if it keeps happening.`, cause);
  }
  const code = codes.find((c) => SOCKET_CODES.get(c) === 'unreachable') ?? codes[0];
  const detail = code !== undefined ? ` (${code})` : '';
  if (code === undefined || SOCKET_CODES.get(code) === 'unreachable') {
    return make(
      'unreachable',
      `${endpoint.name} could not reach ${endpoint.hostPort}${detail}. Check that the server is running and that the base URL is right.`,
      cause,
    );
  }
  if (SOCKET_CODES.get(code) === 'dropped') {
    return make('http', `${label} closed the connection before answering (${code}). Try again, and check the server's log if it keeps happening.`, cause);
  }
  // TLS and other transport failures: the server is there but the connection could not be made.
  return make(
    'unreachable',
    `${endpoint.name} could not connect to ${endpoint.hostPort}${detail}. Check the base URL and the server's certificate.`,
    cause,
  );
}

/** How servers say a prompt is longer than their context, each with the limit it names. */
const CONTEXT_LIMIT_PATTERNS: readonly RegExp[] = [
  /available context size \((\d+) tokens\)/i, // llama-server: "request (7654 tokens) exceeds the available context size (4096 tokens)"
  /maximum context length is (\d+) tokens/i, // OpenAI, vLLM
  /prompt is too long: \d+ tokens > (\d+) maximum/i, // Anthropic
];

/** Whether the server refused a prompt for its length, and the context it named, if it did. */
function contextExceeded(server: ServerMessage): { exceeded: boolean; limit?: number } {
  const message = server.message ?? '';
  for (const pattern of CONTEXT_LIMIT_PATTERNS) {
    const match = pattern.exec(message);
    if (match) return { exceeded: true, limit: Number(match[1]) };
  }
  return { exceeded: server.type === 'exceed_context_size_error' || server.code === 'context_length_exceeded' };
}

/** The wordings of "unknown model" across OpenAI, Anthropic, Ollama, vLLM and llama.cpp's server. */
function saysModelUnknown(server: ServerMessage): boolean {
  if (server.code === 'model_not_found') return true;
  const message = server.message ?? '';
  if (server.type === 'not_found_error' && /^model:/i.test(message)) return true;
  return /model/i.test(message) && /not found|does not exist|unknown|no such|not a valid model|try pulling/i.test(message);
}

/** undici reports a peer that hung up as `TypeError: terminated` / "other side closed", sometimes without a code. */
function isSocketClose(cause: unknown): boolean {
  const message = cause instanceof Error ? `${cause.message} ${cause.cause instanceof Error ? cause.cause.message : ''}` : '';
  return /terminated|other side closed|socket hang up|closed/i.test(message);
}

function quote(server: ServerMessage, fallback: string, secrets: readonly string[]): string {
  return server.message !== undefined ? clip(redact(server.message, secrets)) : fallback;
}

/** One line, at most `max` characters, without a trailing full stop (the sentence adds its own). */
export function clip(value: string, max = 200): string {
  const oneLine = value.replace(/\s+/g, ' ').trim().replace(/[.\s]+$/, '');
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}

/**
 * Replaces every secret with ***, so a server that echoes the key can't leak it into a message, and
 * anything shaped like a key or a bearer token as well (a server may echo a key Bantam never had).
 */
export function redact(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('***');
  }
  return out.replace(/\b(Bearer\s+)[^\s"',]+/gi, '$1***').replace(/\bsk-[A-Za-z0-9_-]{12,}/g, 'sk-***');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** Every `code` on the error, its `cause` chain and AggregateError members (Happy Eyeballs tries several addresses). */
export function errorCodes(error: unknown, depth = 0): string[] {
  if (typeof error !== 'object' || error === null || depth > 5) return [];
  const found: string[] = [];
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string') found.push(code);
  if (cause !== undefined) found.push(...errorCodes(cause, depth + 1));
  if (Array.isArray(errors)) for (const inner of errors) found.push(...errorCodes(inner, depth + 1));
  return found;
}
