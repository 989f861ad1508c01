/** An address as a number, with its family: enough to test membership in a CIDR block. */
export interface ParsedIp {
  v: 4 | 6;
  n: bigint;
}

export interface Cidr {
  v: 4 | 6;
  base: bigint;
  bits: number;
}

export function parseIp(s: string): ParsedIp | null {
  const t = s.trim();
  if (t.includes(':')) {
    const v6 = parseV6(t);
    if (v6 === null) return null;
    // An IPv4-mapped address (::ffff:a.b.c.d) is the IPv4 client: API servers log both spellings.
    if (v6 >> 32n === 0xffffn) return { v: 4, n: v6 & 0xffffffffn };
    return { v: 6, n: v6 };
  }
  const v4 = parseV4(t);
  return v4 === null ? null : { v: 4, n: v4 };
}

function parseV4(s: string): bigint | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    n = (n << 8n) | BigInt(Number(p));
  }
  return n;
}

function parseV6(s: string): bigint | null {
  let text = s;
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  // A trailing dotted quad stands for the last two groups.
  const lastColon = text.lastIndexOf(':');
  const quad = text.slice(lastColon + 1);
  if (quad.includes('.')) {
    const v4 = parseV4(quad);
    if (v4 === null) return null;
    text = `${text.slice(0, lastColon + 1)}${((v4 >> 16n) & 0xffffn).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...(halves.length === 2 ? new Array<string>(missing).fill('0') : []), ...rest];
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9a-f]{1,4}$/i.test(g)) return null;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  return n;
}

/** `10.0.0.0/8`, `2001:db8::/32`, or a bare address (a block of one). */
export function parseCidr(s: string): Cidr | null {
  const slash = s.indexOf('/');
  const ip = parseIp(slash < 0 ? s : s.slice(0, slash));
  if (ip === null) return null;
  const max = ip.v === 4 ? 32 : 128;
  let bits = max;
  if (slash >= 0) {
    const b = s.slice(slash + 1).trim();
    if (!/^\d{1,3}$/.test(b) || Number(b) > max) return null;
    bits = Number(b);
    // A mapped v4 written as v6 with a v6 prefix length: count only the v4 part.
    if (ip.v === 4 && s.includes(':')) bits = Math.max(0, bits - 96);
  }
  const width = BigInt(ip.v === 4 ? 32 : 128);
  const mask = bits === 0 ? 0n : ((1n << BigInt(bits)) - 1n) << (width - BigInt(bits));
  return { v: ip.v, base: ip.n & mask, bits };
}

export function inCidr(ip: ParsedIp, block: Cidr): boolean {
  if (ip.v !== block.v) return false;
  const width = BigInt(ip.v === 4 ? 32 : 128);
  const mask = block.bits === 0 ? 0n : ((1n << BigInt(block.bits)) - 1n) << (width - BigInt(block.bits));
  return (ip.n & mask) === block.base;
}
