// The case's read calls run on read threads (read-threads.ts): they must answer exactly as the
// host's own handlers do, see the host's writes at once, and survive a thread that dies.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResult, Args, Channel, Results } from '../../../src/shared/contract.ts';
import type { Finding } from '../../../src/engine/hunt/types.ts';
import { ApiService } from '../../../src/engine/api/service.ts';
import { READ_CHANNELS } from '../../../src/engine/api/read-channels.ts';
import { ReadThreads } from '../../../src/engine/api/read-threads.ts';
import { readServer } from '../../../src/engine/api/read-worker.ts';
import { openCase } from '../../../src/engine/store/db.ts';
import { saveHuntRun } from '../../../src/engine/store/findings.ts';
import { auditIDOf, auditLine } from './fixtures/audit-line.ts';

let tmp: string;
let caseDir: string;
let threaded: ApiService;
let inline: ApiService;

async function ok<C extends Channel>(service: ApiService, channel: C, args: Args<C>): Promise<Results[C]> {
  const r = (await service.call(channel, args)) as ApiResult<Results[C]>;
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

const finding = (id: string, sessionId: number, auditID: string): Finding => ({
  id,
  kind: 'rule',
  start: '2024-05-01T10:00:01Z',
  end: '2024-05-01T10:00:01Z',
  startUs: Date.parse('2024-05-01T10:00:01Z') * 1000,
  endUs: Date.parse('2024-05-01T10:00:01Z') * 1000,
  score: 0.8,
  severity: 'high',
  title: 'Secret read by a new identity',
  sessionId,
  techniques: ['T1552.007'],
  users: ['mallory@example.com'],
  sourceIPs: ['203.0.113.9'],
  auditIDs: [auditID],
  ruleIds: ['secret-read'],
  reasons: [{ kind: 'rule', text: 'read a secret', auditIDs: [auditID] }],
});

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'gumshoe-read-threads-'));
  caseDir = join(tmp, 'case');
  const log = join(tmp, 'audit.log');
  const lines = [
    auditLine(1, 'mallory@example.com', '203.0.113.9', '2024-05-01T10:00:01.000000Z', 'get', 'secrets', 'db-password'),
    auditLine(2, 'mallory@example.com', '203.0.113.9', '2024-05-01T10:00:05.000000Z', 'list', 'secrets', 'api-token', 403),
    auditLine(3, 'bob@example.com', '10.0.0.9', '2024-05-01T10:00:07.000000Z', 'get', 'configmaps', 'settings'),
    auditLine(4, 'bob@example.com', '10.0.0.9', '2024-05-01T10:00:09.000000Z', 'update', 'configmaps', 'settings'),
  ];
  writeFileSync(log, `${lines.join('\n')}\n`);
  threaded = new ApiService({ transport: 'http' });
  await ok(threaded, 'cases.create', { dir: caseDir });
  for (const start of [() => ok(threaded, 'evidence.add', { paths: [log] }), () => ok(threaded, 'jobs.start', { kind: 'sessions', options: {} })]) {
    const end = await threaded.jobs.wait((await start()).jobId);
    if (end.state !== 'done') throw new Error(`${end.kind} ${end.state}: ${end.error?.message}`);
  }
  const [s] = (await ok(threaded, 'sessions.list', { sort: 'time' })).rows;
  const db = openCase(caseDir);
  saveHuntRun(db, { startedAt: '2024-05-01T11:00:00Z', config: {}, metrics: {} }, [finding('f-1', s.id, auditIDOf(1))]);
  db.close();
  inline = new ApiService({ transport: 'http', caseDir, readThreads: false });
}, 60_000);

afterAll(async () => {
  await threaded?.close();
  await inline?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('read calls on read threads', () => {
  it('answer every read call as the host thread does, from a thread of their own', async () => {
    const session = (await ok(inline, 'sessions.list', { sort: 'time' })).rows[0];
    const calls: { [C in Channel]?: Args<C> } = {
      'cases.summary': {},
      'evidence.list': {},
      'evidence.errors': {},
      'events.query': { user: 'mallory@example.com' },
      'events.get': { auditID: auditIDOf(2) },
      'events.histogram': { buckets: 10 },
      'sessions.list': { sort: 'score' },
      'sessions.graph': { sessionId: session.id },
      'findings.list': {},
      'findings.get': { findingId: 'f-1' },
      'incidents.list': {},
      'notes.list': {},
      'triage.history': {},
      'search.events': { user: 'mall' },
      'search.saved': {},
      'marks.list': {},
      'case.meta': {},
      'entities.get': { kind: 'user', key: 'mallory@example.com' },
      'model.status': {},
    };
    for (const [channel, args] of Object.entries(calls)) {
      expect(READ_CHANNELS.has(channel as Channel), channel).toBe(true);
      const [a, b] = await Promise.all([threaded.call(channel, args), inline.call(channel, args)]);
      expect(a.ok, `${channel}: ${JSON.stringify(a).slice(0, 200)}`).toBe(true);
      expect(a, channel).toEqual(b);
    }
    expect(threaded.reads?.running).toBeGreaterThan(0);
    expect(inline.reads).toBeNull();
  });

  it("see the host's writes at once", async () => {
    await ok(threaded, 'findings.setTriage', { findingId: 'f-1', state: 'malicious' });
    expect((await ok(threaded, 'findings.get', { findingId: 'f-1' })).triage).toBe('malicious');
    await ok(threaded, 'notes.add', { text: 'token reused from 203.0.113.9', findingId: 'f-1' });
    expect((await ok(threaded, 'notes.list', { findingId: 'f-1' })).map((n) => n.text)).toContain('token reused from 203.0.113.9');
  });

  it('answer invalid arguments with the same typed error as the host', async () => {
    const r = await threaded.call('sessions.graph', { sessionId: 'one' });
    expect(r.ok ? null : r.error.code).toBe('invalid-argument');
  });

  it('refuse, on the thread itself, any call that is not a read', async () => {
    const serve = readServer({ transport: 'http' });
    const r = await serve({ id: 1, caseDir, channel: 'cases.create', args: { dir: join(tmp, 'other') } });
    expect(r.ok ? null : r.error.message).toMatch(/not a read call/);
  });
});

describe('ReadThreads', () => {
  const entry = new URL('./fixtures/test-read-worker.ts', import.meta.url);

  it('answers the calls of a thread that dies with an error, and starts another for the next call', async () => {
    const threads = new ReadThreads({ transport: 'http' }, entry);
    try {
      const first = await threads.call(caseDir, 'sessions.list', {});
      const ran = (first as { ok: true; value: { threadId: number } }).value.threadId;
      expect(ran).not.toBe(threadId);
      const died = await threads.call(caseDir, 'die', {});
      expect(died.ok ? null : died.error.message).toMatch(/exited with code 3/);
      const next = await threads.call(caseDir, 'sessions.list', {});
      expect(next.ok).toBe(true);
      expect((next as { ok: true; value: { threadId: number } }).value.threadId).not.toBe(ran);
      expect(threads.running).toBe(1);
    } finally {
      await threads.close();
    }
  });

  it('sends a call whose thread died under it once more, to a fresh thread, and says why', async () => {
    const lost: string[] = [];
    const threads = new ReadThreads({ transport: 'http' }, entry, (why) => lost.push(why));
    try {
      const r = await threads.call(caseDir, 'die-once', { marker: join(tmp, 'died-once') });
      expect(r.ok).toBe(true);
      expect(lost).toEqual(['a read thread exited with code 4']);
    } finally {
      await threads.close();
    }
  });

  it('starts all its threads when warmed without a case', async () => {
    const threads = new ReadThreads({ transport: 'http' }, entry);
    try {
      threads.warm(null);
      expect(threads.running).toBe(2);
    } finally {
      await threads.close();
    }
  });

  it('spreads calls in flight over its threads, and refuses calls once closed', async () => {
    const threads = new ReadThreads({ transport: 'http' }, entry);
    const answers = await Promise.all([1, 2, 3, 4].map(() => threads.call(caseDir, 'findings.list', {})));
    const ran = new Set(answers.map((a) => (a as { ok: true; value: { threadId: number } }).value.threadId));
    expect(ran.size).toBe(2);
    await threads.close();
    const late = await threads.call(caseDir, 'findings.list', {});
    expect(late.ok ? null : late.error.message).toMatch(/shutting down/);
  });
});
