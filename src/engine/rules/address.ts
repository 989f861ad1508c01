import { isIP } from 'node:net';

/**
 * Address ranges that never reach a cluster from the open internet: private (RFC 1918, RFC 4193),
 * loopback, link-local, carrier-grade NAT (RFC 6598, used by some cloud pod networks) and
 * "this network". An address outside them is public. The documentation ranges (RFC 5737,
 * RFC 3849) count as public on purpose: examples use them to stand for internet addresses, and
 * real traffic never carries them, so calling them public costs nothing.
 */
const V4_LOCAL: [number, number][] = [
  [0x0a000000, 8], [0xac100000, 12], [0xc0a80000, 16], [0x7f000000, 8], [0xa9fe0000, 16], [0x64400000, 10], [0x00000000, 8],
];

function v4(ip: string): number {
  return ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

function v4Local(ip: string): boolean {
  const n = v4(ip);
  return V4_LOCAL.some(([base, bits]) => Math.floor(n / 2 ** (32 - bits)) === Math.floor(base / 2 ** (32 - bits)));
}

function v6Local(ip: string): boolean {
  const lower = ip.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped) return v4Local(mapped[1]);
  if (lower === '::1' || lower === '::') return true;
  const first = parseInt(lower.split(':')[0] || '0', 16);
  // fc00::/7 unique local, fe80::/10 link-local.
  return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80;
}

/** Whether a source address is routable on the internet; anything unparseable is not. */
export function isPublicAddress(ip: string): boolean {
  const kind = isIP(ip);
  if (kind === 4) return !v4Local(ip);
  if (kind === 6) return !v6Local(ip);
  return false;
}

/** The first public address among an event's sources (the original client comes first), or null. */
export function publicSource(sourceIPs: string[]): string | null {
  return sourceIPs.find(isPublicAddress) ?? null;
}
