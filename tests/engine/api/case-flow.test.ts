import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ApiResult, Channel, Args, Results } from '../../../src/shared/contract.ts';
import { ApiService } from '../../../src/engine/api/service.ts';
import { openCase } from '../../../src/engine/store/db.ts';
import { saveEmbeddingRun } from '../../../src/engine/store/model.ts';
import { describeWithCorpus } from '../../corpus.ts';

const DATA = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
const DEMO = join(DATA, 'captured/audit2rbac/demo.log');
const BROKEN = join(DATA, 'captured/stratus-red-team/k8s.persistence.create-token.sample0.json');

let tmp: string;
let service: ApiService;

async function ok<C extends Channel>(channel: C, args: Args<C>): Promise<Results[C]> {
  const r = (await service.call(channel, args)) as ApiResult<Results[C]>;
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'gumshoe-flow-'));
  service = new ApiService({ transport: 'http' });
  await ok('cases.create', { dir: join(tmp, 'case') });
  const { jobId } = await ok('evidence.add', { paths: [DEMO, BROKEN] });
  const end = await service.jobs.wait(jobId);
  if (end.state !== 'done') throw new Error(`ingest ${end.state}: ${end.error?.message}`);
});

afterAll(async () => {
  await service.close();
  rmSync(tmp, { recursive: true, force: true });
});

describeWithCorpus('the API over a case of captured logs')('the contract over a real ingested case', () => {
  it('lists the evidence with hashes, formats and counts', async () => {
    const items = await ok('evidence.list', {});
    const demo = items.find((e) => e.path === DEMO);
    expect(demo?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(demo?.formats).toEqual(['raw']);
    expect(demo?.events).toBe(37);
    const broken = items.find((e) => e.path === BROKEN);
    expect(broken?.errors).toBeGreaterThan(0);
  });

  it('summarises the case and pages the events in time order', async () => {
    const s = await ok('cases.summary', {});
    const page = await ok('events.query', { limit: 10 });
    expect(page.total).toBe(s.events);
    expect(page.rows).toHaveLength(10);
    const times = page.rows.map((r) => r.timeUs);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const next = await ok('events.query', { offset: 10, limit: 10 });
    expect(next.rows[0].timeUs).toBeGreaterThanOrEqual(times[9]);
    const verb = page.rows[0].verb;
    const byVerb = await ok('events.query', { verb, limit: 1000 });
    expect(byVerb.total).toBeGreaterThan(0);
    expect(byVerb.total).toBeLessThan(s.events);
    expect(byVerb.rows.every((r) => r.verb === verb)).toBe(true);
  });

  it('returns an event with its original record text', async () => {
    const [first] = (await ok('events.query', { limit: 1 })).rows;
    const detail = await ok('events.get', { auditID: first.auditID });
    expect(detail.event.auditID).toBe(first.auditID);
    expect(JSON.parse(detail.raw ?? '{}').auditID).toBe(first.auditID);
  });

  it('bins every event into the timeline', async () => {
    const s = await ok('cases.summary', {});
    const h = await ok('events.histogram', { buckets: 50 });
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(s.events);
    expect(h.startUs).toBe(s.firstUs);
  });

  it('shows the line behind a record error', async () => {
    const items = await ok('evidence.list', {});
    const broken = items.find((e) => e.path === BROKEN);
    const errs = await ok('evidence.errors', { evidenceId: broken?.id });
    expect(errs.total).toBe(broken?.errors);
    const raw = await ok('evidence.raw', { errorId: errs.rows[0].id });
    expect(raw.path).toBe(BROKEN);
    expect(raw.text.length).toBeGreaterThan(0);
  });

  it('re-verifies the evidence hashes', async () => {
    const v = await ok('evidence.verify', {});
    expect(v.checked).toBeGreaterThanOrEqual(2);
    expect(v.problems).toEqual([]);
  });

  it('builds sessions and hunts as worker jobs, then serves sessions, findings, triage and export', async () => {
    for (const kind of ['sessions', 'hunt'] as const) {
      const { jobId } = await ok('jobs.start', { kind, options: {} });
      const end = await service.jobs.wait(jobId);
      expect(end.state, end.error?.message).toBe('done');
    }
    const sessions = await ok('sessions.list', { sort: 'time' });
    expect(sessions.total).toBeGreaterThan(0);
    const graph = await ok('sessions.graph', { sessionId: sessions.rows[0].id });
    const inSession = await ok('events.query', { sessionId: sessions.rows[0].id, limit: 1000 });
    expect(inSession.total).toBe(sessions.rows[0].events);
    expect(inSession.rows.every((r) => r.timeUs >= sessions.rows[0].startUs && r.timeUs < sessions.rows[0].endUs)).toBe(true);
    expect(graph.nodes.length).toBe(sessions.rows[0].nodes);
    // Every node's events are real events of the session, and some node has some.
    const withEvents = graph.nodes.filter((n) => graph.nodeEvents[n.id].length > 0);
    expect(withEvents.length).toBeGreaterThan(0);
    // Before any training: neighbours in time only, and no embedding run to compare with.
    const me = sessions.rows.find((s) => sessions.rows.some((o) => o.id !== s.id && o.key === s.key)) ?? sessions.rows[0];
    const before = await ok('sessions.neighbours', { sessionId: me.id });
    expect(before.embeddingRunId).toBeNull();
    expect(before.similar).toEqual([]);
    expect(before.inTime.every((n) => n.key === me.key && n.id !== me.id)).toBe(true);
    const gaps = before.inTime.map((n) => Math.abs(n.startUs - me.startUs));
    expect(gaps).toEqual([...gaps].sort((a, b) => a - b));
    // With an embedding run, the session whose vector lies nearest comes first, whoever's it is.
    const ids = sessions.rows.map((s) => s.id);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    const db = openCase(join(tmp, 'case'));
    const dim = 4;
    const data = new Float32Array(ids.length * dim);
    ids.forEach((id, i) => data.set(id === me.id ? [1, 0, 0, 0] : id === ids.find((x) => x !== me.id) ? [1.5, 0.1, 0, 0] : [0, 1, i, 0], i * dim));
    const runId = saveEmbeddingRun(db, { modelId: null, kind: 'trained', preset: 'actor', windowUs: 60e6, sessionIds: Int32Array.from(ids), dim, data, projection: null });
    db.close();
    const after = await ok('sessions.neighbours', { sessionId: me.id, count: 2 });
    expect(after.embeddingRunId).toBe(runId);
    expect(after.similar[0]).toMatchObject({ id: ids.find((x) => x !== me.id), key: sessions.rows.find((s) => s.id === ids.find((x) => x !== me.id))?.key });
    expect(after.similar).toHaveLength(2);
    expect(after.similar[0].distance).toBeLessThan(after.similar[1].distance);
    expect(after.similar[0].distance).toBeCloseTo(Math.hypot(0.5, 0.1), 5);
    expect(after.typicalDistance).toBeGreaterThan(after.similar[0].distance);
    expect(before.typicalDistance).toBeNull();
    const findings = await ok('findings.list', {});
    expect(findings.total).toBeGreaterThan(0);
    const f = findings.rows[0];
    expect(f.triage).toBe('new');
    expect((await ok('findings.setTriage', { findingId: f.id, state: 'malicious' })).triage).toBe('malicious');
    expect((await ok('findings.list', { triage: ['malicious'] })).rows.map((r) => r.id)).toEqual([f.id]);
    const history = await ok('triage.history', { findingId: f.id });
    expect(history.map((h) => [h.from, h.to])).toEqual([['new', 'malicious']]);
    const out = join(tmp, 'report.json');
    const exported = await ok('export.run', { format: 'json', path: out });
    expect(exported.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(readFileSync(out, 'utf8')).findings.length).toBe(findings.total);
    expect(await ok('model.status', {})).toMatchObject({ trained: false, objective: null });
  });

  it('keeps case notes in the journal', async () => {
    const n = await ok('notes.add', { text: '<img src=x onerror=alert(1)> stays text', sessionId: 3 });
    const all = await ok('notes.list', { sessionId: 3 });
    expect(all.map((x) => x.id)).toContain(n.id);
    expect(all.find((x) => x.id === n.id)?.text).toBe('<img src=x onerror=alert(1)> stays text');
  });

  it('analyses in one job: sessions and training, then the hunt on the trained embeddings', async () => {
    const stages: string[] = [];
    const off = service.subscribe((e) => {
      if (e.type === 'job' && e.job.kind === 'analyse' && e.job.progress && stages.at(-1) !== e.job.progress.stage) stages.push(e.job.progress.stage);
    });
    const { jobId } = await ok('jobs.start', { kind: 'analyse', options: { epochs: 2 } });
    const end = await service.jobs.wait(jobId);
    off();
    expect(end.state, end.error?.message).toBe('done');
    // Each step reports under its own name, in order.
    expect(stages.indexOf('train')).toBeGreaterThanOrEqual(0);
    expect(stages.lastIndexOf('hunt')).toBeGreaterThan(stages.indexOf('train'));
    const model = await ok('model.status', {});
    expect(model.trained).toBe(true);
    expect(model.epochs).toHaveLength(2);
    // 37 events of a handful of identities: too few regular ones for the actor objective.
    expect(model.objective).toBe('verbs');
    expect((await ok('findings.list', {})).total).toBeGreaterThan(0);
    // Neighbours follow the newest embedding run, not the one read (and kept) before training.
    const sessions = await ok('sessions.list', { sort: 'time' });
    const near = await ok('sessions.neighbours', { sessionId: sessions.rows[0].id });
    expect(near.embeddingRunId).not.toBeNull();
    expect(near.embeddingRunId).toBeGreaterThan(1);
    expect(near.similar.length).toBeGreaterThan(0);
  });
});
