// A completion backend whose "model" writes a given text: the quality benchmark's oracle and the
// peer-suite runner feed the real engine exactly the output they want judged. Like every real
// backend it stops at the plan's stop strings and extent rule (completionExtent.ts), so what the
// engine gets back is what a model writing that text would have produced.
import { generationCut } from '../src/core/syntax/completionExtent';
import { CompletionEngine } from '../src/core/completion/engine';
import type { ShapedSuggestion } from '../src/core/completion/postprocess';
import type {
  BuiltPrompt,
  CompletionBackend,
  CompletionRequest,
  FimFamily,
  GenerateOptions,
  GenerationResult,
} from '../src/core/kernel/completionTypes';
import { configFrom } from '../src/core/config';

export class ScriptedOutputBackend implements CompletionBackend {
  readonly id = 'scripted';
  /** Every prompt the engine sent, in order (the benchmark counts model calls with it). */
  readonly prompts: BuiltPrompt[] = [];

  constructor(
    /** The model's output for a prompt (the document is known to the caller, not the prompt). */
    private readonly output: (prompt: BuiltPrompt) => string,
    private readonly fimFamily: FimFamily = 'qwen',
  ) {}

  async family(): Promise<FimFamily> {
    return this.fimFamily;
  }

  async generate(prompt: BuiltPrompt, options: GenerateOptions): Promise<GenerationResult> {
    this.prompts.push(prompt);
    // A model stops at its token budget: about four characters a token of code.
    const written = this.output(prompt).slice(0, options.maxTokens * 4);
    const cut = generationCut(written, options.stop, options.extent);
    const text = cut === undefined ? written : written.slice(0, cut);
    options.onFirstToken?.();
    return {
      text,
      promptTokens: prompt.estimatedTokens,
      reusedTokens: 0,
      generatedTokens: Math.ceil(text.length / 4),
      ttftMs: 0,
      totalMs: 0,
      stoppedBy: cut === undefined ? 'eos' : 'stop',
    };
  }

  dispose(): void {}
}

const judgeConfig = configFrom({ 'completion.debounceMinMs': 0, 'completion.debounceMaxMs': 0 });

/**
 * What Bantam shows for `request` when the model writes `output` there: a fresh engine (no cache,
 * no prefetch, no debounce), one request. Undefined when it shows nothing.
 */
export async function shownFor(request: CompletionRequest, output: string): Promise<ShapedSuggestion | undefined> {
  const backend = new ScriptedOutputBackend(() => output);
  const engine = new CompletionEngine({
    backend: () => backend,
    config: () => judgeConfig.completion,
    experiment: { layout: 'bantam', freshSequence: false, prefetchOnShow: false },
  });
  try {
    const shown = await engine.complete(request, new AbortController().signal);
    return shown && { text: shown.text, replaceLength: shown.replaceLength };
  } finally {
    engine.dispose();
  }
}
