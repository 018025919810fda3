// The typed message protocol between a client (LocalLlamaBackend) and the model host process, after
// the handshake (hostHandshake.ts). Both sides validate what they receive, because a message crosses a process
// boundary as plain JSON: anything malformed is dropped (and logged by the caller), never trusted.

import type { ExtentRule } from '../../kernel/completionTypes';
import type { FimFamily, GenerationResult } from '../../kernel/completionTypes';
import type { ChatMessage, ChatRole } from '../../kernel/chatTypes';
import { isBool, isCount, isId, isObj, isStr } from '../../kernel/messageChecks';
import { ACCELERATOR_KINDS, GPU_CHOICES, type AcceleratorKind, type GpuChoice } from '../../kernel/accelerators';

export type { AcceleratorKind, GpuChoice } from '../../kernel/accelerators';

/** How the worker should load the model and size its single context. */
export interface LoadOptions {
  modelPath: string;
  /** The GPU build to load; layers are offloaded as far as free VRAM allows (node-llama-cpp's fitting). */
  gpu: GpuChoice;
  /** CPU threads for evaluation. */
  threads: number;
  flashAttention: boolean;
  /** Tokens the one context sequence can hold (prompt + generation). */
  contextSize: number;
  /** Tokens evaluated per decode call; also how often a long prompt checks for abort. */
  batchSize: number;
  /**
   * What the client uses the model for (default 'completion'). A 'rewrite' model (next-edit: it
   * rewrites a window of the file) needs no fill-in-the-middle tokens; a 'completion' model must have them.
   */
  purpose?: ModelPurpose;
  /**
   * Prompt lookup (node-llama-cpp's InputLookupTokenPredictor) on this client's sequence: drafts up
   * to `maxDraftTokens` tokens by copying what follows the generated tail in the prompt, verified in
   * one batch. For rewrites, which mostly copy their input. Absent: plain one-token-at-a-time decoding.
   */
  promptLookup?: PromptLookupOptions;
}

export type ModelPurpose = 'completion' | 'rewrite';
export const MODEL_PURPOSES: readonly ModelPurpose[] = ['completion', 'rewrite'];

export interface PromptLookupOptions {
  /** Most tokens drafted per step (the verify batch is this plus one). */
  maxDraftTokens: number;
}

/** The most tokens one draft may hold: a verify batch past this costs more than it saves on a CPU. */
export const MAX_DRAFT_TOKENS = 64;

/** The FIM control-token texts found in the vocabulary. */
export interface FimTokenTexts {
  prefix: string;
  suffix: string;
  middle: string;
}

/** Where the model runs and what it costs, as node-llama-cpp reports after loading. */
export interface AcceleratorInfo {
  kind: AcceleratorKind;
  /** GPU device names llama.cpp sees (empty on the CPU). */
  devices: string[];
  /** Layers offloaded to the GPU, of the model's `totalLayers`. */
  gpuLayers: number;
  totalLayers: number;
  /** Memory this model host's llama.cpp uses (model, context, buffers), in bytes. */
  vramUsedBytes: number;
  ramUsedBytes: number;
  /** The GPU's memory (0 on the CPU), and whether it is shared with the CPU (Apple silicon). */
  vramTotalBytes: number;
  unifiedMemory: boolean;
  /** Cores llama.cpp finds useful for math (it caps its threads there). */
  cpuMathCores: number;
  /** Why a GPU that was asked for (or found) is not used: the model runs on the CPU. Null otherwise. */
  fallback: string | null;
}

/** Facts about the loaded model that decide how prompts are rendered. */
export interface ModelInfo {
  /** GGUF `general.architecture`, e.g. "qwen2". */
  architecture: string;
  /** GGUF `general.name`, when present. */
  name: string | null;
  /** From the model inspector (FIM token texts in the vocabulary); null when none is recognised. */
  family: FimFamily | null;
  fimTokens: FimTokenTexts | null;
  /** Size of the model file in bytes. */
  fileBytes: number;
  /** Effective context settings (llama.cpp may round the context size up). */
  contextSize: number;
  batchSize: number;
  threads: number;
  flashAttention: boolean;
  accelerator: AcceleratorInfo;
}

export interface VocabInfo {
  size: number;
  /** llama.cpp vocabulary type, e.g. "bpe", "spm". */
  type: string;
  bos: string | null;
  eos: string | null;
  addBos: boolean;
}

// ---- host -> worker ----

export interface LoadMessage extends LoadOptions {
  type: 'load';
}

export interface GenerateMessage {
  type: 'generate';
  id: number;
  /** Prompt text with FIM control tokens; the worker tokenizes it with special tokens enabled. */
  prompt: string;
  /** 0 reads the prompt into the KV cache and generates nothing (a read-ahead). */
  maxTokens: number;
  stop: string[];
  timeoutMs: number;
  temperature: number;
  /** Clear the KV cache first (the no-reuse benchmark baseline). */
  fresh?: boolean;
  /** Send `chunk` messages as text becomes final. */
  stream?: boolean;
  /**
   * Keep generating through end-of-generation and control tokens (they add no text), so exactly
   * maxTokens tokens are generated unless a stop string, the timeout or an abort comes first.
   * For benchmarks and tests that need a known amount of work.
   */
  ignoreEos?: boolean;
  /** End generation as soon as this rule says the completion is complete (see completionExtent.ts). */
  extent?: ExtentRule;
}

/**
 * A conversation for the model to answer, rendered by the worker with the model's own chat
 * template. Answered like a generate: `firstToken`, `chunk`s (always streamed), then `done`.
 */
export interface ChatRequestMessage {
  type: 'chat';
  id: number;
  /** At least one message; a system message only first. A last assistant message is continued. */
  messages: ChatMessage[];
  maxTokens: number;
  temperature: number;
  /** Caps generation, counted from the first token (as for generate). */
  timeoutMs: number;
  /** Extra stop strings on top of the chat template's own end-of-turn markers. */
  stop?: string[];
  /** As for generate: generate through end-of-turn tokens (tests and benchmarks only). */
  ignoreEos?: boolean;
}

export interface AbortMessage {
  type: 'abort';
  id: number;
}

export interface TokenizeMessage {
  type: 'tokenize';
  id: number;
  text: string;
}

export interface MeasureRatesMessage {
  type: 'measureRates';
  id: number;
  promptTokens: number;
  genTokens: number;
}

/** This client is done: the host aborts its requests, frees its sequence and closes the connection. */
export interface DisposeMessage {
  type: 'dispose';
}

/** Stop the whole host now, for every client (the user's "stop the model host" command). */
export interface ShutdownMessage {
  type: 'shutdown';
}

export type HostMessage =
  | LoadMessage
  | GenerateMessage
  | ChatRequestMessage
  | AbortMessage
  | TokenizeMessage
  | MeasureRatesMessage
  | DisposeMessage
  | ShutdownMessage;

// ---- worker -> host ----

export interface LoadedMessage {
  type: 'loaded';
  info: ModelInfo;
  trainContextSize: number;
  vocab: VocabInfo;
  /** ms from the load message to a warmed-up model. */
  loadMs: number;
  /** Prompt tokens per second, measured once after the warm-up (null if that failed). */
  promptTokPerS: number | null;
}

export interface FirstTokenMessage {
  type: 'firstToken';
  id: number;
  /** ms from the worker receiving the request to the first generated token. */
  ms: number;
}

export interface ChunkMessage {
  type: 'chunk';
  id: number;
  text: string;
}

export interface DoneMessage {
  type: 'done';
  id: number;
  result: GenerationResult;
}

export interface TokenizedMessage {
  type: 'tokenized';
  id: number;
  count: number;
}

export interface RatesMessage {
  type: 'rates';
  id: number;
  promptTokPerS: number;
  genTokPerS: number;
}

/**
 * Why something failed. Load errors have no id; request errors carry the request's id.
 * `bad-message` answers a request the worker could not accept (wrong state, bad fields).
 */
export type WorkerErrorCode =
  | 'binary-missing'
  | 'model-missing'
  | 'not-gguf'
  | 'model-corrupt'
  | 'no-fim'
  | 'load-failed'
  | 'not-loaded'
  | 'prompt-too-long'
  | 'generate-failed'
  | 'bad-message';

export interface ErrorMessage {
  type: 'error';
  id?: number;
  code: WorkerErrorCode;
  message: string;
}

/** The host is stopping on purpose (a user's stop command or its own shutdown), not crashing. */
export interface StoppingMessage {
  type: 'stopping';
  reason: string;
}

export type WorkerMessage =
  | StoppingMessage
  | LoadedMessage
  | FirstTokenMessage
  | ChunkMessage
  | DoneMessage
  | TokenizedMessage
  | RatesMessage
  | ErrorMessage;

// ---- validation ----

function isNum(v: unknown): v is number {
  return typeof v === 'number' && !Number.isNaN(v);
}
/** NaN survives JSON only as null, so timing fields accept null too (read back as NaN). */
function isNumOrNull(v: unknown): boolean {
  return v === null || typeof v === 'number';
}
function isStrOrNull(v: unknown): boolean {
  return v === null || typeof v === 'string';
}

const chatRoles: readonly ChatRole[] = ['system', 'user', 'assistant'];

/** A non-empty conversation of well-formed messages, with a system message (if any) only first. */
export function isChatMessageList(v: unknown): v is ChatMessage[] {
  return (
    Array.isArray(v) &&
    v.length > 0 &&
    v.every(
      (m: unknown, i) =>
        isObj(m) && isStr(m.role) && chatRoles.includes(m.role as ChatRole) && (m.role !== 'system' || i === 0) && isStr(m.content),
    )
  );
}

function isExtentRule(v: unknown): v is ExtentRule {
  return (
    isObj(v) &&
    (v.shape === 'block' || v.shape === 'line-or-block') &&
    isStr(v.linePrefix) &&
    isStr(v.languageId) &&
    isCount(v.tabSize) &&
    v.tabSize > 0 &&
    isCount(v.maxFirstLineChars)
  );
}

function isPromptLookup(v: unknown): v is PromptLookupOptions {
  return isObj(v) && isCount(v.maxDraftTokens) && v.maxDraftTokens > 0 && v.maxDraftTokens <= MAX_DRAFT_TOKENS;
}

const familyNames: readonly string[] = ['qwen', 'starcoder2', 'deepseek', 'codellama', 'codestral'];
const stopReasons: readonly string[] = ['eos', 'stop', 'maxTokens', 'timeout', 'abort'];
const errorCodes: readonly string[] = [
  'binary-missing',
  'model-missing',
  'not-gguf',
  'model-corrupt',
  'no-fim',
  'load-failed',
  'not-loaded',
  'prompt-too-long',
  'generate-failed',
  'bad-message',
];

/** The message if it is a well-formed host -> worker message, else undefined. */
export function parseHostMessage(v: unknown): HostMessage | undefined {
  if (!isObj(v)) return undefined;
  switch (v.type) {
    case 'load':
      return isStr(v.modelPath) &&
        isStr(v.gpu) &&
        (GPU_CHOICES as readonly string[]).includes(v.gpu) &&
        isCount(v.threads) &&
        v.threads > 0 &&
        isBool(v.flashAttention) &&
        isCount(v.contextSize) &&
        v.contextSize > 0 &&
        isCount(v.batchSize) &&
        v.batchSize > 0 &&
        (v.purpose === undefined || (isStr(v.purpose) && (MODEL_PURPOSES as readonly string[]).includes(v.purpose))) &&
        (v.promptLookup === undefined || isPromptLookup(v.promptLookup))
        ? (v as unknown as LoadMessage)
        : undefined;
    case 'generate':
      return isId(v.id) &&
        isStr(v.prompt) &&
        isCount(v.maxTokens) &&
        Array.isArray(v.stop) &&
        v.stop.every(isStr) &&
        isNum(v.timeoutMs) &&
        v.timeoutMs > 0 &&
        isNum(v.temperature) &&
        v.temperature >= 0 &&
        (v.fresh === undefined || isBool(v.fresh)) &&
        (v.stream === undefined || isBool(v.stream)) &&
        (v.ignoreEos === undefined || isBool(v.ignoreEos)) &&
        (v.extent === undefined || isExtentRule(v.extent))
        ? (v as unknown as GenerateMessage)
        : undefined;
    case 'chat':
      return isId(v.id) &&
        isChatMessageList(v.messages) &&
        isCount(v.maxTokens) &&
        isNum(v.timeoutMs) &&
        v.timeoutMs > 0 &&
        isNum(v.temperature) &&
        v.temperature >= 0 &&
        (v.stop === undefined || (Array.isArray(v.stop) && v.stop.every(isStr))) &&
        (v.ignoreEos === undefined || isBool(v.ignoreEos))
        ? (v as unknown as ChatRequestMessage)
        : undefined;
    case 'abort':
      return isId(v.id) ? (v as unknown as AbortMessage) : undefined;
    case 'tokenize':
      return isId(v.id) && isStr(v.text) ? (v as unknown as TokenizeMessage) : undefined;
    case 'measureRates':
      return isId(v.id) && isCount(v.promptTokens) && v.promptTokens > 0 && isCount(v.genTokens) && v.genTokens > 0
        ? (v as unknown as MeasureRatesMessage)
        : undefined;
    case 'dispose':
      return { type: 'dispose' };
    case 'shutdown':
      return { type: 'shutdown' };
    default:
      return undefined;
  }
}

function isGenerationResult(v: unknown): v is GenerationResult {
  return (
    isObj(v) &&
    isStr(v.text) &&
    isCount(v.promptTokens) &&
    isCount(v.reusedTokens) &&
    isCount(v.generatedTokens) &&
    isNumOrNull(v.ttftMs) &&
    isNumOrNull(v.totalMs) &&
    isStr(v.stoppedBy) &&
    stopReasons.includes(v.stoppedBy) &&
    (v.drafts === undefined || (isObj(v.drafts) && isCount(v.drafts.accepted) && isCount(v.drafts.rejected)))
  );
}

function isModelInfo(v: unknown): v is ModelInfo {
  return (
    isObj(v) &&
    isStr(v.architecture) &&
    isStrOrNull(v.name) &&
    (v.family === null || (isStr(v.family) && familyNames.includes(v.family))) &&
    (v.fimTokens === null ||
      (isObj(v.fimTokens) && isStr(v.fimTokens.prefix) && isStr(v.fimTokens.suffix) && isStr(v.fimTokens.middle))) &&
    isNum(v.fileBytes) &&
    isCount(v.contextSize) &&
    isCount(v.batchSize) &&
    isCount(v.threads) &&
    isBool(v.flashAttention) &&
    isAcceleratorInfo(v.accelerator)
  );
}

function isAcceleratorInfo(v: unknown): v is AcceleratorInfo {
  return (
    isObj(v) &&
    isStr(v.kind) &&
    (ACCELERATOR_KINDS as readonly string[]).includes(v.kind) &&
    Array.isArray(v.devices) &&
    v.devices.every(isStr) &&
    isCount(v.gpuLayers) &&
    isCount(v.totalLayers) &&
    v.gpuLayers <= v.totalLayers &&
    isCount(v.vramUsedBytes) &&
    isCount(v.ramUsedBytes) &&
    isCount(v.vramTotalBytes) &&
    isBool(v.unifiedMemory) &&
    isCount(v.cpuMathCores) &&
    isStrOrNull(v.fallback)
  );
}

function isVocabInfo(v: unknown): v is VocabInfo {
  return isObj(v) && isCount(v.size) && isStr(v.type) && isStrOrNull(v.bos) && isStrOrNull(v.eos) && isBool(v.addBos);
}

/** The message if it is a well-formed worker -> host message, else undefined. */
export function parseWorkerMessage(v: unknown): WorkerMessage | undefined {
  if (!isObj(v)) return undefined;
  switch (v.type) {
    case 'loaded':
      return isModelInfo(v.info) &&
        isCount(v.trainContextSize) &&
        isVocabInfo(v.vocab) &&
        isNum(v.loadMs) &&
        (v.promptTokPerS === null || (isNum(v.promptTokPerS) && v.promptTokPerS > 0))
        ? (v as unknown as LoadedMessage)
        : undefined;
    case 'firstToken':
      return isId(v.id) && isNum(v.ms) ? (v as unknown as FirstTokenMessage) : undefined;
    case 'chunk':
      return isId(v.id) && isStr(v.text) ? (v as unknown as ChunkMessage) : undefined;
    case 'done': {
      if (!isId(v.id) || !isGenerationResult(v.result)) return undefined;
      // JSON turns NaN into null; give the reader back the NaN the contract promises.
      const r = v.result;
      return {
        type: 'done',
        id: v.id,
        result: { ...r, ttftMs: r.ttftMs ?? Number.NaN, totalMs: r.totalMs ?? Number.NaN },
      };
    }
    case 'tokenized':
      return isId(v.id) && isCount(v.count) ? (v as unknown as TokenizedMessage) : undefined;
    case 'rates':
      return isId(v.id) && isNum(v.promptTokPerS) && isNum(v.genTokPerS) ? (v as unknown as RatesMessage) : undefined;
    case 'stopping':
      return isStr(v.reason) ? { type: 'stopping', reason: v.reason.slice(0, 500) } : undefined;
    case 'error':
      return (v.id === undefined || isId(v.id)) && isStr(v.code) && errorCodes.includes(v.code) && isStr(v.message)
        ? (v as unknown as ErrorMessage)
        : undefined;
    default:
      return undefined;
  }
}

export { describeRejected } from '../../kernel/messageChecks';
