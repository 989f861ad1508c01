import { rule } from '../define.ts';
import { getPath, isControlPlane, isWrite } from '../fields.ts';
import type { Rule } from '../types.ts';
import { target } from './target.ts';

/** Falco's aws/password key fragments, plus a few cloud and token ones seen in the wild. */
const CREDENTIAL_KEYS = [
  'aws_access_key_id', 'aws-access-key-id', 'aws_s3_access_key_id', 'aws-s3-access-key-id', 'aws_secret_access_key',
  'password', 'passphrase', 'private_key', 'private-key', 'client_secret', 'api_key', 'apikey', 'token',
];

const listsSecrets = (verb: string): boolean => verb === 'list' || verb === 'watch';

export const credentialRules: Rule[] = [
  rule({
    id: 'GS-T1528-TOKENREQUEST', title: 'Service-account token requested', severity: 'medium', techniques: ['T1528'],
    description: 'A TokenRequest minted a token for a service account, by someone other than a kubelet or controller.',
    falsePositives: ['CI systems and operators that mint short-lived tokens.'],
    fields: ['resource', 'subresource', 'verb', 'user'],
  }, (e) => (e.resource === 'serviceaccounts' && e.subresource === 'token' && e.verb === 'create' && !isControlPlane(e.user) ? `${e.user} request a token for ${target(e)}` : null)),
  rule({
    id: 'GS-T1528-TOKEN-SECRET', title: 'Long-lived service-account token secret created', severity: 'high', techniques: ['T1528'],
    description: 'A Secret of type kubernetes.io/service-account-token was created by hand: a token that never expires.',
    falsePositives: ['Legacy tooling that still needs static tokens.'],
    fields: ['resource', 'verb', 'requestObject.type'],
  }, (e) => (e.resource === 'secrets' && e.verb === 'create' && !isControlPlane(e.user) && getPath(e.requestObject, 'type').includes('kubernetes.io/service-account-token') ? `token secret ${target(e)}` : null)),
  rule({
    id: 'GS-T1552.007-SECRETS-LIST', title: 'Secrets listed', severity: 'medium', techniques: ['T1552.007'],
    description: 'Listing or watching secrets returns their contents: bulk credential access.',
    falsePositives: ['Operators, GitOps controllers and the dashboard list secrets routinely.'],
    fields: ['resource', 'verb', 'namespace', 'user'],
  }, (e) => (e.resource === 'secrets' && listsSecrets(e.verb) && !isControlPlane(e.user) ? `${e.user} ${e.verb} secrets in ${e.namespace ?? 'all namespaces'}` : null)),
  rule({
    id: 'GS-T1552.007-SECRET-READ', title: 'Secret read by a person', severity: 'low', techniques: ['T1552.007'],
    description: 'A single secret was read by an identity that is not a controller or node.',
    falsePositives: ['Administrators reading application secrets.'],
    fields: ['resource', 'verb', 'user'],
  }, (e) => (e.resource === 'secrets' && e.verb === 'get' && !isControlPlane(e.user) && !e.user.startsWith('system:serviceaccount:') ? `${e.user} get ${target(e)}` : null)),
  rule({
    id: 'GS-T1552-CONFIGMAP-CREDS', title: 'ConfigMap holds credentials', severity: 'medium', techniques: ['T1552'],
    description: 'A ConfigMap was written with keys or values that look like passwords or cloud keys: readable by anyone who can read ConfigMaps.',
    falsePositives: ['Placeholder values; keys named password that hold policy, not secrets.'],
    fields: ['resource', 'verb', 'requestObject.data'],
  }, (e) => {
    if (e.resource !== 'configmaps' || !isWrite(e)) return null;
    const data = getPath(e.requestObject, 'data')[0];
    if (data === null || typeof data !== 'object') return null;
    const text = Object.entries(data as Record<string, unknown>).map(([k, v]) => `${k}\n${String(v)}`).join('\n').toLowerCase();
    const hits = CREDENTIAL_KEYS.filter((k) => text.includes(k));
    return hits.length > 0 ? `${target(e)} contains ${hits.join(', ')}` : null;
  }),
];
