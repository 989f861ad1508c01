// Reader-alone throughput on ~200 MB of generated JSON-lines audit events (no store).
// Run: node --import tsx bench/read.ts [MB]   → one JSON object on stdout (BATCH=n sets the batch size).
import { createReadStream, createWriteStream, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBundle } from '../src/engine/ingest/index.ts';

const targetMB = Number(process.argv[2] ?? 200);
const file = join(tmpdir(), `gumshoe-bench-read-${targetMB}MB.jsonl`);

const verbs = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
const resources = ['pods', 'secrets', 'configmaps', 'deployments', 'leases', 'serviceaccounts'];

function line(i: number): string {
  const verb = verbs[i % verbs.length];
  const resource = resources[(i >> 3) % resources.length];
  const ns = `ns-${i % 17}`;
  const t = new Date(Date.UTC(2026, 0, 1) + i * 7).toISOString().replace('Z', `${String(i % 1000).padStart(3, '0')}Z`);
  return JSON.stringify({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    stage: 'ResponseComplete',
    requestURI: `/api/v1/namespaces/${ns}/${resource}/obj-${i % 101}`,
    verb,
    user: { username: `system:serviceaccount:${ns}:sa-${i % 13}`, uid: `uid-${i % 13}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'] },
    sourceIPs: [`10.0.${i % 256}.${(i >> 8) % 256}`],
    userAgent: 'kube-controller-manager/v1.30.2 (linux/amd64) kubernetes/39683505/system:serviceaccount:kube-system:generic-garbage-collector',
    objectRef: { resource, namespace: ns, name: `obj-${i % 101}`, apiVersion: 'v1', resourceVersion: String(100000 + i) },
    responseStatus: { metadata: {}, code: 200 },
    requestReceivedTimestamp: t,
    stageTimestamp: t,
    annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': 'RBAC: allowed by ClusterRoleBinding "system:controller" of ClusterRole "system:controller" to ServiceAccount' },
  });
}

async function generate(): Promise<void> {
  if (existsSync(file) && statSync(file).size >= targetMB * 1e6) return;
  const out = createWriteStream(file);
  let bytes = 0;
  let buf = '';
  for (let i = 0; bytes < targetMB * 1e6; i++) {
    const l = line(i) + '\n';
    bytes += l.length;
    buf += l;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = '';
    }
  }
  out.end(buf);
  await new Promise<void>((r) => out.once('finish', () => r()));
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
}

/** Node's floor for the same bytes: read, split on '\n', JSON.parse each line, nothing else. */
async function bareParse(): Promise<{ wall: number; cpu: number }> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const c = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    let p = 0;
    for (let nl = c.indexOf(10, p); nl >= 0; nl = c.indexOf(10, p)) {
      JSON.parse(c.toString('utf8', p, nl));
      p = nl + 1;
    }
    carry = c.subarray(p);
  }
  return { wall: (performance.now() - t0) / 1000, cpu: cpuSeconds(c0) };
}

await generate();
const size = statSync(file).size;
const bare = await bareParse();
const t0 = performance.now();
const c0 = process.cpuUsage();
let events = 0;
let errors = 0;
for await (const item of readBundle([file], { batchSize: Number(process.env.BATCH ?? 1000) })) {
  if (item.type === 'events') events += item.events.length;
  else if (item.type === 'error') errors++;
}
const s = (performance.now() - t0) / 1000;
const cpu = cpuSeconds(c0);
console.log(JSON.stringify({
  bench: 'read',
  file,
  bytes: size,
  seconds: +s.toFixed(2),
  MBps: +(size / 1e6 / s).toFixed(1),
  eventsPerS: Math.round(events / s),
  events,
  errors,
  // CPU time (this thread plus GC helpers) is steadier than wall time on a shared machine.
  cpuSeconds: +cpu.toFixed(2),
  cpuMBps: +(size / 1e6 / cpu).toFixed(1),
  // The same machine's bare JSON.parse rate, measured just before: the ratio survives a busy machine.
  bareParseMBps: +(size / 1e6 / bare.wall).toFixed(1),
  bareParseCpuMBps: +(size / 1e6 / bare.cpu).toFixed(1),
  ratioToBare: +(bare.wall / s).toFixed(2),
}));
