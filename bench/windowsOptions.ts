// Command-line options of bench:windows.
//   --quick           about a minute of switching per way (a smoke check) instead of four
//   --run-s N         switch for N seconds per way instead
//   --seed N          trace and switch seed (default 7); same seed, same keystrokes and switches
//   --model PATH      GGUF to run (default: the Qwen2.5-Coder-0.5B-shaped speed proxy, generated if missing)
//   --only a,b        run only these ways (bantam, per-process, shared-slot, single)
//   --llamavscode S   the shared slot's llama.vscode settings: sized (default: 12 lines above, 4 below,
//                     no ring, prompts the size of Bantam's on a slow machine, so only who keeps the
//                     KV cache differs) or shipped (256 lines above, 64 below, a ring of 16 chunks)
//   --verbose         forward the model hosts' and engines' log lines
//   --no-wait-idle    start each way at once, even if other processes are busy (by default it waits
//                     up to a minute for them to use under 0.3 cores)
import { WAY_KEYS, type WayKey } from './windowWays';

export interface WindowsOptions {
  quick: boolean;
  runMs: number;
  seed: number;
  model: string | undefined;
  ways: WayKey[];
  llamaVscode: 'shipped' | 'sized';
  verbose: boolean;
  waitIdle: boolean;
}

export const QUICK_RUN_MS = 60_000;
export const FULL_RUN_MS = 240_000;

export function parseWindowsOptions(argv: readonly string[]): WindowsOptions {
  const options: WindowsOptions = { quick: false, runMs: FULL_RUN_MS, seed: 7, model: undefined, ways: [...WAY_KEYS], llamaVscode: 'sized', verbose: false, waitIdle: true };
  let runS: number | undefined;
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
      case '--run-s':
        runS = Number(value());
        if (!(runS > 0)) throw new Error('--run-s needs a positive number of seconds');
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
        const bad = keys.filter((k) => !(WAY_KEYS as readonly string[]).includes(k));
        if (bad.length > 0) throw new Error(`--only: unknown way ${bad.join(', ')} (use ${WAY_KEYS.join(', ')})`);
        options.ways = WAY_KEYS.filter((k) => keys.includes(k));
        break;
      }
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
        throw new Error(`unknown option ${arg} (see bench/windowsOptions.ts)`);
    }
  }
  options.runMs = runS !== undefined ? runS * 1000 : options.quick ? QUICK_RUN_MS : FULL_RUN_MS;
  return options;
}
