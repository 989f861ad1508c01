// Cost of the whole hunting pipeline on a simulated case (issue 10, "Cost"): simulate → ingest →
// sessions + train (the default preset and epochs) → hunt (rules, actor baselines, incidents).
// The stages run through src/engine/case/stages.ts runStage, as the CLI runs them (ingest there
// includes the search index; training runs in its worker).
// Each stage runs in a child process of its own, so its CPU seconds and peak RSS are its alone
// (process.resourceUsage counts every thread of the child: the ingest reader, the training worker
// and its gradient helper). Prints one JSON object on stdout; progress goes to stderr.
//
//   npm run bench:pipeline                         # 3 days at scale 1, seed 'bench'
//   DAYS=3 SCALE=0.5 npm run bench:pipeline
//
// Env: DAYS (3), SCALE (1), SEED ('bench'), WORK (default $TMPDIR/gumshoe-bench-pipeline),
// REUSE_SIM=1 to keep a simulated log already in WORK (simulate is not part of the targets).
// The machine is shared: the load average is recorded before and after every stage, and CPU
// seconds are the steadier figure when other processes take the cores.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const STAGES = ['simulate', 'ingest', 'train', 'hunt'] as const;
type Stage = (typeof STAGES)[number];

// Targets of issue 10 on a 3-day scale-1 case on the 2-core machine.
const TARGET_TRAIN_S = 3 * 60;
const TARGET_INGEST_TO_INCIDENTS_S = 6 * 60;

const env = (k: string, d: string): string => process.env[k] ?? d;
const days = Number(env('DAYS', '3'));
const scale = Number(env('SCALE', '1'));
const seed = env('SEED', 'bench');
const work = env('WORK', join(tmpdir(), 'gumshoe-bench-pipeline'));
const simDir = join(work, `sim-${seed}-${days}d-${scale}`);
const caseDir = join(work, `case-${seed}-${days}d-${scale}`);
const log = (s: string): void => void process.stderr.write(`[bench:pipeline] ${s}\n`);
const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;

/** The 1-, 5- and 15-minute load averages as the kernel states them. */
const loadAvg = (): number[] => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);

/**
 * Wall seconds per phase of a stage, from the stage's own progress reports: the key changes when
 * the job moves on (training's 'sessions' → 'embed (untrained)' → 'train' → 'project' → 'embed';
 * the hunt names its steps in `detail`). `first` names the time before the first report.
 */
function phaseClock(first: string): { mark(key: string): void; done(): Record<string, number> } {
  const phases: Record<string, number> = {};
  let key = first;
  let t = performance.now();
  const close = (): void => {
    phases[key] = round((phases[key] ?? 0) + (performance.now() - t) / 1000, 2);
    t = performance.now();
  };
  return {
    mark: (k) => {
      if (k === key) return;
      close();
      key = k;
    },
    done: () => {
      close();
      return phases;
    },
  };
}

/** One stage, run inside its child process; what it returns is printed as the child's last line. */
async function runStage(stage: Stage): Promise<Record<string, unknown>> {
  if (stage === 'simulate') {
    const { simulate } = await import('../src/engine/simulate/index.ts');
    const r = await simulate({ out: simDir, days, seed, scale, bundle: false });
    return { events: r.events, rawMB: round(r.bytes / 1e6) };
  }
  const { runStage: run } = await import('../src/engine/case/stages.ts');
  if (stage === 'ingest') {
    const t0 = performance.now();
    const s = await run(caseDir, 'ingest', { paths: [join(simDir, 'raw')] });
    // The load reports its own seconds; the rest of the stage is the search index it builds after.
    const afterLoadS = round((performance.now() - t0) / 1000 - s.seconds, 2);
    return { phasesS: { load: round(s.seconds, 2), searchIndex: afterLoadS }, events: s.events, duplicates: s.duplicates, errors: s.errors.total, decodedMB: round(s.decodedBytes / 1e6), readerCpuS: s.readerCpuSeconds, writerCpuS: s.writerCpuSeconds, readerBusy: s.readerBusy, writerBusy: s.writerBusy };
  }
  if (stage === 'train') {
    const clock = phaseClock('start');
    // Defaults throughout (preset, epochs, backend), in a worker: what `gumshoe train` does with no options.
    const r = await run(caseDir, 'train', { inWorker: true }, { onProgress: (p) => clock.mark(p.stage) });
    return { phasesS: clock.done(), preset: r.preset, backend: r.backend, engine: r.engine, sessions: r.sessions, epochsRun: r.epochsRun, bestEpoch: r.bestEpoch, trainGraphsPerS: r.trainGraphsPerSecond === null ? null : Math.round(r.trainGraphsPerSecond), embedGraphsPerS: Math.round(r.embedGraphsPerSecond), validationMicroF1: r.validation?.micro ?? null };
  }
  const clock = phaseClock('load case, run rules');
  const r = await run(caseDir, 'hunt', {}, { onProgress: (p) => clock.mark(p.detail ?? p.stage) });
  return { phasesS: clock.done(), preset: r.preset, incidents: r.incidents.length, findings: r.findings.length, unit: r.metrics.unit, modelTerms: r.metrics.modelTerms };
}

/** Sessions of the preset the model was trained on: how many, and their mean size (read after the timed stages). */
async function sessionStats(preset: string): Promise<Record<string, number>> {
  const { openCase } = await import('../src/engine/store/db.ts');
  const { listSessions } = await import('../src/engine/store/sessions.ts');
  const db = openCase(caseDir, { readonly: true });
  try {
    const s = listSessions(db, { preset });
    const sorted = s.map((x) => x.nodes).sort((a, b) => a - b);
    const sum = (f: (x: (typeof s)[number]) => number): number => s.reduce((a, x) => a + f(x), 0);
    return {
      count: s.length,
      meanNodes: round(sum((x) => x.nodes) / s.length),
      medianNodes: sorted[Math.floor(sorted.length / 2)] ?? 0,
      p99Nodes: sorted[Math.floor(sorted.length * 0.99)] ?? 0,
      maxNodes: sorted[sorted.length - 1] ?? 0,
      meanEdges: round(sum((x) => x.edges) / s.length),
      meanEvents: round(sum((x) => x.events) / s.length),
    };
  } finally {
    db.close();
  }
}

interface StageReport {
  wallS: number;
  cpuS: number;
  userS: number;
  systemS: number;
  peakRssMiB: number;
  loadBefore: number[];
  loadAfter: number[];
  [k: string]: unknown;
}

/** Runs one stage in a child process and measures it from outside (wall) and inside (CPU, RSS). */
function child(stage: Stage): Promise<StageReport> {
  const loadBefore = loadAvg();
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), stage], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      const wallS = round((performance.now() - t0) / 1000, 2);
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last) return reject(new Error(`stage ${stage} exited with code ${code}`));
      const inside = JSON.parse(last) as { cpuS: number; userS: number; systemS: number; peakRssMiB: number; [k: string]: unknown };
      resolve({ ...inside, wallS, loadBefore, loadAfter: loadAvg() });
    });
  });
}

const git = (args: string[]): string => {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
};

async function main(): Promise<void> {
  const stage = process.argv[2] as Stage | undefined;
  if (stage) {
    if (!STAGES.includes(stage)) throw new Error(`unknown stage '${stage}'`);
    const result = await runStage(stage);
    const u = process.resourceUsage();
    // maxRSS is in KiB; CPU times in µs, summed over every thread of this process.
    process.stdout.write(`${JSON.stringify({ cpuS: round((u.userCPUTime + u.systemCPUTime) / 1e6, 2), userS: round(u.userCPUTime / 1e6, 2), systemS: round(u.systemCPUTime / 1e6, 2), peakRssMiB: round(u.maxRSS / 1024), ...result })}\n`);
    return;
  }

  mkdirSync(work, { recursive: true });
  const stages: Partial<Record<Stage, StageReport | { reused: true }>> = {};
  if (process.env.REUSE_SIM === '1' && existsSync(join(simDir, 'ground_truth.json'))) {
    log(`reusing the simulated log in ${simDir}`);
    stages.simulate = { reused: true };
  } else {
    rmSync(simDir, { recursive: true, force: true });
    log(`simulate ${days} d at scale ${scale}, seed ${seed}`);
    const sim = await child('simulate');
    stages.simulate = sim;
    log(`simulate: ${sim.wallS} s wall, ${sim.cpuS} CPU-s, ${String(sim.events)} events`);
  }
  rmSync(caseDir, { recursive: true, force: true });
  for (const s of ['ingest', 'train', 'hunt'] as const) {
    log(`${s} (load ${loadAvg().join(' ')})`);
    const r = await child(s);
    stages[s] = r;
    log(`${s}: ${r.wallS} s wall, ${r.cpuS} CPU-s, peak RSS ${r.peakRssMiB} MiB`);
  }
  const ingest = stages.ingest as StageReport;
  const train = stages.train as StageReport;
  const hunt = stages.hunt as StageReport;
  const sessions = await sessionStats(String(train.preset));
  const toIncidents = round(ingest.wallS + train.wallS + hunt.wallS, 1);
  const toIncidentsCpu = round(ingest.cpuS + train.cpuS + hunt.cpuS, 1);
  process.stdout.write(
    `${JSON.stringify({
      bench: 'pipeline',
      // Other engineers change the engine while this runs: say which code was measured.
      commit: git(['rev-parse', '--short', 'HEAD']),
      uncommittedEngineFiles: git(['status', '--porcelain', 'src/engine']).split('\n').filter(Boolean).length,
      node: process.version,
      cpus: availableParallelism(),
      days,
      scale,
      seed,
      events: ingest.events,
      sessions,
      backend: train.backend,
      trainEngine: train.engine,
      epochsRun: train.epochsRun,
      trainGraphsPerS: train.trainGraphsPerS,
      embedGraphsPerS: train.embedGraphsPerS,
      huntS: hunt.wallS,
      incidents: hunt.incidents,
      stages,
      totals: { ingestToIncidentsWallS: toIncidents, ingestToIncidentsCpuS: toIncidentsCpu },
      targets: {
        trainS: TARGET_TRAIN_S,
        trainMetWall: train.wallS <= TARGET_TRAIN_S,
        ingestToIncidentsS: TARGET_INGEST_TO_INCIDENTS_S,
        ingestToIncidentsMetWall: toIncidents <= TARGET_INGEST_TO_INCIDENTS_S,
      },
    })}\n`,
  );
}

await main();
