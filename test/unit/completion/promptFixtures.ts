// Deterministic code-like text and a keystroke simulator for the prompt tests.
import type { CompletionRequest } from '../../../src/core/kernel/completionTypes';

const templates: ((k: number) => string)[] = [
  (k) => `function handler${k}(input: Request${k}, limit = ${k % 17}): Result {`,
  (k) => `  const value${k} = compute(input.items, input.name.length) + ${k};`,
  (k) => `  if (value${k} > limit && !input.done) {`,
  (k) => `    logger.debug(\`value ${k} over limit\`, { value: value${k}, limit });`,
  (k) => `    return { ok: false, reason: 'limit', value: value${k} };`,
  () => `  }`,
  (k) => `  for (const item of input.items.slice(0, ${k % 5 + 1})) total += item.weight;`,
  (k) => `  return { ok: true, value: value${k} };`,
  () => `}`,
  () => ``,
];

/** `lines` lines of TypeScript-looking code (each ending in a newline), varied by `seed`. */
export function sampleCode(lines: number, seed: number): string {
  let out = '';
  for (let i = 0; i < lines; i++) {
    const k = seed + i;
    out += templates[k % templates.length]!(k) + '\n';
  }
  return out;
}

/** The request after the user typed `chars` at the cursor. */
export function typeAt(request: CompletionRequest, chars: string): CompletionRequest {
  const { text, offset } = request;
  return { ...request, text: text.slice(0, offset) + chars + text.slice(offset), offset: offset + chars.length };
}
