// LocalLlamaBackend against scripted fake model hosts (small Node scripts that listen where a private
// host would and speak the handshake and protocol), for the client behaviour a real model can't be
// made to show on demand: malformed replies, a host that dies while loading, and one that crashes on
// every request.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBackendError } from '../../../../src/core/kernel/backendError';
import { LocalLlamaBackend, type LocalGenerateOptions } from '../../../../src/core/providers/local/localLlamaBackend';
import { LOADED_MESSAGE } from './loadedMessage';
import { qwenPrompt } from './llamaTestModels';

const loaded = LOADED_MESSAGE;
const hostAddressModule = require.resolve('../../../../src/core/providers/local/hostAddress');
const handshakeModule = require.resolve('../../../../src/core/providers/local/hostHandshake');

/**
 * Writes a fake private host whose reactions are given as JS source (`send(value)` answers the
 * client, `m` is its message); every start is logged to `starts`. It proves itself with the user's
 * token and welcomes any client that answers, and exits when its client leaves, as a private host does.
 */
function fakeHost(dir: string, name: string, onLoad: string, onGenerate: string): { path: string; starts: () => number } {
  const startsFile = join(dir, `${name}.starts`);
  const path = join(dir, `${name}.js`);
  writeFileSync(
    path,
    `require('fs').appendFileSync(${JSON.stringify(startsFile)}, 'x');
const { hostAddress, hostBuild, hostToken } = require(${JSON.stringify(hostAddressModule)});
const { handshakeProof, newNonce } = require(${JSON.stringify(handshakeModule)});
const { values } = require('node:util').parseArgs({ options: { dir: { type: 'string' }, gpu: { type: 'string' }, private: { type: 'string' }, 'idle-ms': { type: 'string' } } });
const address = hostAddress(values.dir, hostBuild(__filename, values.gpu), values.private);
const token = hostToken(address);
const loaded = ${JSON.stringify(loaded)};
require('node:net').createServer((socket) => {
  const send = (value) => socket.write(JSON.stringify(value) + '\\n');
  let buffered = '';
  let hello;
  socket.setEncoding('utf8');
  socket.on('data', (data) => {
    buffered += data;
    for (let nl = buffered.indexOf('\\n'); nl >= 0; nl = buffered.indexOf('\\n')) {
      const m = JSON.parse(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
      if (!hello) { hello = m; hello.hostNonce = newNonce(); send({ type: 'challenge', nonce: hello.hostNonce, proof: handshakeProof(token, 'host', hello.hostNonce, m.nonce) }); continue; }
      if (m.type === 'prove') { send({ type: 'welcome', hostId: address.hostId, pid: process.pid }); continue; }
      if (m.type === 'load') { ${onLoad} }
      if (m.type === 'generate') { ${onGenerate} }
      if (m.type === 'dispose') socket.end();
    }
  });
  socket.on('close', () => process.exit(0));
}).listen(address.socketPath);
`,
  );
  return { path, starts: () => (existsSync(startsFile) ? readFileSync(startsFile, 'utf8').length : 0) };
}

const options: LocalGenerateOptions = { maxTokens: 8, stop: [], timeoutMs: 10_000, temperature: 0 };
const result = { text: 'ok', promptTokens: 3, reusedTokens: 0, generatedTokens: 1, ttftMs: 1, totalMs: 2, stoppedBy: 'eos' };

describe('LocalLlamaBackend with scripted model hosts', function () {
  this.timeout(20_000);
  let dir: string;
  let b: LocalLlamaBackend | undefined;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'bantam-fake-host-'));
  });
  afterEach(() => {
    b?.dispose();
    b = undefined;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('ignores malformed messages from the host and still gets the real answer', async () => {
    const w = fakeHost(
      dir,
      'chatty',
      `send({ type: 'loaded' }); send('hello'); send(loaded);`,
      `send({ type: 'done', id: m.id, result: { text: 5 } });
       send({ type: 'done', id: m.id, result: ${JSON.stringify(result)} });`,
    );
    const logs: string[] = [];
    b = new LocalLlamaBackend({ workerPath: w.path, modelPath: '/fake.gguf', host: { dir, shared: false }, log: (l) => logs.push(l) });
    const r = await b.generate(qwenPrompt('a', 'b'), options);
    assert.equal(r.text, 'ok');
    assert.equal(await b.family(), 'qwen');
    assert.equal(b.promptTokPerS(), 250, 'the rate the model host measured at load');
    assert.ok(logs.filter((l) => l.includes('ignored')).length >= 3, logs.join('\n'));
  });

  it('does not restart a host that dies while loading: error state until reload()', async () => {
    const w = fakeHost(dir, 'dies-loading', `process.stderr.write('out of memory\\n'); process.exit(3);`, '');
    b = new LocalLlamaBackend({ workerPath: w.path, modelPath: '/fake.gguf', host: { dir, shared: false }, restart: { initialDelayMs: 10 } });
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

  it('restarts a host that crashes on requests, with growing delays, and reports each crash', async () => {
    const w = fakeHost(dir, 'crashy', `send(loaded);`, `process.exit(1);`);
    const states: string[] = [];
    b = new LocalLlamaBackend({ workerPath: w.path, modelPath: '/fake.gguf', host: { dir, shared: false }, restart: { initialDelayMs: 20, maxDelayMs: 80 } });
    b.onState((s) => states.push(s.message ?? s.status));
    for (let i = 0; i < 4; i++) {
      const err = await b.generate(qwenPrompt('a', 'b'), options).then(
        () => assert.fail('expected a crash'),
        (e: unknown) => e,
      );
      assert.ok(isBackendError(err, 'worker-crashed'), String(err));
    }
    assert.equal(w.starts(), 4);
    const delays = states.filter((s) => s.startsWith('Reconnecting to the model host in')).map((s) => Number(/in (\d+) ms/.exec(s)![1]));
    // Doubling up to the cap, each spread by up to a fifth (so windows don't all restart at once).
    assert.equal(delays.length, 4);
    [20, 40, 80, 80].forEach((base, i) => assert.ok(delays[i]! >= base && delays[i]! <= base * 1.2, `delay ${i + 1}: ${delays[i]} for ${base}`));
  });
});
