// The command-line options the latency benchmarks (bench:completion, bench:windows) share, and the
// walk over argv that hands each benchmark its own options.
//   --quick           a short smoke run
//   --seed N          trace seed (default 7); same seed, same keystrokes
//   --model PATH      GGUF to run (default: the Qwen2.5-Coder-0.5B-shaped speed proxy, generated if missing)
//   --llamavscode S   llama.vscode's settings for the llama-server runs: shipped (256 lines above, 64
//                     below, a ring of 16 extra chunks, the model's whole context) or sized (12 above,
//                     4 below, no ring: prompts the size of Bantam's on a slow machine)
//   --verbose         forward the model hosts' log lines
//   --no-wait-idle    start each run at once, even if other processes are busy (by default it waits up
//                     to a minute for them to use under 0.3 cores)

export interface CommonBenchOptions {
  quick: boolean;
  seed: number;
  model: string | undefined;
  llamaVscode: 'shipped' | 'sized';
  verbose: boolean;
  waitIdle: boolean;
}

export function commonDefaults(llamaVscode: CommonBenchOptions['llamaVscode']): CommonBenchOptions {
  return { quick: false, seed: 7, model: undefined, llamaVscode, verbose: false, waitIdle: true };
}

/**
 * Reads `argv` into `options`: the shared options here, every other one through `own` (given the
 * option and a reader of its value), which returns false for an option it does not know.
 */
export function parseArgs(argv: readonly string[], options: CommonBenchOptions, own: (arg: string, value: () => string) => boolean, optionsFile: string): void {
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
      case '--llamavscode': {
        const v = value();
        if (v !== 'shipped' && v !== 'sized') throw new Error('--llamavscode takes shipped or sized');
        options.llamaVscode = v;
        break;
      }
      case '--verbose':
        options.verbose = true;
        break;
      case '--no-wait-idle':
        options.waitIdle = false;
        break;
      default:
        if (!own(arg, value)) throw new Error(`unknown option ${arg} (see ${optionsFile})`);
    }
  }
}

/** The keys of a comma-separated `--only` list, each one of `known`. */
export function onlyKeys<K extends string>(list: string, known: readonly K[], what: string): K[] {
  const keys = list.split(',').map((k) => k.trim());
  const bad = keys.filter((k) => !(known as readonly string[]).includes(k));
  if (bad.length > 0) throw new Error(`--only: unknown ${what} ${bad.join(', ')} (use ${known.join(', ')})`);
  return keys as K[];
}
