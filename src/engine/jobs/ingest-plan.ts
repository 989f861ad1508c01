import { lstatSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Db } from '../store/db.ts';
import { getEvidenceByPath } from '../store/evidence.ts';
import { UserError } from '../util/errors.ts';
import { sha256File } from './hash.ts';

export interface IngestPlan {
  /** Inputs to hand the reader, absolute. */
  read: string[];
  /** Top-level files already ingested whole with the same SHA-256. */
  skipped: string[];
  /** Bytes on disk of what will be read (the progress total). */
  bytes: number;
}

// Mirrors the reader's walk: links inside a directory are not followed, so they hold no evidence.
function filesUnder(path: string, top = true): string[] {
  const st = top ? statSync(path) : lstatSync(path);
  if (st.isFile()) return [path];
  if (!st.isDirectory()) return [];
  const out: string[] = [];
  for (const name of readdirSync(path).sort()) out.push(...filesUnder(join(path, name), false));
  return out;
}

/**
 * Decide what to read. A top-level file the case already holds as 'done' is re-hashed (only then:
 * new evidence is hashed once, by the reader) and skipped when unchanged; one whose bytes changed
 * is refused, since the case must not silently mix two versions of an exhibit. A directory is read
 * unless every file in it is skipped: records of finished items it holds replay as no-ops.
 */
export async function planIngest(db: Db, inputs: readonly string[]): Promise<IngestPlan> {
  const plan: IngestPlan = { read: [], skipped: [], bytes: 0 };
  for (const input of inputs) {
    const abs = resolve(input);
    try {
      statSync(abs);
    } catch {
      throw new UserError(`no such file or directory: ${input}`);
    }
    const files = filesUnder(abs);
    let unread = 0;
    let bytes = 0;
    let unreadBytes = 0;
    const skippedHere: string[] = [];
    for (const f of files) {
      const size = statSync(f).size;
      bytes += size;
      const known = getEvidenceByPath(db, f);
      if (known?.status === 'done' && known.parent === null) {
        const sha = await sha256File(f);
        if (sha !== known.sha256) {
          throw new UserError(`${f} changed since it was acquired (sha256 ${known.sha256} then, ${sha} now); ingest it into a new case`);
        }
        skippedHere.push(f);
        continue;
      }
      unread++;
      unreadBytes += size;
    }
    if (unread === 0) {
      plan.skipped.push(...skippedHere);
    } else {
      plan.read.push(abs);
      // A directory is read whole, its finished files included; a lone file is just itself.
      plan.bytes += files.length === 1 ? unreadBytes : bytes;
    }
  }
  return plan;
}
