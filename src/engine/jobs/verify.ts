import { existsSync } from 'node:fs';
import type { IngestItem, ReadOptions } from '../ingest/types.ts';
import type { Db } from '../store/db.ts';
import { listEvidence, type EvidenceRecord } from '../store/evidence.ts';
import type { ProgressFn } from '../util/progress.ts';
import { sha256File } from './hash.ts';

export type VerifyStatus = 'ok' | 'changed' | 'missing' | 'unfinished';

export interface VerifyResult {
  path: string;
  status: VerifyStatus;
  expected: string | null;
  actual: string | null;
}

export interface VerifyOptions {
  onProgress?: ProgressFn;
  readerUrl?: URL;
}

type ReadBundle = (paths: string[], options?: ReadOptions) => AsyncIterable<IngestItem>;
const DEFAULT_READER = new URL('../ingest/index.ts', import.meta.url);

const judge = (e: EvidenceRecord, actual: string | null): VerifyResult => ({
  path: e.path,
  expected: e.sha256,
  actual,
  status: e.status !== 'done' ? 'unfinished' : actual === null ? 'missing' : actual === e.sha256 ? 'ok' : 'changed',
});

/**
 * Re-hash every evidence item against what was recorded at acquisition: top-level files from
 * disk, archive members by streaming their archive through the reader again (never extracting).
 * An item whose ingest never finished has no hash to compare and says so. Results come in
 * acquisition order.
 */
export async function verifyCase(db: Db, options: VerifyOptions = {}): Promise<VerifyResult[]> {
  const all = listEvidence(db);
  const results: VerifyResult[] = [];
  const inEvidenceOrder = (): VerifyResult[] => {
    const byPath = new Map(results.map((r) => [r.path, r]));
    return all.map((e) => byPath.get(e.path) as VerifyResult);
  };
  const topLevel = all.filter((e) => e.parent === null);
  const hasMembers = new Set(all.filter((e) => e.parent !== null).map((e) => e.parent));
  let done = 0;
  for (const e of topLevel) {
    const actual = existsSync(e.path) ? await sha256File(e.path) : null;
    results.push(judge(e, actual));
    options.onProgress?.({ stage: 'verify', done: ++done, total: topLevel.length, unit: 'files', rate: 0, etaS: null, detail: e.path });
  }
  const archives = topLevel.filter((e) => hasMembers.has(e.path) && existsSync(e.path));
  if (archives.length > 0) {
    const { readBundle } = (await import((options.readerUrl ?? DEFAULT_READER).href)) as { readBundle: ReadBundle };
    const seen = new Map<string, string>();
    for await (const item of readBundle(archives.map((a) => a.path))) {
      if (item.type === 'evidence-end') seen.set(item.path, item.sha256);
    }
    for (const e of all) {
      if (e.parent === null) continue;
      results.push(judge(e, seen.get(e.path) ?? null));
    }
  } else {
    for (const e of all) if (e.parent !== null) results.push(judge(e, null));
  }
  return inEvidenceOrder();
}
