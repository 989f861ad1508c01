import type { Call, Recorder } from './audit.ts';
import type { Cluster } from './cluster.ts';
import type { Rng } from './prng.ts';
import { DAY_US, HOUR_US } from './time.ts';

export type Label = 'malicious' | 'benign';

/** A red-team (or benign-anomaly) story, played once at a time the seed picks. */
export interface ScenarioDef {
  id: string;
  label: Label;
  techniques: string[];
  description: string;
  /** When it may happen: any time, at night in the actor's zone, or in working hours. */
  when: 'any' | 'night' | 'work';
  play(s: Play): void;
}

/** What a scenario writes with: a clock it advances and a call that remembers what it did. */
export class Play {
  readonly auditIDs: string[] = [];
  readonly actors = new Set<string>();
  readonly ips = new Set<string>();
  first = Infinity;
  last = -Infinity;

  constructor(
    readonly c: Cluster,
    readonly rng: Rng,
    private readonly rec: Recorder,
    public t: number,
  ) {}

  /** Moves the clock on by a random gap in seconds. */
  wait(minS: number, maxS: number): void {
    this.t += this.rng.int(minS * 1000, maxS * 1000) * 1000;
  }

  call(c: Omit<Call, 't'>): string {
    const id = this.rec.call({ ...c, t: this.t });
    this.auditIDs.push(id);
    if (c.user.username) this.actors.add(c.user.username);
    this.ips.add(c.ip);
    this.first = Math.min(this.first, this.t);
    this.last = Math.max(this.last, this.t + (c.latencyUs ?? 10_000));
    this.wait(0.2, 4);
    return id;
  }
}

/** Start time for a scenario inside [startUs, endUs): away from the edges, honouring `when`. */
export function pickTime(rng: Rng, when: ScenarioDef['when'], startUs: number, endUs: number): number {
  const span = endUs - startUs;
  const lo = startUs + Math.min(span * 0.1, 2 * HOUR_US);
  const hi = endUs - Math.min(span * 0.1, 2 * HOUR_US) - HOUR_US;
  if (when === 'any') return lo + Math.floor(rng.next() * Math.max(1, hi - lo));
  for (let i = 0; i < 200; i++) {
    const t = lo + Math.floor(rng.next() * Math.max(1, hi - lo));
    const h = ((t % DAY_US) + DAY_US) % DAY_US / HOUR_US;
    const weekday = new Date(Math.floor(t / 1000)).getUTCDay() % 6 !== 0;
    if (when === 'night' ? h >= 1 && h < 4.5 : weekday && h >= 9 && h < 16.5) return t;
  }
  return lo + Math.floor(rng.next() * Math.max(1, hi - lo));
}

export const KUBECTL_OLD = 'kubectl/v1.27.3 (linux/amd64) kubernetes/25b4e43';
