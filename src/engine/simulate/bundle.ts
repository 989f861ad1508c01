import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';

export interface BundleMember {
  /** File on disk. */
  file: string;
  /** Path inside the archive. */
  name: string;
}

/**
 * Packs files into a gzipped tar the way a responder hands over evidence: the collected files under
 * their original paths. No checksum list inside: a reader would have to take it for a bad log, and
 * Gumshoe hashes every member on acquisition anyway. Streamed: no member is held whole.
 * Fixed mtimes and owners so the archive's bytes depend only on its content.
 */
export async function writeBundle(out: string, root: string, members: BundleMember[], mtime: Date): Promise<void> {
  const pack = tar.pack();
  const done = pipeline(pack, createGzip(), createWriteStream(out));
  const header = { mtime, uid: 0, gid: 0, uname: 'root', gname: 'root', mode: 0o644 };
  for (const m of members) {
    const size = statSync(m.file).size;
    const entry = pack.entry({ ...header, name: `${root}/${m.name}`, size });
    await pipeline(createReadStream(m.file), entry);
  }
  pack.finalize();
  await done;
}
