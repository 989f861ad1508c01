import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RuleHit } from '../../src/engine/rules/index.ts';
import { runCli } from './run-cli.ts';
import { itWithCorpus } from '../corpus.ts';

const run = runCli;

const DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});


describe('gumshoe rules', () => {
  itWithCorpus('SigmaHQ and Falco files in gumshoe rules')('lists the built-in pack and Sigma rules with attribution', async () => {
    const { code, out } = await run('rules', 'list', '--sigma', `${DATA}sigma/kubernetes-audit`);
    expect(code).toBe(0);
    expect(out).toMatch(/GS-T1611-PRIVILEGED\s+high\s+T1611/);
    expect(out).toContain('Potential Remote Command Execution In Pod Container (Leo Tsaousis (@laripping))');
    const json = await run('rules', 'list', '--json', '--no-builtin', '--sigma', `${DATA}sigma/kubernetes-audit`);
    expect(json.out.trim().split('\n').map((l) => JSON.parse(l) as { source: string })).toHaveLength(16);
  });

  itWithCorpus('SigmaHQ and Falco files in gumshoe rules')('runs over audit files and prints hits as JSON lines, filtered by severity', async () => {
    const files = ['exec_pod.json', 'create_nginx_pod_privileged.json', 'create_configmap.json'].map((f) => `${DATA}falco/trace_files/${f}`);
    const { code, out } = await run('rules', 'test', ...files, '--json', '--min-severity', 'medium');
    expect(code).toBe(0);
    const hits = out.trim().split('\n').map((l) => JSON.parse(l) as RuleHit);
    // Falco's privileged pod was created by kube-system's replicaset-controller from a template:
    // it hits at info (the template's creator is the one to blame), so medium filters it out.
    expect(hits.map((h) => h.ruleId).sort()).toEqual(['GS-T1609-EXEC']);
    expect(hits.every((h) => h.auditID && h.techniques.length > 0)).toBe(true);
    const all = await run('rules', 'test', ...files, '--json', '--min-severity', 'info');
    const everything = all.out.trim().split('\n').map((l) => JSON.parse(l) as RuleHit);
    expect(everything.filter((h) => h.ruleId === 'GS-T1611-PRIVILEGED').map((h) => h.severity)).toEqual(['info']);
  });

  it('refuses unclear input with a message instead of a stack', async () => {
    expect((await run('rules', 'test')).err).toMatch(/either audit log paths or --case/);
    expect((await run('rules', 'test', 'x.log', '--min-severity', 'loud')).err).toMatch(/--min-severity/);
    expect((await run('rules', 'list', '--no-builtin')).err).toMatch(/no rules/);
  });
});
