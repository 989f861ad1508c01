import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { openCase, type Db } from '../store/db.ts';
import { iterateEvents } from '../store/events-read.ts';
import { insertModel, saveEmbeddingRun } from '../store/model.ts';
import { iterateSessionGraphs, listSessions } from '../store/sessions.ts';
import { buildAllSessions } from '../sessions/build.ts';
import { DEFAULT_PRESET, getPreset, type PresetName } from '../sessions/presets.ts';
import { VERBS } from '../sessions/verbs.ts';
import { selectBackend, type BackendName } from '../model/backend.ts';
import { classProbabilities, embedGraphs } from '../model/embed.ts';
import { GcnModel } from '../model/gcn.ts';
import { prepareGraph, type PreparedGraph } from '../model/graph-data.ts';
import { dirHandler, loadModel, saveModel, type SessionModel } from '../model/io.ts';
import { actorClasses, actorOfPartition, actorTarget, defaultObjective, hiddenTypes, type ObjectiveName } from '../model/objective.ts';
import { project2d } from '../model/project.ts';
import { trainGcn } from '../model/train.ts';
import { crossFitClassProbabilities, crossFitFolds, type CrossFitFold, type CrossFitResult } from '../model/cross-fit.ts';
import { ProgressMeter, type EpochPoint, type ProgressFn } from '../util/progress.ts';
import { UserError } from '../util/errors.ts';

export interface TrainJobParams {
  preset?: PresetName;
  windowS?: number;
  epochs?: number;
  backend?: BackendName;
  /** Import the model in this directory (model.json + weights.bin) and only embed with it. */
  modelDir?: string;
  hidden?: number;
  seed?: number;
  learningRate?: number;
  batchSize?: number;
  /** Skip rebuilding sessions from events (they are already current). */
  skipSessions?: boolean;
  /** What the GCN learns to predict (model/objective.ts); default: the preset's (defaultObjective). */
  objective?: ObjectiveName;
  /**
   * With the 'actor' objective: store each session's class probabilities from a model that did
   * not train on it (model/cross-fit.ts: two more models, each on half the sessions), not the
   * main model's. The embeddings stay the main model's. Off by default (docs/quality.md,
   * "Cross-fitted verdicts").
   */
  crossFit?: boolean;
  /**
   * Epochs cap of the fold models (default: `epochs`, as the brief of the experiment asked). A
   * fold model sees half the sessions, so at the same cap it takes half the optimizer steps.
   */
  crossFitEpochs?: number;
}

export interface TrainJobResult {
  modelId: number;
  preset: string;
  windowS: number;
  backend: BackendName;
  /** The compute path training ran on ('fused-wasm-simd' whatever the backend, or 'tfjs' ops on it); null when imported. */
  engine: 'fused-wasm-simd' | 'tfjs' | null;
  /** What the model was trained to predict ('verbs' for models saved before there was a choice). */
  objective: ObjectiveName;
  sessions: number;
  imported: boolean;
  epochsRun: number;
  bestEpoch: number;
  validation: { graphs: number; loss: number; micro: number; macro: number; perVerb: Record<string, { f1: number; precision: number; recall: number; support: number }> } | null;
  trainGraphsPerSecond: number | null;
  embedGraphsPerSecond: number;
  embeddingRunId: number;
  untrainedRunId: number | null;
  /** Seconds in trainGcn for the main model (steps, validation, early stopping). */
  trainSeconds: number | null;
  /** The fold models when the probabilities were cross-fitted; null otherwise (or the case was too small to split). */
  crossFit: { seconds: number; folds: CrossFitFold[] } | null;
}

export interface JobContext {
  signal?: AbortSignal;
  onProgress?: ProgressFn;
}

function embedAndStore(db: Db, model: SessionModel, ids: Int32Array, prepared: PreparedGraph[], kind: 'untrained' | 'trained' | 'imported', modelId: number | null, ctx: JobContext, crossFitted?: Float32Array): { runId: number; rate: number } {
  const meter = new ProgressMeter(kind === 'untrained' ? 'embed (untrained)' : 'embed', 'graphs', ctx.onProgress);
  const dim = model.gcn.config.hidden;
  const data = new Float32Array(prepared.length * dim);
  const t0 = performance.now();
  const chunk = 1024;
  for (let i = 0; i < prepared.length; i += chunk) {
    ctx.signal?.throwIfAborted();
    data.set(embedGraphs(model, prepared.slice(i, i + chunk)), i * dim);
    meter.update(Math.min(i + chunk, prepared.length), prepared.length);
  }
  const rate = prepared.length / Math.max(1e-9, (performance.now() - t0) / 1000);
  ctx.onProgress?.({ stage: 'project', done: 0, total: 1, unit: 'maps', rate: 0, etaS: null, detail: `UMAP of ${prepared.length} sessions` });
  const projection = project2d(data, prepared.length, dim);
  // The untrained head's guesses say nothing about whose a session is; the hunt reads only a trained (or imported) model's.
  const classProbs = kind === 'untrained' ? null : (crossFitted ?? classProbabilities(model.gcn, data));
  const runId = saveEmbeddingRun(db, { modelId, kind, preset: model.preset, windowUs: model.windowUs, sessionIds: ids, dim, data, projection, classProbs });
  return { runId, rate };
}

/**
 * The whole training job on an open case: (re)build the sessions of the preset from the events,
 * embed them with the untrained network (the "before" map), train, store the model in the case
 * (models/<id>, tfjs format), embed again (the "after" map). With `modelDir`, the imported model's
 * preset and hashing are used and nothing is trained.
 */
export async function runTraining(db: Db, caseDir: string, params: TrainJobParams, ctx: JobContext = {}): Promise<TrainJobResult> {
  const backend = await selectBackend(params.backend).catch((err: Error) => {
    throw new UserError(err.message);
  });
  const imported = params.modelDir ? await loadModel(dirHandler(params.modelDir)).catch((err: Error) => Promise.reject(new UserError(`cannot import model from ${params.modelDir}: ${err.message}`))) : null;
  const presetName = imported?.preset ?? params.preset ?? DEFAULT_PRESET;
  const preset = getPreset(presetName, imported?.hashing);
  const windowUs = imported?.windowUs ?? Math.round((params.windowS ?? preset.cut.defaultWindowS) * 1e6);
  if (!(windowUs > 0)) throw new UserError('--window must be a positive number of seconds');
  const asked: ObjectiveName | undefined = imported ? (imported.gcn.config.objective ?? 'verbs') : params.objective;
  let objective: ObjectiveName = asked ?? defaultObjective(preset.name);
  if (objective === 'actor' && preset.cut.kind !== 'gap') throw new UserError(`the 'actor' objective needs actor sessions (--preset actor), not '${preset.name}'`);
  if (!params.skipSessions) {
    // better-sqlite3 refuses writes on a connection with an open iterator: read on a second one.
    const reader = openCase(caseDir, { readonly: true });
    try {
      buildAllSessions(db, iterateEvents(reader), { preset, windowUs, onProgress: ctx.onProgress, signal: ctx.signal });
    } finally {
      reader.close();
    }
  }

  // The actor objective's classes come from the whole case: which identities are regular enough
  // to have a habit is a fact about the case, and no session's answer is read from its own graph.
  let classes = objective === 'actor' && !imported ? actorClasses(listSessions(db, { preset: preset.name, windowUs }).map((s) => actorOfPartition(s.partition))) : undefined;
  if (classes && classes.length < 3 && !asked) {
    // Fewer than two identities with a habit leave the actor objective nothing to tell apart: the default falls back to the verbs.
    objective = 'verbs';
    classes = undefined;
  }
  const ids: number[] = [];
  const prepared: PreparedGraph[] = [];
  const actors: string[] = [];
  for (const g of iterateSessionGraphs(db, { preset: preset.name, windowUs })) {
    ids.push(g.id);
    const actor = actorOfPartition(g.partition);
    actors.push(actor);
    const p = prepareGraph(g, preset.hashing, hiddenTypes(objective));
    if (classes) p.target = actorTarget(classes, actor);
    prepared.push(p);
  }
  if (prepared.length === 0) throw new UserError(`the case has no events to build '${preset.name}' sessions from: ingest evidence first`);
  const sessionIds = Int32Array.from(ids);

  if (imported) {
    const rec = insertModel(db, { preset: preset.name, windowUs, config: { ...imported.gcn.config, hashing: imported.hashing, importedFrom: params.modelDir }, backend, metrics: imported.metrics, imported: true });
    await saveModel(imported, dirHandler(join(caseDir, rec.dir)));
    const emb = embedAndStore(db, imported, sessionIds, prepared, 'imported', rec.id, ctx);
    imported.gcn.dispose();
    return { modelId: rec.id, preset: preset.name, windowS: windowUs / 1e6, backend, engine: null, objective, sessions: prepared.length, imported: true, epochsRun: 0, bestEpoch: 0, validation: null, trainGraphsPerSecond: null, embedGraphsPerSecond: emb.rate, embeddingRunId: emb.runId, untrainedRunId: null, trainSeconds: null, crossFit: null };
  }

  const hidden = params.hidden ?? 64;
  const seed = params.seed ?? 1;
  const head = classes ? { labels: classes.length, objective, classes } : { labels: VERBS.length };
  const untrained: SessionModel = { gcn: new GcnModel({ inDim: preset.hashing.dim, hidden, ...head, layers: 3, seed }), preset: preset.name, windowUs, hashing: preset.hashing, backend, metrics: {} };
  const before = embedAndStore(db, untrained, sessionIds, prepared, 'untrained', null, ctx);
  untrained.gcn.dispose();

  const epochs = params.epochs ?? 30;
  const curve: EpochPoint[] = [];
  // Every update carries the curve so far: a view opened mid-run still draws it whole.
  const sink = ctx.onProgress;
  const meter = new ProgressMeter('train', 'steps', sink && ((p) => sink(curve.length ? { ...p, epochs: [...curve] } : p)));
  let detail = '';
  let steps = { done: 0, total: 0 };
  const common = {
    hidden,
    epochs,
    seed,
    learningRate: params.learningRate,
    batchSize: params.batchSize,
    // Data-parallel steps on a second core: 4,656 against 2,667 graphs/s (median of 5) on the
    // 2-core machine when it is otherwise idle (bench:train, fused2 vs fused); the steps are
    // identical to one thread's (tests/engine/model/train.test.ts).
    threads: availableParallelism() >= 2 ? (2 as const) : (1 as const),
    objective,
    signal: ctx.signal,
  };
  const tTrain = performance.now();
  const result = await trainGcn(prepared, preset.hashing.dim, {
    ...common,
    classes,
    onStep: (done, total) => {
      steps = { done, total };
      meter.update(done, total, detail);
    },
    onEpoch: (p) => {
      detail = `epoch ${p.epoch}/${p.epochs} loss ${p.loss.toFixed(4)} val F1 ${Number.isNaN(p.valF1) ? '-' : p.valF1.toFixed(3)} ${Math.round(p.graphsPerSecond)} graphs/s`;
      curve.push({ epoch: p.epoch, loss: p.loss, valF1: Number.isFinite(p.valF1) ? p.valF1 : null });
      // Forced past the meter's rate limit, so the last epoch's point is never held back.
      meter.update(steps.done, steps.total, detail, true);
    },
  });
  const trainSeconds = (performance.now() - tTrain) / 1000;
  let crossFit: CrossFitResult | null = null;
  if (params.crossFit && classes) {
    const folds = crossFitFolds(actors);
    crossFit = await crossFitClassProbabilities(prepared, folds, preset.hashing, { ...common, epochs: params.crossFitEpochs ?? epochs, classes }, (f, of) => {
      detail = `cross-fit: fold model ${f + 1}/${of}`;
      meter.update(steps.done, steps.total, detail, true);
    });
  }
  const v = result.validation;
  const validation = { graphs: v.graphs, loss: v.loss, micro: v.micro, macro: v.macro, perVerb: v.perLabel };
  const crossFitMetrics = crossFit ? { seconds: crossFit.seconds, folds: crossFit.folds } : null;
  const metrics = { objective, crossFit: crossFitMetrics, validation, epochsRun: result.epochsRun, bestEpoch: result.bestEpoch, history: result.history, trainGraphs: result.trainGraphs, graphsPerSecond: result.graphsPerSecond, engine: result.engine };
  const model: SessionModel = { gcn: result.model, preset: preset.name, windowUs, hashing: preset.hashing, backend, metrics };
  const rec = insertModel(db, { preset: preset.name, windowUs, config: { ...result.model.config, hashing: preset.hashing, crossFit: crossFit !== null, ...(crossFit ? { crossFitEpochs: params.crossFitEpochs ?? epochs } : {}), epochs, learningRate: params.learningRate ?? null, batchSize: params.batchSize ?? 64 }, backend, metrics, imported: false });
  await saveModel(model, dirHandler(join(caseDir, rec.dir)));
  const after = embedAndStore(db, model, sessionIds, prepared, 'trained', rec.id, ctx, crossFit?.probs);
  result.model.dispose();
  return {
    modelId: rec.id,
    preset: preset.name,
    windowS: windowUs / 1e6,
    backend,
    engine: result.engine,
    objective,
    sessions: prepared.length,
    imported: false,
    epochsRun: result.epochsRun,
    bestEpoch: result.bestEpoch,
    validation,
    trainGraphsPerSecond: result.graphsPerSecond,
    embedGraphsPerSecond: after.rate,
    embeddingRunId: after.runId,
    untrainedRunId: before.runId,
    trainSeconds,
    crossFit: crossFitMetrics,
  };
}
