/** Progress of a long job, as every stage reports it (CLI bar, UI, job events). */
export interface Progress {
  /** Stage name, e.g. 'ingest', 'sessions', 'train', 'hunt'. */
  stage: string;
  done: number;
  /** null when unknown in advance (streaming input). */
  total: number | null;
  /** What `done` counts: 'bytes', 'events', 'graphs', 'epochs'… */
  unit: string;
  /** Units per second over the job so far. */
  rate: number;
  /** Seconds left, or null when unknown. */
  etaS: number | null;
  /** Short free text (current file, loss, F1…). */
  detail?: string;
  /** Training only: every finished epoch so far, so a view opened mid-run can draw the whole curve. */
  epochs?: EpochPoint[];
}

export interface EpochPoint {
  epoch: number;
  loss: number;
  /** null when the validation split is empty (F1 undefined). */
  valF1: number | null;
}

export type ProgressFn = (p: Progress) => void;

/**
 * When an ETA starts to mean something. The first seconds of a job carry one-off costs that are
 * not per unit (worker start, reading the case, tfjs backend set-up and the first training steps'
 * kernel compilation), so a rate taken then is far too low and the ETA far too long: training
 * used to open at "ETA 2982s". Shown once both hold: 10 s elapsed (past the start-up costs) and 2%
 * done (one slow step then moves the estimate by little); after 60 s it is shown whatever the
 * share, so a very long job is not left without one for its first 2%.
 */
export const ETA_MIN_SECONDS = 10;
export const ETA_MIN_DONE = 0.02;
export const ETA_ANYWAY_SECONDS = 60;

/** Seconds left at the job's mean rate so far, or null while that would mislead (see ETA_MIN_SECONDS). */
export function estimateEta(done: number, total: number | null, elapsedS: number): number | null {
  if (total === null || total <= 0 || done <= 0 || elapsedS <= 0) return null;
  const share = done / total;
  if (elapsedS < ETA_MIN_SECONDS || (share < ETA_MIN_DONE && elapsedS < ETA_ANYWAY_SECONDS)) return null;
  return Math.max(0, (total - done) / (done / elapsedS));
}

/** Builds Progress values with rate and ETA from a start time; throttles to `everyMs`. */
export class ProgressMeter {
  private readonly start: number;
  private last = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly stage: string,
    private readonly unit: string,
    private readonly sink: ProgressFn | undefined,
    private readonly everyMs = 200,
    /** Milliseconds, monotonic; tests pass a fake clock. */
    private readonly now: () => number = () => performance.now(),
  ) {
    this.start = this.now();
  }

  update(done: number, total: number | null, detail?: string, force = false): void {
    if (!this.sink) return;
    const now = this.now();
    if (!force && now - this.last < this.everyMs) return;
    this.last = now;
    const elapsed = (now - this.start) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    this.sink({ stage: this.stage, done, total, unit: this.unit, rate, etaS: estimateEta(done, total, elapsed), detail });
  }
}
