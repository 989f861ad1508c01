// Peak RSS of one ingest, run by hand (not a test: RSS depends on the machine):
//   npx tsx tests/engine/jobs/memory-probe.ts <kind> [MB]      (writes the input, then measures in a fresh process)
// kind: 'big-line' (one event line of MB megabytes: a ConfigMap with many keys, among small events),
// 'big-string' (the same size in one string value), 'tiny-objects' (an empty object every 3 bytes),
// 'junk' (a line of MB megabytes that is not JSON), 'newline-bomb' (a gzip of MB×1000 newlines' worth:
// deflate's ~1000× ratio), 'baseline' (the small events alone). Prints RSS before, peak during, after.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ingest } from '../../../src/engine/jobs/ingest.ts';
import { openCase } from '../../../src/engine/store/db.ts';
import { eventLine, eventLines } from '../ingest/helpers.ts';

const kind = process.argv[2] ?? 'big-line';
const mb = Number(process.argv[3] ?? 10);
const given = process.argv[4];
const dir = given ?? mkdtempSync(join(tmpdir(), 'gumshoe-rss-'));
const file = join(dir, kind === 'newline-bomb' ? 'audit.log.gz' : 'audit.log');

function bigLine(): string {
  if (kind === 'big-string') return eventLine(999_999, { requestObject: { kind: 'ConfigMap', data: { blob: 'x'.repeat(mb * 1e6) } } });
  // The worst case per byte for JSON.parse: an empty object every 3 bytes.
  if (kind === 'tiny-objects') return eventLine(999_999, { requestObject: { items: Array.from({ length: (mb * 1e6) / 3 }, () => ({})) } });
  if (kind === 'junk') return `{"kind":"Event",${'x'.repeat(mb * 1e6)}`;
  const data: Record<string, string> = {};
  for (let i = 0; i < (mb * 1e6) / 40; i++) data[`key-${i}`] = `value-${i}-abcdefghijklmn`;
  return eventLine(999_999, { requestObject: { kind: 'ConfigMap', data } });
}

if (given === undefined) {
  // Written here, measured in a child: the generator's own garbage must not count.
  if (kind === 'newline-bomb') writeFileSync(file, gzipSync(Buffer.alloc(mb * 1e6, 10), { level: 9 }));
  else writeFileSync(file, `${eventLines(1000)}${kind === 'baseline' ? '' : `${bigLine()}\n`}${eventLines(1000, 2000)}`);
  execFileSync(process.execPath, [...process.execArgv, process.argv[1], kind, String(mb), dir], { stdio: 'inherit' });
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

const mib = (n: number): string => `${(n / 2 ** 20).toFixed(0)} MiB`;
global.gc?.();
const before = process.memoryUsage().rss;
let peak = before;
const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
const db = openCase(join(dir, 'case'), { create: true });
const s = await ingest(db, [file]);
clearInterval(timer);
peak = Math.max(peak, process.memoryUsage().rss);
db.close();
console.log(`${kind} ${mb} MB: events ${s.events}, errors ${JSON.stringify(s.errors.byCode)}, decoded ${(s.decodedBytes / 1e6).toFixed(1)} MB in ${s.seconds.toFixed(2)} s`);
console.log(`rss before ${mib(before)}, peak ${mib(peak)} (+${mib(peak - before)}), after ${mib(process.memoryUsage().rss)}; reader heap peak ${mib(s.workerHeapPeakBytes)}`);
