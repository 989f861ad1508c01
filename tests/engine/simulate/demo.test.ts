import { readFileSync, rmSync, statSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256File } from '../../../src/engine/jobs/hash.ts';
import { demoSpec, ensureDemoBundle } from '../../../src/engine/simulate/demo.ts';
import type { GroundTruth } from '../../../src/engine/simulate/truth.ts';
import { readBundle } from '../../../src/engine/ingest/index.ts';
import { tmp } from './helpers.ts';

describe('ensureDemoBundle', () => {
  const cache = tmp('cache');
  const before = process.env.GUMSHOE_CACHE;
  process.env.GUMSHOE_CACHE = cache;
  afterAll(() => {
    if (before === undefined) delete process.env.GUMSHOE_CACHE;
    else process.env.GUMSHOE_CACHE = before;
    rmSync(cache, { recursive: true, force: true });
  });

  it('generates the pinned demo once, small, with its ground truth beside the bundle', async () => {
    const first = await ensureDemoBundle();
    // The checksum is pinned in resources/demo/demo.json: a generator change that alters the demo must re-pin it.
    expect(await sha256File(first.truth)).toBe(demoSpec().truthSha256);
    expect(statSync(first.bundle).size).toBeLessThan(5 * 1024 * 1024);
    const truth = JSON.parse(readFileSync(first.truth, 'utf8')) as GroundTruth;
    // 20 since issue 10 added nine scenarios (eight rules-blind, one benign newcomer): the eleven
    // before are byte-identical in the truth, and the day has 237 more events (46,158 → 46,395).
    expect(truth.scenarios.length).toBe(20);
    expect(truth.events).toBeGreaterThan(20_000);
    const mtime = statSync(first.bundle).mtimeMs;
    const again = await ensureDemoBundle();
    expect(again).toEqual(first);
    expect(statSync(again.bundle).mtimeMs).toBe(mtime);
  });

  it('ingests without a single record error', async () => {
    const { bundle, truth } = await ensureDemoBundle();
    const t = JSON.parse(readFileSync(truth, 'utf8')) as GroundTruth;
    let events = 0;
    const errors: string[] = [];
    for await (const item of readBundle([bundle])) {
      if (item.type === 'events') events += item.events.length;
      if (item.type === 'error') errors.push(item.reason);
    }
    expect(errors).toEqual([]);
    expect(events).toBe(t.events);
  });
});
