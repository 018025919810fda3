// Runs one generation (a FIM completion, or a chat answer rendered by llamaChat.ts) on the worker's
// single long-lived context sequence. The KV cache is the main latency lever on a CPU, so each
// request keeps the longest token prefix it shares with what the cache already holds (the previous
// prompt and the tokens generated after it) and evaluates only the rest, in batch-sized chunks so
// that an abort or a timeout lands between chunks — and the chunks already evaluated stay cached for
// the request that replaced this one.

import { performance } from 'node:perf_hooks';
import type { Token } from 'node-llama-cpp' with { 'resolution-mode': 'import' };
import type { GenerationResult } from '../../../kernel/completionTypes';
import type { LoadedModel } from './llamaModelLoader';
import type { GenerateMessage } from '../llamaProtocol';
import { extentEnd } from '../../../syntax/completionExtent';
import type { ExtentRule } from '../../../kernel/completionTypes';
import { StopMatcher, stripIncompleteChar } from './stopMatcher';
import { WorkerError } from './workerError';

/** What every request the generator runs carries, as the worker tracks it (flags made definite). */
export interface RunJob extends Required<Omit<GenerateMessage, 'type' | 'prompt' | 'extent'>> {
  /** Where a completion ends, judged on the text as it is generated (completions only, not streamed). */
  extent?: ExtentRule;
  /** performance.now() when the worker received the request: every reported time starts here. */
  receivedAt: number;
  /** Set by an abort message or by a newer request (latest wins). */
  aborted: boolean;
}

/** A generate request: a prompt given as text with FIM control tokens. */
export interface GenerationJob extends RunJob {
  prompt: string;
}

/** Builds the error for a prompt that leaves no room in the context to generate anything. */
export type TooLongError = (promptTokens: number, contextSize: number) => WorkerError;

export interface GenerationEvents {
  firstToken(ms: number): void;
  chunk(text: string): void;
}

type Interruption = 'abort' | 'timeout';

/** How many prompt tokens give the detokenizer enough context for the first generated token. */
const detokenizerContextTokens = 4;

export class LlamaGenerator {
  constructor(private readonly loaded: LoadedModel) {}

  /** Tokens in `text` as a prompt sees them (special tokens enabled). */
  tokenCount(text: string): number {
    return this.loaded.model.tokenize(text, true).length;
  }

  async generate(job: GenerationJob, events: GenerationEvents): Promise<GenerationResult> {
    return this.run(job, this.promptTokens(job.prompt), [], events, completionTooLong);
  }

  /**
   * Generates after `tokens` (the whole prompt, BOS included when the model wants one), stopping
   * at `job.stop` and `extraStops`, at an end-of-generation or control token, at maxTokens, the
   * timeout or an abort. Fails with `tooLong` when the prompt leaves the context no room.
   */
  async run(
    job: RunJob,
    tokens: Token[],
    extraStops: readonly string[],
    events: GenerationEvents,
    tooLong: TooLongError,
  ): Promise<GenerationResult> {
    const { model, sequence, info } = this.loaded;
    const elapsed = (): number => performance.now() - job.receivedAt;
    // timeoutMs caps generation, counted from the first token: reading a cold prompt can take
    // seconds on a CPU, and cutting it short would only make the next request read it again.
    let firstTokenAt = Number.NaN;
    const interruption = (): Interruption | null =>
      job.aborted ? 'abort' : performance.now() - firstTokenAt >= job.timeoutMs ? 'timeout' : null;

    const early = interruption();
    if (early) return emptyResult(early, elapsed());

    if (tokens.length === 0) throw new WorkerError('bad-message', 'The prompt is empty; there is nothing to complete.');
    const room = sequence.contextSize - tokens.length;
    if (room < 1) throw tooLong(tokens.length, sequence.contextSize);
    // Never let generation run into llama's context shift: it would silently drop the prompt's start.
    const maxTokens = Math.min(job.maxTokens, room);

    if (job.fresh) await sequence.clearHistory();
    // At least the last prompt token is evaluated again: its logits give the first generated token.
    const reused = Math.min(sequence.compareContextTokens(tokens).firstDifferentIndex, tokens.length - 1);
    if (reused < sequence.nextTokenIndex) {
      await sequence.eraseContextTokenRanges([{ start: reused, end: sequence.nextTokenIndex }]);
    }

    const base = { promptTokens: tokens.length, reusedTokens: reused };
    // Long prompts go in batches so an abort lands between them (and what was read stays cached);
    // the last batch is read by the same call that samples the first token: one model pass, not two.
    // Reading only (maxTokens 0, a read-ahead), every batch goes in this way and nothing is sampled;
    // the next request for this prompt re-reads its last token for the logits it samples from.
    const pending = tokens.slice(reused);
    const unsampled = maxTokens === 0 ? 0 : info.batchSize;
    let next = 0;
    while (pending.length - next > unsampled) {
      const stop = interruption();
      if (stop) return { ...base, text: '', generatedTokens: 0, ttftMs: Number.NaN, totalMs: elapsed(), stoppedBy: stop };
      await sequence.evaluateWithoutGeneratingNewTokens(pending.slice(next, next + info.batchSize));
      next += info.batchSize;
    }

    if (maxTokens === 0) return { ...base, text: '', generatedTokens: 0, ttftMs: Number.NaN, totalMs: elapsed(), stoppedBy: 'maxTokens' };

    // Prompt lookup drafts from this request's prompt (the window being rewritten is in it).
    sequence.tokenPredictor?.updateInputTokens?.(tokens);
    const predictionsBefore = sequence.tokenPredictor ? { ...sequence.tokenPredictions } : undefined;
    const drafts = (): Pick<GenerationResult, 'drafts'> => {
      if (!predictionsBefore) return {};
      const now = sequence.tokenPredictions;
      return { drafts: { accepted: now.validated - predictionsBefore.validated, rejected: now.refuted - predictionsBefore.refuted } };
    };
    const matcher = new StopMatcher([...job.stop, ...extraStops]);
    const detokenizerContext = tokens.slice(-detokenizerContextTokens);
    const generated: Token[] = [];
    let text = '';
    let finalLength = 0;
    let sentLength = 0;
    let ttftMs = Number.NaN;
    let stoppedBy: GenerationResult['stoppedBy'] | null = null;

    const iterator = sequence.evaluate(pending.slice(next), {
      temperature: job.temperature,
      yieldEogToken: true,
    });
    try {
      while (stoppedBy === null) {
        const stop = interruption();
        if (stop) {
          stoppedBy = stop;
          break;
        }
        const step = await iterator.next();
        if (step.done) {
          stoppedBy = 'eos';
          break;
        }
        const token = step.value;
        if (Number.isNaN(ttftMs)) {
          ttftMs = elapsed();
          firstTokenAt = performance.now();
          events.firstToken(ttftMs);
        }
        // A control token (FIM marker, file separator, end of text) never belongs in a completion.
        const ends = model.isEogToken(token) || model.getTokenAttributes(token).control;
        if (ends && !job.ignoreEos) {
          stoppedBy = 'eos';
          break;
        }
        // Detokenizing without special tokens renders an ignored control token as nothing.
        generated.push(token);
        text = model.detokenize(generated, false, detokenizerContext);
        const scan = matcher.scan(text, finalLength);
        if (scan.stopAt !== -1) {
          text = text.slice(0, scan.stopAt);
          stoppedBy = 'stop';
          break;
        }
        const end = job.extent ? extentEnd(text, job.extent) : undefined;
        if (end !== undefined) {
          text = text.slice(0, end);
          stoppedBy = 'stop';
          break;
        }
        finalLength = scan.finalLength;
        if (job.stream && finalLength > sentLength) {
          events.chunk(text.slice(sentLength, finalLength));
          sentLength = finalLength;
        }
        if (generated.length >= maxTokens) stoppedBy = 'maxTokens';
      }
    } finally {
      await iterator.return();
    }

    // Held-back text that never became a stop string is real output; half a character is not.
    if (stoppedBy !== 'stop') text = stripIncompleteChar(text);
    if (job.stream && stoppedBy !== 'abort' && text.length > sentLength) events.chunk(text.slice(sentLength));
    return { ...base, text, generatedTokens: generated.length, ttftMs, totalMs: elapsed(), stoppedBy, ...drafts() };
  }

  /**
   * Prompt and generation speed on an empty cache. The sequence's history is thrown away before
   * and after, so the next request starts cold (this is a benchmark tool, not a serving path).
   */
  async measureRates(promptTokens: number, genTokens: number): Promise<{ promptTokPerS: number; genTokPerS: number }> {
    const { model, sequence } = this.loaded;
    const promptCount = Math.max(1, Math.min(promptTokens, sequence.contextSize - genTokens - 2));
    const prompt = syntheticCode(model, promptCount);
    await sequence.clearHistory();
    try {
      const p0 = performance.now();
      await sequence.evaluateWithoutGeneratingNewTokens(prompt);
      const promptMs = performance.now() - p0;

      const genCount = Math.max(1, Math.min(genTokens, sequence.contextSize - prompt.length - 1));
      const g0 = performance.now();
      let n = 0;
      // EOG tokens are fed back like any other: this measures decode speed, not text.
      const iterator = sequence.evaluate([prompt[prompt.length - 1]!], { temperature: 0, yieldEogToken: true });
      try {
        while (n < genCount) {
          const step = await iterator.next();
          if (step.done) break;
          n++;
        }
      } finally {
        await iterator.return();
      }
      const genMs = performance.now() - g0;
      return { promptTokPerS: (prompt.length / promptMs) * 1000, genTokPerS: (n / genMs) * 1000 };
    } finally {
      await sequence.clearHistory();
    }
  }

  /** Resets the cache after a failure left it in an unknown state. */
  async reset(): Promise<void> {
    await this.loaded.sequence.clearHistory();
  }

  private promptTokens(prompt: string): Token[] {
    const { model, vocab } = this.loaded;
    const tokens = model.tokenize(prompt, true);
    const bos = model.tokens.bos;
    if (vocab.addBos && bos !== null && tokens[0] !== bos) tokens.unshift(bos);
    return tokens;
  }
}

function completionTooLong(promptTokens: number, contextSize: number): WorkerError {
  return new WorkerError(
    'prompt-too-long',
    `The prompt has ${promptTokens} tokens but the model context holds ${contextSize}; lower the prompt budgets or raise the context size.`,
  );
}

function emptyResult(stoppedBy: Interruption, totalMs: number): GenerationResult {
  return { text: '', promptTokens: 0, reusedTokens: 0, generatedTokens: 0, ttftMs: Number.NaN, totalMs, stoppedBy };
}

/** Exactly `count` tokens of code-like text, so prompt speed is measured on realistic tokens. */
function syntheticCode(model: LoadedModel['model'], count: number): Token[] {
  const out: Token[] = [];
  for (let i = 0; out.length < count; i++) {
    out.push(...model.tokenize(`function scale${i}(value, factor) {\n  return value * factor + ${i};\n}\n`, false));
  }
  return out.slice(0, count);
}
