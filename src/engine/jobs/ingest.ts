import type { Db } from '../store/db.ts';
import { beginEvidence, finishEvidence } from '../store/evidence.ts';
import { insertEventRows, type AuditIdConflict } from '../store/events-write.ts';
import { dropEventIndexes, ensureEventIndexes, isEmptyCase } from '../store/indexes.ts';
import { canUseRawFile, rawFilePath, syncRawFile } from '../store/raw-file.ts';
import { insertRecordErrors, type RecordErrorInput } from '../store/record-errors.ts';
import { finishRun, startRun } from '../store/runs.ts';
import { sealRawFile } from '../store/store-seals.ts';
import { ProgressMeter, type ProgressFn } from '../util/progress.ts';
import { threadCpuSeconds } from '../util/thread-cpu.ts';
import { startWorker } from '../util/worker.ts';
import type { WorkerInput, WorkerMessage, WriterMessage } from './ingest-messages.ts';
import { planIngest } from './ingest-plan.ts';

export interface IngestOptions {
  onProgress?: ProgressFn;
  signal?: AbortSignal;
  /** Events per reader→writer message (commits group several: COMMIT_ROWS). */
  batchSize?: number;
  /** Batches in flight between reader and writer. */
  window?: number;
  /** Module exporting readBundle; tests substitute a fake reader. */
  readerUrl?: URL;
}

export interface IngestSummary {
  runId: number;
  /** Events new to the case. */
  events: number;
  /** Records merged into an event the case already held (other stages, copies from other exports). */
  duplicates: number;
  /** Records found already stored at their position: the replay of a run that was killed. */
  replayed: number;
  /** New record errors, per code. */
  errors: { total: number; byCode: Record<string, number> };
  /** Evidence items (files and members) finished in this run. */
  evidenceItems: number;
  /** Top-level files skipped as already ingested and unchanged. */
  skipped: string[];
  /** Input bytes read (as stored: compressed for gzip and archives). */
  bytes: number;
  /** Bytes of content decoded after decompression: what the rate of reading is measured in. */
  decodedBytes: number;
  seconds: number;
  /** Largest V8 heap the reader thread reported (its share of the process RSS, for the benchmark). */
  workerHeapPeakBytes: number;
  /** Share of the run each thread was busy (event-loop utilization): which side bounds the speed. */
  readerBusy: number;
  writerBusy: number;
  /** CPU seconds of the reader thread and of the writing (calling) thread during the load; null off Linux. */
  readerCpuSeconds: number | null;
  writerCpuSeconds: number | null;
}

const DEFAULT_READER = new URL('../ingest/index.ts', import.meta.url);
const COMMIT_ROWS = 10_000;

/**
 * Ingest `paths` into the case: the reader runs in a worker thread, this thread writes. Every
 * batch is one transaction and an item is marked 'done' only after its last batch, so a run killed
 * at any point leaves a consistent case, and running the same command again completes it.
 */
export async function ingest(db: Db, paths: readonly string[], options: IngestOptions = {}): Promise<IngestSummary> {
  const started = performance.now();
  const plan = await planIngest(db, paths);
  const runId = startRun(db, paths);
  const summary: IngestSummary = {
    runId,
    events: 0,
    duplicates: 0,
    replayed: 0,
    errors: { total: 0, byCode: {} },
    evidenceItems: 0,
    skipped: plan.skipped,
    bytes: 0,
    decodedBytes: 0,
    seconds: 0,
    workerHeapPeakBytes: 0,
    readerBusy: 0,
    writerBusy: 0,
    readerCpuSeconds: null,
    writerCpuSeconds: null,
  };
  const counts = () => ({ events: summary.events, duplicates: summary.duplicates, errors: summary.errors.total, skipped: plan.skipped.length });
  if (plan.read.length === 0) {
    // A run killed while building indexes left its evidence finished but the pivots missing.
    ensureEventIndexes(db);
    // Seals what a killed run appended, or a case from before seals (migration 031): verify checks them.
    sealRawFile(db, runId);
    summary.seconds = (performance.now() - started) / 1000;
    finishRun(db, runId, 'done', counts());
    return summary;
  }

  // Maintaining seven secondary indexes row by row costs more than building them once, but only
  // an empty case can afford to be without them for the length of the load.
  // Otherwise they must be there: replay detection looks positions up through events_origin, and a
  // run killed before its index build left them missing.
  if (isEmptyCase(db)) dropEventIndexes(db);
  else ensureEventIndexes(db);
  // The auditID index takes random inserts; it must stay in cache or every row costs a page read.
  db.pragma('cache_size = -65536');
  const writerCpu0 = threadCpuSeconds();
  try {
    await pump(db, plan.read, plan.bytes, options, summary);
  } catch (err) {
    ensureEventIndexes(db);
    finishRun(db, runId, 'failed', counts());
    throw err;
  }
  options.onProgress?.({ stage: 'ingest', done: plan.bytes, total: plan.bytes, unit: 'bytes', rate: 0, etaS: 0, detail: 'building indexes' });
  ensureEventIndexes(db);
  // The index build is the writer's work too: counted with it.
  const writerCpu1 = threadCpuSeconds();
  summary.writerCpuSeconds = writerCpu0 === null || writerCpu1 === null ? null : writerCpu1 - writerCpu0;
  // Everything committed: digest the raw text this run appended, so verify can tell an edit of it.
  sealRawFile(db, runId);
  summary.seconds = (performance.now() - started) / 1000;
  finishRun(db, runId, 'done', counts());
  return summary;
}

function pump(db: Db, read: string[], totalBytes: number, options: IngestOptions, summary: IngestSummary): Promise<void> {
  const input: WorkerInput = {
    paths: read,
    readerUrl: (options.readerUrl ?? DEFAULT_READER).href,
    // Rows in flight are the reader's and writer's live heap: at 1000 events a batch they die young
    // (scavenged) instead of being promoted and marked by the GC helper threads. Measured on 50 MB of
    // JSON lines: process CPU 2.2 s at 1000 (and 500), 2.4 s at 2000, 2.6 s at 8000.
    batchSize: options.batchSize ?? 1000,
    window: options.window ?? 4,
    rawFile: canUseRawFile(db) ? rawFilePath(db) : null,
  };
  const meter = new ProgressMeter('ingest', 'bytes', options.onProgress);
  const worker = startWorker(new URL('./ingest-worker.ts', import.meta.url), { workerData: input });
  const writerElu = performance.eventLoopUtilization();
  const startedAt = performance.now();
  const idOfKey = new Map<number, number>();
  const idOfPath = new Map<string, number>();
  const fresh = new Set<number>();
  let current = '';
  // Group commit: several reader batches per transaction. Each commit rewrites every auditID index
  // page the batch touched (random keys touch most of them), so fewer, larger commits write less
  // (measured ~10% less CPU per event at 20k rows than at 2k; 10k keeps the first commit early). Any commit boundary is consistent:
  // nested writes run as savepoints inside this transaction, and a kill rolls back to the last commit.
  let open = false;
  let rowsInTx = 0;
  let lastCommit = performance.now();
  const commit = (): void => {
    // Offsets about to be committed must point at bytes that an OS crash cannot take back. (A
    // killed process loses nothing: its writes are in the page cache.) One fdatasync per commit.
    if (open && input.rawFile !== null) syncRawFile(input.rawFile);
    if (open) db.exec('COMMIT');
    open = false;
    rowsInTx = 0;
    lastCommit = performance.now();
  };
  const begin = (): void => {
    if (!open) db.exec('BEGIN');
    open = true;
  };

  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      // What is committed or pending is consistent whatever the failure; keep it.
      if (open && db.inTransaction) commit();
      reject(err);
    };
    const onAbort = (): void => fail(new Error('ingest cancelled'));
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });

    worker.on('message', (m: WorkerMessage) => {
      if (settled) return;
      try {
        switch (m.type) {
          case 'evidence-start': {
            const { id, created } = beginEvidence(db, m);
            idOfKey.set(m.key, id);
            idOfPath.set(m.path, id);
            if (created) fresh.add(id);
            current = m.path;
            break;
          }
          case 'rows': {
            for (const row of m.rows) row[32] = idOfKey.get(row[32]) as number;
            begin();
            const r = insertEventRows(db, m.rows, m.raws, { freshEvidence: fresh, rawRefs: m.rawRefs ?? undefined });
            rowsInTx += m.rows.length;
            // A second at most between commits, so readers (the UI, `info`) see the load advance.
            if (rowsInTx >= COMMIT_ROWS || performance.now() - lastCommit > 1000) commit();
            if (r.conflicts.length > 0) countErrors(summary, insertRecordErrors(db, r.conflicts.map((c) => conflictNotice(db, c))));
            summary.events += r.inserted;
            summary.duplicates += r.duplicates;
            summary.replayed += r.replayed;
            summary.bytes = m.bytesRead;
            summary.workerHeapPeakBytes = Math.max(summary.workerHeapPeakBytes, m.workerHeapBytes);
            // Read while the reader is alive: once it exits its utilization reads as zero.
            summary.readerBusy = worker.performance.eventLoopUtilization().utilization;
            worker.postMessage({ type: 'ack' } satisfies WriterMessage);
            const records = summary.events + summary.duplicates + summary.replayed;
            meter.update(m.bytesRead, totalBytes, `${Math.round(records / ((performance.now() - startedAt) / 1000))} records/s · ${current}`);
            break;
          }
          case 'errors': {
            const added = insertRecordErrors(
              db,
              m.errors.map((e) => ({ evidenceId: idOfPath.get(e.path) ?? null, path: e.path, line: e.line, record: e.record, code: e.code, reason: e.reason, excerpt: e.excerpt })),
            );
            // Only what was new counts, so a resumed run does not count a replayed error twice.
            countErrors(summary, added);
            break;
          }
          case 'evidence-end': {
            const id = idOfPath.get(m.path);
            if (id === undefined) throw new Error(`reader ended ${m.path} without starting it`);
            finishEvidence(db, id, m);
            summary.evidenceItems++;
            // Errors over the per-file row cap were counted by the reader, not stored: counted here too.
            for (const [code, n] of Object.entries(m.unstoredErrors ?? {})) {
              summary.errors.byCode[code] = (summary.errors.byCode[code] ?? 0) + n;
              summary.errors.total += n;
            }
            break;
          }
          case 'done':
            commit();
            summary.writerBusy = performance.eventLoopUtilization(writerElu).utilization;
            summary.readerCpuSeconds = m.cpuSeconds;
            settled = true;
            summary.bytes = Math.max(summary.bytes, m.bytesRead);
            summary.decodedBytes = m.decodedBytes;
            meter.update(summary.bytes, totalBytes, current, true);
            options.signal?.removeEventListener('abort', onAbort);
            resolve();
            break;
          case 'fatal':
            fail(new Error(`ingest reader failed: ${m.message}`));
            break;
        }
      } catch (err) {
        fail(err instanceof Error ? err : new Error(String(err)));
      }
    });
    worker.on('error', (err) => fail(err));
    worker.on('exit', (code) => fail(new Error(`ingest worker exited (${code}) before it finished`)));
  });
}

function countErrors(summary: IngestSummary, added: readonly RecordErrorInput[]): void {
  for (const e of added) {
    // The row that sums up unstored errors is not an error itself; its errors were counted at evidence-end.
    if (e.code === 'errors-not-stored') continue;
    summary.errors.byCode[e.code] = (summary.errors.byCode[e.code] ?? 0) + 1;
    summary.errors.total++;
  }
}

/** The notice for a record stored under a derived auditID: where it is, and where the other request is. */
function conflictNotice(db: Db, c: AuditIdConflict): RecordErrorInput {
  const pathOf = db.prepare('SELECT path FROM evidence WHERE id = ?').pluck();
  const path = pathOf.get(c.evidenceId) as string;
  const other = pathOf.get(c.other.evidenceId) as string;
  return {
    evidenceId: c.evidenceId,
    path,
    line: c.line,
    record: c.record,
    code: 'auditid-conflict',
    reason: `auditID ${JSON.stringify(c.auditID)} already names a different request, read at ${other}:${c.other.line} (${c.differs.join('; ')}); this record is kept as its own event, ${JSON.stringify(c.storedAs)}`,
    excerpt: c.storedAs,
  };
}
