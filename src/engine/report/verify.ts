import type { Db } from '../store/db.ts';
import { listEvidence } from '../store/evidence.ts';
import { hashRegularFile, verifyCase, type VerifyResult, type VerifyStatus } from '../store/verify.ts';
import type { ExportEvidence } from './schema.ts';

const STATUS: Record<VerifyStatus, ExportEvidence['verification']['status']> = { ok: 'match', changed: 'mismatch', missing: 'missing', unfinished: 'unfinished' };

/**
 * The evidence inventory with every item re-hashed now (files from disk, archive members by
 * streaming their archive again) and compared with the hash taken at acquisition.
 */
export async function verifiedInventory(db: Db, now: () => Date = () => new Date()): Promise<ExportEvidence[]> {
  const results = new Map((await reverify(db)).map((r) => [r.path, r]));
  return listEvidence(db).map((e) => {
    const r = results.get(e.path);
    return {
      id: e.id,
      path: e.path,
      parent: e.parent,
      container: e.container,
      sha256: e.sha256,
      size: e.size,
      acquiredAt: e.acquiredAt,
      events: e.events,
      errors: e.errors,
      verification: { status: r ? STATUS[r.status] : e.parent !== null ? 'in-container' : 'unreadable', sha256Now: r?.actual ?? null, verifiedAt: now().toISOString() },
    };
  });
}

/** verifyCase, or, when the archive reader cannot be loaded, the top-level files alone (members then read 'in-container'). */
async function reverify(db: Db): Promise<VerifyResult[]> {
  try {
    return await verifyCase(db);
  } catch {
    const out: VerifyResult[] = [];
    for (const e of listEvidence(db)) {
      if (e.parent !== null) continue;
      // Never a plain open: evidence replaced by a FIFO would block the export for good.
      const found = await hashRegularFile(e.path);
      const actual = 'sha256' in found ? found.sha256 : null;
      const status: VerifyStatus = e.status !== 'done' ? 'unfinished' : 'missing' in found ? 'missing' : actual === e.sha256 ? 'ok' : 'changed';
      out.push({ path: e.path, status, expected: e.sha256, actual });
    }
    return out;
  }
}
