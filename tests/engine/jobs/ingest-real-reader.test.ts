import { afterAll, beforeAll, expect, it } from 'vitest';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';
import { ingest } from '../../../src/engine/jobs/ingest.ts';
import { verifyCase } from '../../../src/engine/store/verify.ts';
import { openCase } from '../../../src/engine/store/db.ts';
import { listEvidence } from '../../../src/engine/store/evidence.ts';
import { getEventSources, getRawRecord } from '../../../src/engine/store/events-read.ts';
import { listErrors } from '../../../src/engine/store/record-errors.ts';
import { caseSummary } from '../../../src/engine/store/summary.ts';
import { describeWithCorpus } from '../../corpus.ts';

const shared = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
const captured = join(shared, 'captured');
let root = '';
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'gumshoe-real-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function tarGz(path: string, members: Record<string, Buffer>): Promise<void> {
  const pack = tar.pack();
  const out = createWriteStream(path);
  pack.pipe(createGzip()).pipe(out);
  for (const [name, body] of Object.entries(members)) pack.entry({ name }, body);
  pack.finalize();
  await once(out, 'finish');
}

describeWithCorpus('the real reader on the captured logs')('ingest with the real reader', () => {
  it('accounts for every record of the shared captures: each an event or an error', async () => {
    const db = openCase(join(root, 'captured'), { create: true });
    const s = await ingest(db, [captured]);
    const sum = caseSummary(db, { errors: 1000 });
    const items = listEvidence(db);
    // What each item says it decoded is what the store holds, stage copies and duplicates included.
    expect(sum.records).toBe(items.reduce((n, e) => n + e.events, 0));
    expect(sum.errors.total).toBe(items.reduce((n, e) => n + e.errors, 0));
    expect(s.events + s.duplicates).toBe(sum.records);
    expect(items.find((e) => e.path.endsWith('audit2rbac/demo.log'))).toMatchObject({ events: 37, errors: 0, formats: ['raw'] });
    expect(items.find((e) => e.path.endsWith('sysdig-aks/event.json'))).toMatchObject({ events: 22, formats: ['aks'] });
    // The three Stratus samples with trailing commas are errors with their line, not crashes.
    const stratus = listErrors(db).filter((e) => e.path.includes('stratus-red-team'));
    // Each of them, holding no other record, is also said to hold no audit event.
    expect(stratus.map((e) => e.code)).toEqual(['json', 'no-events', 'json', 'no-events', 'json', 'no-events']);
    expect(stratus.every((e) => e.line > 0)).toBe(true);
    expect(items.every((e) => e.status === 'done' && /^[0-9a-f]{64}$/.test(e.sha256 ?? ''))).toBe(true);
    // Raw text comes back byte for byte, from the case's raw file rather than from SQLite.
    const demoLines = readFileSync(join(captured, 'audit2rbac/demo.log'), 'utf8').split('\n').filter((l) => l !== '');
    const last = demoLines[demoLines.length - 1];
    expect(getRawRecord(db, (JSON.parse(last) as { auditID: string }).auditID)).toBe(last);
    expect(db.prepare("SELECT count(*) FROM event_raw WHERE raw <> ''").pluck().get()).toBe(0);
    // Each thread's CPU is reported apart (bench:ingest divides MB by each); Linux says, others null.
    if (process.platform === 'linux') {
      expect(s.readerCpuSeconds).toBeGreaterThanOrEqual(0);
      expect(s.writerCpuSeconds).toBeGreaterThanOrEqual(0);
    } else {
      expect([s.readerCpuSeconds, s.writerCpuSeconds]).toEqual([null, null]);
    }
    db.close();
  });

  it('reads the bundled sample as its README says', async () => {
    const sample = fileURLToPath(new URL('../../../resources/sample/logs/', import.meta.url));
    const db = openCase(join(root, 'sample'), { create: true });
    const s = await ingest(db, [sample]);
    expect([s.events, s.events + s.duplicates, s.errors.total]).toEqual([6, 8, 1]);
    const exec = getEventSources(db, 'c47d91b0-3e2a-4f6c-8d15-7a9b0e4c3f03');
    expect(exec.map((x) => [x.path.split('/').pop(), x.stage])).toEqual([
      ['kube-apiserver-audit.log', 'RequestReceived'],
      ['kube-apiserver-audit.log', 'ResponseComplete'],
      ['kube-apiserver-audit.log.1', 'ResponseComplete'],
    ]);
    expect(listErrors(db)[0]).toMatchObject({ line: 4 });
    db.close();
  });

  it('hashes archive members, dedupes across copies, and verifies them by streaming the archive again', async () => {
    const demo = readFileSync(join(captured, 'audit2rbac/demo.log'));
    const bundle = join(root, 'bundle.tar.gz');
    await tarGz(bundle, { 'node-a/audit.log': demo, 'node-b/audit.log': demo });
    const loose = join(root, 'loose.log');
    writeFileSync(loose, demo);
    const db = openCase(join(root, 'archive'), { create: true });
    const s = await ingest(db, [bundle, loose]);
    expect(s.events).toBe(37);
    expect(s.duplicates).toBe(74);
    const items = listEvidence(db);
    expect(items.map((e) => e.path)).toEqual([bundle, `${bundle}!/node-a/audit.log`, `${bundle}!/node-b/audit.log`, loose]);
    const firstID = (JSON.parse(demo.toString('utf8').split('\n')[0]) as { auditID: string }).auditID;
    expect(getEventSources(db, firstID).map((x) => x.path)).toEqual(items.slice(1).map((e) => e.path));

    const ok = await verifyCase(db);
    expect(ok.map((r) => [r.path, r.status])).toEqual(items.map((e) => [e.path, 'ok']));
    // A different archive at the same path: the container and its members no longer match.
    await tarGz(bundle, { 'node-a/audit.log': demo, 'node-b/audit.log': Buffer.concat([demo, Buffer.from('\n')]) });
    const bad = new Map((await verifyCase(db)).map((r) => [r.path, r.status]));
    expect([bad.get(bundle), bad.get(`${bundle}!/node-a/audit.log`), bad.get(`${bundle}!/node-b/audit.log`), bad.get(loose)]).toEqual(['changed', 'ok', 'changed', 'ok']);
    rmSync(bundle);
    expect((await verifyCase(db)).filter((r) => r.status === 'missing').map((r) => r.path)).toEqual(items.slice(0, 3).map((e) => e.path));
    db.close();
  });
});
