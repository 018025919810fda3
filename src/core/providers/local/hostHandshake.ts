// The first exchange on a connection to the model host, before any llamaProtocol message: the client
// says which host build it expects and proves it belongs to this user (the token from the user's
// state directory); the host answers `welcome` with its process id, or `refused` with the reason, and
// closes. Nothing else is read from a connection that has not been welcomed.

import { isObj, isStr } from '../../kernel/messageChecks';

export interface HelloMessage {
  type: 'hello';
  /** HostAddress.hostId: protocol version and build the client was made with. */
  hostId: string;
  token: string;
  /** Who is asking, for the host's log (e.g. "vscode window 4120", "cli"). */
  client: string;
}

export interface WelcomeMessage {
  type: 'welcome';
  hostId: string;
  pid: number;
}

export interface RefusedMessage {
  type: 'refused';
  reason: string;
}

export type HostReply = WelcomeMessage | RefusedMessage;

/** How long either side waits for the other's half of the handshake. */
export const HANDSHAKE_TIMEOUT_MS = 5000;

export function parseHello(v: unknown): HelloMessage | undefined {
  return isObj(v) && v.type === 'hello' && isStr(v.hostId) && isStr(v.token) && isStr(v.client) && v.client.length <= 200
    ? { type: 'hello', hostId: v.hostId, token: v.token, client: v.client }
    : undefined;
}

export function parseHostReply(v: unknown): HostReply | undefined {
  if (!isObj(v)) return undefined;
  if (v.type === 'welcome' && isStr(v.hostId) && typeof v.pid === 'number' && Number.isSafeInteger(v.pid) && v.pid > 0) {
    return { type: 'welcome', hostId: v.hostId, pid: v.pid };
  }
  if (v.type === 'refused' && isStr(v.reason)) return { type: 'refused', reason: v.reason.slice(0, 500) };
  return undefined;
}
