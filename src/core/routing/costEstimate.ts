// Estimated cost in US dollars of one routed request, for the routing log and its summary. Local
// models cost nothing per token; frontier models are priced from a small built-in table keyed by
// model-name prefix, which the user's `bantam.routing.pricing` setting (exact model names) overrides.
// These are ESTIMATES: list prices as published by OpenAI and Anthropic when this table was written
// (standard tier, no caching or batch discounts). Prices change: override them in the settings.
import type { ModelPrice } from '../config';
import type { Tier } from '../kernel/chatTypes';

/** USD per million input / output tokens, by model-name prefix; the longest matching prefix wins. */
export const BUILT_IN_PRICES: Readonly<Record<string, ModelPrice>> = {
  // Anthropic
  'claude-opus-4': { input: 15, output: 75 },
  'claude-opus-4-1': { input: 15, output: 75 },
  'claude-opus-4-5': { input: 5, output: 25 },
  'claude-opus-4-6': { input: 5, output: 25 },
  'claude-sonnet-4': { input: 3, output: 15 },
  'claude-haiku-4': { input: 1, output: 5 },
  'claude-3-7-sonnet': { input: 3, output: 15 },
  'claude-3-5-sonnet': { input: 3, output: 15 },
  'claude-3-5-haiku': { input: 0.8, output: 4 },
  // OpenAI
  'gpt-5': { input: 1.25, output: 10 },
  'gpt-5.1': { input: 1.25, output: 10 },
  'gpt-5.2': { input: 1.75, output: 14 },
  'gpt-5-mini': { input: 0.25, output: 2 },
  'gpt-5-nano': { input: 0.05, output: 0.4 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  o1: { input: 15, output: 60 },
  o3: { input: 2, output: 8 },
  'o3-mini': { input: 1.1, output: 4.4 },
  'o3-pro': { input: 20, output: 80 },
  'o4-mini': { input: 1.1, output: 4.4 },
};

/**
 * The price of a model: an exact-name override first, then the longest built-in prefix that ends at
 * a word boundary (so "gpt-4o" matches "gpt-4o-2024-08-06" but "o3" does not match "o30").
 * Router-style names ("openai/gpt-4o", "anthropic/claude-sonnet-4.5") are matched on their last
 * segment, with Anthropic's dotted versions read as dashed ones.
 */
export function priceFor(model: string, overrides: Readonly<Record<string, ModelPrice>> = {}): ModelPrice | undefined {
  const exact = overrides[model];
  if (exact) return exact;
  const name = normalise(model);
  let best: string | undefined;
  for (const prefix of Object.keys(BUILT_IN_PRICES)) {
    if (!name.startsWith(prefix)) continue;
    const next = name.charAt(prefix.length);
    if (next !== '' && /[a-z0-9]/.test(next)) continue;
    if (!best || prefix.length > best.length) best = prefix;
  }
  return best ? BUILT_IN_PRICES[best] : undefined;
}

export interface CostInput {
  tier: Tier;
  model: string;
  inputTokens: number;
  outputTokens: number;
  pricing?: Readonly<Record<string, ModelPrice>>;
}

/** Estimated USD for one request: 0 on the local tier, null for a frontier model with no known price. */
export function estimateCost(input: CostInput): number | null {
  if (input.tier === 'local') return 0;
  const price = priceFor(input.model, input.pricing);
  if (!price) return null;
  return (input.inputTokens * price.input + input.outputTokens * price.output) / 1_000_000;
}

function normalise(model: string): string {
  const last = model.trim().toLowerCase().split('/').pop() ?? '';
  // "claude-sonnet-4.5" (OpenRouter, Bedrock-style aliases) is Anthropic's "claude-sonnet-4-5".
  return last.replace(/^(claude-[a-z]+-\d+)\.(\d)/, '$1-$2');
}
