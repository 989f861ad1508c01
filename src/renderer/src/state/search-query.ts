import type { SearchQuery } from '../../../shared/contract.ts';

/**
 * The one search box's language: `field:value` pairs and free words, e.g.
 * `user:alice ip:10.0.0.0/8 verb:create,patch code:4xx chroot`. A value with spaces is quoted
 * (`ua:"kubectl/v1.29 (linux)"`). Unknown fields stay words, so nothing typed is lost.
 */
const FIELDS: Record<string, keyof SearchQuery> = {
  user: 'user',
  ip: 'ip',
  verb: 'verb',
  resource: 'resource',
  ns: 'namespace',
  namespace: 'namespace',
  name: 'name',
  code: 'code',
  decision: 'decision',
  ua: 'userAgent',
  agent: 'userAgent',
  tag: 'tag',
};

const NAMES: Partial<Record<keyof SearchQuery, string>> = {
  user: 'user',
  ip: 'ip',
  verb: 'verb',
  resource: 'resource',
  namespace: 'ns',
  name: 'name',
  code: 'code',
  decision: 'decision',
  userAgent: 'ua',
  tag: 'tag',
};

type TextFields = Omit<SearchQuery, 'fromUs' | 'toUs' | 'starred'>;

export function parseSearch(text: string): SearchQuery {
  const q: SearchQuery = {};
  const words: string[] = [];
  const re = /(\S+?):"([^"]*)"|(\S+?):(\S+)|"([^"]*)"|(\S+)/g;
  for (const m of text.matchAll(re)) {
    const key = (m[1] ?? m[3])?.toLowerCase();
    const value = m[2] ?? m[4];
    if (key === 'is' && value === 'starred') q.starred = true;
    else if (key !== undefined && value !== undefined && FIELDS[key]) (q as Record<string, unknown>)[FIELDS[key]] = value;
    else words.push(m[0].replace(/^"|"$/g, ''));
  }
  if (words.length) q.text = words.join(' ');
  return q;
}

const quote = (v: string): string => (/[\s"]/.test(v) ? `"${v.replace(/"/g, '')}"` : v);

/** The box's text for a query (a saved search, a pivot from an entity page). */
export function formatSearch(q: SearchQuery): string {
  const parts: string[] = [];
  for (const [k, name] of Object.entries(NAMES) as [keyof TextFields, string][]) {
    const v = q[k];
    if (typeof v === 'string' && v) parts.push(`${name}:${quote(v)}`);
  }
  if (q.starred) parts.push('is:starred');
  if (q.text) parts.push(q.text);
  return parts.join(' ');
}
