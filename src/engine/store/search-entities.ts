import type { Db } from './db.ts';

/** The columns an object's page aggregates. */
export interface ObjectEventTuple {
  audit_id: string;
  time_us: number;
  verb: string;
  user: string;
  source_ip: string | null;
  user_agent: string | null;
  resource: string | null;
  subresource: string | null;
  namespace: string | null;
}

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
