// The modeled time of a window rewrite with draft tokens (prompt lookup), from measured costs: the
// speed proxy's random weights never accept a draft, so acceptance can't be measured, only assumed.
// Each step verifies k drafted tokens in one batch (k + 1 positions: the last token and the drafts);
// with each draft token accepted with probability a, independently, a step yields the accepted run
// plus the model's own next token: E = (1 - a^(k+1)) / (1 - a) tokens (k + 1 when a = 1).

/** Expected tokens one verify step produces with k drafts at per-token acceptance a. */
export function expectedTokensPerStep(acceptance: number, draftTokens: number): number {
  if (!(acceptance >= 0 && acceptance <= 1)) throw new Error(`acceptance must be within [0, 1], got ${acceptance}`);
  if (!Number.isInteger(draftTokens) || draftTokens < 0) throw new Error(`draftTokens must be a whole number >= 0, got ${draftTokens}`);
  if (acceptance === 1) return draftTokens + 1;
  return (1 - acceptance ** (draftTokens + 1)) / (1 - acceptance);
}

export interface RewriteCosts {
  /** Measured: from the request to the first token (reads the prompt, samples one token). */
  ttftMs: number;
  /** Tokens of the rewritten window (the first is the ttft's). */
  outputTokens: number;
  /** Measured: one batch of k + 1 positions evaluated with logits at each. */
  verifyBatchMs: number;
  draftTokens: number;
}

/** Modeled ms to rewrite the window: the first token, then ceil-free expected steps for the rest. */
export function modeledRewriteMs(costs: RewriteCosts, acceptance: number): number {
  const rest = Math.max(0, costs.outputTokens - 1);
  return costs.ttftMs + (rest / expectedTokensPerStep(acceptance, costs.draftTokens)) * costs.verifyBatchMs;
}

/** The draft length (of `candidates`) with the least modeled time at `acceptance`, and that time. */
export function bestDraftLength(
  candidates: readonly { draftTokens: number; verifyBatchMs: number }[],
  base: Omit<RewriteCosts, 'verifyBatchMs' | 'draftTokens'>,
  acceptance: number,
): { draftTokens: number; modeledMs: number } {
  if (candidates.length === 0) throw new Error('no verify batch was measured');
  let best = { draftTokens: candidates[0]!.draftTokens, modeledMs: Number.POSITIVE_INFINITY };
  for (const c of candidates) {
    const ms = modeledRewriteMs({ ...base, ...c }, acceptance);
    if (ms < best.modeledMs) best = { draftTokens: c.draftTokens, modeledMs: ms };
  }
  return best;
}
