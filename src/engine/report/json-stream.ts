import type { AuditEvent } from '../../shared/domain.ts';
import { usToRfc3339 } from '../hunt/time.ts';
import type { Db } from '../store/db.ts';
import { getRawRecords, iterateEvents } from '../store/events-read.ts';
import type { CaseExport, ExportEvent } from './schema.ts';
import type { HashingFileSink } from './sink.ts';

/**
 * Events whose raw records are fetched in one go while streaming every event: one statement per
 * batch instead of one per event, and a batch of records (a few KB each) stays well under a MB.
 */
const RAW_BATCH = 500;

/** Each event with its original record, in time order, read a batch at a time (a case has millions). */
export function* eventsWithRaw(db: Db, onEvent?: (done: number) => void): Generator<ExportEvent> {
  let batch: AuditEvent[] = [];
  let done = 0;
  function* drain(): Generator<ExportEvent> {
    const raws = getRawRecords(db, batch.map((e) => e.auditID));
    for (const e of batch) {
      yield { auditID: e.auditID, time: usToRfc3339(e.timeUs), evidencePath: e.origin.path, line: e.origin.line, record: e.origin.record, raw: raws.get(e.auditID) ?? null };
      onEvent?.(++done);
    }
    batch = [];
  }
  for (const e of iterateEvents(db)) {
    batch.push(e);
    if (batch.length === RAW_BATCH) yield* drain();
  }
  yield* drain();
}

/**
 * The JSON export into a sink. With `allEvents`, every event of the case follows as the last
 * member, `allEvents`, one array element per line, streamed from the store: the document is
 * never built whole in memory. Without it the file is JSON.stringify's, indented, as before.
 */
export function writeCaseJson(sink: HashingFileSink, exp: CaseExport, allEvents: Iterable<ExportEvent> | null): void {
  const head = JSON.stringify(exp, null, 2);
  if (!allEvents) {
    sink.write(`${head}\n`);
    return;
  }
  // head ends with "\n}": reopen the object to append one more member.
  sink.write(head.slice(0, head.lastIndexOf('}')).trimEnd());
  sink.write(',\n  "allEvents": [');
  let first = true;
  for (const e of allEvents) {
    sink.write(`${first ? '\n' : ',\n'}    ${JSON.stringify(e)}`);
    first = false;
  }
  sink.write(first ? ']\n}\n' : '\n  ]\n}\n');
}
