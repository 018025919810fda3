// A stand-in Ollama server for tests: plain node:http on 127.0.0.1 (a free port), speaking the
// documented API (/api/generate, /api/chat, /api/tags, /api/show, /api/version) with Ollama's reply
// shapes and error bodies. No Ollama exists on the build machines, and the real client and backend
// must still meet real HTTP: streaming, slow first bytes, connections closed from either side.
//
// Scriptable per test (setScript): what to stream, how slowly, and how to fail (an HTTP error, a
// malformed line, an `{"error"}` line mid-stream, the socket destroyed mid-way, a stream that ends
// without `done`). Every request is recorded with its parsed body and how its connection ended.
// Dependency-free so the integration suites inside VS Code can start it too.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { parseBody, pause, readBody } from './loopbackHttp';

/** An installed model, as /api/tags and /api/show describe it. */
export interface FakeOllamaModel {
  /** e.g. `qwen2.5-coder:1.5b-base`; a name without a tag means `:latest`. */
  name: string;
  /** The Ollama template text (FIM models mention their control tokens in it). */
  template?: string;
  /** `model_info['general.architecture']` and, unless `family` is given, `details.family`. */
  architecture?: string;
  family?: string;
  /** Extra `model_info` keys. */
  modelInfo?: Record<string, unknown>;
  /** Default `['completion', 'insert']`; a model without 'insert' refuses a `suffix`. */
  capabilities?: string[];
  parameterSize?: string;
  quantizationLevel?: string;
}

/** How the server answers /api/generate and /api/chat. Everything has a default (see DEFAULT_SCRIPT). */
export interface FakeOllamaScript {
  /** The pieces of generated text, one per streamed line. */
  chunks: string[];
  /**
   * Pieces for a /api/generate request whose prompt contains a key of this map (the first such key
   * wins) instead of `chunks`: a model that writes differently at different places.
   */
  chunksByPrompt?: Record<string, string[]>;
  /** `done_reason` of the final line when the chunks run out. */
  doneReason: string;
  /** `prompt_eval_count` of the final line; default: prompt characters / 4. */
  promptEvalCount?: number;
  /** `eval_count` of the final line; default: the number of chunks sent. */
  evalCount?: number;
  /** Wait before the response headers and first line. */
  firstByteDelayMs: number;
  /** Wait before each further line. */
  chunkDelayMs: number;
  /** Wait before answering /api/tags, /api/show and /api/version. */
  metadataDelayMs: number;
  /** Destroy the socket after this many chunks (a server crash mid-stream). */
  cutAfterChunks?: number;
  /** Send a line that is not JSON after this many chunks, then carry on. */
  malformedAfterChunks?: number;
  /** Send `{"error": streamError}` after this many chunks and end the response. */
  errorAfterChunks?: number;
  streamError: string;
  /** End the response after the chunks without the `done` line. */
  endWithoutDone: boolean;
  /** Apply `options.stop` like Ollama (cut before the stop string, done_reason "stop"). */
  honorStop: boolean;
  /** Answer with this HTTP error instead; by default only /api/generate and /api/chat. */
  httpError?: { status: number; error: string; paths?: string[] };
}

export type FakeRequestOutcome = 'pending' | 'completed' | 'client-closed' | 'cut';

export interface FakeOllamaRequest {
  method: string;
  path: string;
  /** The parsed JSON body (the raw text when it is not JSON, undefined when empty). */
  body: any;
  receivedAt: number;
  /** How the exchange ended: answered in full, closed by the client, or cut by the script. */
  outcome: FakeRequestOutcome;
  /** Generated-text lines written so far. */
  chunksSent: number;
}

export interface FakeOllamaOptions {
  models?: FakeOllamaModel[];
  script?: Partial<FakeOllamaScript>;
  version?: string;
}

export interface FakeOllama {
  /** e.g. `http://127.0.0.1:40123` */
  url: string;
  port: number;
  /** Every request, in arrival order. */
  readonly requests: FakeOllamaRequest[];
  /** Requests to one path, e.g. `/api/generate`. */
  requestsTo(path: string): FakeOllamaRequest[];
  /** Changes parts of the script; the rest stays as it was. */
  setScript(patch: Partial<FakeOllamaScript>): void;
  /** Back to DEFAULT_SCRIPT plus the script given at start. */
  resetScript(): void;
  setModels(models: FakeOllamaModel[]): void;
  /** Resolves with the outcome once the request is no longer pending (rejects after timeoutMs). */
  settled(request: FakeOllamaRequest, timeoutMs?: number): Promise<FakeRequestOutcome>;
  /** Closes every connection and stops listening. */
  close(): Promise<void>;
}

export const DEFAULT_SCRIPT: Readonly<FakeOllamaScript> = {
  chunks: ['return', ' a', ' +', ' b;'],
  doneReason: 'stop',
  firstByteDelayMs: 0,
  chunkDelayMs: 0,
  metadataDelayMs: 0,
  streamError: 'llama runner process has terminated: signal: killed',
  endWithoutDone: false,
  honorStop: true,
};

/** Templates written after the shapes of Ollama's library models: just enough to carry the FIM markers. */
export const FAKE_MODELS = {
  qwenCoder: {
    name: 'qwen2.5-coder:1.5b-base',
    architecture: 'qwen2',
    template:
      '{{- if .Suffix }}<|fim_prefix|>{{ .Prompt }}<|fim_suffix|>{{ .Suffix }}<|fim_middle|>{{- else }}{{ .Prompt }}{{- end }}',
    parameterSize: '1.5B',
    quantizationLevel: 'Q4_K_M',
  },
  starcoder2: {
    name: 'starcoder2:3b',
    architecture: 'starcoder2',
    template: '{{- if .Suffix }}<fim_prefix>{{ .Prompt }}<fim_suffix>{{ .Suffix }}<fim_middle>{{- else }}{{ .Prompt }}{{- end }}',
  },
  deepseekCoder: {
    name: 'deepseek-coder-v2:16b-lite-base-q4_0',
    architecture: 'deepseek2',
    template: '{{- if .Suffix }}<｜fim▁begin｜>{{ .Prompt }}<｜fim▁hole｜>{{ .Suffix }}<｜fim▁end｜>{{- else }}{{ .Prompt }}{{- end }}',
  },
  codellama: {
    name: 'codellama:7b-code',
    architecture: 'llama',
    template: '{{- if .Suffix }}<PRE> {{ .Prompt }} <SUF>{{ .Suffix }} <MID>{{- else }}{{ .Prompt }}{{- end }}',
  },
  codestral: {
    name: 'codestral:22b',
    architecture: 'llama',
    template: '{{- if .Suffix }}[SUFFIX]{{ .Suffix }}[PREFIX] {{ .Prompt }}{{- else }}[INST] {{ .Prompt }} [/INST]{{- end }}',
  },
  codegemma: {
    name: 'codegemma:2b',
    architecture: 'gemma',
    template: '{{- if .Suffix }}<|fim_prefix|>{{ .Prompt }}<|fim_suffix|>{{ .Suffix }}<|fim_middle|>{{- else }}{{ .Prompt }}{{- end }}',
  },
  llamaChat: {
    name: 'llama3.2:latest',
    architecture: 'llama',
    template: '<|start_header_id|>user<|end_header_id|>\n\n{{ .Prompt }}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n',
    capabilities: ['completion', 'tools'],
  },
} satisfies Record<string, FakeOllamaModel>;

/** The /api/show answer for a model, shaped like Ollama's (also used by detection tests). */
export function fakeShowResponse(model: FakeOllamaModel): Record<string, unknown> {
  const architecture = model.architecture ?? 'llama';
  return {
    license: '',
    modelfile: `# Modelfile generated by "ollama show"\nFROM /models/blobs/sha256-fake\nTEMPLATE """${model.template ?? '{{ .Prompt }}'}"""\n`,
    parameters: '',
    template: model.template ?? '{{ .Prompt }}',
    details: details(model),
    model_info: {
      'general.architecture': architecture,
      'general.parameter_count': 1_543_714_304,
      [`${architecture}.context_length`]: 32768,
      'tokenizer.ggml.tokens': null,
      ...model.modelInfo,
    },
    capabilities: model.capabilities ?? ['completion', 'insert'],
    modified_at: '2025-01-01T00:00:00Z',
  };
}

function details(model: FakeOllamaModel): Record<string, unknown> {
  const family = model.family ?? model.architecture ?? 'llama';
  return {
    parent_model: '',
    format: 'gguf',
    family,
    families: [family],
    parameter_size: model.parameterSize ?? '1.5B',
    quantization_level: model.quantizationLevel ?? 'Q4_K_M',
  };
}

function canonical(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.slice(lower.lastIndexOf('/') + 1).includes(':') ? lower : `${lower}:latest`;
}

export async function startFakeOllama(options: FakeOllamaOptions = {}): Promise<FakeOllama> {
  let models = [...(options.models ?? [FAKE_MODELS.qwenCoder])];
  let script: FakeOllamaScript = { ...DEFAULT_SCRIPT, ...options.script };
  const requests: FakeOllamaRequest[] = [];
  const waiters = new Map<FakeOllamaRequest, Array<() => void>>();
  const sockets = new Set<Socket>();

  const settle = (record: FakeOllamaRequest, outcome: FakeRequestOutcome): void => {
    if (record.outcome !== 'pending') return;
    record.outcome = outcome;
    for (const wake of waiters.get(record) ?? []) wake();
    waiters.delete(record);
  };

  const findModel = (name: unknown): FakeOllamaModel | undefined =>
    typeof name === 'string' ? models.find((m) => canonical(m.name) === canonical(name)) : undefined;

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: String(error) });
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const record: FakeOllamaRequest = {
      method: req.method ?? 'GET',
      path: new URL(req.url ?? '/', 'http://fake').pathname,
      body: parseBody(raw),
      receivedAt: Date.now(),
      outcome: 'pending',
      chunksSent: 0,
    };
    requests.push(record);
    // 'close' comes after a full answer too; only an unfinished response means the client left.
    res.on('close', () => settle(record, res.writableFinished ? 'completed' : 'client-closed'));

    const current = script;
    const failure = current.httpError;
    if (failure && (failure.paths ?? ['/api/generate', '/api/chat']).includes(record.path)) {
      await pause(current.firstByteDelayMs, res);
      return sendJson(res, failure.status, { error: failure.error });
    }

    switch (`${record.method} ${record.path}`) {
      case 'GET /api/version':
        await pause(current.metadataDelayMs, res);
        return sendJson(res, 200, { version: options.version ?? '0.12.6' });
      case 'GET /api/tags':
        await pause(current.metadataDelayMs, res);
        return sendJson(res, 200, {
          models: models.map((m) => ({
            name: canonical(m.name),
            model: canonical(m.name),
            modified_at: '2025-01-01T00:00:00Z',
            size: 986_061_892,
            digest: 'f'.repeat(64),
            details: details(m),
          })),
        });
      case 'POST /api/show': {
        await pause(current.metadataDelayMs, res);
        const name = record.body?.model ?? record.body?.name;
        if (typeof name !== 'string' || name === '') return sendJson(res, 400, { error: 'model is required' });
        const model = findModel(name);
        if (!model) return sendJson(res, 404, { error: `model '${name}' not found` });
        return sendJson(res, 200, fakeShowResponse(model));
      }
      case 'POST /api/generate':
      case 'POST /api/chat':
        return generate(record, res, current);
      default:
        // What Ollama's router says for unknown routes.
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end('404 page not found');
    }
  }

  async function generate(record: FakeOllamaRequest, res: ServerResponse, current: FakeOllamaScript): Promise<void> {
    const chat = record.path === '/api/chat';
    const body = (typeof record.body === 'object' && record.body !== null ? record.body : {}) as Record<string, any>;
    if (typeof record.body !== 'object') return sendJson(res, 400, { error: 'missing request body' });
    const name = body['model'];
    if (typeof name !== 'string' || name === '') return sendJson(res, 400, { error: 'model is required' });
    const model = findModel(name);
    if (!model) return sendJson(res, 404, { error: `model '${name}' not found, try pulling it first` });

    const prompt = typeof body['prompt'] === 'string' ? body['prompt'] : '';
    const suffix = typeof body['suffix'] === 'string' ? body['suffix'] : '';
    const messages: Array<{ content?: unknown }> = Array.isArray(body['messages']) ? body['messages'] : [];
    if (!chat && body['raw'] === true && (body['template'] || body['system'] || body['context'])) {
      return sendJson(res, 400, { error: 'raw mode does not support template, system, or context' });
    }
    if (!chat && suffix !== '' && !(model.capabilities ?? ['completion', 'insert']).includes('insert')) {
      return sendJson(res, 400, { error: `registry.ollama.ai/library/${canonical(name)} does not support insert` });
    }

    const createdAt = (): string => new Date().toISOString();
    const line = (text: string, done: boolean): Record<string, unknown> =>
      chat
        ? { model: name, created_at: createdAt(), message: { role: 'assistant', content: text }, done }
        : { model: name, created_at: createdAt(), response: text, done };

    // An empty prompt loads (or with keep_alive 0 unloads) the model, as documented.
    const empty = chat ? messages.length === 0 : prompt === '' && suffix === '';
    if (empty) {
      const reason = body['keep_alive'] === 0 || body['keep_alive'] === '0' ? 'unload' : 'load';
      return sendJson(res, 200, { ...line('', true), done_reason: reason });
    }

    const { pieces, doneReason } = plannedPieces(current, body['options'], typeof body['prompt'] === 'string' ? body['prompt'] : '');
    const promptChars = chat
      ? messages.reduce((n, m) => n + (typeof m.content === 'string' ? m.content.length : 0), 0)
      : prompt.length + suffix.length;
    const finalLine = (sent: number): Record<string, unknown> => ({
      ...line('', true),
      done_reason: doneReason,
      ...(chat || body['raw'] === true ? {} : { context: [1, 2, 3] }),
      total_duration: 5_000_000 * (sent + 1),
      load_duration: 1_000_000,
      prompt_eval_count: current.promptEvalCount ?? Math.max(1, Math.ceil(promptChars / 4)),
      prompt_eval_duration: 2_000_000,
      eval_count: current.evalCount ?? sent,
      eval_duration: 3_000_000 * sent,
    });

    // Set once the client has gone (or the script cut the connection): nothing more to write.
    const gone = (): boolean => res.destroyed || record.outcome !== 'pending';
    await pause(current.firstByteDelayMs, res);
    if (gone()) return;

    if (body['stream'] === false) {
      await pause(current.chunkDelayMs * Math.max(0, pieces.length - 1), res);
      if (gone()) return;
      record.chunksSent = pieces.length;
      const whole = pieces.join('');
      const reply = finalLine(pieces.length);
      if (chat) reply['message'] = { role: 'assistant', content: whole };
      else reply['response'] = whole;
      return sendJson(res, 200, reply);
    }

    res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
    // Interruptions scheduled "after n chunks"; true when the response is over.
    const interrupt = (sent: number): boolean => {
      if (current.cutAfterChunks === sent) {
        settle(record, 'cut');
        res.socket?.destroy();
        return true;
      }
      if (current.malformedAfterChunks === sent) res.write('{"model": "broken", "response": \n');
      if (current.errorAfterChunks === sent) {
        res.end(`${JSON.stringify({ error: current.streamError })}\n`);
        return true;
      }
      return false;
    };
    for (let i = 0; i < pieces.length; i++) {
      if (i > 0) await pause(current.chunkDelayMs, res);
      if (gone() || interrupt(i)) return;
      res.write(`${JSON.stringify(line(pieces[i] ?? '', false))}\n`);
      record.chunksSent = i + 1;
    }
    if (pieces.length > 0) await pause(current.chunkDelayMs, res);
    if (gone() || interrupt(pieces.length)) return;
    if (current.endWithoutDone) return void res.end();
    res.end(`${JSON.stringify(finalLine(pieces.length))}\n`);
  }

  function sendJson(res: ServerResponse, status: number, value: unknown): void {
    if (res.destroyed || !res.socket || res.socket.destroyed) return;
    const text = JSON.stringify(value);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
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
    requestsTo: (path) => requests.filter((r) => r.path === path),
    setScript(patch) {
      script = { ...script, ...patch };
    },
    resetScript() {
      script = { ...DEFAULT_SCRIPT, ...options.script };
    },
    setModels(next) {
      models = [...next];
    },
    settled(record, timeoutMs = 2000) {
      if (record.outcome !== 'pending') return Promise.resolve(record.outcome);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${record.path} still pending after ${timeoutMs} ms`)),
          timeoutMs,
        );
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

/** The pieces to stream, shortened by `num_predict` and (when honoured) by a stop string. */
function plannedPieces(script: FakeOllamaScript, options: unknown, prompt: string): { pieces: string[]; doneReason: string } {
  const opts = (typeof options === 'object' && options !== null ? options : {}) as { num_predict?: unknown; stop?: unknown };
  const byPrompt = Object.entries(script.chunksByPrompt ?? {}).find(([key]) => prompt.includes(key));
  let pieces = [...(byPrompt ? byPrompt[1] : script.chunks)];
  let doneReason = script.doneReason;
  if (typeof opts.num_predict === 'number' && opts.num_predict >= 0 && opts.num_predict < pieces.length) {
    pieces = pieces.slice(0, opts.num_predict);
    doneReason = 'length';
  }
  const stops = Array.isArray(opts.stop) ? opts.stop.filter((s): s is string => typeof s === 'string' && s !== '') : [];
  if (script.honorStop && stops.length > 0) {
    const full = pieces.join('');
    const hits = stops.map((s) => full.indexOf(s)).filter((at) => at >= 0);
    if (hits.length > 0) {
      // Keep the text before the stop string, split as it would have streamed.
      let room = Math.min(...hits);
      const kept: string[] = [];
      for (const piece of pieces) {
        if (room <= 0) break;
        kept.push(piece.slice(0, room));
        room -= piece.length;
      }
      pieces = kept;
      doneReason = 'stop';
    }
  }
  return { pieces, doneReason };
}
