// The next-edit model as a client of its own: it answers a NextEditPrompt with the rewritten window.
// Embedded, it is a second LocalLlamaBackend of the shared model host on the next-edit model file:
// the host loads the weights once per file and gives this client its own context and KV sequence,
// so next-edit requests never evict the completion client's cache (nor it theirs). The client loads
// as a 'rewrite' model (no FIM tokens needed) with prompt lookup on, since a rewrite mostly copies the
// window that is in its prompt. A served model (OpenAI-compatible /v1/completions, or Ollama in raw
// mode) gets the same prompt text.
import type { BuiltPrompt, CompletionBackend, GenerationResult } from '../kernel/completionTypes';
import { estimateTokens } from '../kernel/tokenEstimate';
import type { BantamConfig } from '../config';
import { LocalLlamaBackend, type ModelHostChoice } from '../providers/local/localLlamaBackend';
import type { PromptLookupOptions } from '../providers/local/llamaProtocol';
import { OpenAiCompletionBackend } from '../providers/openai/openAiCompletionBackend';
import { OllamaBackend } from '../providers/ollama/ollamaBackend';
import type { NextEditPrompt } from './nextEditTypes';

/**
 * Tokens prompt lookup drafts per step. Long enough to copy most of a line of the window in one verify
 * batch, short enough that a rejected draft costs little more than a single-token step on a CPU; 7
 * drafts and the last token make a batch of 8, whole tiles of the CPU mat-mul (see
 * tileAlignedDrafts.ts: 8 drafts cost 40 ms more than 7). bench:nextedit measures k = 3, 7, 11, 15.
 */
export const NEXT_EDIT_PROMPT_LOOKUP: PromptLookupOptions = { maxDraftTokens: 7 };

/**
 * Prompt tokens per decode call of the next-edit client. The host switches between clients only
 * between batches, and a next-edit prompt (600+ tokens, read ahead while the user pauses) must not
 * hold up the ghost text of the next keystroke for a whole 256-token batch: 64 tokens is a fraction
 * of a second on a CPU (bench:nextedit measures the prompt reads with it).
 */
export const NEXT_EDIT_BATCH_SIZE = 64;

export interface RewriteOptions {
  maxTokens: number;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Generate exactly maxTokens, through end-of-text and stop strings (benchmarks: a known amount of work). */
  ignoreEos?: boolean;
}

export interface NextEditModel {
  /** The model's answer: the window rewritten (up to a stop string), with the generation's timings. */
  rewrite(prompt: NextEditPrompt, options: RewriteOptions): Promise<GenerationResult>;
  /**
   * Reads `prompt` into this client's KV cache without generating (a read-ahead while the editor
   * waits before asking), so a rewrite of the same prompt reads only its last token; a rewrite
   * supersedes a read still running and keeps what it read. Embedded models only: a served model's
   * cache is the server's.
   */
  readPrompt?(prompt: NextEditPrompt, signal: AbortSignal): Promise<GenerationResult>;
  dispose(): void;
}

export interface NextEditModelDeps {
  /** dist/modelHost.js (embedded backend). */
  hostScript: string;
  /** The located next-edit model file (embedded backend; see models/nextEditModels.ts). */
  modelPath?: string;
  /** The OpenAI-compatible server's key, if it needs one. */
  apiKey?: string;
  host?: ModelHostChoice;
  log?: (line: string) => void;
}

/**
 * The served backends' generate takes a completion prompt; a next-edit prompt is all `text` (the
 * Sweep and Zeta models are Qwen2.5-Coder fine-tunes, so Ollama's raw mode applies to them).
 */
function asCompletionPrompt(prompt: NextEditPrompt): BuiltPrompt {
  return { family: 'qwen', text: prompt.text, prefix: prompt.text, suffix: '', prefixStart: 0, estimatedTokens: estimateTokens(prompt.text) };
}

class ServedNextEditModel implements NextEditModel {
  constructor(private readonly backend: CompletionBackend) {}

  rewrite(prompt: NextEditPrompt, options: RewriteOptions): Promise<GenerationResult> {
    return this.backend.generate(asCompletionPrompt(prompt), { ...options, stop: options.ignoreEos ? [] : prompt.stop, temperature: 0 });
  }

  dispose(): void {
    this.backend.dispose();
  }
}

class EmbeddedNextEditModel implements NextEditModel {
  constructor(readonly backend: LocalLlamaBackend) {}

  rewrite(prompt: NextEditPrompt, options: RewriteOptions): Promise<GenerationResult> {
    return this.backend.generateText(prompt.text, { ...options, stop: options.ignoreEos ? [] : prompt.stop, temperature: 0 });
  }

  readPrompt(prompt: NextEditPrompt, signal: AbortSignal): Promise<GenerationResult> {
    return this.backend.readPrompt(asCompletionPrompt(prompt), signal);
  }

  dispose(): void {
    this.backend.dispose();
  }
}

/** The next-edit client bantam.nextEdit.backend asks for; throws when the embedded backend has no model file. */
export function createNextEditModel(config: BantamConfig, deps: NextEditModelDeps): NextEditModel {
  const { nextEdit, embedded } = config;
  switch (nextEdit.backend) {
    case 'openai':
      return new ServedNextEditModel(
        new OpenAiCompletionBackend({
          baseUrl: config.openai.baseUrl,
          model: nextEdit.model,
          apiKey: deps.apiKey,
          family: 'qwen',
          keyHint: "Run 'Bantam: Set API Key'.",
        }),
      );
    case 'ollama':
      return new ServedNextEditModel(new OllamaBackend({ host: config.ollama.host, model: nextEdit.model, keepAlive: config.ollama.keepAlive }));
    case 'embedded':
      if (!deps.modelPath) throw new Error("No next-edit model file: run 'Bantam: Download Next-Edit Model', or set bantam.nextEdit.model to a GGUF file.");
      return new EmbeddedNextEditModel(
        new LocalLlamaBackend({
          workerPath: deps.hostScript,
          modelPath: deps.modelPath,
          gpu: embedded.gpu,
          threads: embedded.threads > 0 ? embedded.threads : undefined,
          flashAttention: embedded.flashAttention,
          contextSize: embedded.contextSize,
          purpose: 'rewrite',
          promptLookup: NEXT_EDIT_PROMPT_LOOKUP,
          batchSize: NEXT_EDIT_BATCH_SIZE,
          clientName: 'next-edit',
          ...(deps.host ? { host: deps.host } : {}),
          ...(deps.log ? { log: deps.log } : {}),
        }),
      );
  }
}
