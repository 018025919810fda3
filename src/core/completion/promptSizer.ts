// Sizes the completion prompt to the machine: how much of the file around the cursor (and of the
// codebase) a prompt carries, so that reading it at a new place stays within a time target.
//
// Why: while the user types at one place the KV cache holds the prompt and each keystroke costs a few
// tokens, but after opening a file or moving to another function the whole prompt is new. The default
// budgets (~1,300 tokens without codebase context, ~1,800 with) read in under a second on an Apple
// Silicon GPU or an 8-core laptop, but take 9-14 s on one core of a 2-vCPU VM (~125 tok/s): every
// pause in those seconds shows nothing. Measured on the typing benchmark there, that blind spell after
// each move was what kept suggestions off the screen at most pauses.
//
// Rule: the rate is the fastest prompt reading the backend has shown (its load-time measurement and
// the recent completed reads of at least MIN_SAMPLE_TOKENS new tokens; a busy machine only ever reads
// slower, so the fastest is the machine's capability). The budgets are scaled by the largest step of
// SCALE_STEPS whose prompt reads within `coldPromptMs` at that rate (the near suffix, a handful of
// tokens, is never scaled). Steps are coarse, and a larger step is taken only with HEADROOM to spare,
// so the windows (and with them the KV cache) stay put while the measured rate wobbles. Until a rate
// is known, and with coldPromptMs 0, the budgets are used as set.
import type { GenerationResult, PromptBudgets } from '../kernel/completionTypes';

/** Fractions of the configured budgets the sizer chooses from, largest first. */
const SCALE_STEPS = [1, 0.75, 0.5, 0.375, 0.25, 0.1875, 0.125] as const;
/** A read this long says something about the rate; shorter ones are dominated by fixed costs. */
const MIN_SAMPLE_TOKENS = 64;
/** Recent completed reads remembered (with the backend's own figure, the fastest counts). */
const RECENT_SAMPLES = 4;
/** Growing to a larger step needs this much more reading capacity than that step uses. */
const HEADROOM = 1.15;

export interface PromptSize {
  /** The budgets a prompt is built with now. */
  budgets: PromptBudgets;
  /** Fraction of the configured budgets (1 when unscaled). */
  scale: number;
  /** Prompt tokens per second the sizing assumed; undefined until measured. */
  promptTokPerS: number | undefined;
}

export class PromptSizer {
  private recent: number[] = [];
  private measured: number | undefined;
  private scale = 1;

  /** The backend's own measurement (e.g. the model host's at load); replaces the previous one. */
  setMeasuredRate(tokPerS: number | undefined): void {
    this.measured = tokPerS !== undefined && Number.isFinite(tokPerS) && tokPerS > 0 ? tokPerS : undefined;
  }

  /** Learns from a finished generation: new prompt tokens over the time to the first token. */
  observe(result: GenerationResult): void {
    const read = result.promptTokens - result.reusedTokens;
    if (read < MIN_SAMPLE_TOKENS || !(result.ttftMs > 0)) return;
    this.recent.push((read * 1000) / result.ttftMs);
    if (this.recent.length > RECENT_SAMPLES) this.recent.shift();
  }

  /** Forgets everything learned (another backend or model). */
  reset(): void {
    this.recent = [];
    this.measured = undefined;
    this.scale = 1;
  }

  /** The fastest reading seen, in prompt tokens per second. */
  rate(): number | undefined {
    const all = this.measured === undefined ? this.recent : [...this.recent, this.measured];
    return all.length === 0 ? undefined : Math.max(...all);
  }

  /** The budgets for the next prompt, given the configured ones and the target for a cold read. */
  fit(configured: PromptBudgets, coldPromptMs: number): PromptSize {
    const rate = this.rate();
    if (coldPromptMs <= 0 || rate === undefined) return { budgets: configured, scale: 1, promptTokPerS: rate };
    const capacity = (rate * coldPromptMs) / 1000;
    const fits = (step: number, headroom: number): boolean => promptTokens(configured, step) * headroom <= capacity;
    // The largest step that fits; a step above the current one only with headroom to spare.
    const chosen = SCALE_STEPS.find((step) => fits(step, step > this.scale ? HEADROOM : 1)) ?? SCALE_STEPS[SCALE_STEPS.length - 1];
    this.scale = chosen;
    return { budgets: scaled(configured, chosen), scale: chosen, promptTokPerS: rate };
  }
}

/** Tokens a prompt built with `budgets` scaled by `step` can carry at most. */
function promptTokens(budgets: PromptBudgets, step: number): number {
  return budgetTokens(scaled(budgets, step));
}

/** Tokens a prompt built with these budgets carries at most. */
export function budgetTokens(b: PromptBudgets): number {
  return b.prefixTokens + b.suffixTokens + b.farSuffixTokens + b.contextTokens;
}

function scaled(budgets: PromptBudgets, step: number): PromptBudgets {
  if (step === 1) return budgets;
  return {
    prefixTokens: Math.round(budgets.prefixTokens * step),
    suffixTokens: budgets.suffixTokens,
    farSuffixTokens: Math.round(budgets.farSuffixTokens * step),
    contextTokens: Math.round(budgets.contextTokens * step),
  };
}
