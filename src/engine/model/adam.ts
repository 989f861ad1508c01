/**
 * Adam on plain arrays, step for step what tf.train.adam does (bias correction through running
 * powers of β, ε = 1e-7 as tfjs's float32 backends use), so the fused path trains like the tfjs one.
 */
export class Adam {
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  private acc1: number;
  private acc2: number;

  constructor(
    sizes: readonly number[],
    private readonly lr: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly eps = 1e-7,
  ) {
    this.m = sizes.map((n) => new Float32Array(n));
    this.v = sizes.map((n) => new Float32Array(n));
    this.acc1 = beta1;
    this.acc2 = beta2;
  }

  /** w[i] −= lr · m̂ / (√v̂ + ε) for each parameter array and its gradient, in place. */
  step(params: readonly Float32Array[], grads: readonly Float32Array[]): void {
    const { beta1: b1, beta2: b2, lr, eps } = this;
    const c1 = 1 - this.acc1;
    const c2 = 1 - this.acc2;
    for (let p = 0; p < params.length; p++) {
      const w = params[p];
      const g = grads[p];
      const m = this.m[p];
      const v = this.v[p];
      for (let i = 0; i < w.length; i++) {
        const gi = g[i];
        m[i] = b1 * m[i] + (1 - b1) * gi;
        v[i] = b2 * v[i] + (1 - b2) * gi * gi;
        w[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps);
      }
    }
    this.acc1 *= b1;
    this.acc2 *= b2;
  }
}
