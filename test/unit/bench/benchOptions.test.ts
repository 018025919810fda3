// The latency benchmarks' command lines: the options they share and each one's own.
import * as assert from 'node:assert/strict';
import { parseBenchOptions } from '../../../bench/benchOptions';
import { FULL_RUN_MS, QUICK_RUN_MS, parseWindowsOptions } from '../../../bench/windowsOptions';

describe('benchmark options', () => {
  it('bench:completion: shared and own options; llama.vscode as shipped unless told', () => {
    assert.equal(parseBenchOptions([]).llamaVscode, 'shipped');
    const o = parseBenchOptions(['--quick', '--seed', '9', '--only', 'bantam,prefix', '--set', 'completion.suffixTokens=6', '--set', 'bantam.context.enabled=false', '--no-wait-idle', '--no-read-ahead']);
    assert.equal(o.quick, true);
    assert.equal(o.seed, 9);
    assert.deepEqual(o.only, ['bantam', 'prefix']);
    assert.deepEqual(o.settings, { 'completion.suffixTokens': 6, 'context.enabled': false });
    assert.equal(o.waitIdle, false);
    assert.equal(o.readAhead, false);
    assert.equal(o.prefetchOnShow, true);
  });

  it('bench:windows: a minute per way with --quick, four without, --run-s overrides; the shared slot sized unless told', () => {
    assert.equal(parseWindowsOptions([]).runMs, FULL_RUN_MS);
    assert.equal(parseWindowsOptions(['--quick']).runMs, QUICK_RUN_MS);
    assert.equal(parseWindowsOptions(['--quick', '--run-s', '30']).runMs, 30_000);
    assert.equal(parseWindowsOptions([]).llamaVscode, 'sized');
    assert.equal(parseWindowsOptions(['--llamavscode', 'shipped']).llamaVscode, 'shipped');
    // Ways run in their fixed order whatever the order asked.
    assert.deepEqual(parseWindowsOptions(['--only', 'single,bantam']).ways, ['bantam', 'single']);
    assert.deepEqual(parseWindowsOptions([]).ways, ['bantam', 'per-process', 'shared-slot', 'single']);
  });

  it('unknown options, ways and variants, and missing values are errors that say where to look', () => {
    assert.throws(() => parseWindowsOptions(['--set', 'a=1']), /unknown option --set \(see bench\/windowsOptions.ts\)/);
    assert.throws(() => parseBenchOptions(['--run-s', '5']), /unknown option --run-s \(see bench\/benchOptions.ts\)/);
    assert.throws(() => parseWindowsOptions(['--only', 'bantam,fresh']), /unknown way fresh/);
    assert.throws(() => parseBenchOptions(['--only', 'shared-slot']), /unknown variant shared-slot/);
    assert.throws(() => parseWindowsOptions(['--seed']), /--seed needs a value/);
    assert.throws(() => parseWindowsOptions(['--run-s', '0']), /positive/);
    assert.throws(() => parseBenchOptions(['--llamavscode', 'big']), /shipped or sized/);
  });
});
