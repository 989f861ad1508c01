import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { SourceFormat } from '../../shared/domain.ts';
import { ProgressMeter, type ProgressFn } from '../util/progress.ts';
import { makeEnv, type Actor } from './actors.ts';
import { Recorder, type SimEvent } from './audit.ts';
import { backups, humans, scanners } from './benign-people.ts';
import { deployer, gitops, monitoring } from './benign-apps.ts';
import { addons, controlPlane, kubelets } from './benign-infra.ts';
import { writeBundle, type BundleMember } from './bundle.ts';
import { buildCluster } from './cluster.ts';
import { aksRecord, eksLine, gkeEntry } from './formats.ts';
import { Rng } from './prng.ts';
import { Play, pickTime } from './scenario-kit.ts';
import { SCENARIOS } from './scenarios.ts';
import { DAY_US, MINUTE_US, parseStart, rfc3339us } from './time.ts';
import type { GroundTruth, TruthScenario } from './truth.ts';
import { PeriodFiles, RotatingAuditLog } from './writers.ts';

export interface SimulateOptions {
  out: string;
  days: number;
  seed: string;
  /** Traffic multiplier: 1 ≈ 250K events a day from a 6–10 node cluster. */
  scale?: number;
  /** Scenario ids to inject; all when omitted. */
  scenarios?: string[];
  formats?: SourceFormat[];
  /** RFC 3339; the default is fixed so that a seed alone names the output. */
  start?: string;
  /** --audit-log-maxsize, in bytes. */
  rotateBytes?: number;
  /** Write bundle.tar.gz (default true). */
  bundle?: boolean;
  onProgress?: ProgressFn;
}

export interface SimulateResult {
  events: number;
  bytes: number;
  files: string[];
  bundle: string | null;
  truth: string;
}

export const DEFAULT_START = '2024-03-04T00:00:00Z';
const AKS_BATCH = 2000;

/**
 * Writes the audit log of a simulated cluster over `days`, with scenarios hidden in it, in every
 * requested format, plus bundle.tar.gz and ground_truth.json beside it (never inside).
 * Streams minute by minute: memory holds one minute of traffic plus what spills into the next few.
 */
export async function simulate(o: SimulateOptions): Promise<SimulateResult> {
  const scale = o.scale ?? 1;
  const formats = o.formats ?? ['raw'];
  const startUs = parseStart(o.start ?? DEFAULT_START);
  const endUs = startUs + Math.round(o.days * DAY_US);
  const unknown = (o.scenarios ?? []).filter((id) => !SCENARIOS.some((s) => s.id === id));
  if (unknown.length) throw new Error(`unknown scenario(s): ${unknown.join(', ')}`);
  const chosen = SCENARIOS.filter((s) => !o.scenarios || o.scenarios.includes(s.id));

  const root = new Rng(`gumshoe-simulate:${o.seed}`);
  const cluster = buildCluster(root.fork('cluster'));
  const buckets = new Map<number, SimEvent[]>();
  const sink = (ev: SimEvent): void => {
    const m = Math.max(0, Math.floor((ev.ts - startUs) / MINUTE_US));
    const b = buckets.get(m);
    if (b) b.push(ev);
    else buckets.set(m, [ev]);
  };
  const env = makeEnv(cluster, scale, root.fork('actors'), sink);
  const actors: Actor[] = [...kubelets(env), ...controlPlane(env), ...addons(env), gitops(env, startUs), deployer(env), monitoring(env), ...humans(env), backups(env, 1), scanners(env)];

  // Scenario times and events are drawn from their own streams, so the benign traffic of a seed is
  // the same whichever scenarios are chosen.
  const scenarioRoot = root.fork('scenarios');
  const truths: TruthScenario[] = [];
  for (const def of SCENARIOS) {
    const rng = scenarioRoot.fork(def.id);
    const t = pickTime(rng, def.when, startUs, endUs);
    if (!chosen.includes(def)) continue;
    const play = new Play(cluster, rng, new Recorder(rng.fork('ids'), sink), t);
    def.play(play);
    truths.push({ id: def.id, label: def.label, techniques: def.techniques, description: def.description, actors: [...play.actors], sourceIPs: [...play.ips], start: rfc3339us(play.first), end: rfc3339us(play.last), auditIDs: play.auditIDs });
  }

  rmSync(o.out, { recursive: true, force: true });
  mkdirSync(o.out, { recursive: true });
  const raw = formats.includes('raw') ? new RotatingAuditLog(join(o.out, 'raw'), o.rotateBytes ?? 100 * 1024 * 1024) : null;
  const eks = formats.includes('eks') ? new PeriodFiles((k) => join(o.out, 'eks', `kube-apiserver-audit-${k}.jsonl`), '', '\n', '\n') : null;
  const gke = formats.includes('gke') ? new PeriodFiles((k) => join(o.out, 'gke', `cloudaudit-${k}.json`), '[\n', ',\n', '\n]\n') : null;
  const aks = formats.includes('aks') ? new PeriodFiles((k) => join(o.out, 'aks', `kube-audit-${k}.json`), '{"records":[', ',', ']}\n') : null;
  const aksPod = `kube-apiserver-${root.fork('aks').suffix(10)}-${root.fork('aks2').suffix(5)}`;

  let events = 0;
  let bytes = 0;
  let aksHour = '';
  let aksInHour = 0;
  const write = (ev: SimEvent): void => {
    const line = ev.line;
    events++;
    bytes += line.length + 1;
    raw?.write(line, ev.ts);
    if (!eks && !gke && !aks) return;
    const stamp = rfc3339us(ev.ts);
    const rec = ev.rec();
    eks?.write(stamp.slice(0, 10), eksLine(line, ev.ts));
    if (aks) {
      const hour = stamp.slice(0, 13);
      aksInHour = hour === aksHour ? aksInHour + 1 : 0;
      aksHour = hour;
      // Event Hubs delivers bounded batches, not an hour in one body: one blob per batch keeps each
      // document far below what a reader must parse at once.
      aks.write(`${hour}-${String(Math.floor(aksInHour / AKS_BATCH)).padStart(3, '0')}`, aksRecord(cluster, line, rec as never, aksPod));
    }
    if (gke) {
      const entry = gkeEntry(cluster, rec as never);
      if (entry) gke.write(stamp.slice(0, 10), JSON.stringify(entry, null, 2).replace(/^/gm, '  '));
    }
  };
  const byTime = (a: SimEvent, b: SimEvent): number => a.ts - b.ts;

  const minutes = Math.round((endUs - startUs) / MINUTE_US);
  const meter = new ProgressMeter('simulate', 'minutes', o.onProgress);
  for (let m = 0; m < minutes; m++) {
    const t0 = startUs + m * MINUTE_US;
    for (const a of actors) a.tick(t0);
    const b = buckets.get(m);
    if (b) {
      buckets.delete(m);
      b.sort(byTime);
      for (const ev of b) write(ev);
    }
    if (m % 30 === 29) {
      meter.update(m + 1, minutes, `${events} events`);
      // Let rotated segments' gzip callbacks and progress output run.
      await new Promise((r) => setImmediate(r));
    }
  }
  // Watches and sessions that began before the end finish after it, as they would in a real log.
  for (const m of [...buckets.keys()].sort((a, b) => a - b)) {
    for (const ev of buckets.get(m)!.sort(byTime)) write(ev);
  }
  meter.update(minutes, minutes, `${events} events`, true);

  const files: { file: string; name: string }[] = [];
  if (raw) for (const f of await raw.close()) files.push({ file: f, name: `control-plane/var/log/kubernetes/audit/${relative(join(o.out, 'raw'), f)}` });
  eks?.end();
  gke?.end();
  aks?.end();
  for (const f of eks?.files ?? []) files.push({ file: f, name: `aws/cloudwatch/aws/eks/${cluster.name}/cluster/${relative(join(o.out, 'eks'), f)}` });
  for (const f of gke?.files ?? []) files.push({ file: f, name: `gcp/logging/${relative(join(o.out, 'gke'), f)}` });
  for (const f of aks?.files ?? []) files.push({ file: f, name: `azure/eventhubs/insights-logs-kube-audit/${relative(join(o.out, 'aks'), f)}` });

  const truth: GroundTruth = { version: 1, generator: 'gumshoe simulate', seed: o.seed, start: rfc3339us(startUs), end: rfc3339us(endUs), scale, cluster: cluster.name, formats, events, scenarios: truths };
  const truthPath = join(o.out, 'ground_truth.json');
  writeFileSync(truthPath, JSON.stringify(truth, null, 2) + '\n');
  let bundle: string | null = null;
  if (o.bundle !== false) {
    bundle = join(o.out, 'bundle.tar.gz');
    const members: BundleMember[] = files;
    await writeBundle(bundle, `evidence-${cluster.name}`, members, new Date(Math.floor(endUs / 1000)));
  }
  return { events, bytes, files: files.map((f) => f.file), bundle, truth: truthPath };
}
