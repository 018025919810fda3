// Where the model host listens, and the secret a client proves it belongs to this user with. One host
// serves every VS Code window and the CLI of one user, so its address must be reachable by that user
// only: on Unix a socket in a directory only the user may open (0700, owned by the user, not a link,
// checked on every use, because a directory someone else made in /tmp could be a trap); on Windows a
// named pipe whose name derives from the user's own profile folder. The pipe's default access lets
// other users open it for reading only, so every client must also present a token read from a file in
// the user's state directory (0600) before the host answers anything. Never TCP.
//
// The address names the host's build (its protocol and the hash of its bundle): a host from another
// Bantam version, or from an older build during development, is never reused; it exits on its own
// once its last client has left.

import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, linkSync, lstatSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** Bumped whenever a message changes shape: a client never talks to a host that reads it differently. */
export const HOST_PROTOCOL_VERSION = 1;

/** The longest Unix socket path the platforms accept (macOS: 104 bytes with the terminator). */
const MAX_SOCKET_PATH = 103;

export interface HostAddress {
  /** The user's state directory: the socket (Unix), the token and the host's log live here. */
  dir: string;
  /** The Unix socket path or the Windows pipe name a client connects to. */
  socketPath: string;
  /** Where a shared host writes its log (it has no parent to forward it to). */
  logPath: string;
  /** The file holding the user's host token. */
  tokenPath: string;
  /** What the host and client must agree on: protocol and build. */
  hostId: string;
}

export class HostAddressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HostAddressError';
  }
}

/**
 * The user's default state directory: $BANTAM_MODEL_HOST_DIR, else $XDG_RUNTIME_DIR/bantam (Linux,
 * per-user by construction), else <tmp>/bantam-<uid> (macOS, Linux without a runtime dir), or on
 * Windows %LOCALAPPDATA%\Bantam\host.
 */
export function defaultHostDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.BANTAM_MODEL_HOST_DIR) return env.BANTAM_MODEL_HOST_DIR;
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(userInfo().homedir, 'AppData', 'Local'), 'Bantam', 'host');
  if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, 'bantam');
  return join(tmpdir(), `bantam-${process.getuid?.() ?? userInfo().username}`);
}

/** A short, stable fingerprint of the host's build (its bundle's bytes). */
export function buildFingerprint(hostScript: string): string {
  return createHash('sha256').update(readFileSync(hostScript)).digest('hex').slice(0, 12);
}

/** What a host is, for its address: its build, and the accelerator choice it serves (one host per choice). */
export function hostBuild(hostScript: string, gpu: string): string {
  return `${buildFingerprint(hostScript)}-${gpu}`;
}

/**
 * The address of the shared host for this build, or of a private one (`privateId` set: one client's
 * own host, as when every window ran its own process).
 */
export function hostAddress(dir: string, fingerprint: string, privateId?: string, platform: NodeJS.Platform = process.platform): HostAddress {
  const hostId = `v${HOST_PROTOCOL_VERSION}-${fingerprint}`;
  const name = privateId ? `host-${hostId}-${privateId}` : `host-${hostId}`;
  const socketPath =
    platform === 'win32'
      ? `\\\\.\\pipe\\bantam-${createHash('sha256').update(dir.toLowerCase()).digest('hex').slice(0, 16)}-${name}`
      : join(dir, `${name}.sock`);
  if (platform !== 'win32' && Buffer.byteLength(socketPath) > MAX_SOCKET_PATH) {
    throw new HostAddressError(`The model host's socket path ${socketPath} is longer than the ${MAX_SOCKET_PATH} bytes a socket path may have; set BANTAM_MODEL_HOST_DIR to a shorter folder.`);
  }
  return { dir, socketPath, logPath: join(dir, `${name}.log`), tokenPath: join(dir, 'host-token'), hostId };
}

/**
 * Creates the state directory if needed and checks that only this user can open it: a directory, not
 * a link, owned by this user, with no access for group or others (a directory of ours that is too open
 * is tightened; anyone else's is refused).
 */
export function prepareHostDir(dir: string, platform: NodeJS.Platform = process.platform, uid: number | undefined = process.getuid?.()): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new HostAddressError(`Could not create the model host's folder ${dir} (${(e as Error).message}).`);
  }
  if (platform === 'win32') return;
  const stat = lstatSync(dir);
  if (stat.isSymbolicLink() || !stat.isDirectory()) {
    throw new HostAddressError(`The model host's folder ${dir} is not a plain directory (a link?); Bantam will not use it. Remove it, or set BANTAM_MODEL_HOST_DIR.`);
  }
  if (uid !== undefined && stat.uid !== uid) {
    throw new HostAddressError(`The model host's folder ${dir} belongs to another user; Bantam will not use it. Remove it, or set BANTAM_MODEL_HOST_DIR.`);
  }
  if ((stat.mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

/** The user's host token, created (random, 0600) the first time. */
export function hostToken(address: HostAddress): string {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const token = readFileSync(address.tokenPath, 'utf8').trim();
      if (/^[0-9a-f]{64}$/.test(token)) return token;
      throw new HostAddressError(`The model host's token file ${address.tokenPath} is malformed; delete it and try again.`);
    } catch (e) {
      if (e instanceof HostAddressError) throw e;
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new HostAddressError(`Could not read the model host's token ${address.tokenPath} (${(e as Error).message}).`);
    }
    // Written whole under a private name, then linked into place: a reader never sees a half-written
    // token, and when two processes race, the link of the second fails and it reads the first's.
    const draft = `${address.tokenPath}.${process.pid}.${randomBytes(4).toString('hex')}`;
    try {
      writeFileSync(draft, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
      linkSync(draft, address.tokenPath);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new HostAddressError(`Could not write the model host's token ${address.tokenPath} (${(e as Error).message}).`);
    } finally {
      rmSync(draft, { force: true });
    }
  }
  throw new HostAddressError(`Could not create the model host's token ${address.tokenPath}.`);
}
