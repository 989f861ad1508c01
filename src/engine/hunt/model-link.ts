import { join } from 'node:path';
import type { Db } from '../store/db.ts';
import { getEmbeddings, getModel, saveClassProbabilities, type EmbeddingRun } from '../store/model.ts';
import { selectBackend } from '../model/backend.ts';
import { classProbabilities, embedGraphs } from '../model/embed.ts';
import { dirHandler, loadModel, type SessionModel } from '../model/io.ts';
import { NODE_TYPES } from '../sessions/presets.ts';
import type { EmbeddingSet, HuntGraph } from './types.ts';

export interface CaseEmbeddings {
  set: EmbeddingSet;
  preset: string;
  windowUs: number;
  modelId: number | null;
  kind: string;
}

/**
 * The latest trained (or imported) embeddings of the case, of `preset` when given, as the hunt
 * reads them; null before `gumshoe train`. Training a second preset stores newer embeddings, so
 * this walks back to the asked preset's rather than leaving it to be scored on context alone.
 */
export function caseEmbeddings(db: Db, preset?: string): CaseEmbeddings | null {
  const run = latestRun(db, preset);
  if (!run) return null;
  const actorClasses = runClasses(db, run);
  return { set: { sessionIds: Array.from(run.sessionIds), dim: run.dim, data: run.data, ...(actorClasses ? { actorClasses } : {}) }, preset: run.preset, windowUs: run.windowUs, modelId: run.modelId, kind: run.kind };
}

/** The newest trained or imported embedding run, of `preset` when given. */
function latestRun(db: Db, preset?: string): EmbeddingRun | null {
  let run = getEmbeddings(db);
  while (run && preset !== undefined && run.preset !== preset) {
    let prev = null;
    for (let id = run.runId - 1; id > 0 && !prev; id--) {
      const r = getEmbeddings(db, id);
      if (r && r.kind !== 'untrained') prev = r;
    }
    run = prev;
  }
  return run;
}

/** The run's class probabilities with the class names of the model that made them; null when it has none. */
function runClasses(db: Db, run: EmbeddingRun): { classes: string[]; probs: Float32Array } | null {
  if (!run.classProbs || run.modelId === null) return null;
  const classes = getModel(db, run.modelId)?.config.classes;
  if (!Array.isArray(classes) || classes.length === 0 || run.classProbs.length !== run.sessionIds.length * classes.length) return null;
  return { classes: classes.map(String), probs: run.classProbs };
}

/**
 * For a case whose latest embeddings (of `preset` when given, as caseEmbeddings reads them) were
 * stored before their class probabilities were kept (migration 036): computes them from the
 * stored embeddings and the model's head and stores them, so the hunt need not wait for a
 * retrain. True when it stored any; false when the run already has them, has no model, or its
 * model has no 'actor' head.
 */
export async function storeMissingClassProbabilities(db: Db, caseDir: string, preset?: string): Promise<boolean> {
  const run = latestRun(db, preset);
  if (!run || run.classProbs || run.modelId === null) return false;
  const rec = getModel(db, run.modelId);
  // Only an actor head has classes: a verbs model is not loaded for nothing on every hunt.
  if (!rec || rec.config.objective !== 'actor') return false;
  await selectBackend();
  const model = await loadModel(dirHandler(join(caseDir, rec.dir)));
  try {
    const probs = classProbabilities(model.gcn, run.data);
    if (!probs) return false;
    saveClassProbabilities(db, run.runId, probs);
    return true;
  } finally {
    model.gcn.dispose();
  }
}

/** What the export says about the model: its record and validation metrics; null before training. */
export function modelSummary(db: Db): { model: Record<string, unknown>; metrics: Record<string, unknown> } | null {
  const run = getEmbeddings(db);
  const rec = run?.modelId != null ? getModel(db, run.modelId) : null;
  if (!rec) return null;
  const { metrics, ...model } = rec;
  return { model: { ...model, embeddingRun: run!.runId, embeddingKind: run!.kind }, metrics };
}

/**
 * The model behind the case's latest embeddings, read from the directory its store record names;
 * null when the case has none. Read here, from the store and the model's files, rather than from
 * the training stage: a stage never imports another's orchestration (docs/pipeline.md).
 */
async function loadCaseModel(db: Db, caseDir: string): Promise<SessionModel | null> {
  const id = getEmbeddings(db)?.modelId ?? null;
  const rec = id === null ? null : getModel(db, id);
  return rec ? loadModel(dirHandler(join(caseDir, rec.dir))) : null;
}

/**
 * A re-embedding function for occlusion: the case's model applied to a graph given as node and
 * edge lists (ids are positions in the node list, as getSessionGraph returns them). The label mask
 * does not enter the embedding, so 0 is passed.
 */
export async function caseEmbedder(db: Db, caseDir: string): Promise<((g: HuntGraph) => Promise<Float32Array>) | null> {
  await selectBackend();
  const model = await loadCaseModel(db, caseDir);
  if (!model) return null;
  return async (g) => {
    const index = new Map(g.nodes.map((n, i) => [String(n.id), i]));
    const input = {
      nodeTypes: Uint8Array.from(g.nodes.map((n) => Math.max(0, NODE_TYPES.indexOf(n.type as (typeof NODE_TYPES)[number])))),
      nodeLabels: g.nodes.map((n) => n.label),
      src: Int32Array.from(g.edges.map((e) => index.get(String(e.src))!)),
      dst: Int32Array.from(g.edges.map((e) => index.get(String(e.dst))!)),
      weight: Float32Array.from(g.edges.map((e) => e.weight)),
      labelMask: 0,
    };
    return embedGraphs(model, [input]);
  };
}
