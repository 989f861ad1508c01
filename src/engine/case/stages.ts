import { ensureSearchIndex } from '../events/search.ts';
import { ingest, type IngestOptions, type IngestSummary } from '../jobs/ingest.ts';
import { TrainJobCancelled, trainInWorker } from '../jobs/train.ts';
import type { TrainJobParams, TrainJobResult } from '../jobs/train-run.ts';
import type { CaseHuntOptions } from '../hunt/case-hunt.ts';
import type { HuntResult } from '../hunt/hunt.ts';
import type { ExportOptions, ExportResult } from '../report/export.ts';
import { buildAllSessions, type BuildResult } from '../sessions/build.ts';
import { getPreset, type PresetName } from '../sessions/presets.ts';
import { currentExaminer } from '../store/case-meta.ts';
import { openCase, type Db } from '../store/db.ts';
import { appendJournal } from '../store/journal.ts';
import { iterateEvents } from '../store/events-read.ts';
import { openExistingCase } from '../store/open.ts';
import { verifyCase, verifyStore, type VerifyResult } from '../store/verify.ts';
import type { ProgressFn } from '../util/progress.ts';

/** Training stopped by its signal (the CLI exits 130 on it). */
export { TrainJobCancelled };

/**
 * The case pipeline's stages, in the order a case goes through them. Each reads what an earlier
 * one left in the store and writes its own results there; none calls another (docs/pipeline.md).
 */
export const STAGES = ['ingest', 'sessions', 'train', 'hunt', 'export', 'verify'] as const;
export type StageName = (typeof STAGES)[number];

/** What each stage is asked to do (progress and cancellation travel in the StageContext). */
export interface StageOptions {
  ingest: { paths: readonly string[] } & Omit<IngestOptions, 'onProgress' | 'signal'>;
  sessions: { preset: PresetName; windowS?: number };
  /**
   * `inWorker` trains on a thread of its own, with its own connection (the CLI and the demo, whose
   * main thread draws the progress bar); a job worker is already off the main thread and trains in place.
   */
  train: TrainJobParams & { inWorker?: boolean };
  hunt: Omit<CaseHuntOptions, 'caseDir' | 'onProgress'>;
  export: Omit<ExportOptions, 'onProgress' | 'signal'>;
  verify: Record<string, never>;
}

/** What each stage returns; its lasting output is in the store. */
export interface StageResults {
  ingest: IngestSummary;
  sessions: BuildResult;
  train: TrainJobResult;
  hunt: HuntResult & { runId: number; preset: string | null };
  export: ExportResult;
  /** Every evidence item re-hashed, and the case's own raw-record file against its seals. */
  verify: { evidence: VerifyResult[]; store: VerifyResult[] };
}

export interface StageContext {
  onProgress?: ProgressFn;
  /** Checked between rows or steps; the hunt and verify stages run to the end once started. */
  signal?: AbortSignal;
}

/**
 * The case a stage runs on: its directory, opened (and closed) for the one stage, or an open
 * connection the caller keeps (the ingest command, which cleans up a failed new case, and the
 * demo and job workers, which run several stages on one connection). The directory is needed
 * either way: the model's files, training's second connection and the export's report live there.
 */
export type CaseTarget = string | { dir: string; db: Db };

/** How a stage opens a case given by directory: ingest makes it, verify only reads, the rest need it to exist. */
function open(dir: string, stage: StageName): Db {
  if (stage === 'ingest') return openCase(dir, { create: true });
  return openExistingCase(dir, { readonly: stage === 'verify' });
}

/**
 * Run one stage on one case: the only way the CLI, the API's job workers and the demo start a
 * stage. The model's and the PDF writer's code is imported when its stage runs (together ~1 s),
 * so `--help` and the light commands never pay for it.
 */
export async function runStage<S extends StageName>(target: CaseTarget, stage: S, options: StageOptions[S], ctx: StageContext = {}): Promise<StageResults[S]> {
  const dir = typeof target === 'string' ? target : target.dir;
  // Training in a worker opens its own connection: the caller's is not needed, nor is one of ours.
  if (stage === 'train' && (options as StageOptions['train']).inWorker) {
    const { inWorker: _inWorker, ...params } = options as StageOptions['train'];
    const trained = await trainInWorker(dir, params, ctx);
    const db = typeof target === 'string' ? openExistingCase(dir) : target.db;
    try {
      journalTraining(db, trained);
    } finally {
      if (typeof target === 'string') db.close();
    }
    return trained as StageResults[S];
  }
  const db = typeof target === 'string' ? open(dir, stage) : target.db;
  try {
    // TypeScript cannot tie `options` to `stage` through the table; runStage's signature does.
    return (await STAGE[stage](db, dir, options as never, ctx)) as StageResults[S];
  } finally {
    if (typeof target === 'string') db.close();
  }
}

/**
 * The stages that change the case journal themselves, with the examiner as actor, so the case
 * journal is the whole chain of custody: what was loaded, cut and trained, by whom, when. (The hunt
 * journals in huntCase, export in exportCase; verify only reads.) The details are counts, never
 * event lists: the journal is read whole by the report.
 */
function journalTraining(db: Db, r: TrainJobResult): void {
  appendJournal(db, {
    action: 'train',
    actor: currentExaminer(db),
    detail: {
      modelId: r.modelId, preset: r.preset, backend: r.backend, sessions: r.sessions, imported: r.imported,
      epochs: r.epochsRun, bestEpoch: r.bestEpoch, validationF1: r.validation?.micro ?? null, embeddingRunId: r.embeddingRunId,
    },
  });
}

type StageFn<S extends StageName> = (db: Db, dir: string, options: StageOptions[S], ctx: StageContext) => Promise<StageResults[S]>;

const STAGE: { [S in StageName]: StageFn<S> } = {
  ingest: async (db, _dir, { paths, ...options }, ctx) => {
    const summary = await ingest(db, paths, { ...options, ...ctx });
    // The search index is built here, in the job, not by the first search on the thread serving
    // the UI (28 s for 672K events on a quiet machine, docs/ui.md).
    ensureSearchIndex(db);
    appendJournal(db, {
      action: 'ingest',
      actor: currentExaminer(db),
      detail: {
        runId: summary.runId, paths: [...paths], files: summary.evidenceItems, events: summary.events, duplicates: summary.duplicates,
        recordErrors: summary.errors.total, unchangedFiles: summary.skipped.length, bytes: summary.bytes,
      },
    });
    return summary;
  },
  sessions: async (db, dir, { preset: name, windowS }, ctx) => {
    const preset = getPreset(name);
    // A gap cut closes sessions while events still stream: the writes need the reads on a second connection.
    const reader = openCase(dir, { readonly: true });
    try {
      const windowUs = Math.round((windowS ?? preset.cut.defaultWindowS) * 1e6);
      const built = buildAllSessions(db, iterateEvents(reader), { preset, windowUs, ...ctx });
      appendJournal(db, { action: 'sessions', actor: currentExaminer(db), detail: { preset: name, windowS: windowUs / 1e6, sessions: built.sessions, events: built.events } });
      return built;
    } finally {
      reader.close();
    }
  },
  train: async (db, dir, { inWorker: _inWorker, ...params }, ctx) => {
    const { runTraining } = await import('../jobs/train-run.ts');
    const trained = await runTraining(db, dir, params, ctx);
    journalTraining(db, trained);
    return trained;
  },
  hunt: async (db, dir, options, ctx) => {
    const { huntCase } = await import('../hunt/case-hunt.ts');
    return huntCase(db, { ...options, caseDir: dir, onProgress: ctx.onProgress });
  },
  export: async (db, dir, options, ctx) => {
    const { exportCase } = await import('../report/export.ts');
    return exportCase(db, dir, { ...options, ...ctx });
  },
  verify: async (db, _dir, _options, ctx) => {
    const evidence = await verifyCase(db, { onProgress: ctx.onProgress });
    return { evidence, store: verifyStore(db) };
  },
};
