// sessions.graph shows one session from its own row and the findings that cite it: its summary
// must be the one sessions.list gives, its score the riskiest citing finding's, and its reasons
// only theirs (another session's findings, riskier or not, stay out).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResult, Args, Channel, Results, SessionRow } from '../../../src/shared/contract.ts';
import type { Finding } from '../../../src/engine/hunt/types.ts';
import { ApiService } from '../../../src/engine/api/service.ts';
import { openCase } from '../../../src/engine/store/db.ts';
import { findingsOfSession, saveHuntRun } from '../../../src/engine/store/findings.ts';
import { auditLine } from './fixtures/audit-line.ts';

let tmp: string;
let service: ApiService;
let sessions: SessionRow[];

async function ok<C extends Channel>(channel: C, args: Args<C>): Promise<Results[C]> {
  const r = (await service.call(channel, args)) as ApiResult<Results[C]>;
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

const finding = (id: string, sessionId: number | undefined, score: number, text: string): Finding => ({
  id,
  kind: 'anomaly',
  start: '2024-05-01T10:00:00Z',
  end: '2024-05-01T10:00:30Z',
  startUs: Date.parse('2024-05-01T10:00:00Z') * 1000,
  endUs: Date.parse('2024-05-01T10:00:30Z') * 1000,
  score,
  severity: score > 0.8 ? 'high' : 'medium',
  title: text,
  sessionId,
  techniques: [],
  users: [],
  sourceIPs: [],
  auditIDs: [],
  ruleIds: [],
  reasons: [{ kind: 'rare', text, auditIDs: [] }],
});

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'gumshoe-session-graph-'));
  const log = join(tmp, 'audit.log');
  const lines = [
    auditLine(1, 'alice@example.com', '10.0.0.5', '2024-05-01T10:00:01.000000Z', 'get', 'secrets', 'db-password'),
    auditLine(2, 'alice@example.com', '10.0.0.5', '2024-05-01T10:00:05.000000Z', 'list', 'secrets', 'api-token'),
    auditLine(3, 'bob@example.com', '10.0.0.9', '2024-05-01T10:00:07.000000Z', 'get', 'configmaps', 'settings'),
    auditLine(4, 'bob@example.com', '10.0.0.9', '2024-05-01T10:00:09.000000Z', 'update', 'configmaps', 'settings'),
  ];
  writeFileSync(log, `${lines.join('\n')}\n`);
  service = new ApiService({ transport: 'http' });
  await ok('cases.create', { dir: join(tmp, 'case') });
  for (const start of [() => ok('evidence.add', { paths: [log] }), () => ok('jobs.start', { kind: 'sessions', options: {} })]) {
    const end = await service.jobs.wait((await start()).jobId);
    if (end.state !== 'done') throw new Error(`${end.kind} ${end.state}: ${end.error?.message}`);
  }
  sessions = (await ok('sessions.list', { sort: 'time' })).rows;
  if (sessions.length < 2) throw new Error(`expected a session per actor, got ${sessions.length}`);
  const [a, b] = sessions;
  const db = openCase(join(tmp, 'case'));
  saveHuntRun(db, { startedAt: '2024-05-01T11:00:00Z', config: {}, metrics: {} }, [
    finding('f-a-low', a.id, 0.4, 'first reason of A'),
    finding('f-a-high', a.id, 0.9, 'second reason of A'),
    finding('f-b', b.id, 0.95, 'reason of B'),
    finding('f-none', undefined, 0.99, 'a rule hit outside any session'),
  ]);
  db.close();
});

afterAll(async () => {
  await service?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('one session shown from what cites it', () => {
  it('selects only the findings that cite the session, riskiest first', () => {
    const db = openCase(join(tmp, 'case'));
    try {
      expect(findingsOfSession(db, sessions[0].id).map((f) => f.id)).toEqual(['f-a-high', 'f-a-low']);
      expect(findingsOfSession(db, sessions[1].id).map((f) => f.id)).toEqual(['f-b']);
      expect(findingsOfSession(db, 999_999)).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('gives the summary sessions.list gives, the riskiest citing score, and only its own reasons', async () => {
    const listed = (await ok('sessions.list', { sort: 'time' })).rows;
    const [a, b] = listed;
    const graphA = await ok('sessions.graph', { sessionId: a.id });
    expect(graphA.session).toEqual(a);
    expect(graphA.session.score).toBe(0.9);
    expect(graphA.explanation.map((r) => r.text)).toEqual(['second reason of A', 'first reason of A']);
    expect(graphA.nodes.length).toBe(a.nodes);
    expect(graphA.edges.length).toBe(a.edges);
    const graphB = await ok('sessions.graph', { sessionId: b.id });
    expect(graphB.session).toEqual(b);
    expect(graphB.explanation.map((r) => r.text)).toEqual(['reason of B']);
  });

  it('lists the same events behind each node from the stored index as from re-reading the events (a session stored before migration 034)', async () => {
    const id = sessions[0].id;
    const indexed = await ok('sessions.graph', { sessionId: id });
    expect(Object.values(indexed.nodeEvents).flat().length).toBeGreaterThan(0);
    const db = openCase(join(tmp, 'case'));
    try {
      expect(db.prepare('select node_events is not null from sessions where id = ?').pluck().get(id)).toBe(1);
      db.prepare('update sessions set node_events = null where id = ?').run(id);
    } finally {
      db.close();
    }
    const reread = await ok('sessions.graph', { sessionId: id });
    expect(reread.nodeEvents).toEqual(indexed.nodeEvents);
    expect(reread.nodes).toEqual(indexed.nodes);
  });

  it('answers not-found for a session that does not exist', async () => {
    const r = await service.call('sessions.graph', { sessionId: 999_999 });
    expect(r.ok ? null : r.error.code).toBe('not-found');
  });
});
