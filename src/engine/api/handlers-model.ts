import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { exportTarget } from './export-target.ts';
import type { EmbeddingMap, ModelStatus } from '../../shared/contract.ts';
import type { EpochProgress } from '../model/train.ts';
import { exportCase } from '../report/export.ts';
import { exportOptionsFor } from '../report/export-job.ts';
import type { Db } from '../store/db.ts';
import { sessionScores } from '../store/findings.ts';
import { getEmbeddings, latestModel } from '../store/model.ts';
import { listSessions } from '../store/sessions.ts';
import type { CaseState } from './case-state.ts';
import type { Handlers } from './dispatch.ts';
import { ApiFailure } from './errors.ts';
import type { JobManager } from './jobs.ts';
import type { PathPolicy } from './paths.ts';

type ModelHandlers = Pick<Handlers, 'model.status' | 'embeddings.get' | 'export.run' | 'export.start'>;

interface StoredMetrics {
  history?: EpochProgress[];
  validation?: { perVerb?: Record<string, { f1: number; precision: number; recall: number; support: number }> } | null;
}

/** The model's training record, the embedding maps before and after training, and export. */
export function modelHandlers(cases: CaseState, paths: PathPolicy, jobs: Pick<JobManager, 'start'>): ModelHandlers {
  const open = () => cases.require();
  // Inside the roots, in an existing directory, and not over anything but an unchanged export of this case.
  const checkedTarget = (db: Db, path: string): string => {
    const target = paths.creatable(path, 'The export');
    if (!existsSync(dirname(target)) || !statSync(dirname(target)).isDirectory()) throw new ApiFailure('user', `No such directory: ${dirname(target)}`);
    exportTarget(db, target);
    return target;
  };
  return {
    'model.status': (): ModelStatus => {
      const m = latestModel(open().db);
      if (!m) return { trained: false, backend: null, objective: null, epochs: [], perVerb: [] };
      const metrics = m.metrics as StoredMetrics;
      return {
        trained: true,
        backend: m.backend,
        // Models from before the actor objective name none: they learned the verbs.
        objective: m.config.objective === 'actor' ? 'actor' : 'verbs',
        epochs: (metrics.history ?? []).map((e) => ({ epoch: e.epoch, loss: e.loss, f1: Number.isFinite(e.valF1) ? e.valF1 : null })),
        perVerb: Object.entries(metrics.validation?.perVerb ?? {}).map(([verb, v]) => ({ verb, ...v })),
      };
    },
    'embeddings.get': ({ stage }): EmbeddingMap => {
      const db = open().db;
      const run = getEmbeddings(db, undefined, stage === 'before' ? 'untrained' : 'trained') ?? (stage === 'after' ? getEmbeddings(db) : null);
      if (!run || !run.projection) return { stage, points: [] };
      const verbs = new Map(listSessions(db, { preset: run.preset }).map((s) => [s.id, s.verbs[0] ?? '—']));
      const scores = sessionScores(db);
      const proj = run.projection;
      return {
        stage,
        points: Array.from(run.sessionIds, (id, i) => ({ sessionId: id, x: proj[2 * i], y: proj[2 * i + 1], verb: verbs.get(id) ?? '—', score: scores.get(id) ?? null })),
      };
    },
    'export.run': async ({ format, path, allEvents }) => {
      const c = open();
      const target = checkedTarget(c.db, path);
      const r = await exportCase(c.db, c.info.dir, exportOptionsFor({ format, path: target, allEvents }));
      const f = r.files[0];
      return { path: f.path, bytes: f.bytes, sha256: f.sha256 };
    },
    'export.start': ({ format, path, allEvents }) => {
      const c = open();
      const target = checkedTarget(c.db, path);
      return { jobId: jobs.start('export', c.info.dir, { format, path: target, allEvents }).id };
    },
  };
}
