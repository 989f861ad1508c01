// Worker-thread entry of GradHelper: the fused loss and gradient of its share of each batch.
import { parentPort, workerData } from 'node:worker_threads';
import { FusedGcn } from './fused.ts';
import { PARAM_NAMES, type GcnConfig } from './gcn.ts';
import type { PreparedGraph } from './graph-data.ts';
import type { GradReply, GradRequest } from './grad-helper.ts';

if (parentPort) {
  const port = parentPort;
  const { config, graphs } = workerData as { config: GcnConfig; graphs: PreparedGraph[] };
  const fused = FusedGcn.create(config);
  port.on('message', (m: GradRequest) => {
    if (!fused) {
      port.postMessage({ error: 'WebAssembly SIMD unavailable in the worker' } satisfies GradReply);
      return;
    }
    let at = 0;
    for (const n of PARAM_NAMES) {
      const p = fused.param(n);
      p.set(m.weights.subarray(at, at + p.length));
      at += p.length;
    }
    fused.load(Array.from(m.idx, (i) => graphs[i]));
    const loss = fused.lossAndGrad();
    const grads = new Float32Array(m.weights.length);
    at = 0;
    for (const n of PARAM_NAMES) {
      const g = fused.grad(n);
      grads.set(g, at);
      at += g.length;
    }
    port.postMessage({ loss, grads } satisfies GradReply, [grads.buffer]);
  });
}
