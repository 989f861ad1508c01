import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';

/** Past this, a "line" is a blob: the UI gets the head, as the ingest's own excerpt would. */
const MAX_LINE_CHARS = 256 * 1024;

/**
 * Line `n` (1-based) of a plain text file, read-only and streamed; null when the file is shorter,
 * is not a regular file, or (given `size`) is no longer the size it had when it was ingested.
 */
export async function readLine(path: string, n: number, size?: number): Promise<string | null> {
  const st = statSync(path);
  if (!st.isFile() || (size !== undefined && st.size !== size)) return null;
  const input = createReadStream(path, { encoding: 'utf8', flags: 'r' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let i = 0;
  try {
    for await (const line of lines) {
      if (++i === n) return line.length > MAX_LINE_CHARS ? line.slice(0, MAX_LINE_CHARS) : line;
    }
    return null;
  } finally {
    lines.close();
    input.destroy();
  }
}
