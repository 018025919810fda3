// A client's connection to the model host against a scripted host in this process: it connects
// again when a host closes it during the handshake (that host was stopping), it reports a refusal
// with the host's reason, and without a host (and not allowed to start one) it says none runs.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFingerprint, hostAddress, type HostAddress } from '../../../../src/core/providers/local/hostAddress';
import { HostConnection } from '../../../../src/core/providers/local/hostConnection';
import { workerPath } from './llamaTestModels';

describe('HostConnection', function () {
  this.timeout(20_000);
  let dir: string;
  let address: HostAddress;
  let server: Server | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bhc-'));
    address = hostAddress(dir, buildFingerprint(workerPath));
  });
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  /** A host whose answer to the nth connection's hello is `answer(n)` (undefined: close without a word). */
  async function scriptedHost(answer: (n: number) => object | undefined): Promise<void> {
    let n = 0;
    server = createServer((socket) => {
      const mine = ++n;
      socket.once('data', () => {
        const reply = answer(mine);
        if (reply) socket.write(`${JSON.stringify(reply)}\n`);
        else socket.destroy();
      });
    });
    await new Promise<void>((resolve) => server!.listen(address.socketPath, resolve));
  }

  const connect = (): HostConnection =>
    new HostConnection({ hostScript: workerPath, dir, shared: true, idleExitMs: 0, clientName: 'test', log: () => undefined, startHost: false });

  it('connects again when the host closes the connection during the handshake', async () => {
    await scriptedHost((n) => (n === 1 ? undefined : { type: 'welcome', hostId: address.hostId, pid: 4242 }));
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

  it('says no host runs when there is none and it may not start one', async () => {
    const c = connect();
    assert.equal(await c.connected, false);
    assert.equal(c.failure, 'no model host is running');
  });
});
