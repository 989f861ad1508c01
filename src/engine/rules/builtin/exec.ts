import type { AuditEvent } from '../../../shared/domain.ts';
import { rule, statefulRule } from '../define.ts';
import { containers, getPath, objectName, podSpecs } from '../fields.ts';
import { isAttempt, outcomeOf } from '../outcome.ts';
import type { Rule } from '../types.ts';
import { target } from './target.ts';

/**
 * A command longer than this is cut in a hit's detail: one-liners that matter (a reverse shell, a
 * curl | sh) fit well inside it, and a detail is a table cell, not the evidence (the event is).
 */
const MAX_COMMAND_CHARS = 300;

const isExecLike = (e: AuditEvent, sub: 'exec' | 'attach'): boolean =>
  e.resource === 'pods' && e.subresource === sub && (e.verb === 'create' || e.verb === 'get');

function query(e: AuditEvent): URLSearchParams {
  const q = e.requestURI.indexOf('?');
  return new URLSearchParams(q < 0 ? '' : e.requestURI.slice(q + 1));
}

/** The exec's argv as the requestURI carries it (`?command=tar&command=cf&…`). */
export function execCommand(e: AuditEvent): string[] {
  return query(e).getAll('command');
}

/**
 * kubectl cp runs `tar` in the container: `tar cf - <path>` to copy out of the pod, `tar xf -`
 * (newer kubectl: `tar --no-same-permissions --no-same-owner -xmf - -C <dir>`) to copy in.
 * Short-option clusters decide the direction; long options (`--…`) and `-C <dir>` do not.
 */
export function copyDirection(argv: string[]): 'in' | 'out' | null {
  if (argv.length === 0 || argv[0].split('/').at(-1) !== 'tar') return null;
  const flags = argv.slice(1).filter((a) => /^-?[a-zA-Z]+$/.test(a) && !a.startsWith('--'));
  if (flags.some((f) => f.includes('x'))) return 'in';
  if (flags.some((f) => f.includes('c'))) return 'out';
  return null;
}

function commandText(argv: string[]): string {
  const text = argv.join(' ');
  return text.length > MAX_COMMAND_CHARS ? `${text.slice(0, MAX_COMMAND_CHARS)}…` : text;
}

/** `pod default/web`: the subresource is the rule's business, the detail names the pod. */
const podOf = (e: AuditEvent): string => `pod ${e.namespace ? `${e.namespace}/` : ''}${objectName(e) ?? '?'}`;

const interactive = (e: AuditEvent): boolean => query(e).get('tty') === 'true' && query(e).get('stdin') === 'true';

const privileged = (c: Record<string, unknown>): boolean => getPath(c, 'securityContext.privileged').includes(true);

/** Bounded memory: this many privileged pods are remembered, the oldest forgotten first. */
const MAX_PRIVILEGED_PODS = 50_000;

export const execRules: Rule[] = [
  rule({
    id: 'GS-T1609-EXEC', title: 'Command run in a pod (exec)', severity: 'medium', techniques: ['T1609'],
    description: 'A command or shell was run inside a container through the API server (kubectl exec). kubectl cp, which also execs (tar), has its own rules.',
    falsePositives: ['Administrators debugging; CI jobs that run commands in pods.'],
    fields: ['resource', 'subresource', 'verb', 'requestURI (command, tty, stdin)'],
  }, (e) => {
    if (!isExecLike(e, 'exec')) return null;
    const argv = execCommand(e);
    if (copyDirection(argv) !== null) return null;
    const what = argv.length === 0 ? 'exec' : interactive(e) ? `interactive shell \`${commandText(argv)}\`` : `\`${commandText(argv)}\``;
    return `${what} in ${podOf(e)}`;
  }),
  rule({
    id: 'GS-T1609-COPY-IN', title: 'Files copied into a pod (kubectl cp)', severity: 'medium', techniques: ['T1609', 'T1105'],
    description: 'kubectl cp to a pod: an exec of `tar x` that unpacks files sent by the caller, e.g. tools brought into the container.',
    falsePositives: ['Administrators loading configuration or debug tools into a pod.'],
    fields: ['resource', 'subresource', 'verb', 'requestURI (command)'],
  }, (e) => (isExecLike(e, 'exec') && copyDirection(execCommand(e)) === 'in' ? `\`${commandText(execCommand(e))}\` into ${podOf(e)}` : null)),
  rule({
    id: 'GS-T1609-COPY-OUT', title: 'Files copied out of a pod (kubectl cp)', severity: 'medium', techniques: ['T1609', 'T1005'],
    description: 'kubectl cp from a pod: an exec of `tar c` that streams files from the container back to the caller (data collection).',
    falsePositives: ['Administrators fetching logs, dumps or reports from a pod.'],
    fields: ['resource', 'subresource', 'verb', 'requestURI (command)'],
  }, (e) => (isExecLike(e, 'exec') && copyDirection(execCommand(e)) === 'out' ? `\`${commandText(execCommand(e))}\` from ${podOf(e)}` : null)),
  rule({
    id: 'GS-T1609-ATTACH', title: 'Attach to a pod', severity: 'medium', techniques: ['T1609'],
    description: "Attached to a running container's stdin/stdout (kubectl attach).",
    falsePositives: ['Interactive debugging by administrators.'],
    fields: ['resource', 'subresource', 'verb'],
  }, (e) => (isExecLike(e, 'attach') ? `attach to ${target(e)}` : null)),
  rule({
    id: 'GS-T1609-EXEC-SYSTEM', title: 'Exec or attach into a kube-system pod', severity: 'high', techniques: ['T1609', 'T1611'],
    description: 'Command execution inside a control-plane or node-agent pod, which usually holds powerful credentials.',
    falsePositives: ['Break-glass debugging of cluster components.'],
    fields: ['resource', 'subresource', 'namespace'],
  }, (e) => (e.resource === 'pods' && (e.subresource === 'exec' || e.subresource === 'attach') && e.namespace === 'kube-system' ? `${e.subresource} into ${target(e)}` : null)),
  statefulRule({
    id: 'GS-T1609-EXEC-PRIVILEGED', title: 'Exec into a pod created privileged', severity: 'critical', techniques: ['T1609', 'T1611'],
    description: 'Exec or attach into a pod that this evidence shows being created with a privileged container: a direct path to the node.',
    falsePositives: ['Debugging of privileged node agents.'],
    fields: ['resource', 'subresource', 'namespace', 'name', 'requestObject.spec.containers[*].securityContext.privileged'],
  }, () => {
    const seen = new Set<string>();
    return (e) => {
      if (e.resource !== 'pods') return null;
      const name = objectName(e);
      if (!name) return null;
      const key = `${e.namespace ?? ''}/${name}`;
      if (!e.subresource && e.verb === 'create') {
        // A refused create made no pod: remembering it would call a later exec "privileged".
        if (!isAttempt(outcomeOf(e)) && podSpecs(e).flatMap(containers).some(privileged)) {
          seen.add(key);
          if (seen.size > MAX_PRIVILEGED_PODS) seen.delete(seen.values().next().value as string);
        }
        return null;
      }
      return (e.subresource === 'exec' || e.subresource === 'attach') && seen.has(key) ? `${e.subresource} into privileged pod ${key}` : null;
    };
  }),
];
