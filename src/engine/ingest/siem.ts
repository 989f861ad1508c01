import type { Hint, Unwrapped } from './cloud.ts';
import { obj, str, type Obj } from './field-table.ts';
import { parseTimeUs } from './time.ts';

/**
 * Audit events handed back by SIEMs and data lakes, rather than by the cluster or its cloud:
 *
 * - wrappers holding the whole event: Splunk search exports (`{"result":{"_raw":"<event>",
 *   "_time"…}}`, or the result object alone), Splunk HTTP Event Collector payloads (`{"time",
 *   "sourcetype", "event":<event>}`), and Elastic's Kubernetes audit integration
 *   (`{"@timestamp", "kubernetes":{"audit":<event>}}`, annotation keys with `_` for `.`);
 * - events flattened beside the tool's own fields (Panther's `p_*`, Elastic's `@timestamp`):
 *   only the tool's time is read from those, when the event lost its own.
 *
 * What a wrapper holds is decoded like any record, so a Splunk `_raw` holding a CloudWatch
 * record or a GKE LogEntry is read as EKS or GKE.
 */

/** The tool's own record time, written beside the event's fields. */
const SIEM_TIME_KEYS = ['@timestamp', 'p_event_time', '_time'] as const;

/** Splunk writes `_time` as RFC 3339 or as epoch seconds in a string. */
function siemTime(v: unknown): number | null {
  if (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v)) return parseTimeUs(Number(v));
  return parseTimeUs(v);
}

/** The SIEM's time for a record, in µs; null when it wrote none. */
export function siemTimeUs(o: Obj): number | null {
  for (const k of SIEM_TIME_KEYS) {
    const t = siemTime(o[k]);
    if (t !== null) return t;
  }
  return null;
}

/** Panther names its EKS audit table; nothing else in a re-export says which cloud it came from. */
function siemProvider(o: Obj, outer: string | null): string | null {
  return outer ?? (str(o.p_log_type)?.startsWith('Amazon.EKS.') ? 'aws' : null);
}

/** A record that wraps a whole event (Splunk `_raw` or HEC `event`, Elastic `kubernetes.audit`), unwrapped; undefined for any other record. */
export function unwrapSiem(o: Obj, outer: Hint): Unwrapped | undefined {
  const result = obj(o.result);
  const splunk = result && typeof result._raw === 'string' ? result : typeof o._raw === 'string' ? o : undefined;
  if (splunk) {
    const hint: Hint = { ...outer, timeUs: siemTime(splunk._time) ?? outer.timeUs };
    try {
      return { inner: JSON.parse(splunk._raw as string), hint };
    } catch (err) {
      return { error: { code: 'json', reason: `Splunk _raw is not valid JSON: ${(err as Error).message}` } };
    }
  }
  const audit = obj(obj(o.kubernetes)?.audit);
  if (audit) {
    const hint: Hint = { ...outer, provider: siemProvider(o, outer.provider), timeUs: siemTime(o['@timestamp']) ?? outer.timeUs };
    return { inner: restoreAnnotationKeys(audit), hint };
  }
  // HEC: an audit event never has a field named `event`, so `event` beside Splunk's own keys is the
  // payload. (Elastic's ECS `event` object comes with `kubernetes.audit`, read above.)
  if (o.event !== undefined && (o.sourcetype !== undefined || o.time !== undefined)) {
    const hint: Hint = { ...outer, timeUs: siemTime(o.time) ?? outer.timeUs };
    if (typeof o.event !== 'string') return { inner: o.event, hint };
    try {
      return { inner: JSON.parse(o.event), hint };
    } catch (err) {
      return { error: { code: 'json', reason: `Splunk HEC event is not valid JSON: ${(err as Error).message}` } };
    }
  }
  return undefined;
}

/** The hint for an event flattened beside a SIEM's fields: its provider, when the SIEM names it. */
export function siemHint(o: Obj, outer: Hint): Hint {
  const provider = siemProvider(o, outer.provider);
  return provider === outer.provider ? outer : { ...outer, provider };
}

/**
 * Elasticsearch reads dots in a key as nesting, so Elastic's pipeline writes annotation keys as
 * `authorization_k8s_io/decision`. A key's prefix is a DNS name, which holds no `_`: turning them
 * back into dots gives the apiserver's key exactly.
 */
function restoreAnnotationKeys(e: Obj): Obj {
  const a = obj(e.annotations);
  if (!a) return e;
  const out: Obj = {};
  for (const [k, v] of Object.entries(a)) {
    const slash = k.indexOf('/');
    out[slash > 0 ? `${k.slice(0, slash).replaceAll('_', '.')}${k.slice(slash)}` : k] = v;
  }
  return { ...e, annotations: out };
}
