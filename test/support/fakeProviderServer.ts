// A stand-in for the network model providers, for tests: plain node:http on 127.0.0.1 (a free
// port) speaking each API's documented streaming wire format and error bodies:
//   POST …/chat/completions   OpenAI-compatible chat, SSE `data:` chunks ending in `data: [DONE]`
//   POST …/completions        OpenAI-compatible legacy completions, same framing, `choices[0].text`
//   POST …/v1/messages        Anthropic Messages, SSE with named events ending in message_stop
//   POST …/api/chat           Ollama chat, NDJSON lines ending in a `done: true` line
// (matched on the end of the path, so any base URL prefix works).
//
// Scriptable per test (setScript, or enqueue for the next requests only): what to stream, how
// slowly, and how to fail: an HTTP status with the API's own error body and Retry-After headers,
// an error event inside the stream, a malformed chunk, the socket destroyed mid-way, a stream that
// ends without its end event. It checks what the real services check (the key header, Anthropic's
// version header, known models) and records every request with its headers and parsed body, so
// tests can assert the wire format sent. Dependency-free so the VS Code integration suites can use it.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { parseBody, pause, readBody } from './loopbackHttp';

export type FakeApi = 'openai-chat' | 'openai-completions' | 'anthropic' | 'ollama-chat';

export interface FakeHttpError {
  status: number;
  message: string;
  /** The API's error type (OpenAI `error.type`, Anthropic `error.type`); a default per status otherwise. */
  type?: string;
  /** OpenAI `error.code`. */
  code?: string;
  /** `Retry-After` header value: seconds or an HTTP date. */
  retryAfter?: string;
  /** `retry-after-ms` header value (OpenAI). */
  retryAfterMs?: string;
}

export interface FakeProviderScript {
  /** The pieces of answer text, one per streamed chunk. */
  chunks: string[];
  /** The API's own finish reason when the chunks run out (default stop / end_turn / stop). */
  finishReason?: string;
  /** Token counts to report; 'auto' = prompt characters / 4 and chunks sent; false reports none. */
  usage: { input: number; output: number } | 'auto' | false;
  /** The model the reply names (default: the model asked for). */
  answerModel?: string;
  /** Wait before the response headers. */
  firstByteDelayMs: number;
  /** Wait before each further chunk. */
  chunkDelayMs: number;
  /** Go quiet for stallMs after this many chunks (a stalled generation). */
  stallAfterChunks?: number;
  stallMs: number;
  /** Destroy the socket after this many chunks (a crash mid-stream). */
  cutAfterChunks?: number;
  /** Send a chunk that is not JSON after this many chunks, then carry on. */
  malformedAfterChunks?: number;
  /** Send the API's in-stream error after this many chunks and end the response. */
  streamErrorAfterChunks?: number;
  streamError: { type: string; message: string };
  /** End the response after the chunks without the end event ([DONE], message_stop, done line). */
  omitEnd: boolean;
  /** Cut the answer at the first stop string the request names, like the real servers. */
  honorStop: boolean;
  /** Answer with this HTTP error instead of a stream. */
  httpError?: FakeHttpError;
}

export type FakeOutcome = 'pending' | 'completed' | 'client-closed' | 'cut';

export interface FakeProviderRequest {
  api: FakeApi | undefined;
  method: string;
  path: string;
  /** Lower-cased header names, as node:http gives them. */
  headers: Record<string, string>;
  /** Parsed JSON body (the raw text when not JSON, undefined when empty). */
  body: any;
  outcome: FakeOutcome;
  chunksSent: number;
}

export interface FakeProviderOptions {
  /** When set, requests must carry it (Bearer for OpenAI and Ollama, x-api-key for Anthropic). */
  apiKey?: string;
  /** Quote the key that was sent in the 401 message, as a careless server would. */
  echoKeyInErrors?: boolean;
  /** When set, other models get the API's "model not found" 404. */
  models?: string[];
  script?: Partial<FakeProviderScript>;
  /** Serve the APIs only under this path prefix (e.g. '/v1'), to test a wrong base URL. */
  pathPrefix?: string;
}

export interface FakeProviderServer {
  /** e.g. http://127.0.0.1:40123 */
  url: string;
  port: number;
  readonly requests: FakeProviderRequest[];
  requestsTo(pathEnd: string): FakeProviderRequest[];
  setScript(patch: Partial<FakeProviderScript>): void;
  /** Script patches for the next requests, one each, on top of the current script. */
  enqueue(...patches: Array<Partial<FakeProviderScript>>): void;
  resetScript(): void;
  /** Resolves with the outcome once the request is no longer pending. */
  settled(request: FakeProviderRequest, timeoutMs?: number): Promise<FakeOutcome>;
  close(): Promise<void>;
}

export const DEFAULT_PROVIDER_SCRIPT: Readonly<FakeProviderScript> = {
  chunks: ['Hello', ', ', 'world', '!'],
  usage: 'auto',
  firstByteDelayMs: 0,
  chunkDelayMs: 0,
  stallMs: 0,
  streamError: { type: 'overloaded_error', message: 'Overloaded' },
  omitEnd: false,
  honorStop: false,
};

export function apiOf(path: string): FakeApi | undefined {
  if (path.endsWith('/chat/completions')) return 'openai-chat';
  if (path.endsWith('/completions')) return 'openai-completions';
  if (path.endsWith('/v1/messages')) return 'anthropic';
  if (path.endsWith('/api/chat')) return 'ollama-chat';
  return undefined;
}

export async function startFakeProviderServer(options: FakeProviderOptions = {}): Promise<FakeProviderServer> {
  let script: FakeProviderScript = { ...DEFAULT_PROVIDER_SCRIPT, ...options.script };
  const queued: Array<Partial<FakeProviderScript>> = [];
  const requests: FakeProviderRequest[] = [];
  const waiters = new Map<FakeProviderRequest, Array<() => void>>();
  const sockets = new Set<Socket>();

  const settle = (record: FakeProviderRequest, outcome: FakeOutcome): void => {
    if (record.outcome !== 'pending') return;
    record.outcome = outcome;
    for (const wake of waiters.get(record) ?? []) wake();
    waiters.delete(record);
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const record: FakeProviderRequest = {
      api: apiOf(path),
      method: req.method ?? 'GET',
      path,
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')])),
      body: parseBody(raw),
      outcome: 'pending',
      chunksSent: 0,
    };
    requests.push(record);
    res.on('close', () => settle(record, res.writableFinished ? 'completed' : 'client-closed'));
    const current: FakeProviderScript = { ...script, ...queued.shift() };

    const api = record.api;
    const served = options.pathPrefix === undefined || path.startsWith(`${options.pathPrefix}/`);
    if (api === undefined || record.method !== 'POST' || !served) {
      return sendJson(res, 404, { error: { message: `Invalid URL (${record.method} ${path})`, type: 'invalid_request_error' } });
    }
    const body = (typeof record.body === 'object' && record.body !== null ? record.body : {}) as Record<string, any>;
    const refusal = checkRequest(api, record.headers, body, options);
    if (refusal) return sendError(res, api, refusal);
    if (current.httpError) {
      await pause(current.firstByteDelayMs, res);
      return sendError(res, api, current.httpError);
    }
    await stream(api, body, record, res, current);
  }

  async function stream(
    api: FakeApi,
    body: Record<string, any>,
    record: FakeProviderRequest,
    res: ServerResponse,
    current: FakeProviderScript,
  ): Promise<void> {
    const model = current.answerModel ?? String(body['model']);
    const { pieces, finish, stopReason } = planned(api, current, body);
    const inputTokens = current.usage === 'auto' ? Math.max(1, Math.ceil(promptChars(body) / 4)) : current.usage ? current.usage.input : undefined;
    const outputTokens = (sent: number): number | undefined =>
      current.usage === 'auto' ? sent : current.usage ? current.usage.output : undefined;
    const wire = wireFormat(api, model, body);
    const gone = (): boolean => res.destroyed || record.outcome !== 'pending';

    await pause(current.firstByteDelayMs, res);
    if (gone()) return;
    res.writeHead(200, {
      'Content-Type': api === 'ollama-chat' ? 'application/x-ndjson' : 'text/event-stream',
      'Cache-Control': 'no-cache',
    });
    res.flushHeaders();
    const opening = wire.start(inputTokens);
    if (opening !== '') res.write(opening);

    const interrupt = (sent: number): boolean => {
      if (current.cutAfterChunks === sent) {
        settle(record, 'cut');
        // Destroyed once what was written has left, so the client sees the chunks, then a broken connection.
        const socket = res.socket;
        if (socket) socket.write('', () => socket.destroy());
        return true;
      }
      if (current.malformedAfterChunks === sent) res.write(wire.malformed());
      if (current.streamErrorAfterChunks === sent) {
        res.end(wire.error(current.streamError));
        return true;
      }
      return false;
    };
    for (let i = 0; i < pieces.length; i++) {
      if (i > 0) await pause(current.chunkDelayMs, res);
      if (current.stallAfterChunks === i) await pause(current.stallMs, res);
      if (gone() || interrupt(i)) return;
      res.write(wire.piece(pieces[i] ?? ''));
      record.chunksSent = i + 1;
    }
    if (current.stallAfterChunks === pieces.length) await pause(current.stallMs, res);
    if (gone() || interrupt(pieces.length)) return;
    if (current.omitEnd) return void res.end();
    res.end(wire.end(finish, stopReason, inputTokens, outputTokens(pieces.length)));
  }

  function sendError(res: ServerResponse, api: FakeApi, error: FakeHttpError): void {
    const headers: Record<string, string> = {};
    if (error.retryAfter !== undefined) headers['Retry-After'] = error.retryAfter;
    if (error.retryAfterMs !== undefined) headers['retry-after-ms'] = error.retryAfterMs;
    sendJson(res, error.status, errorBody(api, error), headers);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    requestsTo: (pathEnd) => requests.filter((r) => r.path.endsWith(pathEnd)),
    setScript(patch) {
      script = { ...script, ...patch };
    },
    enqueue(...patches) {
      queued.push(...patches);
    },
    resetScript() {
      script = { ...DEFAULT_PROVIDER_SCRIPT, ...options.script };
      queued.length = 0;
    },
    settled(record, timeoutMs = 2000) {
      if (record.outcome !== 'pending') return Promise.resolve(record.outcome);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${record.path} still pending after ${timeoutMs} ms`)), timeoutMs);
        const list = waiters.get(record) ?? [];
        list.push(() => {
          clearTimeout(timer);
          resolve(record.outcome);
        });
        waiters.set(record, list);
      });
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What the real services refuse before streaming: a missing or wrong key, a missing header, an unknown model. */
function checkRequest(
  api: FakeApi,
  headers: Record<string, string>,
  body: Record<string, any>,
  options: FakeProviderOptions,
): FakeHttpError | undefined {
  if (options.apiKey !== undefined) {
    const sent = api === 'anthropic' ? headers['x-api-key'] : headers['authorization']?.replace(/^Bearer /, '');
    if (sent !== options.apiKey) {
      const shown = options.echoKeyInErrors ? (sent ?? '') : `${(sent ?? '').slice(0, 3)}***`;
      const message =
        api === 'anthropic'
          ? `invalid x-api-key${options.echoKeyInErrors ? ` ${shown}` : ''}`
          : api === 'ollama-chat'
            ? 'unauthorized'
            : `Incorrect API key provided: ${shown}. You can find your API key at https://platform.openai.com/account/api-keys.`;
      return { status: 401, message, type: api === 'anthropic' ? 'authentication_error' : 'invalid_request_error', code: 'invalid_api_key' };
    }
  }
  if (api === 'anthropic' && !headers['anthropic-version']) {
    return { status: 400, message: 'anthropic-version: header is required', type: 'invalid_request_error' };
  }
  if (typeof body['model'] !== 'string' || body['model'] === '') {
    return { status: 400, message: 'model is required', type: 'invalid_request_error' };
  }
  if (options.models !== undefined && !options.models.includes(body['model'])) {
    const model = body['model'];
    if (api === 'anthropic') return { status: 404, message: `model: ${model}`, type: 'not_found_error' };
    if (api === 'ollama-chat') return { status: 404, message: `model "${model}" not found, try pulling it first` };
    return {
      status: 404,
      message: `The model \`${model}\` does not exist or you do not have access to it.`,
      type: 'invalid_request_error',
      code: 'model_not_found',
    };
  }
  return undefined;
}

const ANTHROPIC_ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/** Each API's error body. */
export function errorBody(api: FakeApi, error: FakeHttpError): unknown {
  switch (api) {
    case 'anthropic':
      return {
        type: 'error',
        error: { type: error.type ?? ANTHROPIC_ERROR_TYPES[error.status] ?? 'api_error', message: error.message },
      };
    case 'ollama-chat':
      return { error: error.message };
    default:
      return {
        error: {
          message: error.message,
          type: error.type ?? (error.status >= 500 ? 'server_error' : 'invalid_request_error'),
          param: null,
          code: error.code ?? null,
        },
      };
  }
}

interface WireFormat {
  start(inputTokens: number | undefined): string;
  piece(text: string): string;
  malformed(): string;
  error(error: { type: string; message: string }): string;
  end(finish: string, stopReason: string | undefined, input: number | undefined, output: number | undefined): string;
}

const sse = (data: unknown, event?: string): string =>
  `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;

function wireFormat(api: FakeApi, model: string, body: Record<string, any>): WireFormat {
  const created = Math.floor(Date.now() / 1000);
  const includeUsage = body['stream_options']?.include_usage === true;
  switch (api) {
    case 'openai-chat': {
      const chunk = (choices: unknown[], extra: Record<string, unknown> = {}): string =>
        sse({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created, model, choices, ...extra });
      return {
        start: () => chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]),
        piece: (text) => chunk([{ index: 0, delta: { content: text }, finish_reason: null }]),
        malformed: () => 'data: {"id": "chatcmpl-fake", "choices": [{"delta": \n\n',
        error: (e) => sse({ error: { message: e.message, type: e.type, param: null, code: null } }),
        end: (finish, _stop, input, output) =>
          chunk([{ index: 0, delta: {}, finish_reason: finish }]) +
          (includeUsage && input !== undefined && output !== undefined
            ? chunk([], { usage: { prompt_tokens: input, completion_tokens: output, total_tokens: input + output } })
            : '') +
          sse('[DONE]'),
      };
    }
    case 'openai-completions': {
      const chunk = (choices: unknown[], extra: Record<string, unknown> = {}): string =>
        sse({ id: 'cmpl-fake', object: 'text_completion', created, model, choices, ...extra });
      return {
        start: () => '',
        piece: (text) => chunk([{ index: 0, text, logprobs: null, finish_reason: null }]),
        malformed: () => 'data: {"id": "cmpl-fake", "choices": [{"text": \n\n',
        error: (e) => sse({ error: { message: e.message, type: e.type, param: null, code: null } }),
        end: (finish, stopReason, input, output) =>
          chunk([{ index: 0, text: '', logprobs: null, finish_reason: finish, stop_reason: stopReason ?? null }]) +
          (includeUsage && input !== undefined && output !== undefined
            ? chunk([], { usage: { prompt_tokens: input, completion_tokens: output, total_tokens: input + output } })
            : '') +
          sse('[DONE]'),
      };
    }
    case 'anthropic':
      return {
        start: (input) =>
          sse(
            {
              type: 'message_start',
              message: {
                id: 'msg_fake',
                type: 'message',
                role: 'assistant',
                content: [],
                model,
                stop_reason: null,
                stop_sequence: null,
                ...(input !== undefined ? { usage: { input_tokens: input, output_tokens: 1 } } : {}),
              },
            },
            'message_start',
          ) +
          sse({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }, 'content_block_start') +
          sse({ type: 'ping' }, 'ping'),
        piece: (text) =>
          sse({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }, 'content_block_delta'),
        malformed: () => 'event: content_block_delta\ndata: {"type": "content_block_delta", "delta": \n\n',
        error: (e) => sse({ type: 'error', error: { type: e.type, message: e.message } }, 'error'),
        end: (finish, stopReason, _input, output) =>
          sse({ type: 'content_block_stop', index: 0 }, 'content_block_stop') +
          sse(
            {
              type: 'message_delta',
              delta: { stop_reason: finish, stop_sequence: stopReason ?? null },
              ...(output !== undefined ? { usage: { output_tokens: output } } : {}),
            },
            'message_delta',
          ) +
          sse({ type: 'message_stop' }, 'message_stop'),
      };
    case 'ollama-chat': {
      const line = (content: string, done: boolean, extra: Record<string, unknown> = {}): string =>
        `${JSON.stringify({ model, created_at: new Date().toISOString(), message: { role: 'assistant', content }, done, ...extra })}\n`;
      return {
        start: () => '',
        piece: (text) => line(text, false),
        malformed: () => '{"model": "broken", "message": \n',
        error: (e) => `${JSON.stringify({ error: e.message })}\n`,
        end: (finish, _stop, input, output) =>
          line('', true, {
            done_reason: finish,
            total_duration: 5_000_000,
            load_duration: 1_000_000,
            ...(input !== undefined ? { prompt_eval_count: input, prompt_eval_duration: 2_000_000 } : {}),
            ...(output !== undefined ? { eval_count: output, eval_duration: 3_000_000 } : {}),
          }),
      };
    }
  }
}

/** The pieces to stream, shortened by the request's token limit and (when honoured) a stop string. */
function planned(
  api: FakeApi,
  script: FakeProviderScript,
  body: Record<string, any>,
): { pieces: string[]; finish: string; stopReason: string | undefined } {
  const names =
    api === 'anthropic'
      ? { stop: 'end_turn', length: 'max_tokens', stopSequence: 'stop_sequence' }
      : { stop: 'stop', length: 'length', stopSequence: 'stop' };
  let pieces = [...script.chunks];
  let finish = script.finishReason ?? names.stop;
  let stopReason: string | undefined;
  const limit = api === 'ollama-chat' ? body['options']?.num_predict : body['max_tokens'];
  if (typeof limit === 'number' && limit >= 0 && limit < pieces.length) {
    pieces = pieces.slice(0, limit);
    finish = names.length;
  }
  const rawStops = api === 'anthropic' ? body['stop_sequences'] : api === 'ollama-chat' ? body['options']?.stop : body['stop'];
  const stops: string[] = (Array.isArray(rawStops) ? rawStops : typeof rawStops === 'string' ? [rawStops] : []).filter(
    (s: unknown): s is string => typeof s === 'string' && s !== '',
  );
  if (script.honorStop && stops.length > 0) {
    const full = pieces.join('');
    const hits = stops.map((s) => [full.indexOf(s), s] as const).filter(([at]) => at >= 0).sort((a, b) => a[0] - b[0]);
    const first = hits[0];
    if (first) {
      let room = first[0];
      const kept: string[] = [];
      for (const piece of pieces) {
        if (room <= 0) break;
        kept.push(piece.slice(0, room));
        room -= piece.length;
      }
      pieces = kept;
      finish = names.stopSequence;
      stopReason = first[1];
    }
  }
  return { pieces, finish, stopReason };
}

function promptChars(body: Record<string, any>): number {
  const messages: Array<{ content?: unknown }> = Array.isArray(body['messages']) ? body['messages'] : [];
  const system = typeof body['system'] === 'string' ? body['system'].length : 0;
  const prompt = typeof body['prompt'] === 'string' ? body['prompt'].length : 0;
  return messages.reduce((n, m) => n + (typeof m.content === 'string' ? m.content.length : 0), system + prompt);
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed || !res.socket || res.socket.destroyed) return;
  const text = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
