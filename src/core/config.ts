// Bantam's settings as one plain, validated object. The vscode layer reads VS Code's configuration
// and hands the raw values here; the CLI and benchmarks build it from defaults. Core never reads
// VS Code settings itself. Defaults mirror package.json `contributes.configuration`.
import type { PromptBudgets } from './completion/types';
import { DEFAULT_CONTEXT_EXCLUDES } from './context/fileFilter';

export type CompletionBackendKind = 'embedded' | 'ollama';

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
}

export interface EmbeddedConfig {
  /** 0 = the measured default for this machine. */
  threads: number;
  flashAttention: boolean;
  contextSize: number;
}

export interface OllamaConfig {
  host: string;
  model: string;
  keepAlive: string;
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
  context: ContextConfig;
  embedded: EmbeddedConfig;
  ollama: OllamaConfig;
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

/** Builds a valid config from raw setting values; anything missing or malformed takes its default. */
export function configFrom(raw: RawSettings = {}): BantamConfig {
  const debounceMinMs = int(raw, 'completion.debounceMinMs', 15, 0, 2000);
  return {
    completion: {
      enabled: bool(raw, 'completion.enabled', true),
      backend: oneOf(raw, 'completion.backend', ['embedded', 'ollama'] as const, 'embedded'),
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
    },
    context: {
      enabled: bool(raw, 'context.enabled', true),
      exclude: strings(raw, 'context.exclude', [...DEFAULT_CONTEXT_EXCLUDES]),
      maxFileBytes: int(raw, 'context.maxFileBytes', 1_000_000, 1_000, 100_000_000),
      maxFiles: int(raw, 'context.maxFiles', 50_000, 1, 1_000_000),
    },
    embedded: {
      threads: int(raw, 'embedded.threads', 0, 0, 256),
      flashAttention: bool(raw, 'embedded.flashAttention', true),
      contextSize: int(raw, 'embedded.contextSize', 4096, 512, 131072),
    },
    ollama: {
      host: str(raw, 'ollama.host', 'http://127.0.0.1:11434') || 'http://127.0.0.1:11434',
      model: str(raw, 'ollama.model', 'qwen2.5-coder:1.5b-base'),
      keepAlive: str(raw, 'ollama.keepAlive', '30m'),
    },
  };
}
