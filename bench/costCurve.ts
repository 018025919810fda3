// Calibrates what one request really costs the model on this machine: time to the first token when
// a ~1,100-token prompt is already cached and only its last n tokens are new. The prompt-rate
// formula (n / prompt rate + 1 / generation rate) uses the rate of one big 512-token batch; a few
// new tokens on top of a long cached context cost several times more per token (small batches
// don't keep the cores busy, and each new token attends over the whole context), so this curve is
// the floor a layout can actually reach, and the gap above it is debounce, engine and scheduling.
import { performance } from 'node:perf_hooks';
import type { BuiltPrompt, CompletionBackend } from '../src/core/kernel/completionTypes';

export interface CostPoint {
  newTokens: number;
  ttftMs: number;
}

export class CostCurve {
  constructor(readonly points: readonly CostPoint[]) {}

  /** Interpolated ms to the first token for `newTokens` new tokens; linear beyond the ends. */
  ttftMs(newTokens: number): number {
    const p = this.points;
    if (p.length === 0) return NaN;
    if (p.length === 1) return p[0]!.ttftMs;
    let i = p.findIndex((q) => q.newTokens >= newTokens);
    if (i <= 0) i = i === 0 ? 1 : p.length - 1;
    const a = p[i - 1]!;
    const b = p[i]!;
    const slope = b.newTokens === a.newTokens ? 0 : (b.ttftMs - a.ttftMs) / (b.newTokens - a.newTokens);
    return Math.max(0, a.ttftMs + slope * (newTokens - a.newTokens));
  }
}

// FIM markers of every family: an edit inside one would change the prompt's structure.
const MARKER = /<\|[^|<>]*\|>|<[a-z_]+>|<[A-Z]{3}>|\[[A-Z]+\]/g;

function markerSpans(text: string): Array<[number, number]> {
  return [...text.matchAll(MARKER)].map((m) => [m.index!, m.index! + m[0].length] as [number, number]);
}

/** `text` with a newline inserted about `charsFromEnd` characters before its end, outside any marker. */
function editNearEnd(text: string, charsFromEnd: number, spans: Array<[number, number]>): string {
  let at = Math.max(0, text.length - charsFromEnd);
  for (const [start, end] of spans) if (at > start && at < end) at = start;
  return `${text.slice(0, at)}\n${text.slice(at)}`;
}

async function firstTokenMs(backend: CompletionBackend, prompt: BuiltPrompt, fresh = false): Promise<{ ms: number; newTokens: number }> {
  const started = performance.now();
  let first = NaN;
  const result = await backend.generate(prompt, {
    fresh,
    maxTokens: 1,
    stop: [],
    timeoutMs: 30_000,
    temperature: 0,
    onFirstToken: () => {
      first = performance.now() - started;
    },
  });
  return { ms: first, newTokens: result.promptTokens - result.reusedTokens };
}

/**
 * Measures the curve around `base` (a real prompt of the first trace): for each size, restore the
 * base prompt (cached), then send it with an edit ~size tokens from its end and time the first token.
 * The whole prompt on an empty cache is the last point, so the curve also covers cold requests.
 */
export async function calibrateCostCurve(
  backend: CompletionBackend,
  base: BuiltPrompt,
  sizes: readonly number[],
  repeats: number,
): Promise<CostCurve> {
  const spans = markerSpans(base.text);
  await firstTokenMs(backend, base);
  const byTokens = new Map<number, number[]>();
  for (const size of sizes) {
    for (let r = 0; r < repeats; r++) {
      await firstTokenMs(backend, base);
      // ~3.5 characters per token of code; the real count comes back from the worker.
      const edited = { ...base, text: editNearEnd(base.text, Math.round(size * 3.5), spans) };
      const m = await firstTokenMs(backend, edited);
      if (!Number.isFinite(m.ms)) continue;
      const list = byTokens.get(size) ?? [];
      list.push(m.newTokens, m.ms);
      byTokens.set(size, list);
    }
  }
  for (let r = 0; r < repeats; r++) {
    const m = await firstTokenMs(backend, base, true);
    if (!Number.isFinite(m.ms)) continue;
    const list = byTokens.get(-1) ?? [];
    list.push(m.newTokens, m.ms);
    byTokens.set(-1, list);
  }
  const points: CostPoint[] = [];
  for (const list of byTokens.values()) {
    const tokens = list.filter((_, i) => i % 2 === 0).sort((a, b) => a - b);
    const ms = list.filter((_, i) => i % 2 === 1).sort((a, b) => a - b);
    points.push({ newTokens: tokens[tokens.length >> 1]!, ttftMs: ms[ms.length >> 1]! });
  }
  points.sort((a, b) => a.newTokens - b.newTokens);
  // Keep the curve monotonic: a noisy bigger batch that came out faster says nothing useful.
  for (let i = 1; i < points.length; i++) points[i]!.ttftMs = Math.max(points[i]!.ttftMs, points[i - 1]!.ttftMs);
  return new CostCurve(points);
}
