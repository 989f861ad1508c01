import type { AuditEvent, Severity } from '../../../shared/domain.ts';
import { rule } from '../define.ts';
import { getPath, isControlPlane, isRecord, isWrite } from '../fields.ts';
import type { Rule } from '../types.ts';
import { target } from './target.ts';

/** The subject a CSR asks for: its common names (the user) and organizations (the groups). */
export interface CsrSubject {
  cn: string[];
  o: string[];
}

const CN_OID = [0x06, 0x03, 0x55, 0x04, 0x03];
const O_OID = [0x06, 0x03, 0x55, 0x04, 0x0a];
/** ASN.1 string tags a subject's attribute values come in: UTF8, Printable, T61, IA5. */
const STRING_TAGS = new Set([0x0c, 0x13, 0x14, 0x16]);

function valuesAfter(der: Buffer, oid: number[]): string[] {
  const out: string[] = [];
  const needle = Buffer.from(oid);
  for (let i = der.indexOf(needle); i >= 0; i = der.indexOf(needle, i + 1)) {
    const at = i + needle.length;
    // Subject names are short: only the one-byte (short form) length is read.
    if (at + 2 > der.length || !STRING_TAGS.has(der[at]) || der[at + 1] >= 0x80) continue;
    out.push(der.subarray(at + 2, at + 2 + der[at + 1]).toString('utf8'));
  }
  return out;
}

/**
 * Reads the subject out of a CSR's `spec.request` (base64 of a PEM PKCS#10 request) by finding
 * the CN and O attribute OIDs in the DER, which is all a rule needs; null when it is not one.
 */
export function csrSubject(request: unknown): CsrSubject | null {
  if (typeof request !== 'string') return null;
  const pem = Buffer.from(request, 'base64').toString('latin1');
  const m = /-----BEGIN (?:NEW )?CERTIFICATE REQUEST-----([\s\S]*?)-----END/.exec(pem);
  if (!m) return null;
  const der = Buffer.from(m[1].replace(/\s+/g, ''), 'base64');
  return { cn: valuesAfter(der, CN_OID), o: valuesAfter(der, O_OID) };
}

const CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client';
const KUBELET_CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client-kubelet';
/** certificates.k8s.io/v1beta1's default signer, which may issue client certificates. */
const LEGACY_SIGNER = 'kubernetes.io/legacy-unknown';

const spec = (e: AuditEvent): Record<string, unknown> => getPath(e.requestObject, 'spec').find(isRecord) ?? {};

/** Which client certificate a CSR asks for, or null for serving and custom-signer requests. */
function clientKind(e: AuditEvent): 'client' | 'kubelet-client' | null {
  const s = spec(e);
  const signer = typeof s.signerName === 'string' ? s.signerName : null;
  if (signer === CLIENT_SIGNER || signer === LEGACY_SIGNER) return 'client';
  if (signer === KUBELET_CLIENT_SIGNER) return 'kubelet-client';
  return signer === null && getPath(s, 'usages').includes('client auth') ? 'client' : null;
}

/** Kubelets ask for their own client certificates, first with a bootstrap token, then as the node. */
const isKubeletIdentity = (user: string): boolean => user.startsWith('system:node:') || user.startsWith('system:bootstrap:');

function subjectWords(e: AuditEvent): string {
  const sub = csrSubject(spec(e).request);
  if (!sub) return '';
  const parts = [sub.cn.length ? `CN=${sub.cn.join(',')}` : '', sub.o.length ? `O=${sub.o.join(',')}` : ''].filter(Boolean);
  return parts.length ? ` for ${parts.join(' ')}` : '';
}

/** A certificate that would authenticate as a superuser group or a system identity. */
function asksForSystem(e: AuditEvent): boolean {
  const sub = csrSubject(spec(e).request);
  return sub !== null && (sub.o.some((o) => o === 'system:masters' || o === 'system:nodes') || sub.cn.some((c) => c.startsWith('system:')));
}

const systemSubject = (e: AuditEvent): Severity | null => (asksForSystem(e) ? 'high' : null);

export const certificateRules: Rule[] = [
  rule({
    id: 'GS-T1649-CSR-CLIENT', title: 'Client certificate requested', severity: 'medium', techniques: ['T1649', 'T1098'],
    description: 'A CertificateSigningRequest for an API-server client certificate, by someone other than a kubelet: once signed it is a credential that outlives any token and cannot be revoked. High when it asks for system:masters, system:nodes or a system: user.',
    falsePositives: ['Administrators issuing certificates to people (some clusters onboard users this way); cert-manager style tooling.'],
    fields: ['resource', 'verb', 'user', 'requestObject.spec.signerName', 'requestObject.spec.usages', 'requestObject.spec.request (subject)'],
  }, (e) => {
    if (e.resource !== 'certificatesigningrequests' || e.subresource || e.verb !== 'create' || isControlPlane(e.user)) return null;
    const kind = clientKind(e);
    if (kind === null || (kind === 'kubelet-client' && isKubeletIdentity(e.user))) return null;
    return `${e.user} create ${target(e)} (${kind === 'client' ? 'client' : 'kubelet client'} certificate${subjectWords(e)})`;
  }, systemSubject),
  rule({
    id: 'GS-T1649-CSR-APPROVE', title: 'Certificate signing request approved by a person', severity: 'high', techniques: ['T1649', 'T1098'],
    description: 'A CSR was approved outside the kubelet auto-approver: a new client certificate (identity) may have been minted. A denial through the same subresource does not fire.',
    falsePositives: ['Manual approval of kubelet serving certificates.'],
    fields: ['resource', 'subresource', 'verb', 'user', 'requestObject.status.conditions[*].type'],
  }, (e) => {
    if (e.resource !== 'certificatesigningrequests' || e.subresource !== 'approval' || !isWrite(e) || isControlPlane(e.user)) return null;
    const conditions = getPath(e.requestObject, 'status.conditions[*].type');
    // At Metadata level the body is not logged: approve and deny look alike, so say so.
    if (conditions.length === 0) return `${e.user} ${e.verb} ${target(e)} (approve or deny: the body was not logged)`;
    if (!conditions.includes('Approved')) return null;
    const signer = spec(e).signerName;
    return `${e.user} approved ${target(e)}${typeof signer === 'string' ? ` (${signer})` : ''}${subjectWords(e)}`;
  }),
];
