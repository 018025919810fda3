// A client's connection to the model host, as the supervised-worker base sees a worker: messages
// posted before the host answered wait in order; the connection "exits" when it closes, whoever
// closed it. Connecting finds the user's shared host, or starts it (detached, so it outlives this
// window and serves the next) and retries until it listens; two windows starting at once end up on
// one host (see modelHostServer.ts). A private host (shared: false) is this client's own, as when
// every window ran its own process: its output goes to this client's log and it exits with it.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, renameSync, statSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import type { WorkerExit, WorkerTransport } from '../../kernel/supervisedWorker';
import { GPU_CHOICES, type GpuChoice } from '../../kernel/accelerators';
import { hostAddress, hostBuild, hostToken, prepareHostDir, type HostAddress } from './hostAddress';
import { HANDSHAKE_TIMEOUT_MS, handshakeProof, newNonce, parseHostReply, sameProof } from './hostHandshake';
import { JsonLineChannel } from './jsonLineChannel';
import type { HostMessage } from './llamaProtocol';

export interface HostLaunchOptions {
  /** dist/modelHost.js. */
  hostScript: string;
  /** The user's state folder (defaultHostDir()). */
  dir: string;
  /** true: the user's one host; false: a host for this client only. */
  shared: boolean;
  /** How long a host started by this client stays up without clients (a private host: 0). */
  idleExitMs: number;
  /** Who connects, for the host's log. */
  clientName: string;
  log(line: string): void;
  /** How long to wait for a host to listen after starting it. */
  connectTimeoutMs?: number;
  /** false: only connect to a host that runs, never start one (default true). */
  startHost?: boolean;
  /**
   * The accelerator choice (bantam.embedded.gpu) the host is for: one host per choice, so one process
   * never loads two llama.cpp builds (their libraries share names) and a window that says 'off' is
   * not served by a GPU host. Default 'auto'.
   */
  gpu?: GpuChoice;
}

const outputTailLines = 20;
/** Connections tried when a host closes them during the handshake (it was stopping). */
const HANDSHAKE_ATTEMPTS = 3;

class HandshakeClosed extends Error {
  constructor() {
    super('the model host closed the connection during the handshake');
  }
}
/** A shared host's log is started afresh beyond this size (the previous one is kept as .old). */
const MAX_LOG_BYTES = 2 * 1024 * 1024;

export class HostConnection implements WorkerTransport<HostMessage> {
  /** The host's process id, once it welcomed this client. */
  hostPid: number | undefined;
  /** Why connecting failed or the connection ended, in words, when this side knows. */
  failure: string | undefined;
  /** The host said it is stopping on purpose (a user's stop command): not a crash to recover from. */
  stoppedOnPurpose = false;
  private address: HostAddress | undefined;
  private channel: JsonLineChannel | undefined;
  /** The connection still in its handshake. */
  private connecting: JsonLineChannel | undefined;
  private child: ChildProcess | undefined;
  private childExit: WorkerExit | undefined;
  private readonly queued: HostMessage[] = [];
  private welcomed = false;
  private ended = false;
  /** This client said it is done: the connection closing is expected. */
  private leaving = false;
  /** After the connection closed unasked, nothing answered at the host's address. */
  private hostDied = false;
  private readonly tail: string[] = [];
  private readonly messageListeners: ((raw: unknown) => void)[] = [];
  private readonly exitListeners: ((exit: WorkerExit) => void)[] = [];
  private settleConnected: (welcomed: boolean) => void = () => undefined;
  /** Resolves true once the host welcomed this client, false if the connection ended first. */
  readonly connected: Promise<boolean>;

  constructor(private readonly options: HostLaunchOptions) {
    this.connected = new Promise<boolean>((resolve) => (this.settleConnected = resolve));
    void this.open();
  }

  /**
   * The host's last lines worth quoting in an error message (those that report a failure, else the
   * last ones): a private host's own output; of a shared host's log, which is everyone's, only the
   * lines of this client's host that report a failure.
   */
  outputTail(): string[] {
    if (!this.options.shared || !this.address) return notable(this.tail, true);
    try {
      const lines = readFileSync(this.address.logPath, 'utf8').trimEnd().split('\n').slice(-50);
      const pid = this.hostPid ?? this.child?.pid;
      return notable(pid === undefined ? lines : lines.filter((line) => line.includes(`[model-host ${pid}]`)), false);
    } catch {
      return [];
    }
  }

  /** How the connection ended, for "the local model process ___". */
  describeEnd(): string {
    if (this.childExit?.signal) return `was killed (${this.childExit.signal})`;
    if (this.childExit && this.childExit.code !== null) return `exited with code ${this.childExit.code}`;
    if (this.failure) return `could not be reached (${this.failure})`;
    // A shared host started by another window: whether it still answers is all this side can tell.
    if (this.hostDied) return `(pid ${this.hostPid}) died`;
    return 'closed the connection';
  }

  post(message: HostMessage): boolean {
    if (this.ended) return false;
    if (message.type === 'dispose') this.leaving = true;
    if (message.type === 'dispose' && !this.welcomed) {
      // Leaving before the host answered: stop connecting (and don't ask it to load anything).
      this.terminate();
      return true;
    }
    if (!this.welcomed || !this.channel) {
      this.queued.push(message);
      return true;
    }
    return this.channel.send(message);
  }

  /** Ends this client's connection now (a private host goes with it; a shared one serves on). */
  terminate(): void {
    // A shared host serves other windows too: only a private one goes with this client.
    if (!this.options.shared && this.child && this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    this.channel?.destroy();
    this.connecting?.destroy();
    this.finish();
  }

  onMessage(listener: (raw: unknown) => void): void {
    this.messageListeners.push(listener);
  }

  onExit(listener: (exit: WorkerExit) => void): void {
    this.exitListeners.push(listener);
  }

  private async open(): Promise<void> {
    try {
      const { dir, shared, hostScript } = this.options;
      prepareHostDir(dir);
      const privateId = shared ? undefined : `${process.pid}-${randomBytes(4).toString('hex')}`;
      const address = hostAddress(dir, hostBuild(hostScript, this.options.gpu ?? 'auto'), privateId);
      this.address = address;
      const token = hostToken(address);
      // A host that is just stopping (idle, or a user's stop command) may take the connection and
      // close it: connect again, which finds or starts the next one.
      let channel: JsonLineChannel;
      let welcome: number;
      for (let attempt = 1; ; attempt++) {
        const socket = await this.dial(address, privateId);
        if (this.ended) {
          socket.destroy();
          return;
        }
        channel = new JsonLineChannel(socket);
        this.connecting = channel;
        try {
          welcome = await this.handshake(channel, address, token);
          break;
        } catch (e) {
          channel.destroy();
          if (!(e instanceof HandshakeClosed) || attempt >= HANDSHAKE_ATTEMPTS) throw e;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      if (this.ended) {
        channel.destroy();
        return;
      }
      this.channel = channel;
      channel.onClose((error) => {
        if (error && !this.failure) this.failure = error.message;
        this.afterClose();
      });
      this.hostPid = welcome;
      this.welcomed = true;
      this.settleConnected(true);
      channel.onMessage((raw) => {
        if ((raw as { type?: unknown } | undefined)?.type === 'stopping') this.stoppedOnPurpose = true;
        for (const listener of this.messageListeners) listener(raw);
      });
      for (const message of this.queued.splice(0)) channel.send(message);
    } catch (e) {
      this.failure ??= (e as Error).message;
      this.terminate();
    }
  }

  /** Connects to the host at `address`, starting one if nobody listens, until it answers or time runs out. */
  private async dial(address: HostAddress, privateId: string | undefined): Promise<Socket> {
    const deadline = performance.now() + (this.options.connectTimeoutMs ?? 20_000);
    for (let attempt = 0; ; attempt++) {
      const exitedBefore = this.childExit !== undefined;
      try {
        return await connectOnce(address.socketPath);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' && code !== 'ECONNREFUSED') throw new Error(`connecting to ${address.socketPath} failed: ${(e as Error).message}`);
      }
      if (this.ended) throw new Error('the connection was closed while connecting');
      if (this.options.startHost === false) throw new Error('no model host is running');
      if (!this.child) this.child = this.spawnHost(address, privateId);
      else if (exitedBefore) {
        const tail = this.outputTail().slice(-3).join(' | ');
        throw new Error(`the model host ${this.describeEnd()} before it accepted connections${tail ? `: ${tail}` : ''}`);
      }
      if (performance.now() > deadline) throw new Error(`no model host answered at ${address.socketPath} within ${Math.round((this.options.connectTimeoutMs ?? 20_000) / 1000)} s`);
      await new Promise((resolve) => setTimeout(resolve, Math.min(20 * 2 ** attempt, 250)));
    }
  }

  private spawnHost(address: HostAddress, privateId: string | undefined): ChildProcess {
    const { hostScript, dir, idleExitMs, shared, log } = this.options;
    const args = [hostScript, '--dir', dir, '--gpu', this.options.gpu ?? 'auto', '--idle-ms', String(shared ? idleExitMs : 0)];
    if (privateId) args.push('--private', privateId);
    // Inside VS Code process.execPath is Electron; this makes it behave as plain Node.
    const env = { ...process.env, ELECTRON_RUN_AS_NODE: '1' };
    let child: ChildProcess;
    if (shared) {
      // Detached, with its output in its own log: it outlives this window and serves the others.
      rotateLog(address.logPath);
      const logFd = openSync(address.logPath, 'a', 0o600);
      try {
        // Its own folder as the working directory: it must not keep the first window's folder busy.
        child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', logFd, logFd], env, windowsHide: true, cwd: dir });
      } finally {
        closeSync(logFd);
      }
      child.unref();
      log(`started the shared model host (pid ${child.pid}); its log is ${address.logPath}`);
    } else {
      child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env, windowsHide: true, cwd: dir });
      forwardLines(child.stdout, (line) => log(`[model host] ${line}`));
      forwardLines(child.stderr, (line) => {
        this.tail.push(line);
        if (this.tail.length > outputTailLines) this.tail.shift();
        log(`[model host] ${line}`);
      });
    }
    child.on('error', (e) => {
      this.failure ??= `could not start ${process.execPath}: ${e.message}`;
    });
    child.on('exit', (code, signal) => {
      this.childExit = { code, signal };
    });
    return child;
  }

  /** Proves this client and checks the host's proof (see hostHandshake.ts); resolves with the host's pid. */
  private handshake(channel: JsonLineChannel, address: HostAddress, token: string): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const nonce = newNonce();
      let challenged = false;
      let settled = false;
      const fail = (error: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(error);
      };
      const timer = setTimeout(() => fail(new Error(`the model host did not answer within ${HANDSHAKE_TIMEOUT_MS / 1000} s`)), HANDSHAKE_TIMEOUT_MS);
      channel.onClose(() => fail(new HandshakeClosed()));
      channel.onMessage((raw) => {
        if (settled) return;
        const reply = parseHostReply(raw);
        if (reply?.type === 'refused') return fail(new Error(`the model host refused this client: ${reply.reason}`));
        if (reply?.type === 'challenge' && !challenged) {
          challenged = true;
          // A host that can't prove it holds the user's token is not the user's host: say nothing more to it.
          if (!sameProof(reply.proof, handshakeProof(token, 'host', reply.nonce, nonce))) {
            return fail(new Error(`something other than your model host answers at ${address.socketPath} (it could not prove it holds your token); Bantam will not send it anything`));
          }
          channel.send({ type: 'prove', proof: handshakeProof(token, 'client', nonce, reply.nonce) });
          return;
        }
        if (reply?.type === 'welcome' && challenged) {
          settled = true;
          clearTimeout(timer);
          resolve(reply.pid);
          return;
        }
        fail(new Error('the model host answered the handshake with something else'));
      });
      channel.send({ type: 'hello', hostId: address.hostId, client: this.options.clientName, nonce });
    });
  }

  /**
   * The connection closed. Unless this client was leaving, whether the host died is worth a moment's
   * wait, for the message: the exit status of a host this client started, or else whether its
   * process is gone.
   */
  private afterClose(): void {
    const child = this.child;
    if (this.leaving) return this.finish();
    if (child && this.childExit === undefined && child.exitCode === null && child.signalCode === null) {
      const timer = setTimeout(() => this.finish(), 300);
      child.once('exit', () => {
        clearTimeout(timer);
        this.finish();
      });
      return;
    }
    if (this.hostPid === undefined || this.childExit !== undefined || !this.address) return this.finish();
    // A dead host's socket refuses connections (its process may linger as a zombie where nothing
    // reaps it, so its pid says little). Asked a moment later: a dying process closes this client's
    // connection a hair before its listening socket.
    const address = this.address;
    setTimeout(() => {
      void isAnswering(address.socketPath).then((answering) => {
        if (!answering) this.hostDied = true;
        this.finish();
      });
    }, 100);
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.queued.length = 0;
    this.settleConnected(false);
    const exit = this.childExit ?? { code: null, signal: null };
    for (const listener of this.exitListeners) listener(exit);
  }
}

/** Up to three lines that report a failure; with `orLast`, the last three when none does. */
function notable(lines: readonly string[], orLast: boolean): string[] {
  const failures = lines.filter((line) => /uncaught|fatal|error|failed|could not/i.test(line));
  return (failures.length > 0 || !orLast ? failures : lines).slice(-3);
}

/** Whether something accepts connections at `path` (a live host) rather than nothing or a dead socket file. */
export function isAnswering(path: string): Promise<boolean> {
  return connectOnce(path).then(
    (socket) => {
      socket.destroy();
      return true;
    },
    () => false,
  );
}

/**
 * Stops the user's shared model host for every window and the CLI (the user's stop command): its
 * clients are told it is on purpose and start a new one when they next need the model. 'none' when
 * no host runs.
 */
export async function stopModelHost(options: Pick<HostLaunchOptions, 'hostScript' | 'dir' | 'log'>): Promise<'stopped' | 'none'> {
  let stopped = false;
  // One host per accelerator choice: stop each that runs.
  for (const gpu of GPU_CHOICES) {
    const connection = new HostConnection({ ...options, shared: true, idleExitMs: 0, clientName: 'stop command', startHost: false, gpu });
    if (!(await connection.connected)) {
      if (connection.failure === 'no model host is running') continue;
      throw new Error(`Could not reach the model host: ${connection.failure ?? 'the connection closed'}`);
    }
    const ended = new Promise<void>((resolve) => connection.onExit(() => resolve()));
    connection.post({ type: 'shutdown' });
    await ended;
    stopped = true;
  }
  return stopped ? 'stopped' : 'none';
}

function connectOnce(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

function rotateLog(path: string): void {
  try {
    if (statSync(path).size > MAX_LOG_BYTES) renameSync(path, `${path}.old`);
  } catch {
    // No log yet.
  }
}

export function forwardLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (!stream) return;
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (data: string) => {
    buffered += data;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) !== -1) {
      const line = buffered.slice(0, nl).trimEnd();
      buffered = buffered.slice(nl + 1);
      if (line) onLine(line);
    }
  });
  stream.on('end', () => {
    if (buffered.trim()) onLine(buffered.trimEnd());
    buffered = '';
  });
}
