import type { AuditEvent } from '../../shared/domain.ts';
import { nodeLabelsOf } from '../sessions/graph.ts';
import { NODE_TYPES } from '../sessions/presets.ts';

const nodeKey = (type: string, label: string): string => `${type}\u0000${label}`;

/**
 * The auditIDs behind each node a session graph can hold, in the events' order. A node's events
 * are those the graph builder drew it from (same labelling function), so a request object
 * (`/api/v1/namespaces/x/pods/p`) or a grouped resource (`apps/deployments`) finds its events;
 * the earlier match on raw field values missed both. One pass over the events: scanning every
 * event for every node cost ~55 ms of a ~90 ms handler on a 2,000-node session, which the analyst
 * waits for before the graph can be drawn.
 */
export function auditIDsByNode(events: readonly AuditEvent[]): (type: string, label: string) => string[] {
  const byNode = new Map<string, string[]>();
  for (const e of events) {
    for (const type of NODE_TYPES) {
      // An event can name one label twice (a repeated group): count the event once.
      for (const label of new Set(nodeLabelsOf(e, type))) {
        const key = nodeKey(type, label);
        const ids = byNode.get(key);
        if (ids) ids.push(e.auditID);
        else byNode.set(key, [e.auditID]);
      }
    }
  }
  // A copy per look-up: callers own what they are given.
  return (type, label) => [...(byNode.get(nodeKey(type, label)) ?? [])];
}
