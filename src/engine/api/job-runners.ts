import { z } from 'zod';
import type { JobKind } from '../../shared/contract.ts';
import { huntCase } from '../hunt/case-hunt.ts';
import { ingest } from '../jobs/ingest.ts';
import { runTraining } from '../jobs/train-run.ts';
import { buildAllSessions } from '../sessions/build.ts';
import { DEFAULT_PRESET, getPreset, PRESETS, type PresetName } from '../sessions/presets.ts';
import { openCase, type Db } from '../store/db.ts';
import { iterateEvents } from '../store/events-read.ts';
import { runExportJob } from '../report/export-job.ts';
import type { Runner } from './job-protocol.ts';

const ingestParams = z.object({ paths: z.array(z.string()).min(1) });
const preset = z.enum(PRESETS as unknown as [string, ...string[]]).default(DEFAULT_PRESET);
const sessionParams = z.object({ preset, windowS: z.number().positive().optional() });
const trainParams = z.object({ preset, epochs: z.number().int().positive().optional(), seed: z.number().int().optional() });
const huntParams = z.object({ contamination: z.number().positive().max(0.5).optional() });
const analyseParams = trainParams.extend(huntParams.shape);

/** Runs `fn` on the case's own connection inside the worker, closing it whatever happens. */
async function withCase<T>(caseDir: string, fn: (db: Db) => Promise<T>): Promise<T> {
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
  sessions: ({ caseDir, params, signal, onProgress }) => {
    const p = sessionParams.parse(params);
    return withCase(caseDir, async (db) => {
      const pr = getPreset(p.preset);
      // A gap cut closes sessions while events still stream: the writes need the reads on a second connection.
      const reader = openCase(caseDir, { readonly: true });
      try {
        return buildAllSessions(db, iterateEvents(reader), { preset: pr, windowUs: Math.round((p.windowS ?? pr.cut.defaultWindowS) * 1e6), signal, onProgress });
      } finally {
        reader.close();
      }
    });
  },
  train: ({ caseDir, params, signal, onProgress }) => {
    const p = trainParams.parse(params);
    return withCase(caseDir, (db) => runTraining(db, caseDir, { preset: p.preset as PresetName, epochs: p.epochs, seed: p.seed }, { signal, onProgress }));
  },
  hunt: ({ caseDir, params, onProgress }) => {
    const p = huntParams.parse(params);
    return withCase(caseDir, async (db) => {
      // huntCase scores on the trained model's embeddings when the case has them.
      const r = await huntCase(db, { contamination: p.contamination, caseDir, onProgress });
      return { runId: r.runId, findings: r.findings.length };
    });
  },
  // Training builds the sessions it needs (its first stage), so the whole analysis is two steps on
  // one connection; the progress events keep their own stage names (sessions, train, hunt).
  analyse: ({ caseDir, params, signal, onProgress }) => {
    const p = analyseParams.parse(params);
    return withCase(caseDir, async (db) => {
      const trained = await runTraining(db, caseDir, { preset: p.preset as PresetName, epochs: p.epochs, seed: p.seed }, { signal, onProgress });
      signal.throwIfAborted();
      const hunt = await huntCase(db, { contamination: p.contamination, caseDir, onProgress });
      return { modelId: trained.modelId, sessions: trained.sessions, backend: trained.backend, runId: hunt.runId, findings: hunt.findings.length };
    });
  },
  // Started only by export.start, which confines the target path first (jobs.start does not offer 'export').
  export: ({ caseDir, params, signal, onProgress }) => withCase(caseDir, (db) => runExportJob(db, caseDir, params, { signal, onProgress })),
};

export const hasRunner = (kind: JobKind): boolean => Object.hasOwn(runners, kind);
