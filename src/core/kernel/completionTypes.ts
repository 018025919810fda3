// The plain data that flows through the completion pipeline. No behaviour here: every stage
// (prefilter, cache, debounce, prompt, generate, postprocess) takes and returns these shapes,
// so the vscode layer, the CLI and the benchmark all drive the same engine.

/** What the editor knows at the moment a completion is asked for. Offsets are UTF-16 code units. */
export interface CompletionRequest {
  /** Document identity (cache entries and prompt anchors are per document). */
  uri: string;
  /** Path shown to the model in repo-level context blocks, workspace-relative with forward slashes. */
  relativePath: string;
  languageId: string;
  /** The whole document text at request time. */
  text: string;
  /** Cursor offset into `text`. */
  offset: number;
  /** False when the user has a non-empty selection. */
  selectionEmpty: boolean;
  /** True when the user asked explicitly (keybinding/command) rather than by typing. */
  explicit: boolean;
  /**
   * The editor's indentation for this document, when there is an editor. Suggestions follow the
   * document's own indentation first, then this, then the model's.
   */
  indentation?: IndentStyle;
}

/** FIM prompt families the engine can render, detected from GGUF metadata or the Ollama model. */
export type FimFamily = 'qwen' | 'starcoder2' | 'deepseek' | 'codellama' | 'codestral';

/** A piece of code from elsewhere that the prompt carries as context (filled by core/context). */
export interface ContextSnippet {
  /** Workspace-relative path with forward slashes. */
  file: string;
  /** 1-based inclusive line range in `file`. */
  startLine: number;
  endLine: number;
  text: string;
  /** Why this snippet was chosen, e.g. "definition of foo", "recent edit". */
  reason: string;
}

/** Token budgets for the parts of a prompt. Tokens are estimated (see tokenEstimate.ts). */
export interface PromptBudgets {
  /** Code before the cursor. */
  prefixTokens: number;
  /** Code after the cursor that sits inside the FIM suffix slot (re-evaluated on every keystroke). */
  suffixTokens: number;
  /** Code after the cursor beyond the FIM suffix, carried as a stable block before the prefix. */
  farSuffixTokens: number;
  /** Context snippets from elsewhere. */
  contextTokens: number;
}

/** A rendered prompt plus the plain parts (the Ollama `suffix` mode needs them unrendered). */
export interface BuiltPrompt {
  family: FimFamily;
  /** The full prompt text, FIM control tokens included, exactly as the model should see it. */
  text: string;
  /** The prefix window (text before the cursor that the prompt carries). */
  prefix: string;
  /** The suffix text in the FIM suffix slot. */
  suffix: string;
  /** Character offset in the document where the prefix window starts. */
  prefixStart: number;
  /** Estimated tokens of `text`. */
  estimatedTokens: number;
  /**
   * Index in `text` where the document cursor sits (end of the prefix window). Everything before it
   * stays byte-identical while the user types forward, so it is what the KV cache can keep.
   */
  cursorIndex?: number;
}

/** How to generate for one request: decided from the syntax around the cursor (generationPlan.ts). */
export interface GenerationPlan {
  /** One line, a block, or a line that may lead into a block (the model's first line decides). */
  shape: 'line' | 'block' | 'line-or-block';
  /** The suggestion may span lines (shape is not 'line'). */
  multiline: boolean;
  maxTokens: number;
  /** Strings that end generation; the stop string itself is not part of the output. */
  stop: string[];
  /** Wall-clock cap for generation in ms. */
  timeoutMs: number;
  /** Where a multi-line suggestion ends, decided on the text as it is generated (not for 'line'). */
  extent?: ExtentRule;
}

/** What a completion backend reports back for one generation. */
export interface GenerationResult {
  text: string;
  /** Tokens in the prompt. */
  promptTokens: number;
  /** Prompt tokens that were already in the KV cache and not evaluated again. */
  reusedTokens: number;
  generatedTokens: number;
  /** ms from the backend receiving the request to its first generated token (NaN if none). */
  ttftMs: number;
  /** ms from the backend receiving the request to the end of generation. */
  totalMs: number;
  stoppedBy: 'eos' | 'stop' | 'maxTokens' | 'timeout' | 'abort';
  /** Drafted tokens this request verified, when prompt lookup was on (accepted + rejected = drafted). */
  drafts?: { accepted: number; rejected: number };
}

export interface GenerateOptions {
  maxTokens: number;
  stop: string[];
  timeoutMs: number;
  temperature: number;
  signal?: AbortSignal;
  /** Start from an empty KV cache (the "no reuse" benchmark baseline). */
  fresh?: boolean;
  /** Called once, as soon as the first generated token reaches this process (keystroke-to-first-token timing). */
  onFirstToken?: () => void;
  /** Generate through end-of-text so exactly maxTokens are produced (benchmarks); backends may ignore it. */
  ignoreEos?: boolean;
  /** End generation as soon as this rule says the suggestion is complete (completionExtent.ts). */
  extent?: ExtentRule;
}

/** A model that can fill in the middle. Implemented by the llama worker client and the Ollama backend. */
export interface CompletionBackend {
  readonly id: string;
  /** The FIM family of the loaded model, once known. */
  family(): Promise<FimFamily>;
  generate(prompt: BuiltPrompt, options: GenerateOptions): Promise<GenerationResult>;
  /** Prompt tokens per second this backend reads, if it measured that (the model host does at load). */
  promptTokPerS?(): number | undefined;
  /**
   * Reads `prompt` into the model's cache without generating (a read-ahead where the cursor came to
   * rest), so the next request that starts with it only reads what differs. Backends whose cache a
   * later request reuses implement it; any generate supersedes a read still running, keeping what it read.
   */
  readPrompt?(prompt: BuiltPrompt, signal: AbortSignal): Promise<GenerationResult>;
  dispose(): void;
}

/** Indentation style of a document, used to keep suggestions consistent with it. */
export interface IndentStyle {
  useTabs: boolean;
  /** Spaces per level when not using tabs. */
  size: number;
}

/** Where a suggestion ends (completionExtent.ts applies it); data, so it can cross into the model host. */
export interface ExtentRule {
  shape: 'block' | 'line-or-block';
  /** The cursor line up to the cursor: the first generated line completes it. */
  linePrefix: string;
  languageId: string;
  /** Columns per tab when measuring indentation. */
  tabSize: number;
  /** A first line longer than this ends the suggestion ('line-or-block' only: the line budget). */
  maxFirstLineChars: number;
}
