// A stand-in reader whose second event cannot be turned into a row (a BigInt in its request
// object makes JSON.stringify throw, as a stack overflow did on deep objects): the ingest job must
// store that as the record's error, with its file and line, and store the events around it.
import type { IngestItem } from '../../../src/engine/ingest/types.ts';
import { makeEvent } from '../store/event-fixtures.ts';

export async function* readBundle(paths: string[]): AsyncGenerator<IngestItem> {
  const path = paths[0];
  const at = (line: number) => ({ evidenceId: 0, path, line, record: line - 1 });
  yield { type: 'evidence-start', path, parent: null, container: 'file', size: 3 };
  const events = [makeEvent({ auditID: 'ok-1', origin: at(1) }), makeEvent({ auditID: 'bad', requestObject: { n: 1n }, origin: at(2) }), makeEvent({ auditID: 'ok-3', origin: at(3) })];
  yield { type: 'events', events, raws: ['r1', 'r2', 'r3'], bytesRead: 3 };
  await Promise.resolve();
  yield { type: 'evidence-end', path, sha256: '0'.repeat(64), size: 3, formats: ['raw'], events: 3, errors: 0 };
}
