// The reachability probe that runs before a model download, so that no network fails in seconds
// with a message saying what to do instead of node-llama-cpp retrying for minutes.
import { closedPort } from '../../support/closedPort';
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_MODEL_ENDPOINT,
  downloadModel,
  ModelDownloadError,
  probeModelHost,
} from '../../../src/core/models/modelDownload';

/** What undici's fetch rejects with when a lookup or connection fails. */
function fetchFailure(code: string, message: string): TypeError {
  return Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(message), { code }) });
}

interface FetchCall {
  url: string;
  init: RequestInit | undefined;
}

function fakeFetch(answer: () => Promise<Response>): { fetch: typeof fetch; calls: FetchCall[] } {
  const calls: FetchCall[] = [];
  const impl = (async (input: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(input), init });
    return answer();
  }) as typeof fetch;
  return { fetch: impl, calls };
}

async function offlineError(promise: Promise<unknown>): Promise<ModelDownloadError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ModelDownloadError, `expected a ModelDownloadError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the probe to reject');
}


describe('probeModelHost', () => {
  const failures: Array<{ name: string; error: () => unknown; cause: string }> = [
    { name: 'no DNS', error: () => fetchFailure('ENOTFOUND', 'getaddrinfo ENOTFOUND huggingface.co'), cause: 'ENOTFOUND' },
    { name: 'refused', error: () => fetchFailure('ECONNREFUSED', 'connect ECONNREFUSED'), cause: 'ECONNREFUSED' },
    { name: 'no answer in time', error: () => new DOMException('The operation timed out.', 'TimeoutError'), cause: 'TimeoutError' },
  ];
  for (const f of failures) {
    it(`${f.name}: an 'offline' error that says to set bantam.completion.model`, async () => {
      const { fetch, calls } = fakeFetch(() => Promise.reject(f.error()));
      const error = await offlineError(probeModelHost(DEFAULT_MODEL_ENDPOINT, 8000, fetch));
      assert.equal(error.code, 'offline');
      assert.equal(error.name, 'ModelDownloadError');
      assert.ok(error.message.includes(f.cause), error.message);
      assert.match(error.message, /huggingface\.co/);
      assert.match(error.message, /set bantam\.completion\.model/);
      assert.equal(calls.length, 1);
    });
  }

  it('names the mirror it could not reach', async () => {
    const { fetch } = fakeFetch(() => Promise.reject(fetchFailure('ENOTFOUND', 'getaddrinfo ENOTFOUND')));
    const error = await offlineError(probeModelHost('https://hf-mirror.example.org/', 8000, fetch));
    assert.match(error.message, /Can't reach hf-mirror\.example\.org /);
  });

  for (const status of [200, 401, 404, 503]) {
    it(`any HTTP answer (${status}) means the host is reachable`, async () => {
      const { fetch, calls } = fakeFetch(async () => new Response(null, { status }));
      await probeModelHost(DEFAULT_MODEL_ENDPOINT, 8000, fetch);
      assert.equal(calls.length, 1);
      assert.equal(calls[0]!.url, DEFAULT_MODEL_ENDPOINT);
      assert.equal(calls[0]!.init?.method, 'HEAD');
      assert.ok(calls[0]!.init?.signal instanceof AbortSignal, 'the probe can time out');
    });
  }
});

describe('downloadModel', () => {
  it('with the endpoint unreachable, fails as offline before downloading anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bantam-download-'));
    try {
      const progress: unknown[] = [];
      const endpoint = `http://127.0.0.1:${await closedPort()}`;
      const error = await offlineError(
        downloadModel('hf:someone/repo/model.gguf', dir, (p) => progress.push(p), new AbortController().signal, endpoint),
      );
      assert.equal(error.code, 'offline');
      assert.match(error.message, /ECONNREFUSED/);
      assert.deepEqual(progress, []);
      assert.deepEqual(readdirSync(dir), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
