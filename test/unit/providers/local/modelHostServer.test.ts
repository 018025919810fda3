// The model host's listening side in this process, over a real Unix socket, without a model: who is
// let in (hello first, a proof of the user's token, the same build, a limit on clients), what the
// host proves in turn, what a bad peer gets (cut off for an endless line), clients that vanish, a
// host that is stopping, and hosts started together for one address.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostAddress, type HostAddress } from '../../../../src/core/providers/local/hostAddress';
import { handshakeProof, newNonce } from '../../../../src/core/providers/local/hostHandshake';
import { JsonLineChannel } from '../../../../src/core/providers/local/jsonLineChannel';
import { ModelHostServer } from '../../../../src/core/providers/local/host/modelHostServer';

const TOKEN = 'a'.repeat(64);

/** A raw client: its channel and every value it received. */
async function rawClient(address: HostAddress): Promise<{ channel: JsonLineChannel; received: unknown[]; closed: Promise<void> }> {
  const socket = await new Promise<Socket>((resolve, reject) => {
    const s = connect(address.socketPath);
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
  const channel = new JsonLineChannel(socket);
  const received: unknown[] = [];
  channel.onMessage((v) => received.push(v));
  const closed = new Promise<void>((resolve) => channel.onClose(() => resolve()));
  return { channel, received, closed };
}

/** Says hello, checks the host's proof, proves with `token`; resolves once the host answered the proof. */
async function shakeHands(c: { channel: JsonLineChannel; received: unknown[] }, address: HostAddress, token = TOKEN, client = 'test'): Promise<unknown> {
  const nonce = newNonce();
  c.channel.send({ type: 'hello', hostId: address.hostId, client, nonce });
  await until(() => c.received.length >= 1);
  const challenge = c.received[0] as { type: string; nonce: string; proof: string };
  assert.equal(challenge.type, 'challenge');
  assert.equal(challenge.proof, handshakeProof(TOKEN, 'host', challenge.nonce, nonce), 'the host proves it holds the token');
  c.channel.send({ type: 'prove', proof: handshakeProof(token, 'client', nonce, challenge.nonce) });
  await until(() => c.received.length >= 2 || c.channel.isClosed);
  return c.received[1];
}

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) assert.fail('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('ModelHostServer', function () {
  this.timeout(20_000);
  let dir: string;
  let address: HostAddress;
  let server: ModelHostServer | undefined;
  const logs: string[] = [];

  function host(overrides: { maxClients?: number; idleExitMs?: number } = {}): ModelHostServer {
    server = new ModelHostServer({ address, token: TOKEN, idleExitMs: overrides.idleExitMs ?? 60_000, maxClients: overrides.maxClients ?? 4, log: (l) => logs.push(l) });
    return server;
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bhs-'));
    address = hostAddress(dir, 'cafebabe0001');
    logs.length = 0;
  });
  afterEach(async () => {
    await server?.stop('test over');
    server = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('welcomes a client that says hello with the token and the same build, and answers its requests', async () => {
    assert.equal(await host().start(), 'listening');
    const c = await rawClient(address);
    assert.deepEqual(await shakeHands(c, address), { type: 'welcome', hostId: address.hostId, pid: process.pid });
    // A request before any model is loaded gets an answer, not silence.
    c.channel.send({ type: 'tokenize', id: 7, text: 'x' });
    await until(() => c.received.length >= 3);
    assert.deepEqual(c.received[2], { type: 'error', id: 7, code: 'not-loaded', message: 'The model is not loaded yet.' });
    assert.equal(server!.clientCount, 1);
  });

  it('refuses a client that cannot prove it holds the token, and never sends the token itself', async () => {
    await host().start();
    const c = await rawClient(address);
    const reply = (await shakeHands(c, address, 'b'.repeat(64))) as { type: string; reason: string };
    await c.closed;
    assert.equal(reply.type, 'refused');
    assert.match(reply.reason, /Wrong token/);
    assert.ok(!JSON.stringify(c.received).includes(TOKEN), 'the token never travels');
    assert.equal(server!.clientCount, 0);
  });

  const refusals: [string, (a: HostAddress) => unknown, RegExp][] = [
    ['another build', () => ({ type: 'hello', hostId: 'v1-000000000000', client: 'x', nonce: newNonce() }), /This host is build v1-cafebabe0001; the client expects v1-000000000000/],
    ['a request before hello', () => ({ type: 'generate', id: 1, prompt: 'x', maxTokens: 1, stop: [], timeoutMs: 1000, temperature: 0 }), /must be a hello/],
  ];
  for (const [what, first, reason] of refusals) {
    it(`refuses ${what} and closes the connection`, async () => {
      await host().start();
      const c = await rawClient(address);
      c.channel.send(first(address));
      await c.closed;
      assert.equal(c.received.length, 1);
      assert.equal((c.received[0] as { type: string }).type, 'refused');
      assert.match((c.received[0] as { reason: string }).reason, reason);
      assert.equal(server!.clientCount, 0);
    });
  }

  it('refuses a client beyond the limit with the reason', async () => {
    await host({ maxClients: 1 }).start();
    const first = await rawClient(address);
    await shakeHands(first, address, TOKEN, 'one');
    const second = await rawClient(address);
    const reply = (await shakeHands(second, address, TOKEN, 'two')) as { reason: string };
    await second.closed;
    assert.match(reply.reason, /already serves 1 clients/);
  });

  it('cuts off a peer that sends a line without end', async () => {
    await host().start();
    const c = await rawClient(address);
    c.channel.socket.write('x'.repeat(17 * 1024 * 1024));
    await c.closed;
    assert.equal(server!.clientCount, 0);
  });

  it('drops a client that vanishes without a word, and exits after the idle time once none is left', async () => {
    const s = host({ idleExitMs: 100 });
    const stopped = new Promise<void>((resolve) => s.onStopped(resolve));
    await s.start();
    const c = await rawClient(address);
    await shakeHands(c, address, TOKEN, 'gone');
    await until(() => s.clientCount === 1);
    c.channel.socket.destroy();
    await until(() => s.clientCount === 0);
    assert.ok(logs.some((l) => /gone #1 left \(0 clients\)/.test(l)), logs.join('\n'));
    await stopped;
    assert.ok(logs.some((l) => /stopping: no client/.test(l)));
  });

  it('steps aside when another host already listens at the address', async () => {
    await host().start();
    const second = new ModelHostServer({ address, token: TOKEN, idleExitMs: 60_000, maxClients: 4, log: () => undefined });
    assert.equal(await second.start(), 'another-host');
  });

  it('takes over the socket file a crashed host left behind', async () => {
    // A process listening at the address, killed: its socket file stays behind, and nobody answers.
    const killed = spawn(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(address.socketPath)}, () => console.log('up'))`]);
    await new Promise<void>((resolve) => killed.stdout.once('data', () => resolve()));
    killed.kill('SIGKILL');
    await new Promise<void>((resolve) => killed.once('exit', () => resolve()));
    assert.ok(existsSync(address.socketPath));
    assert.equal(await host().start(), 'listening');
    const c = await rawClient(address);
    assert.equal(((await shakeHands(c, address, TOKEN, 'after crash')) as { type: string }).type, 'welcome');
  });

  it('of hosts started together at a dead socket, exactly one listens and the others step aside', async () => {
    const killed = spawn(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(address.socketPath)}, () => console.log('up'))`]);
    await new Promise<void>((resolve) => killed.stdout.once('data', () => resolve()));
    killed.kill('SIGKILL');
    await new Promise<void>((resolve) => killed.once('exit', () => resolve()));
    const hosts = Array.from({ length: 4 }, () => new ModelHostServer({ address, token: TOKEN, idleExitMs: 60_000, maxClients: 4, log: () => undefined }));
    const outcomes = await Promise.all(hosts.map((h) => h.start()));
    try {
      assert.deepEqual([...outcomes].sort(), ['another-host', 'another-host', 'another-host', 'listening']);
      const c = await rawClient(address);
      assert.equal(((await shakeHands(c, address)) as { type: string }).type, 'welcome');
      assert.equal(hosts.reduce((n, h) => n + h.clientCount, 0), 1, 'the one listening host is the one at the address');
    } finally {
      await Promise.all(hosts.map((h) => h.stop('test over')));
    }
  });

  it('welcomes nobody while stopping: a client in its handshake is cut off without a reply, to try again', async () => {
    const s = host();
    await s.start();
    const c = await rawClient(address);
    c.channel.send({ type: 'hello', hostId: address.hostId, client: 'late', nonce: newNonce() });
    await until(() => c.received.length === 1);
    await s.stop('test');
    await c.closed;
    assert.deepEqual(
      c.received.map((m) => (m as { type: string }).type),
      ['challenge'],
    );
  });
});
