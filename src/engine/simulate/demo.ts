import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { SourceFormat } from '../../shared/domain.ts';
import { sha256File } from '../jobs/hash.ts';
import type { ProgressFn } from '../util/progress.ts';
import { simulate } from './index.ts';

/** resources/demo/demo.json: the pinned recipe of the demo case. */
export interface DemoSpec {
  seed: string;
  days: number;
  scale: number;
  start: string;
  formats: SourceFormat[];
  rotateBytes: number;
  /** SHA-256 of the ground_truth.json this recipe must produce; a changed generator must re-pin it. */
  truthSha256: string;
}

export const DEMO_SPEC_URL = new URL('../../../resources/demo/demo.json', import.meta.url);

export function demoSpec(): DemoSpec {
  return JSON.parse(readFileSync(DEMO_SPEC_URL, 'utf8')) as DemoSpec;
}


function cacheRoot(): string {
  return process.env.GUMSHOE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'gumshoe');
}

/**
 * The demo bundle and its ground truth, generated on first use into the cache and reused after.
 * Generated rather than committed: the recipe is a few bytes, the bundle a few MB. The directory is
 * named by the pinned checksum, so a re-pinned recipe never reuses a stale bundle, and it is
 * written beside the cache and renamed so a killed run never leaves half a demo that looks whole.
 */
export async function ensureDemoBundle(onProgress?: ProgressFn): Promise<{ bundle: string; truth: string }> {
  const spec = demoSpec();
  const dir = join(cacheRoot(), `demo-${spec.truthSha256.slice(0, 16)}`);
  const bundle = join(dir, 'bundle.tar.gz');
  const truth = join(dir, 'ground_truth.json');
  if (existsSync(bundle) && existsSync(truth) && (await sha256File(truth)) === spec.truthSha256) return { bundle, truth };
  mkdirSync(cacheRoot(), { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  await simulate({ out: tmp, days: spec.days, seed: spec.seed, scale: spec.scale, start: spec.start, formats: spec.formats, rotateBytes: spec.rotateBytes, onProgress });
  const got = await sha256File(join(tmp, 'ground_truth.json'));
  if (got !== spec.truthSha256) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`the simulator no longer reproduces the pinned demo (ground truth ${got}, pinned ${spec.truthSha256}); re-pin resources/demo/demo.json`);
  }
  // Only the evidence and its truth are kept: the loose per-format files are inside the bundle.
  for (const sub of ['raw', 'eks', 'gke', 'aks']) rmSync(join(tmp, sub), { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return { bundle, truth };
}
