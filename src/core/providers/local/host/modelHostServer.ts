// The model host's listening side: one host per user and build serves every VS Code window and the
// CLI over a local socket (see hostAddress.ts). A connection is read only after it said hello with
// this build's id and the user's token; then each connection is one client (HostSession) with its own
// KV sequence, all of them sharing the loaded weights and one scheduler. A client that vanishes frees
// its sequence. With no client left the host waits `idleExitMs`, then exits (a private host, one
// client's own, waits 0). Two hosts started at once for one address: the second finds the first
// listening and steps aside; a socket file left by a crashed host is removed and taken over.

import { createServer, type Server, type Socket } from 'node:net';
import { mkdirSync, rmSync } from 'node:fs';
import { describeRejected } from '../../../kernel/messageChecks';
import { HANDSHAKE_TIMEOUT_MS, handshakeProof, newNonce, parseHello, parseProve, sameProof, type HelloMessage } from '../hostHandshake';
import { hostToken, type HostAddress } from '../hostAddress';
import { isAnswering } from '../hostConnection';
import { JsonLineChannel } from '../jsonLineChannel';
import { parseHostMessage, type WorkerMessage } from '../llamaProtocol';
import { HostScheduler } from './hostScheduler';
import { HostSession } from './hostSession';
import { SharedModels } from './sharedModels';

export interface ModelHostServerOptions {
  address: HostAddress;
  token: string;
  /** How long the host stays up with no client (0: exit when the last one leaves). */
  idleExitMs: number;
  /** Clients served at once; one more is refused with a reason (each holds a context in memory). */
  maxClients: number;
  log(line: string): void;
}

/** How long a host waits for another's takeover of a dead socket before it takes the lock itself. */
const TAKEOVER_WAIT_MS = 3000;

/** Creates the lock directory; false if it exists (another host holds it). */
function takeLock(path: string): boolean {
  try {
    mkdirSync(path, { mode: 0o700 });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/** How long a freshly started host waits for its first client. */
const STARTUP_WAIT_MS = 30_000;

export type StartOutcome = 'listening' | 'another-host';

export class ModelHostServer {
  private server: Server | undefined;
  private readonly sessions = new Map<JsonLineChannel, HostSession>();
  /** Connections still in the handshake. */
  private readonly handshaking = new Set<JsonLineChannel>();
  private readonly scheduler: HostScheduler;
  private readonly models: SharedModels;
  private nextClient = 1;
  private idleTimer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;
  private readonly stoppedListeners: (() => void)[] = [];

  constructor(private readonly options: ModelHostServerOptions) {
    this.scheduler = new HostScheduler((e) => options.log(`a request failed outside its handler: ${(e as Error).message}`));
    this.models = new SharedModels(options.log, Math.max(options.idleExitMs, 0));
  }

  get clientCount(): number {
    return this.sessions.size;
  }

  /** Resolves when the host has stopped (idle, shut down, or its socket was taken away). */
  onStopped(listener: () => void): void {
    this.stoppedListeners.push(listener);
  }

  async start(): Promise<StartOutcome> {
    const { socketPath } = this.options.address;
    if ((await this.listen()) === 'listening') return this.started();
    // Someone holds the address: a live host (step aside) or a crashed one's socket file (take it over).
    if (await isAnswering(socketPath)) return 'another-host';
    if (process.platform === 'win32') return 'another-host';
    // Hosts started together (every window reconnecting after a crash) must not each remove the file
    // another has just begun listening on: only the holder of the takeover lock removes it, and only
    // after asking once more whether a host answers there now.
    const lock = `${socketPath}.takeover`;
    const deadline = performance.now() + TAKEOVER_WAIT_MS;
    for (;;) {
      if (takeLock(lock)) break;
      if (await isAnswering(socketPath)) return 'another-host';
      if (performance.now() > deadline) {
        // A lock left by a host that died mid-takeover.
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    try {
      if (await isAnswering(socketPath)) return 'another-host';
      rmSync(socketPath, { force: true });
      return (await this.listen()) === 'listening' ? this.started() : 'another-host';
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }

  /** Stops serving: every client's connection closes, models are freed. Resolves once done. */
  stop(reason: string): Promise<void> {
    this.stopping ??= (async () => {
      this.options.log(`stopping: ${reason}`);
      clearTimeout(this.idleTimer);
      // No new connections; the socket file goes at once, so a new client starts a new host.
      const closed = new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
      // Clients are told it is on purpose, so they don't restart the host they just saw go.
      const closing = [...this.sessions].map(([channel, session]) => {
        channel.send({ type: 'stopping', reason });
        channel.end();
        return session.close();
      });
      this.sessions.clear();
      for (const channel of this.handshaking) channel.destroy();
      this.handshaking.clear();
      await Promise.all(closing);
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
      await this.models.disposeAll();
      for (const listener of this.stoppedListeners.splice(0)) listener();
    })();
    return this.stopping;
  }

  private started(): StartOutcome {
    this.options.log(`listening on ${this.options.address.socketPath}`);
    // The client that started the host connects within moments; a private host (idle 0) waits for it.
    this.armIdleTimer(Math.max(this.options.idleExitMs, STARTUP_WAIT_MS));
    return 'listening';
  }

  private listen(): Promise<'listening' | 'in-use'> {
    return new Promise((resolve, reject) => {
      const server = createServer((socket) => this.accept(socket));
      server.once('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'EADDRINUSE') resolve('in-use');
        else reject(e);
      });
      server.listen(this.options.address.socketPath, () => {
        server.removeAllListeners('error');
        server.on('error', (e) => this.options.log(`server error: ${e.message}`));
        this.server = server;
        resolve('listening');
      });
    });
  }

  private accept(socket: Socket): void {
    if (this.stopping) {
      socket.destroy();
      return;
    }
    const channel = new JsonLineChannel(socket);
    this.handshaking.add(channel);
    const deadline = setTimeout(() => channel.destroy(), HANDSHAKE_TIMEOUT_MS);
    let session: HostSession | undefined;
    let hello: HelloMessage | undefined;
    let hostNonce = '';
    let done = false;
    const refuse = (reason: string): void => {
      done = true;
      channel.send({ type: 'refused', reason });
      // Said once; nothing more is read from it, and it does not linger half-open.
      channel.end();
      setTimeout(() => channel.destroy(), 1000).unref();
    };
    channel.onMessage((raw) => {
      if (session) {
        this.dispatch(channel, session, raw);
        return;
      }
      if (done) return;
      if (this.stopping) {
        // A host on its way out welcomes nobody: the client connects again and finds the next one.
        channel.destroy();
        return;
      }
      if (!hello) {
        hello = parseHello(raw);
        if (!hello) return refuse('The first message must be a hello.');
        if (hello.hostId !== this.options.address.hostId) {
          return refuse(`This host is build ${this.options.address.hostId}; the client expects ${hello.hostId}.`);
        }
        hostNonce = newNonce();
        channel.send({ type: 'challenge', nonce: hostNonce, proof: handshakeProof(this.options.token, 'host', hostNonce, hello.nonce) });
        return;
      }
      clearTimeout(deadline);
      const prove = parseProve(raw);
      if (!prove) return refuse('The second message must be a proof.');
      if (!this.proves(prove.proof, hostNonce, hello.nonce)) {
        this.options.log('refused a client that could not prove it holds the token');
        return refuse('Wrong token: this host belongs to another user or another state folder.');
      }
      if (this.sessions.size >= this.options.maxClients) {
        return refuse(`The model host already serves ${this.options.maxClients} clients; close a window or a CLI run.`);
      }
      done = true;
      this.handshaking.delete(channel);
      session = this.welcome(channel, hello);
    });
    channel.onClose((error) => {
      clearTimeout(deadline);
      this.handshaking.delete(channel);
      if (!session) return;
      if (error) this.options.log(`${session.name}: connection failed: ${error.message}`);
      this.leave(channel, session);
    });
  }

  /** Whether the client's proof holds, against the token the host started with or the one in the file now. */
  private proves(proof: string, hostNonce: string, clientNonce: string): boolean {
    if (sameProof(proof, handshakeProof(this.options.token, 'client', clientNonce, hostNonce))) return true;
    try {
      const current = hostToken(this.options.address);
      if (current === this.options.token || !sameProof(proof, handshakeProof(current, 'client', clientNonce, hostNonce))) return false;
      this.options.token = current;
      return true;
    } catch {
      return false;
    }
  }

  /** The client proved itself: its session. */
  private welcome(channel: JsonLineChannel, hello: HelloMessage): HostSession {
    clearTimeout(this.idleTimer);
    const id = this.nextClient++;
    const name = `${hello.client} #${id}`;
    const session = new HostSession(id, name, { send: (m: WorkerMessage) => void channel.send(m), log: this.options.log }, this.models, this.scheduler);
    this.sessions.set(channel, session);
    channel.send({ type: 'welcome', hostId: this.options.address.hostId, pid: process.pid });
    this.options.log(`${name} connected (${this.sessions.size} client${this.sessions.size === 1 ? '' : 's'})`);
    return session;
  }

  private dispatch(channel: JsonLineChannel, session: HostSession, raw: unknown): void {
    const message = parseHostMessage(raw);
    if (!message) {
      this.options.log(`${session.name}: ignored ${describeRejected(raw)}`);
      // A request we can't read but can name gets an answer, so its sender doesn't wait for nothing.
      const id = (raw as { id?: unknown } | null)?.id;
      if (typeof id === 'number' && Number.isSafeInteger(id)) {
        channel.send({ type: 'error', id, code: 'bad-message', message: 'The request was malformed and was ignored.' });
      }
      return;
    }
    if (message.type === 'dispose') {
      // The client is done: free its sequence, then close its connection.
      void session.close().finally(() => channel.end());
      return;
    }
    if (message.type === 'shutdown') {
      void this.stop(`${session.name} asked the host to stop`);
      return;
    }
    session.handle(message);
  }

  private leave(channel: JsonLineChannel, session: HostSession): void {
    if (!this.sessions.delete(channel)) return;
    void session.close();
    this.options.log(`${session.name} left (${this.sessions.size} client${this.sessions.size === 1 ? '' : 's'})`);
    this.armIdleTimer();
  }

  private armIdleTimer(waitMs = this.options.idleExitMs): void {
    if (this.sessions.size > 0 || this.stopping) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.sessions.size === 0) void this.stop(`no client for ${Math.round(waitMs / 1000)} s`);
    }, waitMs);
  }
}

