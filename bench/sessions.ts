// Session building throughput: events → session graphs (pure), and events → graphs → store
// (in-memory case), for each preset. Prints one JSON object on stdout.
import type { AuditEvent } from '../src/shared/domain.ts';
import { openMemory } from '../src/engine/store/db.ts';
import { buildAllSessions } from '../src/engine/sessions/build.ts';
import { getPreset, PRESETS } from '../src/engine/sessions/presets.ts';
import { sessionGraphs } from '../src/engine/sessions/tumbling.ts';
import { seededRandom } from '../src/engine/model/rng.ts';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const log = (s: string): void => void process.stderr.write(`[bench:sessions] ${s}\n`);

/** A day-like stream: ~40 actors, 11 namespaces, a few hundred objects, time-ordered. */
function events(n: number, seed: number): AuditEvent[] {
  const r = seededRandom(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)];
  const verbs = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
  const res = ['pods', 'secrets', 'configmaps', 'deployments', 'services', 'leases', 'events', 'nodes'];
  const ns = ['default', 'kube-system', 'payments', 'monitoring', 'argocd', 'team-a', 'team-b', 'logging', 'ingress', 'cert-manager', 'kube-public'];
  const actors = Array.from({ length: 40 }, (_, i) => ({ user: i < 30 ? `system:serviceaccount:${pick(ns)}:sa-${i}` : `user-${i}@example.com`, ip: `10.0.${i}.${Math.floor(r() * 250)}`, ua: `client-${i % 7}/v1.${i % 5}` }));
  const t0 = 1_709_510_400_000_000;
  const step = (86_400e6 / 6) / n; // four hours of traffic
  return Array.from({ length: n }, (_, i) => {
    const a = pick(actors);
    const verb = pick(verbs);
    const resource = pick(res);
    const namespace = pick(ns);
    const name = verb === 'list' || verb === 'watch' ? null : `${resource}-${Math.floor(r() * 40)}`;
    return {
      auditID: `a-${i}`, timeUs: Math.floor(t0 + i * step), stageTimeUs: null, stage: 'ResponseComplete', stages: ['ResponseComplete'], level: 'Metadata', verb,
      user: a.user, groups: ['system:authenticated', a.user.startsWith('system:') ? 'system:serviceaccounts' : 'devs'], uid: null, impersonatedUser: null, impersonatedGroups: [],
      sourceIPs: [a.ip], userAgent: a.ua, resource, subresource: null, namespace, name, apiGroup: null, apiVersion: 'v1',
      requestURI: `/api/v1/namespaces/${namespace}/${resource}${name ? `/${name}` : ''}${verb === 'watch' ? '?watch=true' : ''}`,
      responseCode: 200, decision: 'allow', reason: null, annotations: {}, requestObject: null, responseObject: null, format: 'raw', provider: null, cluster: null, missing: [],
      origin: { evidenceId: 1, path: 'bench', line: i + 1, record: 0 },
    } satisfies AuditEvent;
  });
}

const stats = (xs: number[]): { best: number; median: number; worst: number } => {
  const s = [...xs].sort((a, b) => a - b);
  return { best: Math.round(s[s.length - 1]), median: Math.round(s[Math.floor(s.length / 2)]), worst: Math.round(s[0]) };
};

const evs = events(EVENTS, 3);
const results: Record<string, unknown> = {};
for (const name of PRESETS) {
  const preset = getPreset(name);
  const build = { sessions: [] as number[], events: [] as number[] };
  const store = { sessions: [] as number[], events: [] as number[] };
  let count = 0;
  let nodes = 0;
  for (let rep = 0; rep < REPEATS; rep++) {
    let t = performance.now();
    count = 0;
    nodes = 0;
    for (const g of sessionGraphs(evs, preset, 60e6)) {
      count++;
      nodes += g.nodeLabels.length;
    }
    let s = (performance.now() - t) / 1000;
    build.sessions.push(count / s);
    build.events.push(evs.length / s);
    const db = openMemory();
    t = performance.now();
    const res = buildAllSessions(db, evs, { preset, windowUs: 60e6 });
    s = (performance.now() - t) / 1000;
    store.sessions.push(res.sessions / s);
    store.events.push(res.events / s);
    db.close();
    log(`${name} rep ${rep + 1}: ${count} sessions, build ${Math.round(evs.length / ((performance.now() - t) / 1000))} events/s`);
  }
  results[name] = {
    sessions: count,
    meanNodes: Math.round((nodes / count) * 10) / 10,
    buildSessionsPerS: stats(build.sessions),
    buildEventsPerS: stats(build.events),
    buildAndStoreSessionsPerS: stats(store.sessions),
    buildAndStoreEventsPerS: stats(store.events),
  };
}
process.stdout.write(`${JSON.stringify({ bench: 'sessions', events: evs.length, windowS: 60, repeats: REPEATS, presets: results })}\n`);
