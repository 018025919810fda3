// Command-line options of the completion benchmark, on top of the shared ones (bench/commonOptions.ts:
// --quick, --seed, --model, --llamavscode, --verbose, --no-wait-idle; here --quick means 2 files, short
// traces, few baseline samples, one rate measurement: a smoke check in a little over 2 minutes, and
// --llamavscode sets baseline (c)'s settings, shipped by default).
//   --only a,b        run only these variants (bantam, fresh, prefix, context)
//   --set key=value   override a setting as configFrom() reads it, e.g. --set completion.suffixTokens=8
//                     (repeatable; numbers and true/false are parsed), to try budgets and debounce
//   --no-read-ahead   do not read the prompt where the cursor comes to rest (to measure what it gains)
//   --no-prefetch-on-show  prefetch the next suggestion only when one is accepted (to measure what
//                     prefetching on show costs and gains)
//   --dump FILE       write every request's record (variant, file, action, pause after it, timings) to
//                     FILE as JSON lines, to study where the time went
import { commonDefaults, onlyKeys, parseArgs, type CommonBenchOptions } from './commonOptions';
import { VARIANTS, type VariantKey } from './variants';

export interface BenchOptions extends CommonBenchOptions {
  only: VariantKey[] | undefined;
  /** Raw setting overrides for configFrom(), keyed without the `bantam.` prefix. */
  settings: Record<string, unknown>;
  /** Where to write every request's record as JSON lines. */
  dump: string | undefined;
  prefetchOnShow: boolean;
  readAhead: boolean;
}

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = { ...commonDefaults('shipped'), only: undefined, settings: {}, dump: undefined, prefetchOnShow: true, readAhead: true };
  parseArgs(
    argv,
    options,
    (arg, value) => {
      switch (arg) {
        case '--only':
          options.only = onlyKeys(
            value(),
            VARIANTS.map((v) => v.key),
            'variant',
          );
          return true;
        case '--set': {
          const pair = value();
          const eq = pair.indexOf('=');
          if (eq <= 0) throw new Error(`--set needs key=value, got "${pair}"`);
          const raw = pair.slice(eq + 1);
          const parsed: unknown = raw === 'true' ? true : raw === 'false' ? false : raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
          options.settings[pair.slice(0, eq).replace(/^bantam\./, '')] = parsed;
          return true;
        }
        case '--no-read-ahead':
          options.readAhead = false;
          return true;
        case '--no-prefetch-on-show':
          options.prefetchOnShow = false;
          return true;
        case '--dump':
          options.dump = value();
          return true;
        default:
          return false;
      }
    },
    'bench/benchOptions.ts',
  );
  return options;
}
