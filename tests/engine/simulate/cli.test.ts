import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FindingRecord } from '../../../src/shared/domain.ts';
import type { EvalReport } from '../../../src/engine/simulate/evaluate.ts';
import type { GroundTruth } from '../../../src/engine/simulate/truth.ts';
import { tmp } from './helpers.ts';
import { runCli } from '../../cli/run-cli.ts';

const run = (args: string[]): ReturnType<typeof runCli> => runCli(...args);


describe('gumshoe simulate and eval', () => {
  const dir = tmp('cli');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('simulates, then scores a case findings.json against the ground truth', async () => {
    const out = join(dir, 'sim');
    const sim = await run(['simulate', '--out', out, '--days', '0.25', '--seed', 'cli', '--scale', '0.05', '--scenarios', 'secrets-enum,hardening-job,delete-events', '--json']);
    expect(sim.code).toBe(0);
    expect(JSON.parse(sim.out)).toMatchObject({ bundle: join(out, 'bundle.tar.gz'), truth: join(out, 'ground_truth.json') });
    const truth = JSON.parse(readFileSync(join(out, 'ground_truth.json'), 'utf8')) as GroundTruth;
    const [secrets, hardening] = ['secrets-enum', 'hardening-job'].map((id) => truth.scenarios.find((s) => s.id === id)!);
    const f = (id: string, score: number, s: typeof secrets, p: Partial<FindingRecord>): FindingRecord => ({ id, kind: 'anomaly', score, severity: 'high', start: s.start, end: s.end, techniques: [], users: [], sourceIPs: [], auditIDs: [], ...p });
    // secrets-enum by its IP (rank 2), the hardening job by its user (rank 1); delete-events missed.
    const findings = [f('x', 0.5, secrets, { sourceIPs: [secrets.sourceIPs[0]] }), f('y', 0.9, hardening, { users: [hardening.actors[0]], reasons: [{ kind: 'novelty', text: 'new namespace secops-hardening', auditIDs: [] }] })];
    const caseDir = join(dir, 'case');
    rmSync(caseDir, { recursive: true, force: true });
    mkdirSync(caseDir, { recursive: true });
    writeFileSync(join(caseDir, 'findings.json'), JSON.stringify(findings));
    const ev = await run(['eval', '--case', caseDir, '--truth', join(out, 'ground_truth.json'), '--json']);
    expect(ev.code).toBe(0);
    const r = JSON.parse(ev.out) as EvalReport;
    expect(r.scenarios.map((s) => [s.id, s.rank])).toEqual([['secrets-enum', 2], ['delete-events', null], ['hardening-job', 1]]);
    expect(r.recallAt[10]).toBe(0.5);
    expect(r.precisionAt[10]).toBe(0.5);
    expect(r.scenarios.find((s) => s.id === 'hardening-job')!.explanations).toEqual(['new namespace secops-hardening']);
  });

  it('refuses bad input with a message the user can act on', async () => {
    expect((await run(['simulate', '--out', join(dir, 'x'), '--days', '1', '--seed', 's', '--scenarios', 'nope'])).err).toMatch(/unknown scenario/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ id: 1 }]));
    const r = await run(['eval', '--case', dir, '--truth', bad, '--findings', bad]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/ground truth/);
  });
});
