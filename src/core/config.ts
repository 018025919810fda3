// Bantam's settings as one plain, validated object. The vscode layer reads VS Code's configuration
// and hands the raw values here; the CLI and benchmarks build it from defaults. Core never reads
// VS Code settings itself. Defaults mirror package.json `contributes.configuration`.
import type { FimFamily, PromptBudgets } from './kernel/completionTypes';
import { DEFAULT_CONTEXT_EXCLUDES } from './context/fileFilter';
import { isTaskKind, type TaskKind, type TierChoice } from './kernel/taskKinds';
import { GPU_CHOICES, type GpuChoice } from './kernel/accelerators';

/** 'openai' is a team's OpenAI-compatible inference server answering /v1/completions. */
export type CompletionBackendKind = 'embedded' | 'ollama' | 'openai';
export type FrontierProviderKind = 'openai' | 'anthropic' | 'vscode-lm';
export type LocalChatProviderKind = 'embedded' | 'ollama' | 'openai';

export interface CompletionConfig {
  enabled: boolean;
  backend: CompletionBackendKind;
  /** GGUF path or hf: URI; empty means "the recommended model, if downloaded". */
  model: string;
  /** Where hf: model URIs download from (a Hugging Face mirror may stand in). */
  modelEndpoint: string;
  disabledLanguages: string[];
  multiline: 'auto' | 'always' | 'never';
  maxTokens: number;
  maxLineTokens: number;
  timeoutMs: number;
  debounceMinMs: number;
  debounceMaxMs: number;
  temperature: number;
  budgets: PromptBudgets;
  /** Longest a prompt at a new place should take to read; budgets shrink on slower machines (0 = never). */
  coldPromptMs: number;
  /** Read the prompt where the cursor comes to rest, before the first keystroke there (readAhead.ts). */
  readAhead: boolean;
}

/** Where the next-edit model runs: the model host (its own sequence), or a server serving such a model. */
export type NextEditBackendKind = 'embedded' | 'openai' | 'ollama';

export interface NextEditConfig {
  /** Suggest next edits at all (bantam.nextEdit.enabled). */
  enabled: boolean;
  backend: NextEditBackendKind;
  /**
   * embedded: GGUF path or hf: URI; empty means "the recommended next-edit model, if downloaded".
   * openai / ollama: the model's name on that server (bantam.openai.baseUrl, bantam.ollama.host).
   */
  model: string;
  /** Prompt format of the next-edit model; 'auto' reads it from the model's names. */
  promptFormat: 'auto' | 'sweep' | 'zeta';
  /** When next-edit asks the model (nextEdit/nextEditTiming.ts); the same union as NextEditEagerness. */
  eagerness: 'low' | 'medium' | 'high';
}

export interface EmbeddedConfig {
  /** The accelerator to load: 'auto' uses a GPU when one is found; 'off' is the CPU. */
  gpu: GpuChoice;
  /** 0 = the measured default for this machine. */
  threads: number;
  flashAttention: boolean;
  contextSize: number;
}

export interface OllamaConfig {
  host: string;
  model: string;
  keepAlive: string;
  /** Ollama model for chat-style tasks on the local tier (an instruct model). */
  chatModel: string;
  /** Context window (num_ctx) Bantam asks Ollama for on chat tasks. */
  chatContextSize: number;
}

/** An OpenAI-compatible server: OpenAI, vLLM, llama.cpp server, LM Studio, OpenRouter. */
export interface OpenAiConfig {
  /** Base URL up to and including the API version, e.g. https://api.openai.com/v1. */
  baseUrl: string;
  /** Chat model (/chat/completions). */
  model: string;
  /** Model for inline completion through /completions when completion.backend is 'openai'. */
  completionModel: string;
  /** FIM prompt family of completionModel; 'auto' guesses it from the model name. */
  completionFamily: FimFamily | 'auto';
  /** Tokens the chat model accepts. */
  contextWindow: number;
}

export interface AnthropicConfig {
  baseUrl: string;
  model: string;
  contextWindow: number;
}

/** Which of VS Code's language models to use (empty matches any). */
export interface VscodeLmConfig {
  vendor: string;
  family: string;
}

/** Estimated price of a model in US dollars per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
}

export interface RoutingConfig {
  /** False turns every frontier provider off: all tasks run locally. */
  frontierEnabled: boolean;
  frontierProvider: FrontierProviderKind;
  localProvider: LocalChatProviderKind;
  /** Tier for every task ('auto' = each task's default). */
  tier: TierChoice;
  /** Per-task tier overrides; win over `tier`. Inline completion is always local whatever they say. */
  tasks: Partial<Record<TaskKind, TierChoice>>;
  /** Time allowed for a network provider's first byte and between streamed chunks. */
  timeoutMs: number;
  /** Retries on 429, 5xx and connection failures. */
  maxRetries: number;
  /** Most tokens an answer may have. */
  maxAnswerTokens: number;
  /** Price overrides by model name, on top of the built-in table. */
  pricing: Record<string, ModelPrice>;
}

export interface ContextConfig {
  /** Index the workspace with tree-sitter and send retrieved context with completions. */
  enabled: boolean;
  /** Globs (relative to the workspace root) never indexed nor sent, on top of .gitignore and files.exclude. */
  exclude: string[];
  /** Files larger than this are not indexed: tree-sitter's WASM memory never shrinks after a big parse. */
  maxFileBytes: number;
  /** The index stops at this many files (a 100k-file monorepo indexes its first N in path order). */
  maxFiles: number;
}


export interface BantamConfig {
  completion: CompletionConfig;
  nextEdit: NextEditConfig;
  context: ContextConfig;
  embedded: EmbeddedConfig;
  ollama: OllamaConfig;
  openai: OpenAiConfig;
  anthropic: AnthropicConfig;
  vscodeLm: VscodeLmConfig;
  routing: RoutingConfig;
}

/** Raw values keyed like the settings without the `bantam.` prefix, e.g. `completion.maxTokens`. */
export type RawSettings = Record<string, unknown>;

function num(raw: RawSettings, key: string, fallback: number, min: number, max: number): number {
  const value = raw[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, value));
}

/** Counts (tokens, threads, milliseconds) are whole numbers even if settings.json says 12.5. */
function int(raw: RawSettings, key: string, fallback: number, min: number, max: number): number {
  return Math.round(num(raw, key, fallback, min, max));
}

function bool(raw: RawSettings, key: string, fallback: boolean): boolean {
  const value = raw[key];
  return typeof value === 'boolean' ? value : fallback;
}

function str(raw: RawSettings, key: string, fallback: string): string {
  const value = raw[key];
  return typeof value === 'string' ? value.trim() : fallback;
}

function oneOf<T extends string>(raw: RawSettings, key: string, allowed: readonly T[], fallback: T): T {
  const value = raw[key];
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

function strings(raw: RawSettings, key: string, fallback: string[]): string[] {
  const value = raw[key];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : fallback;
}

const TIER_CHOICES = ['auto', 'local', 'frontier'] as const;
const FIM_FAMILIES = ['auto', 'qwen', 'starcoder2', 'deepseek', 'codellama', 'codestral'] as const;

function record(raw: RawSettings, key: string): Record<string, unknown> {
  const value = raw[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function taskTiers(raw: RawSettings): Partial<Record<TaskKind, TierChoice>> {
  const tiers: Partial<Record<TaskKind, TierChoice>> = {};
  for (const [task, tier] of Object.entries(record(raw, 'routing.tasks'))) {
    if (isTaskKind(task) && (TIER_CHOICES as readonly unknown[]).includes(tier)) tiers[task] = tier as TierChoice;
  }
  return tiers;
}

function prices(raw: RawSettings): Record<string, ModelPrice> {
  const out: Record<string, ModelPrice> = {};
  for (const [model, price] of Object.entries(record(raw, 'routing.pricing'))) {
    const { input, output } = (price ?? {}) as { input?: unknown; output?: unknown };
    const valid = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0;
    if (valid(input) && valid(output)) out[model] = { input, output };
  }
  return out;
}

/** A URL without trailing slashes; the fallback when empty. */
function baseUrl(raw: RawSettings, key: string, fallback: string): string {
  return (str(raw, key, fallback) || fallback).replace(/\/+$/, '');
}

/** Builds a valid config from raw setting values; anything missing or malformed takes its default. */
export function configFrom(raw: RawSettings = {}): BantamConfig {
  const debounceMinMs = int(raw, 'completion.debounceMinMs', 15, 0, 2000);
  return {
    completion: {
      enabled: bool(raw, 'completion.enabled', true),
      backend: oneOf(raw, 'completion.backend', ['embedded', 'ollama', 'openai'] as const, 'embedded'),
      model: str(raw, 'completion.model', ''),
      modelEndpoint: str(raw, 'completion.modelEndpoint', 'https://huggingface.co') || 'https://huggingface.co',
      disabledLanguages: strings(raw, 'completion.disabledLanguages', ['plaintext', 'scminput']),
      multiline: oneOf(raw, 'completion.multiline', ['auto', 'always', 'never'] as const, 'auto'),
      maxTokens: int(raw, 'completion.maxTokens', 96, 1, 1024),
      maxLineTokens: int(raw, 'completion.maxLineTokens', 32, 1, 256),
      timeoutMs: int(raw, 'completion.timeoutMs', 3000, 100, 60000),
      debounceMinMs,
      debounceMaxMs: Math.max(debounceMinMs, int(raw, 'completion.debounceMaxMs', 40, 0, 5000)),
      temperature: num(raw, 'completion.temperature', 0, 0, 2),
      budgets: {
        prefixTokens: int(raw, 'completion.prefixTokens', 1024, 64, 16384),
        suffixTokens: int(raw, 'completion.suffixTokens', 8, 0, 4096),
        farSuffixTokens: int(raw, 'completion.farSuffixTokens', 256, 0, 8192),
        contextTokens: int(raw, 'completion.contextTokens', 512, 0, 16384),
      },
      coldPromptMs: int(raw, 'completion.coldPromptMs', 1500, 0, 60_000),
      readAhead: bool(raw, 'completion.readAhead', true),
    },
    nextEdit: {
      enabled: bool(raw, 'nextEdit.enabled', false),
      eagerness: oneOf(raw, 'nextEdit.eagerness', ['low', 'medium', 'high'] as const, 'medium'),
      promptFormat: oneOf(raw, 'nextEdit.promptFormat', ['auto', 'sweep', 'zeta'] as const, 'auto'),
      backend: oneOf(raw, 'nextEdit.backend', ['embedded', 'openai', 'ollama'] as const, 'embedded'),
      model: str(raw, 'nextEdit.model', ''),
    },
    context: {
      enabled: bool(raw, 'context.enabled', true),
      exclude: strings(raw, 'context.exclude', [...DEFAULT_CONTEXT_EXCLUDES]),
      maxFileBytes: int(raw, 'context.maxFileBytes', 1_000_000, 1_000, 100_000_000),
      maxFiles: int(raw, 'context.maxFiles', 50_000, 1, 1_000_000),
    },
    embedded: {
      gpu: oneOf(raw, 'embedded.gpu', GPU_CHOICES, 'auto'),
      threads: int(raw, 'embedded.threads', 0, 0, 256),
      flashAttention: bool(raw, 'embedded.flashAttention', true),
      contextSize: int(raw, 'embedded.contextSize', 4096, 512, 131072),
    },
    ollama: {
      host: str(raw, 'ollama.host', 'http://127.0.0.1:11434') || 'http://127.0.0.1:11434',
      model: str(raw, 'ollama.model', 'qwen2.5-coder:1.5b-base'),
      keepAlive: str(raw, 'ollama.keepAlive', '30m'),
      chatModel: str(raw, 'ollama.chatModel', 'qwen2.5-coder:7b-instruct') || 'qwen2.5-coder:7b-instruct',
      chatContextSize: int(raw, 'ollama.chatContextSize', 8192, 512, 1_048_576),
    },
    openai: {
      baseUrl: baseUrl(raw, 'openai.baseUrl', 'https://api.openai.com/v1'),
      model: str(raw, 'openai.model', 'gpt-4.1') || 'gpt-4.1',
      completionModel: str(raw, 'openai.completionModel', ''),
      completionFamily: oneOf(raw, 'openai.completionFamily', FIM_FAMILIES, 'auto'),
      contextWindow: int(raw, 'openai.contextWindow', 128_000, 512, 10_000_000),
    },
    anthropic: {
      baseUrl: baseUrl(raw, 'anthropic.baseUrl', 'https://api.anthropic.com'),
      model: str(raw, 'anthropic.model', 'claude-sonnet-4-5') || 'claude-sonnet-4-5',
      contextWindow: int(raw, 'anthropic.contextWindow', 200_000, 512, 10_000_000),
    },
    vscodeLm: {
      vendor: str(raw, 'vscodeLm.vendor', ''),
      family: str(raw, 'vscodeLm.family', ''),
    },
    routing: {
      frontierEnabled: bool(raw, 'routing.frontierEnabled', true),
      frontierProvider: oneOf(raw, 'routing.frontierProvider', ['openai', 'anthropic', 'vscode-lm'] as const, 'anthropic'),
      localProvider: oneOf(raw, 'routing.localProvider', ['embedded', 'ollama', 'openai'] as const, 'embedded'),
      tier: oneOf(raw, 'routing.tier', TIER_CHOICES, 'auto'),
      tasks: taskTiers(raw),
      timeoutMs: int(raw, 'routing.timeoutMs', 60_000, 1_000, 600_000),
      maxRetries: int(raw, 'routing.maxRetries', 3, 0, 10),
      maxAnswerTokens: int(raw, 'routing.maxAnswerTokens', 4096, 16, 65_536),
      pricing: prices(raw),
    },
  };
}
