// End-to-end ingest into SQLite: reader worker + writer, on generated kube-apiserver audit logs.
// Run: npm run bench:ingest [-- --mb 300 --repeat 2]  → one JSON object on stdout, logs on stderr.
// Scenarios: raw JSON lines (N MB), the same as a gzipped tar, and raw at 2×N MB to show that
// memory stays flat as input grows. The machine is shared, so each scenario runs --repeat times
// and reports the best, the median and the spread.
import { createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';
import { ingest } from '../src/engine/jobs/ingest.ts';
import { openCase } from '../src/engine/store/db.ts';
import { writeSyntheticLog } from './synthetic-audit.ts';

const { values } = parseArgs({ options: { mb: { type: 'string', default: '300' }, repeat: { type: 'string', default: '2' }, keep: { type: 'boolean', default: false } } });
const MB = Number(values.mb);
const REPEAT = Math.max(1, Number(values.repeat));
const dir = join(tmpdir(), 'gumshoe-bench-ingest');
const log = (s: string): void => void process.stderr.write(`${s}\n`);

async function rawLog(mb: number): Promise<string> {
  const path = join(dir, `audit-${mb}MB.log`);
  if (!existsSync(path) || statSync(path).size < mb * 1e6) {
    log(`generating ${path}`);
    await writeSyntheticLog(path, mb * 1e6, { seed: 42 });
  }
  return path;
}

async function tarGz(src: string): Promise<string> {
  const path = `${src}.tar.gz`;
  if (existsSync(path)) return path;
  log(`packing ${path}`);
  const pack = tar.pack();
  const done = pipeline(pack, createGzip({ level: 6 }), createWriteStream(path));
  const entry = pack.entry({ name: 'var/log/kube-apiserver/audit.log', size: statSync(src).size });
  await pipeline(createReadStream(src), entry);
  pack.finalize();
  await done;
  return path;
}

interface Run {
  seconds: number;
  mbPerS: number;
  uncompressedMbPerS: number;
  eventsPerS: number;
  events: number;
  peakRssMB: number;
  workerHeapPeakMB: number;
  caseMB: number;
  readerBusy: number;
  writerBusy: number;
  /** Process CPU (both threads): unlike wall time, barely moved by other load on the machine. */
  cpuSeconds: number;
  mbPerCpuSecond: number;
  /** Each thread apart (Linux; 0 elsewhere): which side bounds the speed once cores are free. */
  readerCpuSeconds: number;
  writerCpuSeconds: number;
  mbPerReaderCpuSecond: number;
  mbPerWriterCpuSecond: number;
}

async function once(input: string, uncompressedBytes: number): Promise<Run> {
  const caseDir = mkdtempSync(join(dir, 'case-'));
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  try {
    const db = openCase(caseDir, { create: true });
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const s = await ingest(db, [input]);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const onDisk = statSync(input).size;
    return {
      seconds,
      mbPerS: onDisk / 1e6 / seconds,
      uncompressedMbPerS: uncompressedBytes / 1e6 / seconds,
      eventsPerS: (s.events + s.duplicates) / seconds,
      events: s.events,
      peakRssMB: peak / 1e6,
      workerHeapPeakMB: s.workerHeapPeakBytes / 1e6,
      // The database and the raw-record file beside it (store/raw-file.ts).
      caseMB: readdirSync(caseDir).reduce((n, f) => n + statSync(join(caseDir, f)).size, 0) / 1e6,
      readerBusy: s.readerBusy,
      writerBusy: s.writerBusy,
      cpuSeconds,
      mbPerCpuSecond: uncompressedBytes / 1e6 / cpuSeconds,
      readerCpuSeconds: s.readerCpuSeconds ?? 0,
      writerCpuSeconds: s.writerCpuSeconds ?? 0,
      mbPerReaderCpuSecond: s.readerCpuSeconds ? uncompressedBytes / 1e6 / s.readerCpuSeconds : 0,
      mbPerWriterCpuSecond: s.writerCpuSeconds ? uncompressedBytes / 1e6 / s.writerCpuSeconds : 0,
    };
  } finally {
    clearInterval(timer);
    rmSync(caseDir, { recursive: true, force: true });
  }
}

const round = (x: number): number => Math.round(x * 100) / 100;

async function scenario(name: string, input: string, uncompressedBytes: number) {
  const runs: Run[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const r = await once(input, uncompressedBytes);
    log(`${name} #${i + 1}: ${r.mbPerS.toFixed(1)} MB/s, ${Math.round(r.eventsPerS)} records/s, ${r.cpuSeconds.toFixed(1)} CPU s (reader ${r.readerCpuSeconds.toFixed(1)}, writer ${r.writerCpuSeconds.toFixed(1)}), peak RSS ${r.peakRssMB.toFixed(0)} MB`);
    runs.push(r);
  }
  const by = [...runs].sort((a, b) => b.mbPerS - a.mbPerS);
  const best = by[0];
  return {
    input: { path: input, MB: round(statSync(input).size / 1e6), uncompressedMB: round(uncompressedBytes / 1e6) },
    best: Object.fromEntries(Object.entries(best).map(([k, v]) => [k, round(v)])),
    mbPerS: { best: round(best.mbPerS), median: round(by[Math.floor(by.length / 2)].mbPerS), worst: round(by[by.length - 1].mbPerS) },
    peakRssMB: { max: round(Math.max(...runs.map((r) => r.peakRssMB))) },
    mbPerCpuSecond: { best: round(Math.max(...runs.map((r) => r.mbPerCpuSecond))), worst: round(Math.min(...runs.map((r) => r.mbPerCpuSecond))) },
  };
}

async function main(): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const raw = await rawLog(MB);
  const rawBytes = statSync(raw).size;
  const gz = await tarGz(raw);
  const raw2 = await rawLog(2 * MB);
  const result = {
    bench: 'ingest',
    node: process.version,
    repeat: REPEAT,
    raw: await scenario('raw', raw, rawBytes),
    tarGz: await scenario('tar.gz', gz, rawBytes),
    raw2x: await scenario('raw 2x', raw2, statSync(raw2).size),
  };
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();
