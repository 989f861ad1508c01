import type { EntityKind, EntityPage, EventMark as MarkView, FindingRow, IncidentRow, Note, Seen } from '../../shared/contract.ts';
import type { Db } from '../store/db.ts';
import { getFinding } from '../store/findings.ts';
import { getIncident, type StoredIncident } from '../store/incidents.ts';
import { findingListRow, incidentListRow } from '../store/list-rows.ts';
import { listMarks } from '../store/marks.ts';
import { listNotes } from '../store/notes.ts';
import { entityHours, entityPairs, entityStat, type PageKind } from '../store/search-index.ts';
import { eventsWith, involvedIds, objectEvents } from '../store/search-entities.ts';
import { ensureSearchIndex } from './search.ts';

const HOUR_US = 3_600_000_000;

/**
 * Bars an activity chart draws: a 3-day case at one bar per hour is 72; a month is folded into
 * wider bars so the chart stays readable at 1024 px and the answer stays small.
 */
const MAX_BUCKETS = 240;
/** Rows per "seen with" list: a page lists the top ones; the search finds the rest. */
const SEEN_LIMIT = 50;
/** Events one object page reads (see objectEvents). */
const OBJECT_EVENTS_LIMIT = 50_000;

/** An object's key: `resource/namespace/name`, namespace empty for cluster-scoped objects. */
export function parseObjectKey(key: string): { resource: string; namespace: string | null; name: string } | null {
  const a = key.indexOf('/');
  const b = a < 0 ? -1 : key.indexOf('/', a + 1);
  if (a <= 0 || b < 0 || b === key.length - 1) return null;
  return { resource: key.slice(0, a), namespace: key.slice(a + 1, b) || null, name: key.slice(b + 1) };
}

export function objectKey(resource: string, namespace: string | null, name: string): string {
  return `${resource}/${namespace ?? ''}/${name}`;
}

/** Entity not in the case (the API answers not-found). */
export class UnknownEntity extends Error {}

export function entityPage(db: Db, kind: EntityKind, key: string): EntityPage {
  ensureSearchIndex(db);
  const base = kind === 'object' ? objectPage(db, key) : indexedPage(db, kind, key);
  const { incidents, findings } = involving(db, kind, key, base.auditIDs);
  const findingIds = new Set(findings.map((f) => f.id));
  const notes: Note[] = listNotes(db)
    .filter((n) => findingIds.has(n.findingId))
    .map((n) => ({ id: n.id, at: n.createdAt, text: n.text, findingId: n.findingId, sessionId: null, by: n.author }));
  return { ...base.page, incidents, findings, marks: marksOn(db, kind, key, base.auditIDs), notes };
}

type BasePage = Omit<EntityPage, 'incidents' | 'findings' | 'marks' | 'notes'>;

function indexedPage(db: Db, kind: PageKind, key: string): { page: BasePage; auditIDs: null } {
  const stat = entityStat(db, kind, key);
  if (!stat) throw new UnknownEntity(`no ${kind} ${key.slice(0, 200)} in this case`);
  const hours = entityHours(db, kind, key);
  const firstHour = hours.length ? hours[0].hour : 0;
  const span = hours.length ? hours[hours.length - 1].hour - firstHour + 1 : 1;
  const per = Math.max(1, Math.ceil(span / MAX_BUCKETS));
  const counts = new Array<number>(Math.ceil(span / per)).fill(0);
  for (const h of hours) counts[Math.floor((h.hour - firstHour) / per)] += h.events;
  const seen = (other: 'user' | 'ip' | 'agent' | 'namespace'): Seen[] => (other === kind ? [] : entityPairs(db, kind, key, other, SEEN_LIMIT));
  const verbsByResource = entityPairs(db, kind, key, 'vr', 200).map((p) => {
    const sp = p.value.indexOf(' ');
    return { verb: p.value.slice(0, sp), resource: p.value.slice(sp + 1), events: p.events };
  });
  return {
    auditIDs: null,
    page: {
      kind,
      key,
      events: stat.events,
      firstUs: stat.firstUs,
      lastUs: stat.lastUs,
      activity: { startUs: firstHour * HOUR_US, bucketUs: per * HOUR_US, counts },
      verbsByResource,
      users: seen('user'),
      ips: seen('ip'),
      agents: seen('agent'),
      namespaces: seen('namespace'),
    },
  };
}

function objectPage(db: Db, key: string): { page: BasePage; auditIDs: string[] } {
  const ref = parseObjectKey(key);
  if (!ref) throw new UnknownEntity(`not an object key (resource/namespace/name): ${key.slice(0, 200)}`);
  const rows = objectEvents(db, ref.resource, ref.namespace, ref.name, OBJECT_EVENTS_LIMIT);
  if (rows.length === 0) throw new UnknownEntity(`no events about ${key.slice(0, 200)} in this case`);
  const first = rows[0].time_us;
  const last = rows[rows.length - 1].time_us;
  const bucketUs = Math.max(HOUR_US, Math.ceil((last - first + 1) / MAX_BUCKETS / HOUR_US) * HOUR_US);
  const start = Math.floor(first / HOUR_US) * HOUR_US;
  const counts = new Array<number>(Math.floor((last - start) / bucketUs) + 1).fill(0);
  const tally = (m: Map<string, number>, v: string | null): void => {
    if (v) m.set(v, (m.get(v) ?? 0) + 1);
  };
  const users = new Map<string, number>();
  const ips = new Map<string, number>();
  const agents = new Map<string, number>();
  const vr = new Map<string, number>();
  for (const r of rows) {
    counts[Math.floor((r.time_us - start) / bucketUs)]++;
    tally(users, r.user);
    tally(ips, r.source_ip);
    tally(agents, r.user_agent);
    tally(vr, `${r.verb} ${r.resource}${r.subresource ? `/${r.subresource}` : ''}`);
  }
  const top = (m: Map<string, number>, n = SEEN_LIMIT): Seen[] =>
    [...m].map(([value, events]) => ({ value, events })).sort((a, b) => b.events - a.events || a.value.localeCompare(b.value)).slice(0, n);
  return {
    auditIDs: rows.map((r) => r.audit_id),
    page: {
      kind: 'object',
      key,
      events: rows.length,
      firstUs: first,
      lastUs: last,
      activity: { startUs: start, bucketUs, counts },
      verbsByResource: top(vr, 200).map((p) => {
        const sp = p.value.indexOf(' ');
        return { verb: p.value.slice(0, sp), resource: p.value.slice(sp + 1), events: p.events };
      }),
      users: top(users),
      ips: top(ips),
      agents: top(agents),
      namespaces: ref.namespace ? [{ value: ref.namespace, events: rows.length }] : [],
    },
  };
}

/**
 * Incidents and findings that involve the entity. Users and addresses are named on both; a
 * namespace or object on incidents (their `namespaces`/`objects`), and an object's findings and
 * incidents are also those citing one of its events. Findings inside a matching incident count too.
 */
function involving(db: Db, kind: EntityKind, key: string, objectIDs: string[] | null): { incidents: IncidentRow[]; findings: FindingRow[] } {
  const ref = kind === 'object' ? parseObjectKey(key) : null;
  const objectText = ref ? `${ref.resource} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}` : key;
  const ids = involvedIds(db, kind, objectText, objectIDs ?? []);
  const incidents = ids.incidents.map((id) => getIncident(db, id)).filter((i): i is StoredIncident => i !== null).sort((a, b) => a.rank - b.rank);
  const findingIds = new Set([...ids.findings, ...incidents.flatMap((i) => i.findings)]);
  const findings = [...findingIds]
    .map((id) => getFinding(db, id))
    .filter((f): f is NonNullable<typeof f> => f !== null)
    .sort((a, b) => b.score - a.score)
    .map(findingListRow);
  return { incidents: incidents.map(incidentListRow), findings };
}

/** Marks on the entity's events: marks are few (made by hand), so each is checked against the entity. */
function marksOn(db: Db, kind: EntityKind, key: string, objectIDs: string[] | null): MarkView[] {
  const marks = listMarks(db);
  if (objectIDs) {
    const ids = new Set(objectIDs);
    return marks.filter((m) => ids.has(m.auditID));
  }
  const column = kind === 'user' ? 'user' : kind === 'ip' ? 'source_ip' : 'namespace';
  const hit = new Set(eventsWith(db, column, key, marks.map((m) => m.auditID)));
  return marks.filter((m) => hit.has(m.auditID));
}
