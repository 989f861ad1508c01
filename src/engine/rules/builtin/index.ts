import type { Rule } from '../types.ts';
import { certificateRules } from './certificates.ts';
import { clusterRules } from './cluster.ts';
import { credentialRules } from './credentials.ts';
import { execRules } from './exec.ts';
import { networkRules } from './network.ts';
import { rbacRules } from './rbac.ts';
import { workloadRules } from './workloads.ts';

/**
 * The built-in ATT&CK pack. It is TypeScript rather than YAML on purpose: rules reach into
 * nested request bodies, pod templates and windows of state, which a declarative format would
 * need its own expression language for, and as code each rule is type-checked and unit-tested.
 * Users who want declarative rules drop Sigma files in a folder (loadSigmaRules).
 */
export function loadBuiltinRules(): Rule[] {
  const rules = [...execRules, ...workloadRules, ...rbacRules, ...certificateRules, ...credentialRules, ...clusterRules, ...networkRules];
  const ids = new Set<string>();
  for (const r of rules) {
    if (ids.has(r.id)) throw new Error(`duplicate built-in rule id ${r.id}`);
    ids.add(r.id);
  }
  return rules;
}
