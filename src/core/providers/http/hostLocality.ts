// Whether an endpoint keeps code on this machine or the user's own network. Local-tier chat and
// inline completion never ask before sending (that is their point); an endpoint that is neither
// loopback nor a private address is somewhere else on the internet, so sending code there is
// "leaving the machine", and needs the user's consent, as the frontier does.
import { isIP } from 'node:net';

/** True for loopback, private (RFC 1918, unique-local IPv6), link-local and `*.localhost` / `*.local` hosts. */
export function staysOnPrivateNetwork(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local')) return true;
  const version = isIP(host);
  if (version === 4) return privateIPv4(host);
  if (version === 6) return privateIPv6(host);
  return false;
}

function privateIPv4(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number) as [number, number];
  return (
    a === 127 || // loopback
    a === 10 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254) || // link-local
    (a === 100 && b >= 64 && b <= 127) // carrier-grade NAT / tailnets
  );
}

function privateIPv6(ip: string): boolean {
  if (ip === '::1') return true;
  // An IPv4-mapped address (the URL parser writes ::ffff:192.168.0.5 as ::ffff:c0a8:5).
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(ip);
  if (mapped) {
    const high = parseInt(mapped[1]!, 16);
    const low = parseInt(mapped[2]!, 16);
    return privateIPv4(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
  }
  const first = parseInt(ip.split(':')[0] || '0', 16);
  return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80; // unique-local fc00::/7, link-local fe80::/10
}

/** The host (and port) of a URL for messages and the status bar, or the URL itself if it does not parse. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
