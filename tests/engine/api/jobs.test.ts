import { describe, expect, it } from 'vitest';
import type { JobInfo, JobKind } from '../../../src/shared/contract.ts';
import { JobManager } from '../../../src/engine/api/jobs.ts';

const runnersModule = new URL('./fixtures/test-runners.ts', import.meta.url).href;

describe('JobManager', () => {
  it('runs a job in a worker and reports its progress in order', async () => {
    const seen: JobInfo[] = [];
    const jobs = new JobManager({ runnersModule, onChange: (j) => seen.push(j) });
    const job = jobs.start('ingest', '/nowhere', { n: 5 });
    const end = await jobs.wait(job.id);
    expect(end.state).toBe('done');
    const dones = new Set(seen.filter((j) => j.progress).map((j) => j.progress?.done));
    expect([...dones]).toEqual([1, 2, 3, 4, 5]);
    expect(seen.at(-1)?.state).toBe('done');
    // The runner's answer reaches the job, and no event before the last carries one.
    expect(end.result).toEqual({ kind: 'sessions', sessions: 5, events: 5 });
    expect(seen.at(-1)?.result).toEqual(end.result);
    expect(seen.slice(0, -1).every((j) => j.result === null)).toBe(true);
  });

  it('reports a failing job as failed with the error message', async () => {
    const jobs = new JobManager({ runnersModule });
    const end = await jobs.wait(jobs.start('hunt', '/nowhere', {}).id);
    expect(end.state).toBe('failed');
    expect(end.error?.message).toContain('the hunt broke');
    expect(end.result).toBeNull();
  });

  it('cancels a running job', async () => {
    let resolveFirst: () => void = () => undefined;
    const progressed = new Promise<void>((r) => (resolveFirst = r));
    const j = new JobManager({ runnersModule, onChange: (i) => i.progress && resolveFirst() });
    const job = j.start('ingest', '/nowhere', { n: 1, hang: true });
    await progressed;
    expect(j.cancel(job.id)).toBe(true);
    const end = await j.wait(job.id);
    expect(end.state).toBe('cancelled');
    expect(end.error).toBeNull();
    expect(j.cancel(job.id)).toBe(false);
    expect(j.list().map((i) => i.state)).toEqual(['cancelled']);
  });

  it('terminates a job that does not stop when cancelled', async () => {
    let started: () => void = () => undefined;
    const progressed = new Promise<void>((r) => (started = r));
    const jobs = new JobManager({ runnersModule, cancelGraceMs: 100, onChange: (i) => i.progress && started() });
    const job = jobs.start('sessions', '/nowhere', {});
    await progressed;
    jobs.cancel(job.id);
    const end = await jobs.wait(job.id);
    expect(end.state).toBe('cancelled');
    expect(end.finishedAt).not.toBeNull();
  });

  it('refuses a kind with no engine behind it', () => {
    const jobs = new JobManager();
    // Every kind the contract names has a runner now; a kind outside the table is what it refuses.
    expect(() => jobs.start('no-such-kind' as JobKind, '/nowhere', {})).toThrow(/not available yet/);
  });
});
