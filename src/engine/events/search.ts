import type { SearchHit, SearchQuery } from '../../shared/contract.ts';
import type { AuditEvent } from '../../shared/domain.ts';
import type { Db } from '../store/db.ts';
import { listMarks, type EventMark } from '../store/marks.ts';
import { entityValues, refreshSearchIndex, searchIndexStale, type IndexedEventRow, type StatKind } from '../store/search-index.ts';
import { searchCount, searchPage, iterateSearch, type ResolvedSearch, type SearchTuple } from '../store/search-events.ts';
import { inCidr, parseCidr, parseIp } from './cidr.ts';
import { describeEvent } from './describe.ts';
import { objectName } from '../rules/fields.ts';
import { UserError } from '../util/errors.ts';

/**
 * Counting stops here: the analyst reads "2,000+" as well as an exact figure, and counting
 * further costs a walk over every match (a three-field search over system users counted to
 * 10,000 took 450–630 ms on 672K events; to 2,000, well under 100 ms).
 */
export const COUNT_CAP = 2_000;

/**
 * Bring the search index up to date (a no-op when nothing was ingested since); returns events
 * indexed. Another connection refreshing at the same time takes turns with this one step by step
 * (store/search-index.ts); should one of its steps hold the case longer than SQLite's busy wait,
 * the search says so plainly rather than answering from a half-built index.
 */
export function ensureSearchIndex(db: Db): number {
  if (!searchIndexStale(db)) return 0;
  try {
    return refreshSearchIndex(db, indexExtras);
  } catch (err) {
    if ((err as { code?: unknown }).code === 'SQLITE_BUSY') {
      throw new UserError('The search index is being brought up to date by another task (an ingest or another search); try again in a few seconds.');
    }
    throw err;
  }
}

/** The request body's object name and, for requests that say more than their URI, the summary's words. */
function indexExtras(r: IndexedEventRow): { objectName: string | null; words: string | null } {
  if (r.request_object === null && r.subresource === null) return { objectName: null, words: null };
  const e = partialEvent(r, r.request_object, null);
  return { objectName: r.name === null ? objectName(e) : null, words: describeEvent(e).summary };
}

/** Just the fields describeEvent and objectName read, from a stored row. */
function partialEvent(
  r: Pick<SearchTuple, 'audit_id' | 'time_us' | 'verb' | 'user' | 'resource' | 'subresource' | 'namespace' | 'name' | 'request_uri' | 'response_code' | 'decision'>,
  requestObject: string | null,
  responseObject: string | null,
): AuditEvent {
  return {
    auditID: r.audit_id,
    timeUs: r.time_us,
    stageTimeUs: null,
    stage: '',
    stages: [],
    level: '',
    verb: r.verb,
    user: r.user,
    groups: [],
    uid: null,
    impersonatedUser: null,
    impersonatedGroups: [],
    sourceIPs: [],
    userAgent: null,
    resource: r.resource,
    subresource: r.subresource,
    namespace: r.namespace,
    name: r.name,
    apiGroup: null,
    apiVersion: null,
    requestURI: r.request_uri,
    responseCode: r.response_code,
    decision: r.decision,
    reason: null,
    annotations: {},
    requestObject: parseJson(requestObject),
    responseObject: parseJson(responseObject),
    format: 'raw',
    provider: null,
    cluster: null,
    missing: [],
    origin: { evidenceId: 0, path: '', line: 0, record: 0 },
  };
}

function parseJson(s: string | null): unknown {
  if (s === null) return null;
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return null;
  }
}

const list = (s: string | undefined): string[] | undefined => {
  if (s === undefined) return undefined;
  const v = s.split(',').map((x) => x.trim()).filter(Boolean);
  return v.length ? v : undefined;
};

/** Values of `kind` containing `needle`, case-insensitively (users, agents, names). */
function containing(db: Db, kind: StatKind, needle: string | undefined): string[] | undefined {
  const q = needle?.trim().toLowerCase();
  if (!q) return undefined;
  return entityValues(db, kind)
    .map((v) => v.value)
    .filter((v) => v.toLowerCase().includes(q));
}

/** Source addresses seen in the case that fall in the given address or block; throws on neither. */
function addressesIn(db: Db, spec: string | undefined): string[] | undefined {
  const t = spec?.trim();
  if (!t) return undefined;
  const blocks = t.split(',').map((x) => x.trim()).filter(Boolean);
  const parsed = blocks.map((b) => ({ text: b, cidr: parseCidr(b) }));
  const bad = parsed.filter((p) => p.cidr === null);
  if (bad.length) throw new SearchError(`not an IP address or CIDR block: ${bad[0].text.slice(0, 60)}`);
  return entityValues(db, 'ip')
    .map((v) => v.value)
    .filter((v) => {
      const ip = parseIp(v);
      return ip !== null && parsed.some((p) => inCidr(ip, p.cidr!));
    });
}

/** A search the analyst can fix (a bad CIDR): the API answers it as a 'user' error. */
export class SearchError extends UserError {}

/**
 * Free text as FTS5 words, all required, each a prefix ("chroot" finds "chroot", "kube-sys"
 * finds "kube-system"). Quotes are doubled so no input is read as FTS syntax.
 */
export function ftsQuery(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const words = text.split(/[\s/?&=,;:()[\]{}"'`|<>!]+/).filter((w) => w.length > 0);
  if (words.length === 0) return undefined;
  return words.map((w) => `"${w.replace(/"/g, '""')}"*`).join(' AND ');
}

function codeRange(code: string | undefined): { lo: number; hi: number } | undefined {
  if (!code) return undefined;
  const m = /^([1-5])xx$/i.exec(code);
  if (m) return { lo: Number(m[1]) * 100, hi: Number(m[1]) * 100 + 99 };
  return { lo: Number(code), hi: Number(code) };
}

/** Turn the analyst's search into exact values the store can look up by index. */
export function resolveSearch(db: Db, q: SearchQuery): ResolvedSearch {
  ensureSearchIndex(db);
  const r: ResolvedSearch = {
    fromUs: q.fromUs,
    toUs: q.toUs,
    users: containing(db, 'user', q.user),
    ips: addressesIn(db, q.ip),
    verbs: list(q.verb),
    resources: list(q.resource),
    namespaces: list(q.namespace),
    names: containing(db, 'name', q.name),
    codeRange: codeRange(q.code),
    decisions: list(q.decision),
    agents: containing(db, 'agent', q.userAgent),
    fts: ftsQuery(q.text),
  };
  if (q.starred !== undefined || q.tag || q.marked) {
    r.auditIDs = listMarks(db, { starred: q.starred, tag: q.tag }).map((m) => m.auditID);
  }
  return r;
}

function toHit(t: SearchTuple, mark: EventMark | null): SearchHit {
  const d = describeEvent(partialEvent(t, t.request_object, t.response_object));
  return {
    auditID: t.audit_id,
    timeUs: t.time_us,
    verb: t.verb,
    user: t.user,
    sourceIPs: JSON.parse(t.source_ips) as string[],
    resource: t.resource,
    namespace: t.namespace,
    name: t.name,
    responseCode: t.response_code,
    decision: t.decision,
    userAgent: t.user_agent,
    requestURI: t.request_uri,
    target: d.target,
    summary: d.summary,
    outcome: d.outcome,
    mark,
  };
}

/** A page of search hits with their marks, and the (capped) count of all matches. */
export function searchEvents(db: Db, q: SearchQuery, offset: number, limit: number): { rows: SearchHit[]; total: number; totalCapped: boolean } {
  const r = resolveSearch(db, q);
  const tuples = searchPage(db, r, offset, limit);
  const marks = new Map(listMarks(db, { auditIDs: tuples.map((t) => t.audit_id) }).map((m) => [m.auditID, m]));
  const count = offset + tuples.length < limit && offset === 0 ? { total: tuples.length, capped: false } : searchCount(db, r, COUNT_CAP);
  return { rows: tuples.map((t) => toHit(t, marks.get(t.audit_id) ?? null)), total: count.total, totalCapped: count.capped };
}

/** Every hit of a search, in time order, up to `max` (exports). */
export function* searchAll(db: Db, q: SearchQuery, max: number): Generator<SearchHit> {
  const r = resolveSearch(db, q);
  const marks = new Map(listMarks(db).map((m) => [m.auditID, m]));
  for (const t of iterateSearch(db, r, max)) yield toHit(t, marks.get(t.audit_id) ?? null);
}
