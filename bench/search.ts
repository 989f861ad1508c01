// Search latency on a real-sized case: builds (or brings up to date) the search index once, then
// runs a mix of analyst searches through the API handler and prints p50/p95 per search and overall
// as one JSON object on stdout. Target (issue 11): p95 < 300 ms on a 3-day scale-1 case.
//
//   npx gumshoe simulate --out /tmp/inv-sim --days 3 --scale 1 --seed 5
//   npx gumshoe ingest /tmp/inv-sim --case /tmp/inv-case
//   BENCH_CASE=/tmp/inv-case npm run bench:search
import type { ApiResult, SearchExport, SearchPage, SearchQuery } from '../src/shared/contract.ts';
import { ApiService } from '../src/engine/api/service.ts';
import { countEvents } from '../src/engine/store/events-read.ts';
import { openCase } from '../src/engine/store/db.ts';
import { ensureSearchIndex } from '../src/engine/events/search.ts';
import { entityValues } from '../src/engine/store/search-index.ts';

const CASE = process.env.BENCH_CASE ?? '/tmp/inv-case';
const REPEATS = Number(process.env.BENCH_REPEATS ?? 7);
const log = (s: string): void => void process.stderr.write(`[bench:search] ${s}\n`);

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const round = (x: number): number => Math.round(x * 10) / 10;

const db = openCase(CASE);
const events = countEvents(db);
let t = performance.now();
const indexed = ensureSearchIndex(db);
const indexMs = performance.now() - t;
log(`${events} events; indexed ${indexed} new in ${Math.round(indexMs)} ms`);
// Real values of this case, so the searches hit (a first-page search and a sparse one for each field).
const users = entityValues(db, 'user').sort((a, b) => b.events - a.events);
const ips = entityValues(db, 'ip').sort((a, b) => a.events - b.events);
const firstUs = Math.min(...users.map((u) => u.firstUs));
db.close();
const rare = users[users.length - 1].value;
const human = users.find((u) => /@/.test(u.value))?.value ?? rare;
const rareIp = ips[0].value;

const SEARCHES: [string, SearchQuery][] = [
  ['everything', {}],
  ['user substring (busiest)', { user: users[0].value.slice(7, 20) }],
  ['user substring (a person)', { user: human.split('@')[0] }],
  ['user (rarest)', { user: rare }],
  ['ip CIDR /8', { ip: '10.0.0.0/8' }],
  ['ip (rarest)', { ip: rareIp }],
  ['verb list', { verb: 'create,delete' }],
  ['resource', { resource: 'secrets' }],
  ['namespace', { namespace: 'kube-system' }],
  ['object name substring', { name: 'debug' }],
  ['code class', { code: '4xx' }],
  ['decision forbid', { decision: 'forbid' }],
  ['user agent', { userAgent: 'curl' }],
  ['free text (rare word)', { text: 'chroot' }],
  ['free text (common word)', { text: 'secrets' }],
  ['three fields', { user: 'system', verb: 'get', resource: 'pods' }],
  ['three fields + 1 h range', { user: 'system', verb: 'get', resource: 'pods', fromUs: firstUs + 86_400e6, toUs: firstUs + 86_400e6 + 3_600e6 }],
  ['person + words', { user: human.split('@')[0], text: 'exec' }],
  ['page 3 of a dense search', { namespace: 'kube-system' }],
];

const service = new ApiService({ transport: 'http', caseDir: CASE });
const all: number[] = [];
const per: Record<string, { p50: number; p95: number; total: number }> = {};
try {
  // The first read waits for the read thread to load the engine and open the case; the app
  // starts that thread when it starts, long before a search. Timed apart from the searches.
  t = performance.now();
  await service.call('case.meta', {});
  const readThreadReadyMs = Math.round(performance.now() - t);
  log(`read thread ready after ${readThreadReadyMs} ms`);
  for (const [name, q] of SEARCHES) {
    const times: number[] = [];
    let total = 0;
    for (let i = 0; i < REPEATS; i++) {
      t = performance.now();
      const r = (await service.call('search.events', { ...q, offset: name.startsWith('page 3') ? 400 : 0, limit: 200 })) as ApiResult<SearchPage>;
      times.push(performance.now() - t);
      if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
      total = r.value.total;
    }
    all.push(...times);
    per[name] = { p50: round(pct(times, 50)), p95: round(pct(times, 95)), total };
    log(`${name.padEnd(28)} p50 ${per[name].p50} ms  p95 ${per[name].p95} ms  (${total} hits)`);
  }
  t = performance.now();
  const exp = (await service.call('search.export', { namespace: 'kube-system', format: 'csv' })) as ApiResult<SearchExport>;
  const exportMs = performance.now() - t;
  if (!exp.ok) throw new Error(exp.error.message);
  process.stdout.write(
    `${JSON.stringify({ case: CASE, events, indexBuildMs: Math.round(indexMs), indexedEvents: indexed, readThreadReadyMs, repeats: REPEATS, p50: round(pct(all, 50)), p95: round(pct(all, 95)), max: round(Math.max(...all)), exportRows: exp.value.rows, exportMs: Math.round(exportMs), per })}\n`,
  );
} finally {
  await service.close();
}
