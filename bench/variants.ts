// The engine variants the benchmark compares. Only the prompt layout and KV-cache policy
// differ (and the baselines, like the peers they stand for, do not read ahead where the cursor rests); every variant runs the same engine, defaults and traces, with generation fixed at 16
// tokens so layouts compare on equal work.
import type { EngineExperiment } from '../src/core/completion/engine';

export type VariantKey = 'bantam' | 'fresh' | 'prefix' | 'llamavscode' | 'context';

export interface VariantSpec {
  key: VariantKey;
  label: string;
  experiment: EngineExperiment;
  /** real-time: the traces replayed at typing pace; sampled: isolated requests at sampled states. */
  mode: 'real-time' | 'sampled';
  /** Runs with codebase context (bench/benchContext.ts); only when asked for with --only. */
  context?: boolean;
  /** Runs llama.vscode's client against a real llama-server instead of Bantam's engine. */
  server?: boolean;
}

export const FIXED_MAX_TOKENS = 16;

export const VARIANTS: readonly VariantSpec[] = [
  {
    key: 'bantam',
    label: 'Bantam (bantam layout, one long-lived KV sequence)',
    experiment: { layout: 'bantam', freshSequence: false, fixedMaxTokens: FIXED_MAX_TOKENS },
    mode: 'real-time',
  },
  {
    key: 'fresh',
    label: 'Baseline (a): same prompt, fresh KV sequence per request',
    experiment: { layout: 'bantam', freshSequence: true, fixedMaxTokens: FIXED_MAX_TOKENS, readAhead: false },
    mode: 'sampled',
  },
  {
    key: 'prefix',
    label: 'Baseline (b): standard PSM layout, common-prefix KV reuse only',
    experiment: { layout: 'psm-baseline', freshSequence: false, fixedMaxTokens: FIXED_MAX_TOKENS, readAhead: false },
    mode: 'real-time',
  },
  {
    key: 'llamavscode',
    label: "Baseline (c): llama.vscode's requests to a real llama-server (--cache-reuse 256)",
    // The experiment only sizes nothing here: the client builds llama.vscode's own payload.
    experiment: { layout: 'psm-baseline', freshSequence: false, fixedMaxTokens: FIXED_MAX_TOKENS, readAhead: false },
    mode: 'real-time',
    server: true,
  },
  {
    key: 'context',
    label: 'Bantam with codebase context (index worker, block chosen per line)',
    experiment: { layout: 'bantam', freshSequence: false, fixedMaxTokens: FIXED_MAX_TOKENS },
    mode: 'real-time',
    context: true,
  },
];

/** What runs without --only: the completion issues' comparison (baseline c builds llama-server once per machine). The context variant is bench:context's. */
export const DEFAULT_VARIANTS: readonly VariantKey[] = ['bantam', 'fresh', 'prefix', 'llamavscode'];
