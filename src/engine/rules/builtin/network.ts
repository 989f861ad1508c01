import type { AuditEvent } from '../../../shared/domain.ts';
import { publicSource } from '../address.ts';
import { rule, statefulRule, thresholdRule } from '../define.ts';
import { getPath, isControlPlane, isRecord } from '../fields.ts';
import { outcomeOf } from '../outcome.ts';
import type { Rule } from '../types.ts';
import { WindowCounter } from '../sliding-count.ts';
import { target } from './target.ts';

const MINUTE_US = 60_000_000;
/**
 * A control-plane identity seen from one public address is reported again after an hour of
 * quiet: once is the finding, every later call would bury the table; the hour keeps a second
 * session of the same stolen credential visible.
 */
const SYSTEM_PUBLIC_QUIET_US = 60 * MINUTE_US;
/**
 * Refusals from one public address within a minute that make a burst. Ten is the per-actor burst
 * rule's figure: a person mistyping gets a handful, kubectl's discovery on a token without rights
 * gets a dozen or more, a scanner hundreds.
 */
const PUBLIC_DENIED_THRESHOLD = 10;

export const networkRules: Rule[] = [
  rule({
    id: 'GS-T1133-INGRESS-NO-TLS', title: 'Ingress without TLS', severity: 'low', techniques: ['T1133'],
    description: 'An Ingress was created or replaced with routing rules but no TLS section: the service is reachable from outside in clear text.',
    falsePositives: ['Ingresses whose TLS ends at a load balancer in front of the controller; internal-only ingress classes.'],
    fields: ['resource', 'verb', 'requestObject.spec.rules', 'requestObject.spec.tls'],
  }, (e) => {
    // Patches are fragments: a patch without `tls` says nothing about the ingress's TLS.
    if (e.resource !== 'ingresses' || e.subresource || (e.verb !== 'create' && e.verb !== 'update') || isControlPlane(e.user)) return null;
    const spec = getPath(e.requestObject, 'spec').find(isRecord);
    if (!spec || getPath(spec, 'tls[*]').length > 0) return null;
    const routed = getPath(spec, 'rules[*]').length > 0 || isRecord(spec.defaultBackend) || isRecord(spec.backend);
    if (!routed) return null;
    const hosts = getPath(spec, 'rules[*].host').map(String);
    return `${target(e)} serves ${hosts.length > 0 ? hosts.join(', ') : 'every host'} without TLS`;
  }),
  statefulRule({
    id: 'GS-T1078-SYSTEM-PUBLIC', title: 'Control-plane identity used from a public address', severity: 'high', techniques: ['T1078'],
    description: 'A node, controller or kube-system service account called the API server from an internet address. These identities live on the nodes and control plane; from outside they are stolen credentials (a kubelet kubeconfig, a node or controller token). Refused calls count: a refusal still proves the credential authenticated.',
    falsePositives: ['Nodes in public subnets reaching a public API endpoint (some EKS and self-managed setups): check that the address is one of your nodes.'],
    fields: ['user', 'sourceIPs'],
    // The signal is who called from where, not what the call did.
    attempts: 'as-is',
  }, () => {
    const counter = new WindowCounter({ windowUs: SYSTEM_PUBLIC_QUIET_US, threshold: 1 });
    return (e: AuditEvent) => {
      if (!isControlPlane(e.user)) return null;
      const ip = publicSource(e.sourceIPs);
      if (ip === null || counter.add(`${e.user}@${ip}`, e.timeUs) === null) return null;
      return `${e.user} called from public address ${ip} (${e.verb} ${target(e)})`;
    };
  }),
  thresholdRule({
    id: 'GS-T1613-PUBLIC-DENIED-BURST', title: 'Burst of refused requests from a public address', severity: 'medium', techniques: ['T1613', 'T1046'],
    description: `${PUBLIC_DENIED_THRESHOLD} or more 401/403 answers to one internet address within a minute, whatever identities it used: the API server is exposed and something outside is probing it.`,
    falsePositives: ['Internet-wide scanners hit every exposed API server; a remote CI runner with a stale token.'],
    fields: ['responseCode', 'decision', 'sourceIPs', 'timeUs'],
    attempts: 'as-is',
  }, {
    windowUs: MINUTE_US, threshold: PUBLIC_DENIED_THRESHOLD,
    key: (e) => (outcomeOf(e) === 'denied' ? publicSource(e.sourceIPs) : null),
    describe: (ip, n) => `${n} refused requests from public address ${ip} within a minute`,
  }),
];
