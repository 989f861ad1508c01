import { seededRandom } from '../../model/rng.ts';

/**
 * The forest's seeded randomness: the model's mulberry32. Math.random cannot be seeded, and a case
 * must be able to rebuild the same forest from its stored seed; 32-bit state is plenty for
 * choosing features, split points and sub-samples.
 */
export class Rng {
  /** Uniform in [0, 1). */
  readonly next: () => number;

  constructor(seed: number) {
    this.next = seededRandom(seed);
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}
