import { isIP } from 'node:net';

/**
 * One Sigma field clause, `field|mod1|mod2: value-or-list`, compiled to a test over every value
 * the event has for that field (any value matching is enough). Strings compare case-insensitively
 * with `*` and `?` wildcards unless `|cased` or `|re` says otherwise, as the Sigma spec defines.
 */
export type ValueTest = (values: unknown[]) => boolean;

const SUPPORTED = new Set(['contains', 'startswith', 'endswith', 'all', 're', 'i', 'm', 's', 'cidr', 'exists', 'cased', 'gt', 'gte', 'lt', 'lte']);

export function compileClause(modifiers: string[], raw: unknown): ValueTest {
  for (const m of modifiers) if (!SUPPORTED.has(m)) throw new Error(`Sigma modifier '${m}' is not supported`);
  const mods = new Set(modifiers);
  const patterns = Array.isArray(raw) ? raw : [raw];
  if (mods.has('exists')) {
    const want = patterns[0] === true || String(patterns[0]).toLowerCase() === 'true';
    return (values) => (values.length > 0) === want;
  }
  const tests = patterns.map((p) => compileValue(mods, p));
  if (mods.has('all')) return (values) => tests.every((t) => values.some((v) => t(v, lower(v))));
  return (values) => values.some((v) => {
    const l = lower(v);
    return tests.some((t) => t(v, l));
  });
}

/** Lower-cased once per value, not once per pattern: a clause can list dozens of patterns. */
function lower(v: unknown): string | null {
  const s = text(v);
  return s === null ? null : s.toLowerCase();
}

type ValueCheck = (v: unknown, lowered: string | null) => boolean;

function text(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

function compileValue(mods: Set<string>, p: unknown): ValueCheck {
  if (p === null) return () => false; // null means "field absent": handled by the empty value list
  if (mods.has('re')) {
    const flags = `${mods.has('i') ? 'i' : ''}${mods.has('m') ? 'm' : ''}${mods.has('s') ? 's' : ''}`;
    const re = new RegExp(String(p), flags);
    return (v) => {
      const s = text(v);
      return s !== null && re.test(s);
    };
  }
  if (mods.has('cidr')) {
    const inRange = cidr(String(p));
    return (v) => typeof v === 'string' && inRange(v);
  }
  for (const cmp of ['gt', 'gte', 'lt', 'lte'] as const) {
    if (mods.has(cmp)) {
      const n = Number(p);
      return (v) => {
        const x = Number(v);
        if (!Number.isFinite(x) || typeof v === 'boolean') return false;
        return cmp === 'gt' ? x > n : cmp === 'gte' ? x >= n : cmp === 'lt' ? x < n : x <= n;
      };
    }
  }
  if (typeof p === 'number' || typeof p === 'boolean') {
    const want = String(p);
    return (v) => text(v) === want;
  }
  let glob = String(p);
  if (mods.has('contains')) glob = `*${glob}*`;
  else if (mods.has('startswith')) glob = `${glob}*`;
  else if (mods.has('endswith')) glob = `*${glob}`;
  const caseless = !mods.has('cased');
  const test = stringTest(caseless ? glob.toLowerCase() : glob, false);
  return (v, l) => {
    const s = caseless ? l : text(v);
    return s !== null && test(s);
  };
}

/**
 * A string test for a Sigma glob. Most patterns are plain text with at most a leading and a
 * trailing `*` (that is what contains/startswith/endswith produce), and string methods on a
 * lower-cased value run several times faster than an anchored regex with `[\s\S]*` on both
 * ends, which dominated the rule run time; the regex remains for inner wildcards.
 */
export function stringTest(glob: string, caseless: boolean): (s: string) => boolean {
  const lead = glob.startsWith('*');
  const trail = glob.length > 1 && glob.endsWith('*') && !glob.endsWith('\\*');
  const core = glob.slice(lead ? 1 : 0, trail ? -1 : undefined);
  if (glob === '*') return () => true;
  if (/[*?\\]/.test(core)) {
    const re = globRegex(glob, caseless);
    return (s) => re.test(s);
  }
  const want = caseless ? core.toLowerCase() : core;
  const norm = caseless ? (s: string) => s.toLowerCase() : (s: string) => s;
  if (lead && trail) return (s) => norm(s).includes(want);
  if (lead) return (s) => norm(s).endsWith(want);
  if (trail) return (s) => norm(s).startsWith(want);
  return (s) => s.length === want.length && norm(s) === want;
}

/** Sigma wildcards: `*` any run, `?` one character, `\*` `\?` `\\` literal. */
export function globRegex(glob: string, caseless: boolean): RegExp {
  let src = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\' && (glob[i + 1] === '*' || glob[i + 1] === '?' || glob[i + 1] === '\\')) {
      src += `\\${glob[++i]}`;
    } else if (c === '*') src += '[\\s\\S]*';
    else if (c === '?') src += '[\\s\\S]';
    else src += c.replace(/[.+^${}()|[\]\\*?]/g, '\\$&');
  }
  return new RegExp(`^${src}$`, caseless ? 'i' : '');
}

function ipBits(ip: string): { v: 4 | 6; n: bigint } | null {
  const kind = isIP(ip);
  if (kind === 4) return { v: 4, n: ip.split('.').reduce((a, o) => (a << 8n) | BigInt(Number(o)), 0n) };
  if (kind !== 6) return null;
  let s = ip;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const n = ipBits(v4[1])!.n;
    s = s.slice(0, -v4[1].length) + `${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = s.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return { v: 6, n: groups.reduce((a, g) => (a << 16n) | BigInt(parseInt(g, 16)), 0n) };
}

export function cidr(range: string): (ip: string) => boolean {
  const [addr, lenS] = range.split('/');
  const base = ipBits(addr);
  if (!base) throw new Error(`'${range}' is not a CIDR range`);
  const width = base.v === 4 ? 32 : 128;
  const len = lenS === undefined ? width : Number(lenS);
  if (!(len >= 0 && len <= width)) throw new Error(`'${range}' has a bad prefix length`);
  const shift = BigInt(width - len);
  return (ip) => {
    const b = ipBits(ip);
    return b !== null && b.v === base.v && b.n >> shift === base.n >> shift;
  };
}
