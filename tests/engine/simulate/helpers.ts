import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, gunzipSync } from 'node:zlib';
import tar from 'tar-stream';

export const tmp = (label: string): string => mkdtempSync(join(tmpdir(), `gumshoe-sim-${label}-`));

/** Every file under `dir` with its SHA-256, by relative path. */
export function hashTree(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) Object.assign(out, hashTree(p, `${prefix}${name}/`));
    else out[`${prefix}${name}`] = createHash('sha256').update(readFileSync(p)).digest('hex');
  }
  return out;
}

/** The members of a .tar.gz, gzip members decompressed, as text. */
export async function readTarGz(path: string): Promise<Map<string, string>> {
  const members = new Map<string, string>();
  const extract = tar.extract();
  const done = (async () => {
    for await (const entry of extract) {
      const chunks: Buffer[] = [];
      for await (const c of entry) chunks.push(c as Buffer);
      const buf = Buffer.concat(chunks);
      members.set(entry.header.name, entry.header.name.endsWith('.gz') ? gunzipSync(buf).toString('utf8') : buf.toString('utf8'));
    }
  })();
  await pipeline(createReadStream(path), createGunzip(), extract);
  await done;
  return members;
}

/** The lines of a simulated raw/ directory in write order: rotated segments by name, then audit.log. */
export function rawLines(outDir: string): string[] {
  const dir = join(outDir, 'raw');
  const files = readdirSync(dir).filter((f) => f !== 'audit.log').sort();
  const text = [...files.map((f) => gunzipSync(readFileSync(join(dir, f))).toString('utf8')), readFileSync(join(dir, 'audit.log'), 'utf8')];
  return text.join('').split('\n').filter(Boolean);
}
