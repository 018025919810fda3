// Command-line options of the completion benchmark.
//   --quick           2 files, short traces, few baseline samples: a smoke check in about 2 minutes
//   --seed N          trace seed (default 7); same seed, same keystrokes
//   --model PATH      GGUF to run (default: the Qwen2.5-Coder-0.5B-shaped speed proxy, generated if missing)
//   --only a,b        run only these variants (bantam, fresh, prefix)
//   --verbose         forward the worker's log lines
//   --no-wait-idle    start each variant at once, even if other processes are busy (by default it
//                     waits up to 2 minutes for them to use under 0.3 cores)
import type { VariantKey } from './variants';

export interface BenchOptions {
  quick: boolean;
  seed: number;
  model: string | undefined;
  only: VariantKey[] | undefined;
  verbose: boolean;
  waitIdle: boolean;
}

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = { quick: false, seed: 7, model: undefined, only: undefined, verbose: false, waitIdle: true };
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
        const known = ['bantam', 'fresh', 'prefix'];
        const bad = keys.filter((k) => !known.includes(k));
        if (bad.length > 0) throw new Error(`--only: unknown variant ${bad.join(', ')} (use ${known.join(', ')})`);
        options.only = keys as VariantKey[];
        break;
      }
      case '--verbose':
        options.verbose = true;
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
