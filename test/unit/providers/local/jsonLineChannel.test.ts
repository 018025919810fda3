// JSON lines over a socket: values arrive whole however the stream chunks them, a line that is not
// JSON arrives as undefined, and a peer that never ends its line is cut off at the limit.
import * as assert from 'node:assert/strict';
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { JsonLineChannel } from '../../../../src/core/providers/local/jsonLineChannel';

/** A socket stand-in whose incoming data the test pushes by hand. */
function fakeSocket(): { socket: Socket; push(text: string): void; written: string[] } {
  const written: string[] = [];
  const duplex = new Duplex({
    read() {},
    write(chunk, _encoding, done) {
      written.push(String(chunk));
      done();
    },
  });
  return { socket: duplex as unknown as Socket, push: (text) => duplex.push(text), written };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('JsonLineChannel', () => {
  it('delivers each line once it is complete, however it was split', async () => {
    const { socket, push } = fakeSocket();
    const channel = new JsonLineChannel(socket);
    const got: unknown[] = [];
    channel.onMessage((v) => got.push(v));
    push('{"a":');
    push('1}\n{"b"');
    await tick();
    assert.deepEqual(got, [{ a: 1 }]);
    push(':2}\nnot json\n\n{"c":3}\n');
    await tick();
    assert.deepEqual(got, [{ a: 1 }, { b: 2 }, undefined, { c: 3 }]);
  });

  it('writes one JSON value per line', () => {
    const { socket, written } = fakeSocket();
    const channel = new JsonLineChannel(socket);
    assert.equal(channel.send({ type: 'x', text: 'two\nlines' }), true);
    assert.deepEqual(written, ['{"type":"x","text":"two\\nlines"}\n']);
  });

  it('cuts off a peer whose line passes the limit, and reports why', async () => {
    const { socket, push } = fakeSocket();
    const channel = new JsonLineChannel(socket, 100);
    let closedWith: Error | undefined;
    channel.onClose((e) => (closedWith = e));
    push('x'.repeat(60));
    await tick();
    assert.equal(channel.isClosed, false);
    push('x'.repeat(60));
    await tick();
    assert.equal(channel.isClosed, true);
    assert.match(closedWith?.message ?? '', /longer than 100 characters/);
    assert.equal(channel.send({}), false);
  });
});
