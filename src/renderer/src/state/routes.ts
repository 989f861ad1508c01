import type { EntityKind } from '../../../shared/contract.ts';

/** The views the sidebar lists, in the order its digit keys follow. */
export const VIEWS = ['cases', 'events', 'timeline', 'incidents', 'session', 'embedding', 'model', 'notes'] as const;
export type ViewName = (typeof VIEWS)[number];

export const ENTITY_KINDS: readonly EntityKind[] = ['user', 'ip', 'namespace', 'object'];

/**
 * Where the analyst is, as the URL's hash says it: reload and back keep the place, and a finding,
 * an incident or an entity can be linked. `q` is the search box's text (state/search-query.ts).
 */
export type Route =
  | { view: Exclude<ViewName, 'session' | 'events' | 'incidents'> }
  | { view: 'events'; q?: string; fromUs?: number; toUs?: number }
  | { view: 'incidents'; finding?: string }
  | { view: 'session'; id?: number }
  | { view: 'incident'; id: string }
  | { view: 'entity'; kind: EntityKind; key: string };

const enc = encodeURIComponent;

export function formatRoute(r: Route): string {
  switch (r.view) {
    case 'events': {
      const p = new URLSearchParams();
      if (r.q) p.set('q', r.q);
      if (r.fromUs !== undefined) p.set('from', String(r.fromUs));
      if (r.toUs !== undefined) p.set('to', String(r.toUs));
      const s = p.toString();
      return `#/search${s ? `?${s}` : ''}`;
    }
    case 'incidents':
      return r.finding ? `#/incidents?finding=${enc(r.finding)}` : '#/incidents';
    case 'session':
      return r.id === undefined ? '#/session' : `#/session/${r.id}`;
    case 'incident':
      return `#/incident/${enc(r.id)}`;
    case 'entity':
      return `#/entity/${r.kind}/${enc(r.key)}`;
    default:
      return `#/${r.view}`;
  }
}

const int = (s: string | null): number | undefined => (s !== null && /^-?\d+$/.test(s) ? Number(s) : undefined);

/** The route a hash names; anything unknown is the Cases view (where an analyst starts). */
export function parseRoute(hash: string): Route {
  const h = hash.replace(/^#\/?/, '');
  const qi = h.indexOf('?');
  const path = (qi < 0 ? h : h.slice(0, qi)).split('/').map((s) => safeDecode(s));
  const params = new URLSearchParams(qi < 0 ? '' : h.slice(qi + 1));
  const [head, a, ...rest] = path;
  switch (head) {
    case 'search':
    case 'events': {
      const r: Route = { view: 'events' };
      const q = params.get('q');
      if (q) r.q = q;
      const from = int(params.get('from'));
      const to = int(params.get('to'));
      if (from !== undefined) r.fromUs = from;
      if (to !== undefined) r.toUs = to;
      return r;
    }
    case 'incidents':
    case 'findings': {
      const f = params.get('finding');
      return f ? { view: 'incidents', finding: f } : { view: 'incidents' };
    }
    case 'finding':
      return a ? { view: 'incidents', finding: a } : { view: 'incidents' };
    case 'session': {
      const id = int(a ?? null);
      return id === undefined ? { view: 'session' } : { view: 'session', id };
    }
    case 'incident':
      return a ? { view: 'incident', id: a } : { view: 'incidents' };
    case 'entity': {
      // An object key holds slashes of its own (resource/namespace/name), encoded or not.
      const key = rest.join('/');
      if ((ENTITY_KINDS as readonly string[]).includes(a ?? '') && key) return { view: 'entity', kind: a as EntityKind, key };
      return { view: 'cases' };
    }
    case 'cases':
    case 'timeline':
    case 'embedding':
    case 'model':
    case 'notes':
      return { view: head };
    default:
      return { view: 'cases' };
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Which sidebar entry a route belongs to (entity and incident pages sit under Incidents). */
export function navView(r: Route): ViewName {
  if (r.view === 'incident' || r.view === 'entity') return 'incidents';
  return r.view;
}

export const entityHref = (kind: EntityKind, key: string): string => formatRoute({ view: 'entity', kind, key });
