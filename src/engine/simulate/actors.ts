import { Recorder, type Sink } from './audit.ts';
import type { Cluster } from './cluster.ts';
import type { Rng } from './prng.ts';
import { MINUTE_US } from './time.ts';

/** Something that makes API calls; asked once per simulated minute for that minute's traffic. */
export interface Actor {
  tick(t0: number): void;
}

export interface ActorEnv {
  cluster: Cluster;
  scale: number;
  /** A fresh Rng stream and Recorder for a named actor. */
  spawn(label: string): { rng: Rng; rec: Recorder };
}

export function makeEnv(cluster: Cluster, scale: number, root: Rng, sink: Sink): ActorEnv {
  return {
    cluster,
    scale,
    spawn(label: string) {
      const rng = root.fork(label);
      return { rng, rec: new Recorder(rng.fork('ids'), sink) };
    },
  };
}

/** Random request times inside one minute, `mean` of them on average, in order. */
export function timesIn(rng: Rng, t0: number, mean: number): number[] {
  const n = rng.poisson(mean);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(t0 + Math.floor(rng.next() * MINUTE_US));
  return out.sort((a, b) => a - b);
}

/** Times of a periodic renewal with jitter (leases), thinned by scale. */
export function periodic(rng: Rng, t0: number, periodUs: number, phaseUs: number): number[] {
  const out: number[] = [];
  let k = Math.ceil((t0 - phaseUs) / periodUs);
  for (let t = phaseUs + k * periodUs; t < t0 + MINUTE_US; t = phaseUs + ++k * periodUs) {
    out.push(t + rng.int(0, 200_000));
  }
  return out;
}
