import type { Db } from './db.ts';

const blob = (a: ArrayBufferView): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const copy = (b: Buffer): ArrayBuffer => new Uint8Array(b).buffer;

export interface ModelRecord {
  id: number;
  createdAt: string;
  preset: string;
  windowUs: number;
  config: Record<string, unknown>;
  backend: string;
  metrics: Record<string, unknown>;
  /** Directory of model.json + weights.bin, relative to the case directory. */
  dir: string;
  imported: boolean;
}

export type EmbeddingKind = 'untrained' | 'trained' | 'imported';

/** Session embeddings of one run, row-major: row i is session sessionIds[i]. Shapes: data [S, dim], projection [S, 2]. */
export interface EmbeddingRun {
  runId: number;
  modelId: number | null;
  kind: EmbeddingKind;
  preset: string;
  windowUs: number;
  createdAt: string;
  sessionIds: Int32Array;
  dim: number;
  data: Float32Array;
  projection: Float32Array | null;
  /**
   * The 'actor' objective's softmax over the model's classes (its config's `classes`, in order),
   * row-major [S, classes] (migration 036); null for other objectives, the untrained map and runs
   * stored before it.
   */
  classProbs?: Float32Array | null;
}

interface ModelRow {
  id: number;
  created_at: string;
  preset: string;
  window_us: number;
  config: string;
  backend: string;
  metrics: string;
  dir: string;
  imported: number;
}

const toModel = (r: ModelRow): ModelRecord => ({
  id: r.id,
  createdAt: r.created_at,
  preset: r.preset,
  windowUs: r.window_us,
  config: JSON.parse(r.config) as Record<string, unknown>,
  backend: r.backend,
  metrics: JSON.parse(r.metrics) as Record<string, unknown>,
  dir: r.dir,
  imported: r.imported !== 0,
});

/** Records a model; its directory is named after the id it gets (models/<id>). */
export function insertModel(db: Db, m: Omit<ModelRecord, 'id' | 'dir' | 'createdAt'>): ModelRecord {
  const createdAt = new Date().toISOString();
  return db.transaction(() => {
    const id = Number(
      db
        .prepare("insert into models (created_at, preset, window_us, config, backend, metrics, dir, imported) values (?, ?, ?, ?, ?, ?, '', ?)")
        .run(createdAt, m.preset, m.windowUs, JSON.stringify(m.config), m.backend, JSON.stringify(m.metrics), m.imported ? 1 : 0).lastInsertRowid,
    );
    const dir = `models/${id}`;
    db.prepare('update models set dir = ? where id = ?').run(dir, id);
    return { ...m, id, dir, createdAt };
  })();
}

export function getModel(db: Db, id: number): ModelRecord | null {
  const r = db.prepare('select * from models where id = ?').get(id) as ModelRow | undefined;
  return r ? toModel(r) : null;
}

/** The newest model, optionally of one preset; null when none was trained or imported. */
export function latestModel(db: Db, preset?: string): ModelRecord | null {
  const r = (preset === undefined ? db.prepare('select * from models order by id desc limit 1').get() : db.prepare('select * from models where preset = ? order by id desc limit 1').get(preset)) as ModelRow | undefined;
  return r ? toModel(r) : null;
}

export function saveEmbeddingRun(db: Db, run: Omit<EmbeddingRun, 'runId' | 'createdAt'>): number {
  if (run.data.length !== run.sessionIds.length * run.dim) throw new Error(`embedding data holds ${run.data.length} values, expected ${run.sessionIds.length} × ${run.dim}`);
  return Number(
    db
      .prepare('insert into embedding_runs (model_id, kind, preset, window_us, created_at, dim, count, session_ids, data, projection, class_probs) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(run.modelId, run.kind, run.preset, run.windowUs, new Date().toISOString(), run.dim, run.sessionIds.length, blob(run.sessionIds), blob(run.data), run.projection ? blob(run.projection) : null, run.classProbs ? blob(run.classProbs) : null).lastInsertRowid,
  );
}

/**
 * Stores the class probabilities of an existing run (one embedded before migration 036 kept them):
 * `probs` holds one row of the model's classes per session of the run, in the run's order.
 */
export function saveClassProbabilities(db: Db, runId: number, probs: Float32Array): void {
  const count = db.prepare('select count from embedding_runs where id = ?').pluck().get(runId) as number | undefined;
  if (count === undefined) throw new Error(`no embedding run ${runId}`);
  if (count === 0 || probs.length % count !== 0) throw new Error(`class probabilities hold ${probs.length} values, not a row per session of run ${runId} (${count})`);
  db.prepare('update embedding_runs set class_probs = ? where id = ?').run(blob(probs), runId);
}

interface RunRow {
  id: number;
  model_id: number | null;
  kind: EmbeddingKind;
  preset: string;
  window_us: number;
  created_at: string;
  dim: number;
  session_ids: Buffer;
  data: Buffer;
  projection: Buffer | null;
  class_probs: Buffer | null;
}

/** The id of the newest run from a trained or imported model (what getEmbeddings() reads), without reading its data. */
export function latestEmbeddingRunId(db: Db): number | null {
  return (db.prepare("select id from embedding_runs where kind != 'untrained' order by id desc limit 1").pluck().get() as number | undefined) ?? null;
}

/**
 * Embeddings of run `runId`, or of the newest run from a trained or imported model when absent.
 * `kind` picks the newest run of that kind instead ('untrained' is the map before training).
 * Null when there is no such run.
 */
export function getEmbeddings(db: Db, runId?: number, kind?: EmbeddingKind): EmbeddingRun | null {
  const r = (
    runId !== undefined
      ? db.prepare('select * from embedding_runs where id = ?').get(runId)
      : kind !== undefined
        ? db.prepare('select * from embedding_runs where kind = ? order by id desc limit 1').get(kind)
        : db.prepare("select * from embedding_runs where kind != 'untrained' order by id desc limit 1").get()
  ) as RunRow | undefined;
  if (!r) return null;
  return {
    runId: r.id,
    modelId: r.model_id,
    kind: r.kind,
    preset: r.preset,
    windowUs: r.window_us,
    createdAt: r.created_at,
    sessionIds: new Int32Array(copy(r.session_ids)),
    dim: r.dim,
    data: new Float32Array(copy(r.data)),
    projection: r.projection ? new Float32Array(copy(r.projection)) : null,
    classProbs: r.class_probs ? new Float32Array(copy(r.class_probs)) : null,
  };
}
