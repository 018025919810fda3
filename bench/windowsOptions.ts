// Command-line options of bench:windows, on top of the shared ones (bench/commonOptions.ts: --quick,
// --seed, --model, --llamavscode, --verbose, --no-wait-idle). Here --quick means about a minute of
// switching per way instead of four, --seed also seeds the switches, and --llamavscode sets the
// shared slot's client: sized by default, so that only who keeps the KV cache differs from Bantam.
//   --run-s N         switch for N seconds per way instead
//   --only a,b        run only these ways (bantam, per-process, shared-slot, single)
import { commonDefaults, onlyKeys, parseArgs, type CommonBenchOptions } from './commonOptions';
import { WAY_KEYS, type WayKey } from './windowWays';

export interface WindowsOptions extends CommonBenchOptions {
  runMs: number;
  ways: WayKey[];
}

export const QUICK_RUN_MS = 60_000;
export const FULL_RUN_MS = 240_000;

export function parseWindowsOptions(argv: readonly string[]): WindowsOptions {
  const options: WindowsOptions = { ...commonDefaults('sized'), runMs: FULL_RUN_MS, ways: [...WAY_KEYS] };
  let runS: number | undefined;
  parseArgs(
    argv,
    options,
    (arg, value) => {
      switch (arg) {
        case '--run-s':
          runS = Number(value());
          if (!(runS > 0)) throw new Error('--run-s needs a positive number of seconds');
          return true;
        case '--only': {
          const keys = onlyKeys(value(), WAY_KEYS, 'way');
          options.ways = WAY_KEYS.filter((k) => keys.includes(k));
          return true;
        }
        default:
          return false;
      }
    },
    'bench/windowsOptions.ts',
  );
  options.runMs = runS !== undefined ? runS * 1000 : options.quick ? QUICK_RUN_MS : FULL_RUN_MS;
  return options;
}
