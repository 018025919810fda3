// Baseline (c): llama.vscode's request pattern against a real llama-server, re-implemented from its
// source (ggml-org/llama.vscode v0.0.63, src/completion.ts, src/extra-context.ts, src/llama-server.ts,
// package.json defaults) for the benchmark's replayer, which drives it like VS Code drives an inline
// completion provider. Nothing of Bantam's engine is used.
//
// What it does, as llama.vscode does:
// - /infill with input_prefix = up to 256 whole lines above the cursor line, prompt = the cursor line
//   up to the cursor ("" when that is only indentation), input_suffix = the rest of the line + "\n" +
//   up to 64 lines below + "\n", input_extra = the ring of extra chunks, n_indent, id_slot 0,
//   cache_prompt, samplers top_k/top_p/infill, top_k 40, top_p 0.99, t_max_prompt_ms 500 and
//   t_max_predict_ms 500 (the shipped defaults);
// - no request when an automatic trigger has more than 8 characters after the cursor;
// - no debounce; one request at a time (a new one polls every 150 ms until the previous is done, and
//   gives up if VS Code cancels it meanwhile); a request sent is never aborted, its answer is cached;
// - an LRU of 250 answers keyed by prefix|suffix|prompt, also answering a prompt that extends a
//   cached one by text the cached answer starts with;
// - after a suggestion is shown: when the rest of the line is blank, the suggestion after accepting
//   it is requested (prompt + first line, same prefix and suffix) unless cached; and when the cursor
//   moved more than 32 lines since the last pick, a chunk of up to 32 lines from the scope above
//   (1024 lines up to the prefix) and one below the suffix go to the chunk queue;
// - on opening a file, the 64 lines around the cursor go to the queue; every 1000 ms, if 3 s have
//   passed since the last completion started, one queued chunk moves into the ring (at most 16) and a
//   warm-up /infill (n_predict 0) with the new ring is sent.
// Where the benchmark needs equal work it deviates, as for every variant: one completion per request
// (n_cmpl 1, not 3) and exactly 16 generated tokens (n_predict 16, ignore_eos, no n_indent stop rule,
// and samplers top_k/top_p without "infill", which ends a random-weight model's answer at its first
// token; Bantam's variants likewise run without their stop rules), still capped by t_max_predict_ms.
// Two settings: as shipped (256 lines above, 64 below, a ring of 16 chunks, the model's whole
// context), and sized like the other variants' prompts on a slow machine (12 lines above, 4 below,
// no ring: about the ~140 tokens Bantam's sizer gives its prompts here), which a user on such a
// machine would set (n_prefix, n_suffix, ring_n_chunks are llama.vscode settings). llama.vscode does not stream, so the suggestion appears with the whole answer;
// the first-token time is derived from the server's own timings (answer time minus generation time
// plus one token's share of it).
import type { EngineSuggestion, EngineTimings } from '../src/core/completion/engine';
import { countLineBreaks } from '../src/core/kernel/textLines';
import type { CompletionRequest } from '../src/core/kernel/completionTypes';
import { sleep } from './clock';
import type { LlamaServerProcess } from '../test/support/llamaServer';
import { SeededRandom } from './seededRandom';

export interface LlamaVscodeSettings {
  /** Lines above the cursor line (n_prefix, shipped 256) and below it (n_suffix, shipped 64). */
  nPrefix: number;
  nSuffix: number;
  /** Extra chunks kept in the ring (ring_n_chunks, shipped 16); 0 turns the ring off. */
  ringChunks: number;
}

export const LLAMA_VSCODE_SHIPPED: LlamaVscodeSettings = { nPrefix: 256, nSuffix: 64, ringChunks: 16 };
export const LLAMA_VSCODE_SIZED: LlamaVscodeSettings = { nPrefix: 12, nSuffix: 4, ringChunks: 0 };

const MAX_LINE_SUFFIX = 8;
const T_MAX_PROMPT_MS = 500;
const T_MAX_PREDICT_MS = 500;
const POLL_MS = 150;
const CACHE_KEYS = 250;
const CHUNK_LINES = 64;
const RING_SCOPE = 1024;
const RING_UPDATE_MS = 1000;
const RING_QUIET_MS = 3000;
const PICK_DISTANCE = 32;
const QUEUED_CHUNKS = 16;

interface Chunk {
  text: string;
  time: number;
  filename: string;
}

interface Payload {
  inputPrefix: string;
  inputSuffix: string;
  prompt: string;
  lineSuffix: string;
  line: number;
}

interface InfillAnswer {
  content?: string;
  tokens_evaluated?: number;
  tokens_cached?: number;
  timings?: { prompt_n?: number; prompt_ms?: number; predicted_n?: number; predicted_ms?: number };
}

export class LlamaVscodeClient {
  private readonly cache = new Map<string, string>();
  private inProgress = false;
  private ring: Chunk[] = [];
  private queue: Chunk[] = [];
  private lastPickLine = -1e9;
  private lastCompletionAt = 0;
  private nextId = 1;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly rng: SeededRandom;
  private disposed = false;

  constructor(
    private readonly server: LlamaServerProcess,
    private readonly generateTokens: number,
    private readonly onTimings: (timings: EngineTimings, request: CompletionRequest) => void,
    seed: number,
    private readonly settings: LlamaVscodeSettings = LLAMA_VSCODE_SHIPPED,
  ) {
    this.rng = SeededRandom.stream(seed, 'llama.vscode ring');
    this.timer = setInterval(() => void this.updateRing(), RING_UPDATE_MS);
  }

  /** A file was opened with the cursor at `request.offset` (the active editor changed). */
  opened(request: CompletionRequest): void {
    if (this.settings.ringChunks === 0) return;
    const lines = request.text.split('\n');
    const line = lineOf(request.text, request.offset);
    this.pickChunk(lines.slice(Math.max(0, line - PICK_DISTANCE), line + PICK_DISTANCE), request.relativePath, true);
  }

  async complete(request: CompletionRequest, signal: AbortSignal): Promise<EngineSuggestion | undefined> {
    const start = performance.now();
    const timings: EngineTimings = { outcome: 'filtered', totalMs: 0, debounceMs: 0, reachedModel: false };
    const finish = (outcome: EngineTimings['outcome'], text?: string): EngineSuggestion | undefined => {
      timings.outcome = outcome;
      timings.totalMs = performance.now() - start;
      this.onTimings(timings, request);
      if (text === undefined) return undefined;
      return { id: this.nextId++, text, replaceLength: 0, source: outcome === 'cache' ? 'cache' : 'model', latencyMs: timings.totalMs, timings };
    };
    const p = payloadAt(request, this.settings);
    if (!request.explicit && p.lineSuffix.length > MAX_LINE_SUFFIX) return finish('filtered');

    let answer = cachedAnswer(this.cache, p);
    let source: 'cache' | 'model' = 'cache';
    if (answer === undefined) {
      while (this.inProgress) {
        await sleep(POLL_MS);
        if (signal.aborted) return finish('cancelled');
      }
      if (signal.aborted) return finish('cancelled');
      this.inProgress = true;
      this.lastCompletionAt = performance.now();
      timings.reachedModel = true;
      try {
        const sentAt = performance.now();
        const r = await this.infill(p, this.generateTokens);
        const answeredAt = performance.now();
        answer = r.content ?? '';
        this.cache.set(key(p.inputPrefix, p.inputSuffix, p.prompt), answer);
        trim(this.cache);
        const t = r.timings ?? {};
        const predictedMs = t.predicted_ms ?? 0;
        const perToken = (t.predicted_n ?? 0) > 0 ? predictedMs / t.predicted_n! : 0;
        if ((t.predicted_n ?? 0) > 0) timings.firstTokenMs = answeredAt - start - predictedMs + perToken;
        timings.modelMs = answeredAt - sentAt;
        timings.promptTokens = r.tokens_evaluated ?? t.prompt_n;
        timings.reusedTokens = (r.tokens_evaluated ?? 0) - (t.prompt_n ?? 0);
        timings.generatedTokens = t.predicted_n;
        timings.overheadMs = 0;
      } catch {
        return finish('error');
      } finally {
        this.inProgress = false;
      }
      source = 'model';
    }
    // VS Code cancelled the provider call while the answer was on its way: nothing is shown (it is cached).
    if (signal.aborted) return finish('cancelled');
    const shown = shape(answer, p, request);
    if (shown === undefined) return finish('empty');
    const suggestion = finish(source, shown);
    setTimeout(() => this.afterShown(request, p, shown, signal), 0);
    return suggestion;
  }

  accepted(_id: number): void {}

  async readAhead(_request: CompletionRequest): Promise<boolean> {
    return false;
  }

  dispose(): void {
    this.disposed = true;
    clearInterval(this.timer);
  }

  private afterShown(request: CompletionRequest, p: Payload, shown: string, signal: AbortSignal): void {
    if (this.disposed || signal.aborted) return;
    if (p.lineSuffix.trim() === '') {
      const line0 = shown.split('\n')[0] ?? '';
      const future: Payload = { ...p, prompt: p.prompt + line0 };
      if (!this.cache.has(key(future.inputPrefix, future.inputSuffix, future.prompt))) {
        void this.infill(future, this.generateTokens).then(
          (r) => {
            this.cache.set(key(future.inputPrefix, future.inputSuffix, future.prompt), r.content ?? '');
            trim(this.cache);
          },
          () => undefined,
        );
      }
    }
    if (this.settings.ringChunks > 0 && Math.abs(p.line - this.lastPickLine) > PICK_DISTANCE) {
      this.lastPickLine = p.line;
      const lines = request.text.split('\n');
      const { nPrefix, nSuffix } = this.settings;
      this.pickChunk(lines.slice(Math.max(0, p.line - RING_SCOPE), Math.max(0, p.line - nPrefix)), request.relativePath, false);
      this.pickChunk(lines.slice(Math.min(lines.length, p.line + nSuffix), Math.min(lines.length, p.line + nSuffix + CHUNK_LINES)), request.relativePath, false);
    }
  }

  private pickChunk(lines: string[], filename: string, evict: boolean): void {
    if (lines.length < 3) return;
    let picked = lines;
    if (lines.length + 1 >= CHUNK_LINES) {
      const half = CHUNK_LINES / 2;
      const start = this.rng.int(0, Math.max(0, lines.length - half));
      picked = lines.slice(start, start + half);
    }
    const text = `${picked.join('\n')}\n`;
    if (evict) {
      if ([...this.ring, ...this.queue].some((c) => c.text === text)) return;
      const similar = (c: Chunk): boolean => jaccard(c.text, text) > 0.9;
      this.ring = this.ring.filter((c) => !similar(c));
      this.queue = this.queue.filter((c) => !similar(c));
    }
    if (this.queue.length >= QUEUED_CHUNKS) this.queue.shift();
    this.queue.push({ text, time: Date.now(), filename });
  }

  private async updateRing(): Promise<void> {
    if (this.disposed || this.queue.length === 0 || performance.now() - this.lastCompletionAt < RING_QUIET_MS) return;
    this.ring.push(this.queue.shift()!);
    if (this.ring.length > this.settings.ringChunks) this.ring.shift();
    // Fire and forget, as llama.vscode does: the server reads the new ring into its cache.
    void this.server
      .post('/infill', {
        id_slot: 0,
        input_prefix: '',
        input_suffix: '',
        input_extra: this.ring,
        prompt: '',
        n_predict: 0,
        samplers: [],
        cache_prompt: true,
        t_max_prompt_ms: T_MAX_PROMPT_MS,
        t_max_predict_ms: 1,
      })
      .catch(() => undefined);
  }

  private infill(p: Payload, nPredict: number): Promise<InfillAnswer> {
    return this.server.post<InfillAnswer>('/infill', {
      id_slot: 0,
      input_prefix: p.inputPrefix,
      input_suffix: p.inputSuffix,
      input_extra: this.ring,
      prompt: p.prompt,
      n_predict: nPredict,
      ignore_eos: true,
      n_cmpl: 1,
      top_k: 40,
      top_p: 0.99,
      stream: false,
      samplers: ['top_k', 'top_p'],
      cache_prompt: true,
      t_max_prompt_ms: T_MAX_PROMPT_MS,
      t_max_predict_ms: T_MAX_PREDICT_MS,
    });
  }
}

const lineOf = countLineBreaks;

/** The /infill fields for the cursor, as llama.vscode computes them. */
export function payloadAt(request: CompletionRequest, settings: LlamaVscodeSettings): Payload {
  const lines = request.text.split('\n');
  const line = lineOf(request.text, request.offset);
  const lineStart = request.text.lastIndexOf('\n', request.offset - 1) + 1;
  const lineText = lines[line] ?? '';
  const linePrefix = request.text.slice(lineStart, request.offset);
  const lineSuffix = lineText.slice(linePrefix.length);
  const prefixLines = lines.slice(Math.max(0, line - settings.nPrefix), line);
  const suffixLines = lines.slice(line + 1, line + 1 + settings.nSuffix);
  return {
    inputPrefix: `${prefixLines.join('\n')}\n`,
    inputSuffix: `${lineSuffix}\n${suffixLines.join('\n')}\n`,
    prompt: linePrefix.trim() === '' ? '' : linePrefix,
    lineSuffix,
    line,
  };
}

function key(prefix: string, suffix: string, prompt: string): string {
  return `${prefix}|${suffix}|${prompt}`;
}

function trim(cache: Map<string, string>): void {
  while (cache.size > CACHE_KEYS) cache.delete(cache.keys().next().value as string);
}

/** An answer for this prompt, or for a shorter one whose answer starts with what was typed since. */
function cachedAnswer(cache: Map<string, string>, p: Payload): string | undefined {
  for (let i = p.prompt.length; i >= 0; i--) {
    const hit = cache.get(key(p.inputPrefix, p.inputSuffix, p.prompt.slice(0, i)));
    if (hit === undefined) continue;
    const typed = p.prompt.slice(i);
    if (hit.startsWith(typed)) {
      // Refresh its place in the LRU.
      const k = key(p.inputPrefix, p.inputSuffix, p.prompt.slice(0, i));
      cache.delete(k);
      cache.set(k, hit);
      return hit.slice(typed.length);
    }
  }
  return undefined;
}

/** llama.vscode's discard and trim rules; undefined when nothing is shown. */
function shape(answer: string, p: Payload, request: CompletionRequest): string | undefined {
  const lines = answer.split(/\r?\n/);
  while (lines.length > 1 && lines[lines.length - 1]!.trim() === '') lines.pop();
  if (lines.length === 0 || (lines.length === 1 && lines[0]!.trim() === '')) return undefined;
  const docLines = request.text.split('\n');
  const lastLine = p.line >= docLines.length - 1;
  if (!lastLine) {
    if (lines.length === 1 && lines[0] === p.lineSuffix) return undefined;
    const nextNonEmpty = docLines.slice(p.line + 1).find((l) => l.trim() !== '');
    const linePrefix = request.text.slice(request.text.lastIndexOf('\n', request.offset - 1) + 1, request.offset);
    if (lines.length === 1 && nextNonEmpty !== undefined && linePrefix + lines[0] === nextNonEmpty) return undefined;
  }
  let first = lines[0]!;
  if (p.lineSuffix.trim() !== '') {
    if (first.endsWith(p.lineSuffix)) first = first.slice(0, first.length - p.lineSuffix.length);
    return first;
  }
  return [first, ...lines.slice(1)].join('\n');
}

function jaccard(a: string, b: string): number {
  const x = new Set(a.split('\n'));
  const y = new Set(b.split('\n'));
  let both = 0;
  for (const l of x) if (y.has(l)) both++;
  return both / (x.size + y.size - both || 1);
}
