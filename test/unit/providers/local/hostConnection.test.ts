// A client's connection to the model host against a scripted host in this process: it connects
// again when a host closes it during the handshake (that host was stopping), it reports a refusal
// with the host's reason, it says nothing more to something that can't prove it holds the user's
// token (a squatter), and without a host (and not allowed to start one) it says none runs.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostAddress, hostBuild, hostToken, prepareHostDir, type HostAddress } from '../../../../src/core/providers/local/hostAddress';
import { handshakeProof, newNonce } from '../../../../src/core/providers/local/hostHandshake';
import { HostConnection } from '../../../../src/core/providers/local/hostConnection';
import { workerPath } from './llamaTestModels';

describe('HostConnection', function () {
  this.timeout(20_000);
  let dir: string;
  let address: HostAddress;
  let server: Server | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bhc-'));
    prepareHostDir(dir);
    address = hostAddress(dir, hostBuild(workerPath, 'auto'));
    hostToken(address);
  });
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  type Answer = 'close' | 'welcome' | 'impostor' | { type: 'refused'; reason: string };

  /**
   * A host whose nth connection gets `answer(n)`: closed at hello, welcomed after a proper
   * challenge and proof, challenged by an impostor that doesn't know the token, or refused.
   * Every line the client sent is kept in `heard`.
   */
  async function scriptedHost(answer: (n: number) => Answer, heard: string[] = []): Promise<void> {
    let n = 0;
    server = createServer((socket) => {
      const what = answer(++n);
      const send = (v: object): boolean => socket.write(`${JSON.stringify(v)}\n`);
      let buffered = '';
      socket.setEncoding('utf8');
      socket.on('data', (data: string) => {
        buffered += data;
        for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          heard.push(line);
          const m = JSON.parse(line) as { type: string; nonce?: string };
          if (what === 'close') return void socket.destroy();
          if (typeof what === 'object') return void send(what);
          if (m.type === 'hello') {
            const hostNonce = newNonce();
            const key = what === 'impostor' ? 'f'.repeat(64) : hostToken(address);
            send({ type: 'challenge', nonce: hostNonce, proof: handshakeProof(key, 'host', hostNonce, m.nonce!) });
          } else if (m.type === 'prove') {
            send({ type: 'welcome', hostId: address.hostId, pid: 4242 });
          }
        }
      });
    });
    await new Promise<void>((resolve) => server!.listen(address.socketPath, resolve));
  }

  const connect = (): HostConnection =>
    new HostConnection({ hostScript: workerPath, dir, shared: true, idleExitMs: 0, clientName: 'test', log: () => undefined, startHost: false });

  it('connects again when the host closes the connection during the handshake', async () => {
    await scriptedHost((n) => (n === 1 ? 'close' : 'welcome'));
    const c = connect();
    assert.equal(await c.connected, true);
    assert.equal(c.hostPid, 4242);
    c.terminate();
  });

  it("reports a refusal with the host's reason and does not try again", async () => {
    let hellos = 0;
    await scriptedHost(() => {
      hellos++;
      return { type: 'refused', reason: 'The model host already serves 16 clients; close a window or a CLI run.' };
    });
    const c = connect();
    assert.equal(await c.connected, false);
    assert.match(c.failure ?? '', /refused this client: The model host already serves 16 clients/);
    assert.equal(hellos, 1);
  });

  it("says nothing more to a host that can't prove it holds the user's token, and never sends the token", async () => {
    const heard: string[] = [];
    await scriptedHost(() => 'impostor', heard);
    const c = connect();
    assert.equal(await c.connected, false);
    assert.match(c.failure ?? '', /something other than your model host answers .* could not prove it holds your token/);
    assert.deepEqual(heard.map((l) => (JSON.parse(l) as { type: string }).type), ['hello'], 'no proof, no load, no prompt');
    assert.ok(!heard.join('').includes(hostToken(address)));
  });

  it('says no host runs when there is none and it may not start one', async () => {
    const c = connect();
    assert.equal(await c.connected, false);
    assert.equal(c.failure, 'no model host is running');
  });
});
