import { createHash, randomUUID } from 'node:crypto';

/**
 * Namespace of STIX Cyber-observable ids (STIX 2.1 §2.9): an SCO's id is the UUIDv5 of its
 * id-contributing properties under this namespace, so two producers name one address alike.
 */
export const SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';

/**
 * Our own namespace for the SDOs and SROs Gumshoe derives from a case (random once, fixed here):
 * re-exporting a case gives the same ids, so a receiving platform updates objects instead of
 * piling up copies.
 */
export const GUMSHOE_NAMESPACE = '4f1c2b9e-8d3a-4b6e-9a57-2c0d1e6f7a83';

/** RFC 4122 name-based UUID, version 5 (SHA-1). */
export function uuidv5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const h = createHash('sha1').update(ns).update(name, 'utf8').digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export const sdoId = (type: string, name: string): string => `${type}--${uuidv5(`${type}|${name}`, GUMSHOE_NAMESPACE)}`;

/**
 * SCO id from its id-contributing properties, serialised as the spec asks (JSON Canonicalization
 * Scheme; for flat objects of strings with sorted keys, JSON.stringify is that form).
 */
export function scoId(type: string, props: Record<string, string>): string {
  const sorted = Object.fromEntries(Object.entries(props).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${type}--${uuidv5(JSON.stringify(sorted), SCO_NAMESPACE)}`;
}

export const bundleId = (): string => `bundle--${randomUUID()}`;

/** STIX timestamps: RFC 3339, UTC, 'Z'; created/modified need millisecond precision (§3.2). */
export function stixTime(rfc3339OrMs: string | number): string {
  const ms = typeof rfc3339OrMs === 'number' ? rfc3339OrMs : Date.parse(rfc3339OrMs);
  return new Date(ms).toISOString();
}
