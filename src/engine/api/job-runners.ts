import { z } from 'zod';
import type { JobKind } from '../../shared/contract.ts';
import { ingest } from '../jobs/ingest.ts';
import { openCase } from '../store/db.ts';
import type { Runner } from './job-protocol.ts';

const ingestParams = z.object({ paths: z.array(z.string()).min(1) });

/** Runs `fn` on the case's own connection inside the worker, closing it whatever happens. */
async function withCase<T>(caseDir: string, fn: (db: ReturnType<typeof openCase>) => Promise<T>): Promise<T> {
  const db = openCase(caseDir);
  try {
    return await fn(db);
  } finally {
    db.close();
  }
}

/**
 * The long jobs a worker can run, by kind. A kind missing here has no engine yet: the job manager
 * refuses it with 'not-available-yet' before starting a thread. Each runner opens its own database
 * connection inside the worker (WAL lets the host keep reading meanwhile).
 */
export const runners: Partial<Record<JobKind, Runner>> = {
  ingest: ({ caseDir, params, signal, onProgress }) => {
    const { paths } = ingestParams.parse(params);
    return withCase(caseDir, (db) => ingest(db, paths, { signal, onProgress }));
  },
};

export const hasRunner = (kind: JobKind): boolean => Object.hasOwn(runners, kind);
