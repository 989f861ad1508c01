import { afterAll, beforeAll, expect, it } from 'vitest';
import { appendFileSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { exportCase } from '../../../src/engine/report/export.ts';
import { caseExportJsonSchema, CaseExportSchema, type CaseExport } from '../../../src/engine/report/schema.ts';
import { addNote, setTriage } from '../../../src/engine/store/notes.ts';
import { eventTimeline, listFindings } from '../../../src/engine/store/findings.ts';
import { listJournal } from '../../../src/engine/store/journal.ts';
import type { Db } from '../../../src/engine/store/db.ts';
import { buildCase, DEMO_LOG, HOSTILE } from './case-fixture.ts';
import { describeWithCorpus } from '../../corpus.ts';
import { pdfToText } from './pdf-text.ts';

const NOTE = `Checked with ops <img src=x onerror=alert(1)> \u202Eevil\u0000 ✓`;

describeWithCorpus('case export (built on audit2rbac demo.log)')('case export', () => {
  let c: { dir: string; db: Db; hostileFile: string; hostileAuditID: string };
  let exp: CaseExport;
  let pdf: Buffer;
  let files: { path: string; sha256: string }[];

  beforeAll(async () => {
    c = await buildCase();
    const top = listFindings(c.db)[0];
    setTriage(c.db, top.id, 'investigating', 'ana');
    addNote(c.db, top.id, NOTE, 'ana');
    const r = await exportCase(c.db, c.dir, { jsonPath: join(c.dir, 'case.json'), pdfPath: join(c.dir, 'case.pdf'), examiner: 'A. Analyst' });
    exp = JSON.parse(readFileSync(join(c.dir, 'case.json'), 'utf8')) as CaseExport;
    pdf = readFileSync(join(c.dir, 'case.pdf'));
    files = r.files;
  });
  afterAll(() => {
    c.db.close();
    rmSync(c.dir, { recursive: true, force: true });
  });

  it('validates against the schema and carries every required finding field', () => {
    const parsed = CaseExportSchema.safeParse(exp);
    expect(parsed.success, JSON.stringify(parsed.error?.issues.slice(0, 3))).toBe(true);
    expect(exp.findings.length).toBeGreaterThan(1);
    for (const f of exp.findings) {
      for (const k of ['id', 'kind', 'start', 'end', 'score', 'severity', 'techniques', 'users', 'sourceIPs', 'auditIDs'] as const) expect(f[k]).toBeDefined();
    }
    // Riskiest first, as in the store.
    expect(exp.findings.map((f) => f.score)).toEqual([...exp.findings.map((f) => f.score)].sort((a, b) => b - a));
    // A schema the validator rejects: a finding without its auditIDs.
    const broken = structuredClone(exp) as unknown as { findings: Record<string, unknown>[] };
    delete broken.findings[0].auditIDs;
    expect(CaseExportSchema.safeParse(broken).success).toBe(false);
  });

  it('matches the committed JSON Schema document', () => {
    const committed = JSON.parse(readFileSync(new URL('../../../docs/case-export.schema.json', import.meta.url), 'utf8')) as unknown;
    expect(committed).toEqual(caseExportJsonSchema());
  });

  it('cites the original record text of every event a finding or reason names', () => {
    const byId = new Map(exp.events.map((e) => [e.auditID, e]));
    for (const f of exp.findings) {
      for (const id of [...f.auditIDs, ...f.reasons.flatMap((r) => r.auditIDs)]) expect(byId.get(id)?.raw, id).toBeTypeOf('string');
    }
    const demoLines = new Set(readFileSync(DEMO_LOG, 'utf8').split('\n'));
    const fromDemo = exp.events.filter((e) => e.evidencePath === DEMO_LOG);
    expect(fromDemo.length).toBeGreaterThan(0);
    for (const e of fromDemo) expect(demoLines.has(e.raw!)).toBe(true);
    const hostile = byId.get(c.hostileAuditID)!;
    expect(hostile.raw).toBe(readFileSync(c.hostileFile, 'utf8').trimEnd());
    expect(JSON.parse(hostile.raw!).userAgent).toBe(HOSTILE.userAgent);
  });

  it('re-verifies evidence hashes, carries notes and triage, and journals the export with file hashes', () => {
    expect(exp.evidence.map((e) => e.verification.status)).toEqual(['match', 'match']);
    const top = exp.findings[0];
    expect(top.triage).toBe('investigating');
    expect(top.notes.map((n) => n.text)).toEqual([NOTE]);
    expect(exp.journal.map((j) => j.action)).toEqual(['triage', 'note']);
    const last = listJournal(c.db).at(-1)!;
    expect(last.action).toBe('export');
    const written = (last.detail.files as { path: string; sha256: string }[]).map((f) => f.sha256);
    expect(written).toEqual(files.map((f) => f.sha256));
    expect(written[1]).toBe(createHash('sha256').update(pdf).digest('hex'));
  });

  it('writes a PDF with finding titles as text, and hostile strings as inert text', () => {
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfToText(pdf);
    for (const f of exp.findings) expect(text).toContain(f.title.slice(0, 30));
    expect(text).toContain('<script>alert(1)</script>');
    expect(text).toContain('<img src=x onerror=alert(1)>');
    expect(text).toContain('[U+202E]evil[U+0000]');
    expect(text).not.toContain('\u202E');
    expect(text).not.toContain('\u0000');
  });

  it('buckets every event into the timeline', () => {
    const tl = eventTimeline(c.db, 10)!;
    expect(tl.counts).toHaveLength(10);
    expect(tl.counts.reduce((a, b) => a + b, 0)).toBe(exp.case.events);
    expect(tl.counts[0]).toBeGreaterThan(0);
    expect(tl.counts[9]).toBeGreaterThan(0);
  });

  it('says when evidence changed since acquisition', async () => {
    appendFileSync(c.hostileFile, '\n');
    const r = await exportCase(c.db, c.dir, {});
    expect(r.files).toEqual([]);
    expect(r.export.evidence.map((e) => e.verification.status)).toEqual(['match', 'mismatch']);
  });
});
