// A case holds what a cluster logged (secrets in request bodies among it): its directory is 0700
// and its files 0600 whoever creates it, the API or the CLI's store, whatever the umask says.
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiService } from '../../../src/engine/api/service.ts';
import { CASE_DB, openCase } from '../../../src/engine/store/db.ts';
import { RAW_FILE } from '../../../src/engine/store/raw-file.ts';

let tmp: string;
let umask: number;
const mode = (p: string): string => (statSync(p).mode & 0o777).toString(8);

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'gumshoe-perms-'));
  // The common default: without the fix, new files come out 0644 and directories 0755.
  umask = process.umask(0o022);
});

afterAll(() => {
  process.umask(umask);
  rmSync(tmp, { recursive: true, force: true });
});

describe('case permissions', () => {
  it('creates the case directory 0700 and its database and raw file 0600 from the store', () => {
    const dir = join(tmp, 'cli', 'nested', 'case');
    openCase(dir, { create: true }).close();
    expect(mode(dir)).toBe('700');
    expect(mode(join(dir, CASE_DB))).toBe('600');
    expect(mode(join(dir, RAW_FILE))).toBe('600');
  });

  it('keeps them so through the API and an ingest (WAL files included)', async () => {
    const log = join(tmp, 'one.log');
    writeFileSync(
      log,
      `${JSON.stringify({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID: 'perm-1', stage: 'ResponseComplete', requestURI: '/api/v1/pods', verb: 'list', user: { username: 'bob' }, sourceIPs: ['10.1.1.1'], objectRef: { resource: 'pods' }, responseStatus: { code: 200 }, requestReceivedTimestamp: '2024-03-01T10:00:00.000000Z', stageTimestamp: '2024-03-01T10:00:00.010000Z' })}\n`,
    );
    const service = new ApiService({ transport: 'http' });
    try {
      const dir = join(tmp, 'api-case');
      const created = await service.call('cases.create', { dir });
      expect(created.ok).toBe(true);
      const added = (await service.call('evidence.add', { paths: [log] })) as { ok: true; value: { jobId: string } };
      expect((await service.jobs.wait(added.value.jobId)).state).toBe('done');
      expect(mode(dir)).toBe('700');
      for (const f of [CASE_DB, `${CASE_DB}-wal`, `${CASE_DB}-shm`, RAW_FILE]) if (existsSync(join(dir, f))) expect(`${f} ${mode(join(dir, f))}`).toBe(`${f} 600`);
      expect(statSync(join(dir, RAW_FILE)).size).toBeGreaterThan(0);
    } finally {
      await service.close();
    }
  });

  it('leaves the mode of a directory the user made alone', () => {
    const mine = mkdtempSync(join(tmp, 'shared-'));
    const before = mode(mine);
    openCase(mine, { create: true }).close();
    expect(mode(mine)).toBe(before);
    expect(mode(join(mine, CASE_DB))).toBe('600');
  });
});
