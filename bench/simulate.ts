// Simulator throughput: events generated and written per second, raw logs alone (the generation
// figure the issue asks ≥50K/s for) and all four formats plus the bundle. Prints one JSON object.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SourceFormat } from '../src/shared/domain.ts';
import { simulate } from '../src/engine/simulate/index.ts';

const days = Number(process.env.BENCH_DAYS ?? 1);
const scale = Number(process.env.BENCH_SCALE ?? 1);

async function run(label: string, formats: SourceFormat[], bundle: boolean, d: number, rotateBytes?: number): Promise<Record<string, number | string>> {
  const out = mkdtempSync(join(tmpdir(), `gumshoe-bench-sim-${label}-`));
  try {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await simulate({ out, days: d, seed: 'bench', scale, formats, bundle, rotateBytes });
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuS = (cpu.user + cpu.system) / 1e6;
    return { formats: formats.join(','), bundle: String(bundle), days: d, events: r.events, rawMB: +(r.bytes / 1e6).toFixed(1), wallS: +wall.toFixed(2), eventsPerS: Math.round(r.events / wall), eventsPerCpuS: Math.round(r.events / cpuS) };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

// Generation alone: one never-rotated audit.log, so no gzip competes for the CPU.
const generate = await run('gen', ['raw'], false, days, Number.MAX_SAFE_INTEGER);
// As kube-apiserver would leave it: rotated at 100 MiB and gzipped (on the libuv pool).
const rawOnly = await run('raw', ['raw'], false, days);
const all = await run('all', ['raw', 'eks', 'gke', 'aks'], true, Math.min(days, 0.25));
// Wall-clock rates mean little on a shared, loaded machine; events per CPU-second (whole process,
// gzip threads included) is the steadier figure, and a lower bound on single-core speed.
const target = 50_000;
process.stdout.write(`${JSON.stringify({ bench: 'simulate', scale, node: process.version, cpus: availableParallelism(), load1: +loadavg()[0].toFixed(2), generate, rawOnly, allFormatsWithBundle: all, targetEventsPerS: target, meetsTargetWall: (generate.eventsPerS as number) >= target, meetsTargetPerCpuS: (generate.eventsPerCpuS as number) >= target })}\n`);
