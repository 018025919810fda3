// Renders the session's completion stats as the markdown the stats command shows.
import type { CompletionStatsSnapshot } from './completionStats';
import type { PromptSize } from './promptSizer';
import { runtimeLines, type ModelRuntime } from '../providers/local/modelRuntime';

function ms(value: number | undefined): string {
  return value === undefined || Number.isNaN(value) ? '–' : `${Math.round(value)} ms`;
}

function pct(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

/** How much code a prompt carries now, and why (promptSizer.ts). */
function promptSizeText(size: PromptSize | undefined): string {
  if (!size) return '–';
  const prefix = `${size.budgets.prefixTokens} tokens before the cursor`;
  if (size.scale === 1) return `the budgets as set (${prefix})`;
  return `${size.scale * 100}% of the budgets (${prefix}), so that a new place reads within bantam.completion.coldPromptMs`;
}

export function renderStatsReport(
  stats: CompletionStatsSnapshot,
  backend: string,
  model: string,
  size?: PromptSize,
  runtime?: ModelRuntime,
): string {
  const rate = size?.promptTokPerS;
  const where = runtime ? runtimeLines(runtime) : [];
  return [
    '# Bantam completion stats (this session)',
    '',
    `Backend: ${backend || '–'}  `,
    `Model: ${model || '–'}`,
    '',
    '| measure | value |',
    '| --- | --- |',
    `| suggestion latency p50 | ${ms(stats.latencyP50Ms)} |`,
    `| suggestion latency p95 | ${ms(stats.latencyP95Ms)} |`,
    `| model first token p50 | ${ms(stats.ttftP50Ms)} |`,
    `| model first token p95 | ${ms(stats.ttftP95Ms)} |`,
    `| cache hit rate | ${pct(stats.cacheHitRate)} |`,
    `| acceptance rate | ${pct(stats.acceptanceRate)} |`,
    `| requests | ${stats.requests} |`,
    `| suggestions shown | ${stats.shown} |`,
    `| accepted | ${stats.accepted} |`,
    `| model calls | ${stats.modelCalls} |`,
    `| served from cache | ${stats.cacheHits} |`,
    `| cancelled (you kept typing) | ${stats.cancelled} |`,
    `| places read ahead (where the cursor came to rest) | ${stats.readAheads} |`,
    `| errors | ${stats.errors} |`,
    `| model reads prompts at | ${rate === undefined ? '–' : `${Math.round(rate)} tokens/s`} |`,
    `| prompt size | ${promptSizeText(size)} |`,
    ...where.map(([label, value]) => `| ${label.toLowerCase()} | ${value} |`),
    '',
    ...(runtime?.accelerator.fallback ? [runtime.accelerator.fallback, ''] : []),
    'Latency is keystroke to suggestion, including the debounce wait; cache hits include typing through a shown suggestion.',
    '',
  ].join('\n');
}
