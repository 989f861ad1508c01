import type { AuditEvent } from '../../shared/domain.ts';

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

/** Fills a Normalized from a table; the key order is fixed so every event gets one hidden class. */
export function applyTable<S>(table: FieldTable<S>, keys: readonly (keyof Normalized)[], src: S, missing: string[]): Normalized {
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const f = table[k] as Field<unknown, S>;
    let v = f.get(src);
    if (v === undefined) {
      v = f.fallback();
      if (f.missing !== undefined) missing.push(f.missing);
    }
    out[k] = v;
  }
  return out as unknown as Normalized;
}

export const NORMALIZED_KEYS: readonly (keyof Normalized)[] = [
  'auditID', 'timeUs', 'stageTimeUs', 'stage', 'stages', 'level', 'verb', 'user', 'groups', 'uid',
  'impersonatedUser', 'impersonatedGroups', 'sourceIPs', 'userAgent', 'resource', 'subresource',
  'namespace', 'name', 'apiGroup', 'apiVersion', 'requestURI', 'responseCode', 'decision', 'reason',
  'annotations', 'requestObject', 'responseObject',
];

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

export function strArray(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: string[] = [];
  for (const x of v) if (typeof x === 'string') out.push(x);
  return out;
}

export function int(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\d{3}$/.test(v)) return Number(v);
  return undefined;
}

export function stringMap(v: unknown): Record<string, string> | undefined {
  const o = obj(v);
  if (!o) return undefined;
  const out: Record<string, string> = {};
  for (const k in o) {
    const x = o[k];
    if (typeof x === 'string') out[k] = x;
  }
  return out;
}

export const nil = (): null => null;
export const emptyString = (): string => '';
export const emptyList = (): string[] => [];
