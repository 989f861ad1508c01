import { createHash } from 'node:crypto';
import { lstatSync, readFileSync } from 'node:fs';
import type { Db } from '../store/db.ts';
import { listJournal } from '../store/journal.ts';
import { ApiFailure } from './errors.ts';

interface JournaledFile {
  path: string;
  sha256: string;
  bytes: number;
}

/**
 * Refuse an export target that would destroy something: an export writes a new file, or replaces a
 * previous export of this same case that nobody has changed since (its path, size and SHA-256 are
 * in the case journal). Anything else there (a log, a key, the case database, a link to any of
 * them) is left alone, and the analyst is asked for another name.
 */
export function exportTarget(db: Db, target: string): void {
  let st;
  try {
    st = lstatSync(target);
  } catch {
    return; // Nothing there: a new file.
  }
  const refuse = (why: string): never => {
    throw new ApiFailure('user', `${target} ${why}: export to a new file name instead.`);
  };
  if (st.isSymbolicLink()) refuse('is a symbolic link');
  if (!st.isFile()) refuse('exists and is not a file');
  const previous = journaledExports(db).filter((f) => f.path === target && f.bytes === st.size);
  if (previous.length === 0) refuse('exists and is not an export of this case');
  const sha256 = createHash('sha256').update(readFileSync(target)).digest('hex');
  if (!previous.some((f) => f.sha256 === sha256)) refuse('was exported from this case but has changed since');
}

function journaledExports(db: Db): JournaledFile[] {
  const out: JournaledFile[] = [];
  for (const entry of listJournal(db)) {
    if (entry.action !== 'export' || !Array.isArray(entry.detail.files)) continue;
    for (const f of entry.detail.files as Partial<JournaledFile>[]) {
      if (typeof f.path === 'string' && typeof f.sha256 === 'string' && typeof f.bytes === 'number') out.push({ path: f.path, sha256: f.sha256, bytes: f.bytes });
    }
  }
  return out;
}
