// Latency of the calls an analyst's clicks make (incidents and findings lists, one incident, one
// finding, sessions and a session's graph, entity pages) on a real-sized case, through the same
// handler table the UI uses. Prints p50/p95 per call and overall as JSON. Target (issue 11): p95 <
// 150 ms on a 3-day scale-1 case. BENCH_CASE names the case (see bench/search.ts for building one).
import type { ApiResult, Args, Channel, SearchPage } from '../src/shared/contract.ts';
import { ApiService } from '../src/engine/api/service.ts';
import { openCase } from '../src/engine/store/db.ts';
import { ensureSearchIndex } from '../src/engine/events/search.ts';
import { entityValues } from '../src/engine/store/search-index.ts';

const CASE = process.env.BENCH_CASE ?? '/tmp/inv-case';
const REPEATS = Number(process.env.BENCH_REPEATS ?? 7);
const log = (s: string): void => void process.stderr.write(`[bench:api] ${s}\n`);
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const round = (x: number): number => Math.round(x * 10) / 10;

const db = openCase(CASE);
ensureSearchIndex(db);
const top = (kind: 'user' | 'ip' | 'namespace') => entityValues(db, kind).sort((a, b) => b.events - a.events);
const users = top('user');
const ips = top('ip');
const namespaces = top('namespace');
db.close();

// BENCH_INLINE=1 runs the handlers on this thread, as before the read threads, for comparison.
const inline = process.env.BENCH_INLINE === '1';
const service = new ApiService({ transport: 'http', caseDir: CASE, readThreads: !inline });
// How long the host's own event loop was held up while the calls ran: the window's next click
// waits that long. A 1 ms ticker records the longest gap between its ticks; every call starts
// from a fresh turn of the loop, as a click from the window does.
let lastTick = 0;
let longestGap = 0;
const gaps: number[] = [];
const ticker = setInterval(() => {
  const now = performance.now();
  if (lastTick) {
    gaps.push(now - lastTick);
    longestGap = Math.max(longestGap, now - lastTick);
  }
  lastTick = now;
}, 1);
const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r));
const all: number[] = [];
const per: Record<string, { p50: number; p95: number }> = {};
async function time<C extends Channel>(name: string, channel: C, args: Args<C>): Promise<unknown> {
  const times: number[] = [];
  let value: unknown;
  for (let i = 0; i < REPEATS; i++) {
    await nextTurn();
    const t = performance.now();
    const r = await service.call(channel, args);
    times.push(performance.now() - t);
    if (!r.ok) {
      log(`${name}: ${r.error.code} ${r.error.message}`);
      return undefined;
    }
    value = r.value;
  }
  all.push(...times);
  per[name] = { p50: round(pct(times, 50)), p95: round(pct(times, 95)) };
  log(`${name.padEnd(30)} p50 ${per[name].p50} ms  p95 ${per[name].p95} ms`);
  return value;
}

// Each call once, over distinct arguments: what clicking down a list costs, cold rows included.
async function timeEach<C extends Channel>(name: string, channel: C, list: Args<C>[]): Promise<void> {
  const times: number[] = [];
  for (const args of list) {
    await nextTurn();
    const t = performance.now();
    const r = await service.call(channel, args);
    times.push(performance.now() - t);
    if (!r.ok) log(`${name}: ${r.error.code} ${r.error.message}`);
  }
  all.push(...times);
  per[name] = { p50: round(pct(times, 50)), p95: round(pct(times, 95)) };
  log(`${name.padEnd(30)} p50 ${per[name].p50} ms  p95 ${per[name].p95} ms  (${list.length} calls)`);
}

try {
  // The first read starts a thread and opens the case there (warm() does this when a case opens).
  await service.call('case.meta', {});
  lastTick = 0;
  longestGap = 0;
  gaps.length = 0;
  const incidents = (await time('incidents.list', 'incidents.list', {})) as { rows: { id: string }[] } | undefined;
  if (incidents?.rows[0]) await time('incidents.get', 'incidents.get', { incidentId: incidents.rows[0].id });
  const findings = (await time('findings.list', 'findings.list', { limit: 1000 })) as { rows: { id: string }[] } | undefined;
  if (findings?.rows[0]) await time('findings.get', 'findings.get', { findingId: findings.rows[0].id });
  const sessions = (await time('sessions.list', 'sessions.list', { sort: 'score', limit: 200 })) as { rows: { id: number }[] } | undefined;
  if (sessions?.rows[0]) await time('sessions.graph (riskiest)', 'sessions.graph', { sessionId: sessions.rows[0].id });
  // The 20 riskiest and the 20 largest sessions, each opened once.
  const largest = (await service.call('sessions.list', { sort: 'size', limit: 20 })) as ApiResult<{ rows: { id: number }[] }>;
  const ids = [...new Set([...(sessions?.rows.slice(0, 20) ?? []), ...(largest.ok ? largest.value.rows : [])].map((s) => s.id))];
  await timeEach('sessions.graph (40 sessions)', 'sessions.graph', ids.map((sessionId) => ({ sessionId })));
  await time('entities.get user (busiest)', 'entities.get', { kind: 'user', key: users[0].value });
  await time('entities.get user (rarest)', 'entities.get', { kind: 'user', key: users[users.length - 1].value });
  await time('entities.get ip (busiest)', 'entities.get', { kind: 'ip', key: ips[0].value });
  await time('entities.get namespace', 'entities.get', { kind: 'namespace', key: namespaces[0].value });
  // An object of the case: the first named secret a search finds.
  const secrets = (await service.call('search.events', { resource: 'secrets', verb: 'get', limit: 50 })) as ApiResult<SearchPage>;
  const obj = secrets.ok ? secrets.value.rows.find((r) => r.name) : undefined;
  if (obj?.resource && obj.name) await time('entities.get object', 'entities.get', { kind: 'object', key: `${obj.resource}/${obj.namespace ?? ''}/${obj.name}` });
  clearInterval(ticker);
  const hostStall = { maxMs: round(longestGap), p99Ms: round(pct(gaps, 99)) };
  log(`host event loop held up: max ${hostStall.maxMs} ms, p99 ${hostStall.p99Ms} ms (${inline ? 'handlers on the host thread' : 'read threads'})`);
  process.stdout.write(`${JSON.stringify({ case: CASE, readThreads: !inline, hostStall, repeats: REPEATS, p50: round(pct(all, 50)), p95: round(pct(all, 95)), max: round(Math.max(...all)), per })}\n`);
} finally {
  await service.close();
}
