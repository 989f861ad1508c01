import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { auditIDsByNode } from '../../../src/engine/api/node-events.ts';
import { decodeRecord } from '../../../src/engine/ingest/decode.ts';
import { buildGraph } from '../../../src/engine/sessions/graph.ts';
import { NODE_TYPES, SEED } from '../../../src/engine/sessions/presets.ts';
import type { AuditEvent } from '../../../src/shared/domain.ts';
import { describeWithCorpus, hasCorpus } from '../../corpus.ts';

const shared = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
const path = join(shared, 'captured/audit2rbac/demo.log');
// 37 real events: impersonation, a 403 → grant → retry, apiGroup resources (rbac.authorization.k8s.io/…).
const events: AuditEvent[] = (hasCorpus ? readFileSync(path, 'utf8') : '')
  .split('\n')
  .filter((l) => l !== '')
  .flatMap((l, i) => {
    const r = decodeRecord(JSON.parse(l), { evidenceId: 1, path, line: i + 1, record: 0 });
    return 'event' in r ? [r.event] : [];
  });
const graph = buildGraph(SEED, 3600e6, 0, '*', events);
const nodes = graph.nodeLabels.map((label, i) => ({ type: NODE_TYPES[graph.nodeTypes[i]], label }));

describeWithCorpus('auditIDsByNode on audit2rbac demo.log')('auditIDsByNode', () => {
  const eventsOf = auditIDsByNode(events);

  it('finds events behind every node the graph builder drew from those events', () => {
    expect(events.length).toBe(37);
    const empty = nodes.filter((n) => eventsOf(n.type, n.label).length === 0);
    expect(empty).toEqual([]);
  });

  it('gives each event to exactly one request object, so the objects partition the session', () => {
    const objects = nodes.filter((n) => n.type === 'object').flatMap((n) => eventsOf(n.type, n.label));
    expect(objects.length).toBe(events.length);
    expect(new Set(objects)).toEqual(new Set(events.map((e) => e.auditID)));
  });

  it("matches a user node to that user's events in the events' order, and keeps types apart", () => {
    // The user node is the identity acting: the impersonated one when there is one.
    const acting = (e: AuditEvent): string => e.impersonatedUser ?? e.user;
    const user = acting(events[0]);
    expect(eventsOf('user', user)).toEqual(events.filter((e) => acting(e) === user).map((e) => e.auditID));
    const impersonator = events.find((e) => e.impersonatedUser)!;
    expect(eventsOf('impersonator', impersonator.user)).toEqual(events.filter((e) => e.impersonatedUser && e.user === impersonator.user).map((e) => e.auditID));
    // The same string under another type is another node.
    expect(eventsOf('ip', user)).toEqual([]);
  });

  it('hands out copies, so one caller cannot change what another reads', () => {
    const first = eventsOf('user', events[0].user);
    first.push('tampered');
    expect(eventsOf('user', events[0].user)).not.toContain('tampered');
  });
});
