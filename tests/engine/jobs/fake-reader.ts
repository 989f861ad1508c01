// A stand-in for src/engine/ingest's readBundle, to test the ingest job on its own: plain files of
// raw JSON-lines audit events, named by absolute path, following the reader contract's item order.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditEvent } from '../../../src/shared/domain.ts';
import type { IngestItem, ReadOptions } from '../../../src/engine/ingest/types.ts';

const us = (s: string | undefined): number => {
  if (!s) return 0;
  const frac = /\.(\d+)Z$/.exec(s)?.[1] ?? '';
  return Date.parse(s.replace(/\.\d+Z$/, 'Z')) * 1000 + Number(frac.padEnd(6, '0').slice(0, 6));
};

interface Raw {
  auditID?: string;
  stage: string;
  level: string;
  verb: string;
  requestURI: string;
  user: { username: string; uid?: string; groups?: string[] };
  sourceIPs?: string[];
  userAgent?: string;
  objectRef?: { resource?: string; subresource?: string; namespace?: string; name?: string; apiGroup?: string; apiVersion?: string };
  responseStatus?: { code?: number };
  requestReceivedTimestamp?: string;
  stageTimestamp?: string;
  annotations?: Record<string, string>;
  requestObject?: unknown;
  responseObject?: unknown;
}

function normalize(r: Raw, path: string, line: number): AuditEvent {
  return {
    auditID: r.auditID as string,
    timeUs: us(r.requestReceivedTimestamp),
    stageTimeUs: r.stageTimestamp ? us(r.stageTimestamp) : null,
    stage: r.stage,
    stages: [r.stage],
    level: r.level,
    verb: r.verb,
    user: r.user.username,
    groups: r.user.groups ?? [],
    uid: r.user.uid ?? null,
    impersonatedUser: null,
    impersonatedGroups: [],
    sourceIPs: r.sourceIPs ?? [],
    userAgent: r.userAgent ?? null,
    resource: r.objectRef?.resource ?? null,
    subresource: r.objectRef?.subresource ?? null,
    namespace: r.objectRef?.namespace ?? null,
    name: r.objectRef?.name ?? null,
    apiGroup: r.objectRef?.apiGroup ?? null,
    apiVersion: r.objectRef?.apiVersion ?? null,
    requestURI: r.requestURI,
    responseCode: r.responseStatus?.code ?? null,
    decision: r.annotations?.['authorization.k8s.io/decision'] ?? null,
    reason: r.annotations?.['authorization.k8s.io/reason'] ?? null,
    annotations: r.annotations ?? {},
    requestObject: r.requestObject ?? null,
    responseObject: r.responseObject ?? null,
    format: 'raw',
    provider: null,
    cluster: null,
    missing: [],
    origin: { evidenceId: 0, path, line, record: line - 1 },
  };
}

const files = (p: string): string[] => (statSync(p).isDirectory() ? readdirSync(p).sort().flatMap((n) => files(join(p, n))) : [p]);

export async function* readBundle(paths: string[], options: ReadOptions = {}): AsyncIterable<IngestItem> {
  const batchSize = options.batchSize ?? 1000;
  let bytesRead = 0;
  for (const path of paths.flatMap(files)) {
    const bytes = readFileSync(path);
    yield { type: 'evidence-start', path, parent: null, container: 'file', size: bytes.length };
    let events: AuditEvent[] = [];
    let raws: string[] = [];
    let nEvents = 0;
    let nErrors = 0;
    const lines = bytes.toString('utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const text = lines[i];
      bytesRead += text.length + 1;
      if (text.trim() === '') continue;
      let parsed: Raw;
      try {
        parsed = JSON.parse(text) as Raw;
      } catch {
        nErrors++;
        yield { type: 'error', path, line: i + 1, record: i, code: 'json', reason: 'not valid JSON', excerpt: text.slice(0, 80) };
        continue;
      }
      if (typeof parsed.auditID !== 'string') {
        nErrors++;
        yield { type: 'error', path, line: i + 1, record: i, code: 'not-audit-event', reason: 'no auditID', excerpt: text.slice(0, 80) };
        continue;
      }
      events.push(normalize(parsed, path, i + 1));
      raws.push(text);
      nEvents++;
      if (events.length >= batchSize) {
        yield { type: 'events', events, raws, bytesRead };
        events = [];
        raws = [];
        // Let the event loop breathe, as a streaming reader would.
        await new Promise((r) => setImmediate(r));
      }
    }
    if (events.length) yield { type: 'events', events, raws, bytesRead };
    yield { type: 'evidence-end', path, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, formats: ['raw'], events: nEvents, errors: nErrors };
  }
}
