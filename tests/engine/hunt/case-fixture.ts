import type { AuditEvent } from '../../../src/shared/domain.ts';
import type { AnomalyScorer, HuntSession } from '../../../src/engine/hunt/types.ts';

export const T0 = Date.UTC(2026, 0, 5, 9, 0, 0) * 1000;
export const MIN = 60 * 1e6;

/** A hand-built audit event with the fields the hunt reads; the rest are realistic defaults. */
export function ev(auditID: string, timeUs: number, verb: string, user: string, ip: string, namespace: string | null, resource: string | null): AuditEvent {
  return {
    auditID, timeUs, stageTimeUs: timeUs + 1000, stage: 'ResponseComplete', stages: ['ResponseComplete'], level: 'Metadata', verb, user,
    groups: ['system:authenticated'], uid: null, impersonatedUser: null, impersonatedGroups: [], sourceIPs: [ip], userAgent: 'kubectl/v1.29.0',
    resource, subresource: null, namespace, name: null, apiGroup: null, apiVersion: 'v1',
    requestURI: `/api/v1/${namespace ? `namespaces/${namespace}/` : ''}${resource ?? ''}`, responseCode: 200, decision: 'allow', reason: null,
    annotations: {}, requestObject: null, responseObject: null, format: 'raw', provider: null, cluster: null, missing: [],
    origin: { evidenceId: 1, path: '/evidence/audit.log', line: 1, record: 0 },
  };
}

/**
 * Thirty one-minute sessions of alice reading pods in `default` from 10.0.0.1, then at minute 25 a
 * session where bob, from a never-seen IP, lists secrets in a never-seen namespace.
 */
export function tinyCase(): { events: AuditEvent[]; sessions: HuntSession[] } {
  const events: AuditEvent[] = [];
  const sessions: HuntSession[] = [];
  for (let m = 0; m < 30; m++) {
    const ids: string[] = [];
    const n = 3 + (m % 3);
    for (let i = 0; i < n; i++) {
      const id = `a-${m}-${i}`;
      events.push(ev(id, T0 + m * MIN + i * 1e6, i === 0 ? 'list' : 'get', 'alice', '10.0.0.1', 'default', 'pods'));
      ids.push(id);
    }
    if (m === 25) {
      for (let i = 0; i < 12; i++) {
        const id = `b-${i}`;
        events.push(ev(id, T0 + m * MIN + (10 + i) * 1e6, i === 0 ? 'create' : 'list', 'bob', '203.0.113.9', 'hardening', 'secrets'));
        ids.push(id);
      }
    }
    if (m === 27) {
      // bob again: no longer new.
      const id = 'b-late';
      events.push(ev(id, T0 + m * MIN + 30e6, 'get', 'bob', '203.0.113.9', 'hardening', 'secrets'));
      ids.push(id);
    }
    sessions.push({ id: m + 1, startUs: T0 + m * MIN, endUs: T0 + (m + 1) * MIN - 1, auditIDs: ids });
  }
  events.sort((a, b) => a.timeUs - b.timeUs);
  return { events, sessions };
}

/**
 * A real (if simple) anomaly scorer for tests: distance to the column mean, squashed to [0, 1) by
 * the median distance. It stands in for the Isolation Forest, whose own tests live elsewhere.
 */
export const distanceScorer: AnomalyScorer = (rows) => {
  const dim = rows[0]?.length ?? 0;
  const mean = new Float64Array(dim);
  for (const r of rows) for (let j = 0; j < dim; j++) mean[j] += r[j] / rows.length;
  const dist = (r: Float64Array): number => Math.sqrt(r.reduce((s, x, j) => s + (x - mean[j]) ** 2, 0));
  const d = rows.map(dist);
  const med = [...d].sort((a, b) => a - b)[Math.floor(d.length / 2)] || 1;
  const score = (x: number): number => x / (x + med);
  return { scores: d.map(score), scoreOne: (r) => score(dist(r)) };
};
