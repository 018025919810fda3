// The first exchange on a connection to the model host, before any llamaProtocol message. Both
// sides prove they hold the user's token (from the user's state folder) without ever sending it, so
// neither a stranger's client nor a stranger's fake host (a pipe name squatted by another user on
// Windows) learns it or gets a prompt:
//   client -> hello     { hostId, client, nonce }            the build it expects, a fresh nonce
//   host   -> challenge { nonce, proof: HMAC(token, host|clientNonce|hostNonce) }
//   client -> prove     { proof: HMAC(token, client|hostNonce|clientNonce) }   (only if the host's proof holds)
//   host   -> welcome   { hostId, pid }   or   refused { reason }, then it closes
// Nothing else is read from a connection that has not been welcomed.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isObj, isStr } from '../../kernel/messageChecks';

export interface HelloMessage {
  type: 'hello';
  /** HostAddress.hostId: protocol version and build the client was made with. */
  hostId: string;
  /** Who is asking, for the host's log (e.g. "vscode window 4120", "cli"). */
  client: string;
  nonce: string;
}

export interface ChallengeMessage {
  type: 'challenge';
  nonce: string;
  proof: string;
}

export interface ProveMessage {
  type: 'prove';
  proof: string;
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

export type HostReply = ChallengeMessage | WelcomeMessage | RefusedMessage;

/** How long either side waits for the other's half of the handshake. */
export const HANDSHAKE_TIMEOUT_MS = 5000;

const isNonce = (v: unknown): v is string => isStr(v) && /^[0-9a-f]{64}$/.test(v);

export function newNonce(): string {
  return randomBytes(32).toString('hex');
}

/** What the host proves with (role 'host') and what the client proves with (role 'client'). */
export function handshakeProof(token: string, role: 'host' | 'client', ownNonce: string, peerNonce: string): string {
  return createHmac('sha256', token).update(`${role}|${peerNonce}|${ownNonce}`).digest('hex');
}

/** Compares two proofs in constant time. */
export function sameProof(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function parseHello(v: unknown): HelloMessage | undefined {
  return isObj(v) && v.type === 'hello' && isStr(v.hostId) && isStr(v.client) && v.client.length <= 200 && isNonce(v.nonce)
    ? { type: 'hello', hostId: v.hostId, client: v.client, nonce: v.nonce }
    : undefined;
}

export function parseProve(v: unknown): ProveMessage | undefined {
  return isObj(v) && v.type === 'prove' && isStr(v.proof) && v.proof.length <= 128 ? { type: 'prove', proof: v.proof } : undefined;
}

export function parseHostReply(v: unknown): HostReply | undefined {
  if (!isObj(v)) return undefined;
  if (v.type === 'challenge' && isNonce(v.nonce) && isStr(v.proof) && v.proof.length <= 128) return { type: 'challenge', nonce: v.nonce, proof: v.proof };
  if (v.type === 'welcome' && isStr(v.hostId) && typeof v.pid === 'number' && Number.isSafeInteger(v.pid) && v.pid > 0) {
    return { type: 'welcome', hostId: v.hostId, pid: v.pid };
  }
  if (v.type === 'refused' && isStr(v.reason)) return { type: 'refused', reason: v.reason.slice(0, 500) };
  return undefined;
}
