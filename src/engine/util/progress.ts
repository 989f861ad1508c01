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

/** Builds Progress values with rate and ETA from a start time; throttles to `everyMs`. */
export class ProgressMeter {
  private readonly start = performance.now();
  private last = 0;

  constructor(
    private readonly stage: string,
    private readonly unit: string,
    private readonly sink: ProgressFn | undefined,
    private readonly everyMs = 200,
  ) {}

  update(done: number, total: number | null, detail?: string, force = false): void {
    if (!this.sink) return;
    const now = performance.now();
    if (!force && now - this.last < this.everyMs) return;
    this.last = now;
    const elapsed = (now - this.start) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const etaS = total !== null && rate > 0 ? Math.max(0, (total - done) / rate) : null;
    this.sink({ stage: this.stage, done, total, unit: this.unit, rate, etaS, detail });
  }
}
