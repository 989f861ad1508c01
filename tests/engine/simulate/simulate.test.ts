import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulate } from '../../../src/engine/simulate/index.ts';
import { SCENARIO_IDS } from '../../../src/engine/simulate/scenarios.ts';
import type { GroundTruth } from '../../../src/engine/simulate/truth.ts';
import { hashTree, rawLines, readTarGz, tmp } from './helpers.ts';

const small = { days: 0.5, scale: 0.1, start: '2024-03-04T00:00:00Z', formats: ['raw', 'eks', 'gke', 'aks'] as const, rotateBytes: 1 << 20 };

describe('simulate', () => {
  const dirs = { a: tmp('a'), b: tmp('b'), c: tmp('c') };
  let truth: GroundTruth;
  let members: Map<string, string>;

  beforeAll(async () => {
    await simulate({ ...small, formats: [...small.formats], out: dirs.a, seed: 'alpha' });
    await simulate({ ...small, formats: [...small.formats], out: dirs.b, seed: 'alpha' });
    await simulate({ ...small, formats: [...small.formats], out: dirs.c, seed: 'beta' });
    truth = JSON.parse(readFileSync(join(dirs.a, 'ground_truth.json'), 'utf8')) as GroundTruth;
    members = await readTarGz(join(dirs.a, 'bundle.tar.gz'));
  });
  afterAll(() => {
    for (const d of Object.values(dirs)) rmSync(d, { recursive: true, force: true });
  });

  it('writes the same bytes for the same seed, and different ones for another', () => {
    const a = hashTree(dirs.a);
    expect(Object.keys(a)).toContain('bundle.tar.gz');
    expect(a).toEqual(hashTree(dirs.b));
    expect(a['ground_truth.json']).not.toBe(hashTree(dirs.c)['ground_truth.json']);
  });

  it('rotates and compresses raw logs with kube-apiserver names', () => {
    const raw = Object.keys(hashTree(join(dirs.a, 'raw')));
    expect(raw).toContain('audit.log');
    const rotated = raw.filter((f) => f !== 'audit.log');
    expect(rotated.length).toBeGreaterThan(0);
    for (const f of rotated) expect(f).toMatch(/^audit-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}\.log\.gz$/);
  });

  it('hides every scenario, each auditID present in the bundle in every format', () => {
    expect(truth.scenarios.map((s) => s.id)).toEqual(SCENARIO_IDS);
    const text = (prefix: string) => [...members].filter(([n]) => n.includes(prefix)).map(([, t]) => t).join('\n');
    const raw = new Set(text('/control-plane/').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { auditID: string }).auditID));
    const clouds = ['/aws/', '/gcp/', '/azure/'].map(text);
    for (const s of truth.scenarios) {
      expect(s.auditIDs.length, s.id).toBeGreaterThan(0);
      expect(s.actors.length + s.sourceIPs.length, s.id).toBeGreaterThan(1);
      expect(s.start <= s.end && s.start >= truth.start && s.end <= truth.end, s.id).toBe(true);
      for (const id of s.auditIDs) {
        expect(raw.has(id), `${s.id} ${id} raw`).toBe(true);
        for (const c of clouds) expect(c.includes(id), `${s.id} ${id}`).toBe(true);
      }
    }
  });

  it('keeps the ground truth out of the bundle', () => {
    const names = [...members.keys()];
    expect(names.some((n) => /truth/i.test(n))).toBe(false);
    expect(names.length).toBeGreaterThan(4);
    expect(names.every((n) => /^evidence-[a-z0-9-]+\/(control-plane|aws|gcp|azure)\//.test(n))).toBe(true);
    const all = [...members.values()].join('\n');
    expect(all.includes('"scenarios"')).toBe(false);
    expect(all.includes(truth.scenarios[0].description)).toBe(false);
  });

  it('emits real audit.k8s.io/v1 shapes: stages, watch pairs, annotations, RequestResponse pod bodies', () => {
    const text = [...members].filter(([n]) => n.includes('/control-plane/')).flatMap(([, t]) => t.split('\n').filter(Boolean));
    // The fast serializer must write exactly what JSON.stringify would, key order included.
    expect(text.filter((l) => JSON.stringify(JSON.parse(l)) !== l)).toEqual([]);
    const lines = text.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBe(truth.events);
    expect(lines.every((e) => e.kind === 'Event' && e.apiVersion === 'audit.k8s.io/v1')).toBe(true);
    const stages = new Set(lines.map((e) => e.stage));
    expect([...stages].sort()).toEqual(['RequestReceived', 'ResponseComplete', 'ResponseStarted']);
    const podCreate = lines.find((e) => e.verb === 'create' && (e.objectRef as { resource?: string })?.resource === 'pods' && e.stage === 'ResponseComplete' && !(e.objectRef as { subresource?: string }).subresource);
    expect(podCreate?.level).toBe('RequestResponse');
    expect(podCreate?.responseObject).toBeTruthy();
    expect(lines.some((e) => (e.user as { username?: string }).username === 'system:anonymous')).toBe(true);
    expect(lines.filter((e) => e.stage === 'ResponseComplete').every((e) => typeof (e.annotations as Record<string, string> | undefined)?.['authorization.k8s.io/decision'] === 'string')).toBe(true);
  });

  it('injects only the chosen scenarios and leaves the benign traffic alone', async () => {
    const d = tmp('subset');
    try {
      await simulate({ ...small, formats: ['raw'], out: d, seed: 'alpha', scenarios: ['night-exec'], bundle: false });
      const t = JSON.parse(readFileSync(join(d, 'ground_truth.json'), 'utf8')) as GroundTruth;
      expect(t.scenarios.map((s) => s.id)).toEqual(['night-exec']);
      const full = truth.scenarios;
      expect(t.scenarios[0].auditIDs).toEqual(full.find((s) => s.id === 'night-exec')!.auditIDs);
      const hidden = new Set(full.flatMap((s) => s.auditIDs));
      const benign = (dir: string) => rawLines(dir).filter((l) => !hidden.has((JSON.parse(l) as { auditID: string }).auditID));
      const rest = benign(d);
      expect(rest.length).toBeGreaterThan(1000);
      expect(rest).toEqual(benign(dirs.a));
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
