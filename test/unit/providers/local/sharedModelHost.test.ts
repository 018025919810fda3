// The shared model host with real processes and the tiny test model: several clients (windows, the
// CLI) on one host, each with its own KV sequence; weights loaded once; a client that leaves frees
// its sequence; the host exits after its last client; a crashed host is started again by the next
// client and everyone reconnects; a host of another build is never reused; the stop command.
import * as assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isBackendError } from '../../../../src/core/kernel/backendError';
import { hostAddress, hostBuild } from '../../../../src/core/providers/local/hostAddress';
import { HostConnection, stopModelHost } from '../../../../src/core/providers/local/hostConnection';
import { LocalLlamaBackend, type LocalGenerateOptions, type LocalLlamaBackendOptions } from '../../../../src/core/providers/local/localLlamaBackend';
import { ensureTinyModels, qwenPrompt, sampleCode, tinyModel, workerPath } from './llamaTestModels';

const greedy: LocalGenerateOptions = { maxTokens: 4, stop: [], timeoutMs: 30_000, temperature: 0 };

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the shared model host', function () {
  this.timeout(60_000);
  let dir: string;
  const clients: LocalLlamaBackend[] = [];

  function client(overrides: Partial<LocalLlamaBackendOptions> = {}): LocalLlamaBackend {
    const b = new LocalLlamaBackend({
      workerPath,
      modelPath: tinyModel,
      threads: 1,
      contextSize: 1024,
      batchSize: 64,
      restart: { initialDelayMs: 20, maxDelayMs: 100 },
      host: { dir, shared: true, idleExitMs: 60_000 },
      ...overrides,
    });
    clients.push(b);
    return b;
  }

  const logOf = (): string => readFileSync(hostAddress(dir, hostBuild(workerPath, 'auto')).logPath, 'utf8');

  before(() => ensureTinyModels());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bh-'));
  });
  afterEach(async () => {
    const pids = new Set(clients.map((c) => c.pid).filter((pid): pid is number => pid !== undefined));
    for (const c of clients.splice(0)) c.dispose();
    await stopModelHost({ hostScript: workerPath, dir, log: () => undefined }).catch(() => undefined);
    for (const pid of pids) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves several clients from one process that loads the weights once, each keeping its own KV cache', async () => {
    const a = client({ clientName: 'window A' });
    const b = client({ clientName: 'window B' });
    await Promise.all([a.load(), b.load()]);
    assert.ok(a.pid !== undefined);
    assert.equal(b.pid, a.pid, 'one host for both');
    const log = logOf();
    assert.equal(log.match(/loaded the weights of/g)?.length, 1, log);
    assert.match(log, /window A .* connected/);
    assert.match(log, /window B .* connected/);

    const promptA = qwenPrompt(`${sampleCode}\nconst a = `, ';');
    const promptB = qwenPrompt(`# another file\n${sampleCode.replace(/scale/g, 'grow')}\nb = `, '');
    await a.generate(promptA, greedy);
    await b.generate(promptB, greedy);
    // Window B's request did not evict window A's prompt: A reads only what is new.
    const again = await a.generate(qwenPrompt(`${sampleCode}\nconst a = 1`, ';'), greedy);
    assert.ok(again.reusedTokens > again.promptTokens - 10, `${again.reusedTokens} of ${again.promptTokens} reused`);
  });

  it('frees a leaving client\'s sequence, keeps serving the others, and exits a while after the last one left', async () => {
    const a = client({ host: { dir, shared: true, idleExitMs: 300 } });
    const b = client({ host: { dir, shared: true, idleExitMs: 300 } });
    await Promise.all([a.load(), b.load()]);
    const pid = a.pid!;
    a.dispose();
    await waitUntil('the host logs that a client left', () => /left \(1 client\)/.test(logOf()));
    const r = await b.generate(qwenPrompt(sampleCode, '\n'), greedy);
    assert.ok(r.promptTokens > 0);
    assert.ok(isRunning(pid));
    b.dispose();
    await waitUntil('the host exits', () => !isRunning(pid));
    assert.match(logOf(), /stopping: no client for 0 s/);
    assert.ok(!existsSync(hostAddress(dir, hostBuild(workerPath, 'auto')).socketPath), 'the socket file is gone');
  });

  it('keeps serving the others when the window that started it leaves while they work', async () => {
    const starter = client({ clientName: 'starter' });
    await starter.load();
    const other = client({ clientName: 'other' });
    await other.load();
    const pid = starter.pid!;
    // The other window generates for a while; the starter asks too (its request waits its turn), then
    // leaves meanwhile (Restart Model, a closed window): its leaving waits for that turn.
    const long = other.generate(qwenPrompt(sampleCode, '\n'), { ...greedy, maxTokens: 3000, ignoreEos: true });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const queued = starter.generate(qwenPrompt('let q = ', ';'), greedy).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    starter.dispose();
    await queued;
    const r = await long;
    assert.equal(r.stoppedBy, 'maxTokens', 'the other window got its whole answer');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.ok(isRunning(pid), 'the host the starter started still runs');
    assert.equal(other.pid, pid);
    assert.ok((await other.generate(qwenPrompt('let z = ', ';'), greedy)).promptTokens > 0);
  });

  it('is never killed by a client that started it and is cut off (only a private host goes with its client)', async () => {
    const launch = { hostScript: workerPath, dir, idleExitMs: 60_000, clientName: 'starter', log: () => undefined };
    const starter = new HostConnection({ ...launch, shared: true });
    assert.equal(await starter.connected, true);
    const shared = starter.hostPid!;
    starter.terminate();
    const own = new HostConnection({ ...launch, shared: false });
    assert.equal(await own.connected, true);
    const privatePid = own.hostPid!;
    own.terminate();
    await waitUntil('the private host is gone', () => !isRunning(privatePid));
    assert.ok(isRunning(shared), 'the shared host still runs');
    await stopModelHost({ hostScript: workerPath, dir, log: () => undefined });
  });

  it('is started again by the next request after a crash, and every client reconnects to the new one', async () => {
    const a = client();
    const b = client();
    await Promise.all([a.load(), b.load()]);
    const first = a.pid!;
    process.kill(first, 'SIGKILL');
    const errors = await Promise.all(
      [a, b].map((c) => c.generate(qwenPrompt(sampleCode, '\n'), { ...greedy, maxTokens: 3000, ignoreEos: true }).then(() => undefined, (e: unknown) => e)),
    );
    // Each loses at most the request that was in flight when the host died.
    for (const e of errors) if (e !== undefined) assert.ok(isBackendError(e, 'worker-crashed'), String(e));
    const [ra, rb] = await Promise.all([a.generate(qwenPrompt('let x = ', ';'), greedy), b.generate(qwenPrompt('let y = ', ';'), greedy)]);
    assert.ok(ra.promptTokens > 0 && rb.promptTokens > 0);
    assert.notEqual(a.pid, first);
    assert.equal(a.pid, b.pid, 'both reconnected to the one new host');
  });

  it('never reuses a host of another build: a client of a different build gets its own', async () => {
    // Beside the real one, so it finds node-llama-cpp the same way.
    const older = join(dirname(workerPath), `olderModelHost-${process.pid}.js`);
    copyFileSync(workerPath, older);
    try {
      // Same code, one more byte: another build as far as the address is concerned.
      appendFileSync(older, '\n');
      const current = client();
      const old = client({ workerPath: older });
      await Promise.all([current.load(), old.load()]);
      assert.notEqual(old.pid, current.pid);
      assert.notEqual(hostAddress(dir, hostBuild(older, 'auto')).socketPath, hostAddress(dir, hostBuild(workerPath, 'auto')).socketPath);
      await stopModelHost({ hostScript: older, dir, log: () => undefined });
    } finally {
      rmSync(older, { force: true });
    }
  });

  it('stops on the stop command: its clients go idle instead of restarting it, and the next request starts a new one', async () => {
    const a = client();
    await a.load();
    const first = a.pid!;
    assert.equal(await stopModelHost({ hostScript: workerPath, dir, log: () => undefined }), 'stopped');
    await waitUntil('the host exits', () => !isRunning(first));
    await waitUntil('the client is idle', () => a.currentState.status === 'idle');
    assert.match(a.currentState.message ?? '', /was stopped/);
    assert.equal(await stopModelHost({ hostScript: workerPath, dir, log: () => undefined }), 'none', 'nothing restarted it');
    const r = await a.generate(qwenPrompt('let x = ', ';'), greedy);
    assert.ok(r.promptTokens > 0);
    assert.notEqual(a.pid, first);
  });
});
