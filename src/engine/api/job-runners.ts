import { z } from 'zod';
import type { JobKind, JobResult } from '../../shared/contract.ts';
import { runStage, type CaseTarget, type StageResults } from '../case/stages.ts';
import { DEFAULT_PRESET, PRESETS, type PresetName } from '../sessions/presets.ts';
import { openCase } from '../store/db.ts';
import { exportJobParams, exportOptionsFor } from '../report/export-job.ts';
import type { Runner } from './job-protocol.ts';

const ingestParams = z.object({ paths: z.array(z.string()).min(1) });
const preset = z.enum(PRESETS as unknown as [string, ...string[]]).default(DEFAULT_PRESET);
const sessionParams = z.object({ preset, windowS: z.number().positive().optional() });
const trainParams = z.object({ preset, epochs: z.number().int().positive().optional(), seed: z.number().int().optional() });
const huntParams = z.object({ contamination: z.number().positive().max(0.5).optional() });
const analyseParams = trainParams.extend(huntParams.shape);

/** Runs `fn` on the case's own connection inside the worker, closing it whatever happens. */
async function withCase<T>(caseDir: string, fn: (c: CaseTarget) => Promise<T>): Promise<T> {
  const db = openCase(caseDir);
  try {
    return await fn({ dir: caseDir, db });
  } finally {
    db.close();
  }
}

/** A training run in the few numbers the jobs bar shows. */
const trained = (t: StageResults['train']) => ({ backend: t.backend, epochs: t.epochsRun, validationF1: t.validation?.micro ?? null, sessions: t.sessions });

/**
 * The long jobs a worker can run, by kind. A kind missing here has no engine yet: the job manager
 * refuses it with 'not-available-yet' before starting a thread. Each runner opens its own database
 * connection inside the worker (WAL lets the host keep reading meanwhile).
 */
export const runners: Partial<Record<JobKind, Runner>> = {
  ingest: ({ caseDir, params, signal, onProgress }) => {
    const { paths } = ingestParams.parse(params);
    return withCase(caseDir, async (c): Promise<JobResult> => {
      const r = await runStage(c, 'ingest', { paths }, { signal, onProgress });
      return { kind: 'ingest', files: r.evidenceItems, events: r.events, duplicates: r.duplicates, skippedLines: r.errors.total, unchangedFiles: r.skipped.length };
    });
  },
  sessions: ({ caseDir, params, signal, onProgress }) => {
    const p = sessionParams.parse(params);
    return withCase(caseDir, async (c): Promise<JobResult> => {
      const r = await runStage(c, 'sessions', { preset: p.preset as PresetName, windowS: p.windowS }, { signal, onProgress });
      return { kind: 'sessions', sessions: r.sessions, events: r.events };
    });
  },
  train: ({ caseDir, params, signal, onProgress }) => {
    const p = trainParams.parse(params);
    return withCase(caseDir, async (c): Promise<JobResult> => ({ kind: 'train', ...trained(await runStage(c, 'train', { preset: p.preset as PresetName, epochs: p.epochs, seed: p.seed }, { signal, onProgress })) }));
  },
  hunt: ({ caseDir, params, onProgress }) => {
    const p = huntParams.parse(params);
    return withCase(caseDir, async (c): Promise<JobResult> => {
      // The hunt scores on the trained model's embeddings when the case has them.
      const r = await runStage(c, 'hunt', { contamination: p.contamination }, { onProgress });
      return { kind: 'hunt', findings: r.findings.length, incidents: r.incidents.length };
    });
  },
  // Training builds the sessions it needs (its first stage), so the whole analysis is two steps on
  // one connection; the progress events keep their own stage names (sessions, train, hunt).
  analyse: ({ caseDir, params, signal, onProgress }) => {
    const p = analyseParams.parse(params);
    return withCase(caseDir, async (c): Promise<JobResult> => {
      const model = await runStage(c, 'train', { preset: p.preset as PresetName, epochs: p.epochs, seed: p.seed }, { signal, onProgress });
      signal.throwIfAborted();
      const hunt = await runStage(c, 'hunt', { contamination: p.contamination }, { onProgress });
      return { kind: 'analyse', ...trained(model), findings: hunt.findings.length, incidents: hunt.incidents.length };
    });
  },
  // Started only by export.start, which confines the target path first (jobs.start does not offer
  // 'export'): the worker trusts the path. One format per job, so its one file is the result.
  export: ({ caseDir, params, signal, onProgress }) => {
    const p = exportJobParams.parse(params);
    return withCase(caseDir, async (c): Promise<JobResult> => {
      const f = (await runStage(c, 'export', exportOptionsFor(p), { signal, onProgress })).files[0];
      return { kind: 'export', format: p.format, path: f.path, bytes: f.bytes, sha256: f.sha256 };
    });
  },
};

export const hasRunner = (kind: JobKind): boolean => Object.hasOwn(runners, kind);
