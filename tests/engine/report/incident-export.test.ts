import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { exportCase, type ExportResult } from '../../../src/engine/report/export.ts';
import { writeCaseJson } from '../../../src/engine/report/json-stream.ts';
import { CaseExportSchema, type CaseExport, type ExportEvent } from '../../../src/engine/report/schema.ts';
import { HashingFileSink } from '../../../src/engine/report/sink.ts';
import { listJournal } from '../../../src/engine/store/journal.ts';
import { buildIncidentCase, EVIL, FILLER_INCIDENTS, ID, META, type IncidentCase } from './incident-case.ts';

describe('JSON export led by incidents', () => {
  let c: IncidentCase;
  let exp: CaseExport;
  let all: CaseExport;
  let r: ExportResult;

  beforeAll(async () => {
    c = await buildIncidentCase();
    r = await exportCase(c.db, c.dir, { jsonPath: join(c.dir, 'case.json') });
    await exportCase(c.db, c.dir, { jsonPath: join(c.dir, 'all.json'), allEvents: true });
    exp = JSON.parse(readFileSync(join(c.dir, 'case.json'), 'utf8')) as CaseExport;
    all = JSON.parse(readFileSync(join(c.dir, 'all.json'), 'utf8')) as CaseExport;
  });
  afterAll(() => {
    c.db.close();
    rmSync(c.dir, { recursive: true, force: true });
  });

  it('puts incidents before findings, each with the fields a receiving tool keys on', () => {
    expect(CaseExportSchema.safeParse(exp).success).toBe(true);
    const keys = Object.keys(exp);
    expect(keys.indexOf('incidents')).toBeLessThan(keys.indexOf('findings'));
    expect(exp.incidents.map((i) => i.id)).toEqual(c.incidents.map((i) => i.id));
    expect(exp.incidents.map((i) => i.rank)).toEqual(c.incidents.map((_, n) => n + 1));
    for (const i of exp.incidents) {
      for (const k of ['id', 'start', 'end', 'score', 'severity', 'techniques', 'users', 'sourceIPs', 'auditIDs', 'findings', 'storyline', 'links', 'triage', 'notes'] as const) expect(i[k], `${i.id}.${k}`).toBeDefined();
    }
    const top = exp.incidents[0];
    expect(top.triage).toBe('malicious');
    expect(top.links.map((l) => l.kind)).toEqual(['granted-identity', 'shared-ip']);
    expect(top.storyline.find((s) => s.auditID === ID(5))?.summary).toContain('chroot /host sh');
    // Notes on the incident and on a finding inside it, not on others.
    expect(top.notes.map((n) => n.text)).toEqual([expect.stringContaining('alice was on leave'), 'Node node-1 imaged for disk forensics.']);
    expect(exp.incidents[1].notes).toEqual([]);
  });

  it('keeps every finding listed, and every id an incident names resolves', () => {
    const findings = new Set(exp.findings.map((f) => f.id));
    expect(findings).toEqual(new Set(['F-escape', 'F-binding', 'F-secret', 'F-delete']));
    const events = new Set(exp.events.map((e) => e.auditID));
    for (const i of exp.incidents) {
      for (const f of i.findings) expect(findings.has(f), f).toBe(true);
      for (const id of [...i.auditIDs, ...i.storyline.map((s) => s.auditID), ...i.links.flatMap((l) => l.auditIDs)]) expect(events.has(id), id).toBe(true);
    }
    // Cited events only, by default: the node-lease events are cited by the filler incidents.
    expect(exp.events).toHaveLength(9);
    expect(exp.allEvents).toBeUndefined();
  });

  it('carries the case fields, the marks and the indicators', () => {
    const { examiner, ...rest } = META;
    expect(exp.case).toMatchObject({ examiner, ...rest });
    expect(exp.marks.map((m) => [m.auditID, m.starred, m.tags])).toEqual([
      [ID(5), true, ['c2', 'escape']],
      [ID(8), false, ['hostile-strings']],
    ]);
    const ind = (kind: string) => exp.indicators.filter((i) => i.kind === kind).map((i) => i.value);
    // The low incidents (kubelet renewals) are new, not hostile: their node account is no indicator.
    expect(ind('account')).toEqual(['alice@example.com', 'system:serviceaccount:default:backdoor', EVIL.user]);
    expect(ind('image')).toEqual(['docker.io/evil/miner:1.0']);
    expect(ind('ip')[0]).toBe('203.0.113.7');
    expect(exp.incidents).toHaveLength(2 + FILLER_INCIDENTS);
  });

  it('includes every event of the case, with its original record, when asked', () => {
    expect(CaseExportSchema.safeParse(all).success).toBe(true);
    expect(all.allEvents!.map((e) => e.auditID)).toEqual(c.events.map((e) => e.auditID));
    for (const e of all.allEvents!) expect(JSON.parse(e.raw!).auditID).toBe(e.auditID);
    expect(all.allEvents!.find((e) => e.auditID === ID(8))!.raw).toContain(JSON.stringify(EVIL.user).slice(1, -1));
    // The rest of the document is the same export.
    const { allEvents: _a, exportedAt: _x, evidence: _e, journal: _j, ...restAll } = all;
    const { exportedAt: _y, evidence: _f, journal: _k, ...restCited } = exp;
    expect(restAll).toEqual(restCited);
  });

  it('journals the export with the case examiner and the hash of what it wrote', () => {
    const entry = listJournal(c.db).filter((j) => j.action === 'export')[0];
    expect(entry.actor).toBe(META.examiner);
    const files = entry.detail.files as { kind: string; sha256: string; bytes: number }[];
    const bytes = readFileSync(join(c.dir, 'case.json'));
    expect(files).toEqual([{ path: join(c.dir, 'case.json'), kind: 'json', sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length }]);
    expect(r.files[0].sha256).toBe(files[0].sha256);
  });
});

describe('streamed JSON', () => {
  it('writes each event before the next is read: the all-events array is never built in memory', () => {
    const exp = { format: 'gumshoe-case-export', n: 1 } as unknown as CaseExport;
    const written: string[] = [];
    const sink = { write: (s: string) => void written.push(s) } as unknown as HashingFileSink;
    const seenBefore: number[] = [];
    function* events(): Generator<ExportEvent> {
      for (let i = 0; i < 4; i++) {
        seenBefore.push(written.join('').split('"auditID"').length - 1);
        yield { auditID: `e${i}`, time: '2026-01-01T00:00:00Z', evidencePath: null, line: null, record: null, raw: '{"x":"\\u2028 \\" ,"}' };
      }
    }
    writeCaseJson(sink, exp, events());
    expect(seenBefore).toEqual([0, 1, 2, 3]);
    const doc = JSON.parse(written.join('')) as { allEvents: ExportEvent[]; n: number };
    expect(doc.n).toBe(1);
    expect(doc.allEvents.map((e) => e.auditID)).toEqual(['e0', 'e1', 'e2', 'e3']);
    // An empty case still gives valid JSON.
    const w2: string[] = [];
    writeCaseJson({ write: (s: string) => void w2.push(s) } as unknown as HashingFileSink, exp, [][Symbol.iterator]());
    expect(JSON.parse(w2.join(''))).toEqual({ format: 'gumshoe-case-export', n: 1, allEvents: [] });
  });
});
