import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { automaticSummary } from '../../../src/engine/report/auto-summary.ts';
import { exportCase } from '../../../src/engine/report/export.ts';
import { evidenceName, hashLines } from '../../../src/engine/report/pdf/evidence-page.ts';
import { roundNumber, settingLines } from '../../../src/engine/report/round.ts';
import type { CaseExport } from '../../../src/engine/report/schema.ts';
import { buildIncidentCase, EVIL, MEMBER, META, type IncidentCase } from './incident-case.ts';
import { pdfkitText } from './pdf-text.ts';

describe('the PDF a lead signs', () => {
  let c: IncidentCase;
  let exp: CaseExport;
  let text: string;
  /** The text with all whitespace removed: wrapped values read whole. */
  let flat: string;

  beforeAll(async () => {
    c = await buildIncidentCase();
    exp = (await exportCase(c.db, c.dir, { pdfPath: join(c.dir, 'r.pdf') })).export;
    // PDFKit's own text in drawing order: a wrapped cell's lines stay together (pdftotext would
    // interleave them with the next column's).
    text = pdfkitText(readFileSync(join(c.dir, 'r.pdf')));
    flat = text.replace(/\s+/g, '');
  });
  afterAll(() => {
    c.db.close();
    rmSync(c.dir, { recursive: true, force: true });
  });

  it('puts case number, requester, scope and examiner on the cover', () => {
    const cover = text.slice(0, text.indexOf('Executive summary'));
    for (const v of [META.caseNumber, META.requester, META.scope, META.examiner]) expect(cover).toContain(v);
  });

  it("has the examiner's summary and conclusions and a computed one", () => {
    expect(flat).toContain(META.summary.replace(/\s+/g, ''));
    expect(flat).toContain(META.conclusions.replace(/\s+/g, ''));
    expect(flat).toContain('Thehuntfound13incidents(1critical,1high,11low),holding4findings.');
    expect(flat).toContain('T1611EscapetoHost');
  });

  it('tables the indicators: accounts, addresses, images, objects', () => {
    const ind = text.slice(text.indexOf('Indicators'), text.indexOf('Timeline of activity'));
    for (const v of ['system:serviceaccount:default:backdoor', '203.0.113.7', 'docker.io/evil/miner:1.0', 'clusterrolebindings backdoor-admin']) expect(ind).toContain(v);
  });

  it('details every incident, past the old top ten, with storyline, triage and notes', () => {
    for (const i of exp.incidents) expect(text, i.id).toContain(`Incident ${i.rank} · ${i.id}`);
    expect(text).toContain('triage: malicious');
    expect(flat).toContain('exec`chroot/hostsh`indefault/debug-qbv8scontainerdebug');
    expect(flat).toContain('listsecretskube-system—denied(403Forbidden)'.replace('—', '--'));
    expect(text).toContain('alice was on leave');
    expect(text).toContain('<b>not bold</b>');
    expect(flat).toContain('onfindingF-escape:Nodenode-1imagedfordiskforensics.');
  });

  it('lists the marked events with their tags and comments', () => {
    const marks = text.slice(text.indexOf('Marked events'));
    expect(marks).toContain('the moment of escape');
    expect(marks).toContain('hostile-strings');
  });

  it('names archive members by their path inside the archive and prints every hash in full', () => {
    expect(flat).toContain(`member${MEMBER}`);
    for (const e of exp.evidence) expect(flat, e.path).toContain(e.sha256!);
    expect(text).not.toContain('bundle.tar.gz!/');
  });

  it('rounds settings in the appendix and prints log strings as inert text', () => {
    expect(text).toContain('0.00612');
    expect(text).not.toContain('0.006123456789');
    expect(text).toContain('0.618');
    expect(text).toContain(EVIL.namespace);
    expect(flat).toContain(EVIL.user.replace(/\s+/g, ''));
    expect(text).not.toContain('\u202E');
  });
});

describe('report helpers', () => {
  it('rounds to three significant digits and flattens settings', () => {
    expect(roundNumber(0.006123456789)).toBe('0.00612');
    expect(roundNumber(0.1 + 0.2)).toBe('0.3');
    expect(roundNumber(325000)).toBe('325,000');
    expect(settingLines({ a: 1.23456, b: { c: [0.111111, 2], d: null }, e: Array.from({ length: 10 }, (_, i) => i) })).toEqual([
      ['a', '1.23'],
      ['b.c', '[0.111, 2]'],
      ['b.d', '(none)'],
      ['e', '0, 1, 2, 3, 4, 5, 6, 7, ... (10 in all)'],
    ]);
    expect(settingLines({ history: [{ epoch: 1, loss: 0.123456 }, { epoch: 2, loss: 0.1 }] })).toEqual([['history', '2 entries (in the JSON export)']]);
  });

  it('names an archive member by its member path, a file by its path; halves a hash', () => {
    expect(evidenceName({ path: '/cases/b.tar.gz!/logs/audit.log.1.gz', parent: '/cases/b.tar.gz' })).toEqual(['member logs/audit.log.1.gz', 'in /cases/b.tar.gz']);
    expect(evidenceName({ path: '/cases/audit.log', parent: null })).toEqual(['/cases/audit.log']);
    const h = 'ab'.repeat(32);
    expect(hashLines(h).join('')).toBe(h);
    expect(hashLines(null)).toEqual(['(none)']);
  });

  it('summarises a case without incidents', () => {
    const lines = automaticSummary({ case: { events: 5, from: null, to: null }, evidence: [], incidents: [], findings: [] } as unknown as CaseExport);
    expect(lines).toEqual(['The evidence holds 5 audit events, in 0 evidence items.', 'The hunt produced no incidents and no findings.']);
  });
});
