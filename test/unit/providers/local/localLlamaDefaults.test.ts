// The default thread count leaves a core for the editor (see the measurements in localLlamaDefaults.ts).
import * as assert from 'node:assert/strict';
import { defaultThreads } from '../../../../src/core/providers/local/localLlamaDefaults';

describe('defaultThreads', () => {
  for (const [cores, threads] of [
    [1, 1],
    [2, 1],
    [4, 3],
    [8, 7],
    [64, 8],
  ] as const) {
    it(`${cores} logical cores -> ${threads} threads`, () => assert.equal(defaultThreads(cores), threads));
  }
});
