// Command-line options of the completion benchmark.
//   --quick           2 files, short traces, few baseline samples, one rate measurement: a smoke
//                     check in a little over 2 minutes
//   --seed N          trace seed (default 7); same seed, same keystrokes
//   --model PATH      GGUF to run (default: the Qwen2.5-Coder-0.5B-shaped speed proxy, generated if missing)
//   --only a,b        run only these variants (bantam, fresh, prefix, context)
//   --verbose         forward the worker's log lines
//   --set key=value   override a setting as configFrom() reads it, e.g. --set completion.suffixTokens=8
//                     (repeatable; numbers and true/false are parsed), to try budgets and debounce
//   --llamavscode S   baseline (c)'s llama.vscode settings: shipped (default: 256 lines above, 64 below,
//                     a ring of 16 extra chunks, the model's whole context) or sized (12 above, 4 below,
//                     no ring: prompts the size of the other variants')
//   --no-read-ahead   do not read the prompt where the cursor comes to rest (to measure what it gains)
//   --no-prefetch-on-show  prefetch the next suggestion only when one is accepted (to measure what
//                     prefetching on show costs and gains)
//   --dump FILE       write every request's record (variant, file, action, pause after it, timings) to
//                     FILE as JSON lines, to study where the time went
//   --no-wait-idle    start each variant at once, even if other processes are busy (by default it
//                     waits up to a minute for them to use under 0.3 cores)
import { VARIANTS, type VariantKey } from './variants';

export interface BenchOptions {
  quick: boolean;
  seed: number;
  model: string | undefined;
  only: VariantKey[] | undefined;
  verbose: boolean;
  waitIdle: boolean;
  /** Raw setting overrides for configFrom(), keyed without the `bantam.` prefix. */
  settings: Record<string, unknown>;
  /** Where to write every request's record as JSON lines. */
  dump: string | undefined;
  prefetchOnShow: boolean;
  readAhead: boolean;
  llamaVscode: 'shipped' | 'sized';
}

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = { quick: false, seed: 7, model: undefined, only: undefined, verbose: false, waitIdle: true, settings: {}, dump: undefined, prefetchOnShow: true, readAhead: true, llamaVscode: 'shipped' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--quick':
        options.quick = true;
        break;
      case '--seed':
        options.seed = Number.parseInt(value(), 10);
        if (!Number.isFinite(options.seed)) throw new Error('--seed needs an integer');
        break;
      case '--model':
        options.model = value();
        break;
      case '--only': {
        const keys = value().split(',').map((k) => k.trim());
        const known = VARIANTS.map((v) => v.key as string);
        const bad = keys.filter((k) => !known.includes(k));
        if (bad.length > 0) throw new Error(`--only: unknown variant ${bad.join(', ')} (use ${known.join(', ')})`);
        options.only = keys as VariantKey[];
        break;
      }
      case '--verbose':
        options.verbose = true;
        break;
      case '--set': {
        const pair = value();
        const eq = pair.indexOf('=');
        if (eq <= 0) throw new Error(`--set needs key=value, got "${pair}"`);
        const raw = pair.slice(eq + 1);
        const parsed: unknown = raw === 'true' ? true : raw === 'false' ? false : raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
        options.settings[pair.slice(0, eq).replace(/^bantam\./, '')] = parsed;
        break;
      }
      case '--llamavscode': {
        const v = value();
        if (v !== 'shipped' && v !== 'sized') throw new Error('--llamavscode takes shipped or sized');
        options.llamaVscode = v;
        break;
      }
      case '--no-read-ahead':
        options.readAhead = false;
        break;
      case '--no-prefetch-on-show':
        options.prefetchOnShow = false;
        break;
      case '--dump':
        options.dump = value();
        break;
      case '--no-wait-idle':
        options.waitIdle = false;
        break;
      default:
        throw new Error(`unknown option ${arg} (see bench/benchOptions.ts)`);
    }
  }
  return options;
}
