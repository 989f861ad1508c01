import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import tar, { type Header } from 'tar-stream';
import yazl from 'yazl';
import { decodeRecord, readBundle } from '../../../src/engine/ingest/index.ts';
import type { EvidenceEnd, EvidenceStart, IngestItem, ReadOptions, RecordError } from '../../../src/engine/ingest/types.ts';
import type { AuditEvent, EventOrigin } from '../../../src/shared/domain.ts';

/** ../shared/data beside the repository, wherever it is cloned. */
export const SHARED_DATA = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));

export interface Collected {
  items: IngestItem[];
  events: AuditEvent[];
  raws: string[];
  errors: RecordError[];
  starts: EvidenceStart[];
  ends: EvidenceEnd[];
}

export async function collect(paths: string[], options?: ReadOptions): Promise<Collected> {
  const c: Collected = { items: [], events: [], raws: [], errors: [], starts: [], ends: [] };
  for await (const it of readBundle(paths, options)) {
    c.items.push(it);
    if (it.type === 'events') {
      c.events.push(...it.events);
      c.raws.push(...it.raws);
    } else if (it.type === 'error') c.errors.push(it);
    else if (it.type === 'evidence-start') c.starts.push(it);
    else c.ends.push(it);
  }
  return c;
}

export function tempDir(): { dir: string; file: (name: string, data: Buffer | string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'gumshoe-ingest-'));
  return {
    dir,
    file: (name, data) => {
      const p = join(dir, name);
      writeFileSync(p, data);
      return p;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A tar of `entries`; header fields beyond the name (type, linkname, devmajor…) make links, devices and FIFOs, which carry no data. */
export async function tarOf(entries: (Partial<Omit<Header, 'name'>> & { name: string; data?: Buffer | string })[]): Promise<Buffer> {
  const pack = tar.pack();
  const parts: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    pack.on('data', (b: unknown) => {
      parts.push(b as Buffer);
    });
    pack.on('end', () => resolve());
    pack.on('error', reject);
  });
  for (const { data, ...header } of entries) {
    if (data === undefined) pack.entry(header);
    else pack.entry(header, typeof data === 'string' ? Buffer.from(data) : data);
  }
  pack.finalize();
  await done;
  return Buffer.concat(parts);
}

/** `mode`: a Unix file mode for the entry (0o120777 makes a symlink whose data is its target). */
export async function zipOf(entries: { name: string; data: Buffer | string; store?: boolean; mode?: number }[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const e of entries) {
    zip.addBuffer(typeof e.data === 'string' ? Buffer.from(e.data) : e.data, e.name, { compress: !e.store, ...(e.mode === undefined ? {} : { mode: e.mode }) });
  }
  zip.end();
  const parts: Buffer[] = [];
  for await (const b of zip.outputStream) parts.push(b as Buffer);
  return Buffer.concat(parts);
}

export const gz = (data: Buffer | string): Buffer => gzipSync(typeof data === 'string' ? Buffer.from(data) : data);

/** A small, complete v1 audit event line. */
export function eventLine(i: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: `id-${i}`,
    stage: 'ResponseComplete',
    requestURI: `/api/v1/namespaces/default/pods/p${i}`,
    verb: 'get',
    user: { username: 'alice', groups: ['system:authenticated'] },
    sourceIPs: ['10.0.0.1'],
    objectRef: { resource: 'pods', namespace: 'default', name: `p${i}`, apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: 200 },
    requestReceivedTimestamp: `2024-05-01T10:00:${String(i % 60).padStart(2, '0')}.123456Z`,
    stageTimestamp: `2024-05-01T10:00:${String(i % 60).padStart(2, '0')}.223456Z`,
    ...extra,
  });
}

export const eventLines = (n: number, from = 0): string => Array.from({ length: n }, (_, i) => eventLine(from + i)).join('\n') + '\n';

/** The one event a parsed record decodes to; a decode error fails the test with its code and reason. */
export function decodedEvent(v: unknown, origin: EventOrigin): AuditEvent {
  const r = decodeRecord(v, origin);
  if ('error' in r) throw new Error(`${r.error.code}: ${r.error.reason}`);
  return r.event;
}
