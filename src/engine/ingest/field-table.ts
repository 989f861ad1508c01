import type { AuditEvent, EventOrigin, SourceFormat } from '../../shared/domain.ts';

/** A parsed JSON object, as the decoders see it. */
export type Obj = Record<string, unknown>;

/** The part of an AuditEvent a field table fills; format, provider, cluster and origin come from the decoder. */
export type Normalized = Omit<AuditEvent, 'format' | 'provider' | 'cluster' | 'missing' | 'origin'>;

/**
 * One row of a declarative field table (after Falco's k8saudit fields.go): where a normalized
 * field comes from, how to read it, and what stands in when the source has nothing.
 */
export interface Field<T, S = Obj> {
  /** Source path(s), for docs/formats.md and for the analyst reading the code. */
  from: string;
  /** undefined means "not in this record". */
  get: (src: S) => T | undefined;
  fallback: () => T;
  /** Name pushed onto AuditEvent.missing when absent; omitted for fields legitimately optional. */
  missing?: string;
}

export type FieldTable<S = Obj> = { [K in keyof Normalized]: Field<Normalized[K], S> };

/**
 * Fills a Normalized from a table. Written as one object literal with a call per field, not a
 * loop over keys: every event then shares one hidden class and each call site sees one getter,
 * which is what keeps normalization at about a microsecond per event.
 */
export function applyTable<S>(t: FieldTable<S>, src: S, missing: string[], w: Wrapper): AuditEvent {
  return {
    auditID: val(t.auditID, src, missing),
    timeUs: val(t.timeUs, src, missing),
    stageTimeUs: val(t.stageTimeUs, src, missing),
    stage: val(t.stage, src, missing),
    stages: val(t.stages, src, missing),
    level: val(t.level, src, missing),
    verb: val(t.verb, src, missing),
    user: val(t.user, src, missing),
    groups: val(t.groups, src, missing),
    uid: val(t.uid, src, missing),
    impersonatedUser: val(t.impersonatedUser, src, missing),
    impersonatedGroups: val(t.impersonatedGroups, src, missing),
    sourceIPs: val(t.sourceIPs, src, missing),
    userAgent: val(t.userAgent, src, missing),
    resource: val(t.resource, src, missing),
    subresource: val(t.subresource, src, missing),
    namespace: val(t.namespace, src, missing),
    name: val(t.name, src, missing),
    apiGroup: val(t.apiGroup, src, missing),
    apiVersion: val(t.apiVersion, src, missing),
    requestURI: val(t.requestURI, src, missing),
    responseCode: val(t.responseCode, src, missing),
    decision: val(t.decision, src, missing),
    reason: val(t.reason, src, missing),
    annotations: val(t.annotations, src, missing),
    requestObject: val(t.requestObject, src, missing),
    responseObject: val(t.responseObject, src, missing),
    format: w.format,
    provider: w.provider,
    cluster: w.cluster,
    missing,
    origin: w.origin,
  };
}

/** What the decoder, not the field table, knows about an event. */
export interface Wrapper {
  format: SourceFormat;
  provider: string | null;
  cluster: string | null;
  origin: EventOrigin;
}

function val<T, S>(f: Field<T, S>, src: S, missing: string[]): T {
  const v = f.get(src);
  if (v !== undefined) return v;
  if (f.missing !== undefined) missing.push(f.missing);
  return f.fallback();
}

// Small readers: each returns undefined when the value is absent or of the wrong type, so a
// malformed field degrades to "missing" instead of throwing.

export function obj(v: unknown): Obj | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Empty strings count as absent (kube-apiserver omits, some exporters write ""). */
export function nonEmpty(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The array itself when it is all strings (the usual case: no copy), else its strings. */
export function strArray(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'string') return v.filter((x): x is string => typeof x === 'string');
  return v as string[];
}

export function int(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\d{3}$/.test(v)) return Number(v);
  return undefined;
}

/** The object itself when every value is a string (the usual case: no copy), else its string entries. */
export function stringMap(v: unknown): Record<string, string> | undefined {
  const o = obj(v);
  if (!o) return undefined;
  for (const k in o) {
    if (typeof o[k] !== 'string') {
      const out: Record<string, string> = {};
      for (const j in o) if (typeof o[j] === 'string') out[j] = o[j] as string;
      return out;
    }
  }
  return o as Record<string, string>;
}

export const nil = (): null => null;
export const emptyString = (): string => '';
export const emptyList = (): string[] => [];
