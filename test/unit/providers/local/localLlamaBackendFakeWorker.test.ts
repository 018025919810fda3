// LocalLlamaBackend against scripted fake workers (small Node scripts speaking the protocol), for
// the client behaviour a real model can't be made to show on demand: malformed replies, a worker
// that dies while loading, and one that crashes on every request.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBackendError } from '../../../../src/core/kernel/backendError';
import { LocalLlamaBackend, type LocalGenerateOptions } from '../../../../src/core/providers/local/localLlamaBackend';
import { LOADED_MESSAGE } from './loadedMessage';
import { qwenPrompt } from './llamaTestModels';

const loaded = LOADED_MESSAGE;

/** Writes a fake worker whose reactions are given as JS source; every start is logged to `starts`. */
function fakeWorker(dir: string, name: string, onLoad: string, onGenerate: string): { path: string; starts: () => number } {
  const startsFile = join(dir, `${name}.starts`);
  const path = join(dir, `${name}.js`);
  writeFileSync(
    path,
    `require('fs').appendFileSync(${JSON.stringify(startsFile)}, 'x');
const loaded = ${JSON.stringify(loaded)};
process.on('message', (m) => {
  if (m.type === 'load') { ${onLoad} }
  if (m.type === 'generate') { ${onGenerate} }
});
process.on('disconnect', () => process.exit(0));
`,
  );
  return { path, starts: () => (existsSync(startsFile) ? readFileSync(startsFile, 'utf8').length : 0) };
}

const options: LocalGenerateOptions = { maxTokens: 8, stop: [], timeoutMs: 10_000, temperature: 0 };
const result = { text: 'ok', promptTokens: 3, reusedTokens: 0, generatedTokens: 1, ttftMs: 1, totalMs: 2, stoppedBy: 'eos' };

describe('LocalLlamaBackend with scripted workers', function () {
  this.timeout(20_000);
  let dir: string;
  let b: LocalLlamaBackend | undefined;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'bantam-fake-worker-'));
  });
  afterEach(() => {
    b?.dispose();
    b = undefined;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('ignores malformed messages from the worker and still gets the real answer', async () => {
    const w = fakeWorker(
      dir,
      'chatty',
      `process.send({ type: 'loaded' }); process.send('hello'); process.send(loaded);`,
      `process.send({ type: 'done', id: m.id, result: { text: 5 } });
       process.send({ type: 'done', id: m.id, result: ${JSON.stringify(result)} });`,
    );
    const logs: string[] = [];
    b = new LocalLlamaBackend({ workerPath: w.path, modelPath: '/fake.gguf', log: (l) => logs.push(l) });
    const r = await b.generate(qwenPrompt('a', 'b'), options);
    assert.equal(r.text, 'ok');
    assert.equal(await b.family(), 'qwen');
    assert.equal(b.promptTokPerS(), 250, 'the rate the model host measured at load');
    assert.ok(logs.filter((l) => l.includes('ignored')).length >= 3, logs.join('\n'));
  });

  it('does not restart a worker that dies while loading: error state until reload()', async () => {
    const w = fakeWorker(dir, 'dies-loading', `process.stderr.write('out of memory\\n'); process.exit(3);`, '');
    b = new LocalLlamaBackend({ workerPath: w.path, modelPath: '/fake.gguf', restart: { initialDelayMs: 10 } });
    for (let i = 0; i < 3; i++) {
      const err = await b.generate(qwenPrompt('a', 'b'), options).then(
        () => assert.fail('expected a load error'),
        (e: unknown) => e,
      );
      assert.ok(isBackendError(err, 'model-load'), String(err));
      assert.match(err.message, /exited with code 3 while loading/);
    }
    assert.equal(w.starts(), 1);
    assert.equal(b.currentState.status, 'error');
    b.reload();
    await b.generate(qwenPrompt('a', 'b'), options).catch(() => undefined);
    assert.equal(w.starts(), 2);
  });

  it('restarts a worker that crashes on requests, with growing delays, and reports each crash', async () => {
    const w = fakeWorker(dir, 'crashy', `process.send(loaded);`, `process.exit(1);`);
    const states: string[] = [];
    b = new LocalLlamaBackend({ workerPath: w.path, modelPath: '/fake.gguf', restart: { initialDelayMs: 20, maxDelayMs: 80 } });
    b.onState((s) => states.push(s.message ?? s.status));
    for (let i = 0; i < 4; i++) {
      const err = await b.generate(qwenPrompt('a', 'b'), options).then(
        () => assert.fail('expected a crash'),
        (e: unknown) => e,
      );
      assert.ok(isBackendError(err, 'worker-crashed'), String(err));
    }
    assert.equal(w.starts(), 4);
    const delays = states.filter((s) => s.startsWith('Restarting the model process in')).map((s) => Number(/in (\d+) ms/.exec(s)![1]));
    assert.deepEqual(delays, [20, 40, 80, 80]);
  });
});
