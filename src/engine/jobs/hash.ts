import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** SHA-256 (hex) of a file's bytes, streamed; the file is opened read-only. */
export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { flags: 'r', highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}
