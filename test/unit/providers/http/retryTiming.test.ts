// Backoff arithmetic and Retry-After parsing behind the HTTP layer's retries.

import * as assert from 'node:assert/strict';
import { DEFAULT_HTTP_POLICY } from '../../../../src/core/providers/http/httpPolicy';
import { backoffDelay, describeWait, retryAfterMs } from '../../../../src/core/providers/http/retryTiming';

const NOW = Date.parse('2025-06-01T12:00:00Z');

describe('retryTiming', () => {
  const afters: Array<{ headers: Record<string, string>; expected: number | undefined }> = [
    { headers: {}, expected: undefined },
    { headers: { 'retry-after': '7' }, expected: 7000 },
    { headers: { 'retry-after': '1.5' }, expected: 1500 },
    { headers: { 'retry-after': 'Sun, 01 Jun 2025 12:00:30 GMT' }, expected: 30_000 },
    { headers: { 'retry-after': 'Sun, 01 Jun 2025 11:59:00 GMT' }, expected: 0 },
    { headers: { 'retry-after': 'soon' }, expected: undefined },
    { headers: { 'retry-after-ms': '250', 'retry-after': '9' }, expected: 250 },
    { headers: { 'retry-after-ms': 'x', 'retry-after': '9' }, expected: 9000 },
  ];
  for (const { headers, expected } of afters) {
    it(`reads ${JSON.stringify(headers)} as ${expected} ms`, () => {
      assert.equal(retryAfterMs(new Headers(headers), NOW), expected);
    });
  }

  const backoffs = [
    { retry: 1, random: 0, expected: 250 },
    { retry: 1, random: 0.999_999, expected: 500 },
    { retry: 2, random: 0.5, expected: 750 },
    { retry: 3, random: 0, expected: 1000 },
    { retry: 10, random: 1, expected: 8000 },
  ];
  for (const { retry, random, expected } of backoffs) {
    it(`waits ${expected} ms before retry ${retry} with jitter ${random}`, () => {
      assert.equal(backoffDelay(DEFAULT_HTTP_POLICY, retry, () => random), expected);
    });
  }

  const waits = [
    { ms: 250, text: '250 ms' },
    { ms: 1000, text: '1 s' },
    { ms: 45_500, text: '46 s' },
    { ms: 600_000, text: '10 min' },
    { ms: 3 * 3600_000, text: '3 h' },
    { ms: Number.POSITIVE_INFINITY, text: 'a long while' },
  ];
  for (const { ms, text } of waits) {
    it(`describes ${ms} ms as "${text}"`, () => assert.equal(describeWait(ms), text));
  }
});
