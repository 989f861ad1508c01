import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ApiService } from '../../../src/engine/api/service.ts';
import { callers, incidentService } from './fixtures/incident-service.ts';

let dir: string;
let service: ApiService;

const { call, ok } = callers(() => service);

beforeAll(async () => {
  ({ dir, service } = await incidentService());
});
afterAll(async () => {
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('export over the API', () => {
  it('export.run writes the hand-off formats and answers with each file hash', async () => {
    for (const format of ['timesketch', 'csv', 'stix', 'navigator'] as const) {
      const path = join(dir, `api.${format}`);
      const r = await ok('export.run', { format, path });
      expect(r.path).toBe(path);
      expect(r.sha256).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
    }
    const all = await ok('export.run', { format: 'json', path: join(dir, 'api-all.json'), allEvents: true });
    expect((JSON.parse(readFileSync(all.path, 'utf8')) as { allEvents: unknown[] }).allEvents).toHaveLength(9);
  });

  it('export.start runs the export as a job in a worker and confines its path first', async () => {
    const refused = await call('export.start', { format: 'pdf', path: '/etc/cron.d/report.pdf' });
    expect(refused.ok ? 'ok' : refused.error.code).toBe('forbidden');
    const path = join(dir, 'job.pdf');
    const { jobId } = await ok('export.start', { format: 'pdf', path });
    const end = await service.jobs.wait(jobId);
    expect(end.kind).toBe('export');
    expect(end.state, end.error?.message).toBe('done');
    // The worker reported its stages: the last one drew the report.
    expect(end.progress?.stage).toBe('pdf');
    expect(existsSync(path) && readFileSync(path).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // The job's result names the file, its size and its SHA-256, as written on disk.
    const bytes = readFileSync(path);
    expect(end.result).toEqual({ kind: 'export', format: 'pdf', path, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    expect(service.jobs.list().find((j) => j.id === jobId)?.result).toEqual(end.result);
    // jobs.start does not offer 'export': only export.start, which checks the path, can start one.
    const direct = await call('jobs.start', { kind: 'export' as 'hunt', options: { format: 'pdf', path: '/etc/x.pdf' } });
    expect(direct.ok ? 'ok' : direct.error.code).toBe('invalid-argument');
  });
});
