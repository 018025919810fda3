// The built-in price table (longest prefix at a word boundary, router-style names), the user's
// exact-name overrides, and the cost arithmetic: local is free, an unknown frontier model is null.
import * as assert from 'node:assert/strict';
import type { ModelPrice } from '../../../src/core/config';
import { estimateCost, priceFor } from '../../../src/core/routing/costEstimate';

describe('priceFor', () => {
  const cases: Array<{ model: string; expected: ModelPrice | undefined; overrides?: Record<string, ModelPrice> }> = [
    { model: 'claude-sonnet-4-5', expected: { input: 3, output: 15 } },
    { model: 'claude-sonnet-4-20250514', expected: { input: 3, output: 15 } },
    { model: 'claude-opus-4-20250514', expected: { input: 15, output: 75 } },
    { model: 'claude-opus-4-1-20250805', expected: { input: 15, output: 75 } },
    { model: 'claude-opus-4-5', expected: { input: 5, output: 25 } },
    { model: 'claude-haiku-4-5', expected: { input: 1, output: 5 } },
    { model: 'anthropic/claude-sonnet-4.5', expected: { input: 3, output: 15 } },
    { model: 'anthropic/claude-opus-4.5', expected: { input: 5, output: 25 } },
    { model: 'gpt-4.1', expected: { input: 2, output: 8 } },
    { model: 'gpt-4.1-mini', expected: { input: 0.4, output: 1.6 } },
    { model: 'gpt-4.1-mini-2025-04-14', expected: { input: 0.4, output: 1.6 } },
    { model: 'gpt-4o', expected: { input: 2.5, output: 10 } },
    { model: 'gpt-4o-2024-08-06', expected: { input: 2.5, output: 10 } },
    { model: 'gpt-4o-mini', expected: { input: 0.15, output: 0.6 } },
    { model: 'openai/gpt-4o-mini', expected: { input: 0.15, output: 0.6 } },
    { model: 'GPT-5', expected: { input: 1.25, output: 10 } },
    { model: 'gpt-5-mini', expected: { input: 0.25, output: 2 } },
    { model: 'o3', expected: { input: 2, output: 8 } },
    { model: 'o3-mini', expected: { input: 1.1, output: 4.4 } },
    { model: 'o4-mini', expected: { input: 1.1, output: 4.4 } },
    // A prefix must end at a word boundary: these are other models, not priced ones.
    { model: 'o30', expected: undefined },
    { model: 'gpt-4', expected: undefined },
    { model: 'qwen2.5-coder:7b-instruct', expected: undefined },
    { model: 'llama-3.1-70b', expected: undefined },
    // Overrides are exact names and beat the table.
    { model: 'gpt-4o', overrides: { 'gpt-4o': { input: 1, output: 2 } }, expected: { input: 1, output: 2 } },
    { model: 'my-vllm-model', overrides: { 'my-vllm-model': { input: 0.5, output: 0.5 } }, expected: { input: 0.5, output: 0.5 } },
    { model: 'gpt-4o-mini', overrides: { 'gpt-4o': { input: 1, output: 2 } }, expected: { input: 0.15, output: 0.6 } },
  ];
  for (const c of cases) {
    it(`${c.model}${c.overrides ? ' (with overrides)' : ''} -> ${c.expected ? `${c.expected.input}/${c.expected.output}` : 'unknown'}`, () => {
      assert.deepEqual(priceFor(c.model, c.overrides), c.expected);
    });
  }
});

describe('estimateCost', () => {
  const cases: Array<{ name: string; input: Parameters<typeof estimateCost>[0]; expected: number | null }> = [
    { name: 'frontier from the table', input: { tier: 'frontier', model: 'claude-sonnet-4-5', inputTokens: 1_000_000, outputTokens: 100_000 }, expected: 4.5 },
    { name: 'small request', input: { tier: 'frontier', model: 'gpt-4.1', inputTokens: 1000, outputTokens: 500 }, expected: 0.006 },
    { name: 'override wins', input: { tier: 'frontier', model: 'gpt-4.1', inputTokens: 1_000_000, outputTokens: 0, pricing: { 'gpt-4.1': { input: 7, output: 9 } } }, expected: 7 },
    { name: 'local tier is free even for a priced name', input: { tier: 'local', model: 'gpt-4o', inputTokens: 5000, outputTokens: 5000 }, expected: 0 },
    { name: 'unknown frontier model', input: { tier: 'frontier', model: 'mystery-model', inputTokens: 5000, outputTokens: 5000 }, expected: null },
    { name: 'no tokens', input: { tier: 'frontier', model: 'gpt-4o', inputTokens: 0, outputTokens: 0 }, expected: 0 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const cost = estimateCost(c.input);
      if (c.expected === null) assert.equal(cost, null);
      else {
        assert.ok(cost !== null);
        assert.ok(Math.abs(cost - c.expected) < 1e-12, `${cost} != ${c.expected}`);
      }
    });
  }
});
