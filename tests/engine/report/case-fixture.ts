import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AuditEvent } from '../../../src/shared/domain.ts';
import { decodeRecord } from '../../../src/engine/ingest/decode.ts';
import { openCase, type Db } from '../../../src/engine/store/db.ts';
import { beginEvidence, finishEvidence } from '../../../src/engine/store/evidence.ts';
import { insertEventBatch } from '../../../src/engine/store/events-write.ts';
import { iterateEvents, getEventsByAuditIDs } from '../../../src/engine/store/events-read.ts';
import { saveHuntRun } from '../../../src/engine/store/findings.ts';
import { runHunt } from '../../../src/engine/hunt/hunt.ts';
import { iforestScorer } from '../../../src/engine/hunt/forest-scorer.ts';
import type { HuntRuleHit, HuntSession } from '../../../src/engine/hunt/types.ts';

export const SHARED = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
export const DEMO_LOG = join(SHARED, 'captured/audit2rbac/demo.log');

/** Strings an attacker controls in an audit log, aimed at HTML renderers, bidi display and C strings. */
export const HOSTILE = {
  user: '<script>alert(1)</script>',
  namespace: '<img src=x onerror=alert(1)>',
  userAgent: 'kubectl\u202Egnp.exe\u0000 Ω',
};

function ingestLines(db: Db, path: string): number {
  const { id } = beginEvidence(db, { path, parent: null, container: 'file', size: null });
  const lines = readFileSync(path, 'utf8').split('\n');
  const events: AuditEvent[] = [];
  const raws: string[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    const r = decodeRecord(JSON.parse(line), { evidenceId: id, path, line: i + 1, record: 0 });
    if ('event' in r) {
      events.push(r.event);
      raws.push(line);
    }
  });
  insertEventBatch(db, events, raws);
  const bytes = readFileSync(path);
  finishEvidence(db, id, { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, formats: ['raw'], events: events.length, errors: 0 });
  return events.length;
}

/**
 * A case on disk: the real audit2rbac capture (37 events) plus one file in a temp dir holding a
 * real event of that capture rewritten with hostile strings, hunted with one-minute sessions.
 * Embeddings are simple per-session counts here: the GCN has its own tests.
 */
export async function buildCase(): Promise<{ dir: string; db: Db; hostileFile: string; hostileAuditID: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'gumshoe-report-'));
  const db = openCase(join(dir, 'case'), { create: true });
  ingestLines(db, DEMO_LOG);
  const first = JSON.parse(readFileSync(DEMO_LOG, 'utf8').split('\n')[5]) as Record<string, unknown>;
  const hostileAuditID = '00000000-hostile-0000-0000-000000000001';
  const hostile = {
    ...first,
    auditID: hostileAuditID,
    verb: 'delete',
    timestamp: '2017-09-11T20:20:00Z',
    user: { username: HOSTILE.user, groups: ['system:authenticated'] },
    userAgent: HOSTILE.userAgent,
    objectRef: { resource: 'secrets', namespace: HOSTILE.namespace, apiVersion: 'v1' },
  };
  const hostileFile = join(dir, 'hostile.log');
  writeFileSync(hostileFile, `${JSON.stringify(hostile)}\n`);
  ingestLines(db, hostileFile);

  const events = [...iterateEvents(db)];
  const sessions: HuntSession[] = [];
  for (const e of events) {
    const start = Math.floor(e.timeUs / 60e6) * 60e6;
    let s = sessions.at(-1);
    if (!s || s.startUs !== start) sessions.push((s = { id: sessions.length + 1, startUs: start, endUs: start + 60e6 - 1, auditIDs: [] }));
    s.auditIDs.push(e.auditID);
  }
  const byId = new Map(events.map((e) => [e.auditID, e]));
  const data = new Float32Array(sessions.length * 3);
  sessions.forEach((s, i) => {
    const evs = s.auditIDs.map((id) => byId.get(id)!);
    data.set([evs.length, new Set(evs.map((e) => e.verb)).size, evs.filter((e) => e.verb === 'delete').length * 5], i * 3);
  });
  const ruleHits: HuntRuleHit[] = events
    .filter((e) => e.responseCode === 403 || e.verb === 'delete')
    .map((e) => ({
      ruleId: e.verb === 'delete' ? 'secret-delete' : 'forbidden',
      title: e.verb === 'delete' ? 'Secret deleted' : 'Request forbidden',
      severity: e.verb === 'delete' ? 'high' : 'low',
      techniques: e.verb === 'delete' ? ['T1485'] : ['T1078'],
      auditID: e.auditID,
      timeUs: e.timeUs,
      user: e.user,
      sourceIPs: e.sourceIPs,
    }));
  const result = await runHunt(
    { sessions, events: () => iterateEvents(db), getEvents: (ids) => getEventsByAuditIDs(db, ids), embeddings: { sessionIds: sessions.map((s) => s.id), dim: 3, data }, ruleHits, scorer: iforestScorer() },
    { contamination: 0.05 },
  );
  saveHuntRun(db, { startedAt: new Date().toISOString(), config: { contamination: 0.05, mode: 'embedding' }, metrics: result.metrics }, result.findings);
  return { dir, db, hostileFile, hostileAuditID };
}
