import type { Db } from './db.ts';
import type { IndexedEventRow } from './search-index.ts';

/** The columns an object's page aggregates: the search index's own, fewer. */
export type ObjectEventTuple = Pick<IndexedEventRow, 'audit_id' | 'time_us' | 'verb' | 'user' | 'source_ip' | 'user_agent' | 'resource' | 'subresource' | 'namespace'>;

/**
 * Every event about one object: by objectRef (resource, namespace, name) and, for creates whose
 * objectRef has no name, by the request body's name (search index). Objects are touched a few to a
 * few thousand times, so this reads the rows themselves; `limit` bounds a pathological object
 * (a lease renewed every 10 s is 26K events over 3 days).
 */
export function objectEvents(db: Db, resource: string, namespace: string | null, name: string, limit: number): ObjectEventTuple[] {
  return db
    .prepare(
      `select audit_id, time_us, verb, user, source_ip, user_agent, resource, subresource, namespace from events e
       where e.resource = ? and e.namespace is ? and (e.name = ? or e.id in (select event_id from event_object_names where name = ?))
       order by e.time_us, e.id limit ?`,
    )
    .all(resource, namespace, name, name, limit) as ObjectEventTuple[];
}

/** The auditIDs among `ids` whose event matches one entity column exactly (marks on an entity's events). */
export function eventsWith(db: Db, column: 'user' | 'source_ip' | 'namespace', value: string, ids: readonly string[]): string[] {
  if (ids.length === 0) return [];
  const out: string[] = [];
  const stmt = db.prepare(`select 1 from events where audit_id = ? and ${column} = ?`).pluck();
  for (const id of ids) if (stmt.get(id, value) !== undefined) out.push(id);
  return out;
}

export function eventExists(db: Db, auditID: string): boolean {
  return db.prepare('select 1 from events where audit_id = ?').get(auditID) !== undefined;
}

/**
 * Ids of the incidents and findings that name an identity, address, namespace or cite one of an
 * object's events, found in SQL over their JSON columns: parsing every stored incident and
 * finding in JS to pick a few cost ~130 ms a page on a 3-day case (bench:api).
 */
export function involvedIds(
  db: Db,
  kind: 'user' | 'ip' | 'namespace' | 'object',
  value: string,
  objectAuditIDs: readonly string[] = [],
): { incidents: string[]; findings: string[] } {
  const pluck = (sql: string, ...args: string[]): string[] => db.prepare(sql).pluck().all(...args) as string[];
  if (kind === 'object') {
    const ids = JSON.stringify(objectAuditIDs);
    return {
      incidents: pluck(
        `select id from incidents i where exists (select 1 from json_each(i.record, '$.auditIDs') a where a.value in (select value from json_each(?)))
           or exists (select 1 from json_each(i.record, '$.objects') o where o.value = ?)`,
        ids,
        value,
      ),
      findings: pluck('select id from findings f where exists (select 1 from json_each(f.audit_ids) a where a.value in (select value from json_each(?)))', ids),
    };
  }
  if (kind === 'namespace') {
    return { incidents: pluck("select id from incidents i where exists (select 1 from json_each(i.record, '$.namespaces') n where n.value = ?)", value), findings: [] };
  }
  const column = kind === 'user' ? 'users' : 'source_ips';
  return {
    incidents: pluck(`select id from incidents i where exists (select 1 from json_each(i.${column}) v where v.value = ?)`, value),
    findings: pluck(`select id from findings f where exists (select 1 from json_each(f.${column}) v where v.value = ?)`, value),
  };
}
