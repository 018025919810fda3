// One JSON value per line over a stream socket: how the model host and its clients talk. Both sides
// parse what arrives however the stream chunks it, and a peer that sends a line longer than the limit
// (a runaway or hostile client) is cut off rather than buffered without end. Whether a value is a
// well-formed message is the protocol's business (llamaProtocol.ts, hostHandshake.ts), not this file's.

import type { Socket } from 'node:net';

/** Prompts are tens of kilobytes; a chat with a whole file attached stays far below this. */
export const MAX_LINE_CHARS = 16 * 1024 * 1024;

export class JsonLineChannel {
  private pending = '';
  private closed = false;
  private readonly closeListeners: ((error?: Error) => void)[] = [];
  private readonly messageListeners: ((value: unknown) => void)[] = [];

  constructor(
    readonly socket: Socket,
    private readonly maxLineChars = MAX_LINE_CHARS,
  ) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.receive(chunk));
    socket.on('error', (e) => this.finish(e));
    socket.on('close', () => this.finish());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Queues `value` for the peer; false when the channel is already closed. */
  send(value: unknown): boolean {
    if (this.closed || this.socket.destroyed) return false;
    this.socket.write(`${JSON.stringify(value)}\n`);
    return true;
  }

  /** Each parsed line; a line that is not JSON arrives as undefined, so the protocol can log it. */
  onMessage(listener: (value: unknown) => void): void {
    this.messageListeners.push(listener);
  }

  /** Once, when the peer or this side ends the channel (with the error, if one did). */
  onClose(listener: (error?: Error) => void): void {
    if (this.closed) listener();
    else this.closeListeners.push(listener);
  }

  /** Ends the channel after what was sent has gone out. */
  end(): void {
    this.socket.end();
  }

  /** Ends the channel now. */
  destroy(error?: Error): void {
    this.socket.destroy(error);
    this.finish(error);
  }

  private receive(chunk: string): void {
    if (this.closed) return;
    // Only the new chunk can hold the next newline: scanning the whole buffer again on every chunk
    // would make a long line quadratic.
    let newline = chunk.indexOf('\n');
    if (newline < 0) {
      this.pending += chunk;
    } else {
      let rest = chunk;
      while (newline >= 0) {
        const line = this.pending + rest.slice(0, newline);
        this.pending = '';
        rest = rest.slice(newline + 1);
        this.deliver(line);
        if (this.closed) return;
        newline = rest.indexOf('\n');
      }
      this.pending = rest;
    }
    // Counted in characters: cheap, and it bounds the buffer against a peer that never sends a newline.
    if (this.pending.length > this.maxLineChars) {
      this.destroy(new Error(`the peer sent a line longer than ${this.maxLineChars} characters`));
    }
  }

  private deliver(line: string): void {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    for (const listener of this.messageListeners) listener(value);
  }

  private finish(error?: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.pending = '';
    for (const listener of this.closeListeners.splice(0)) listener(error);
  }
}
