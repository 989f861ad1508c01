import type { GraphInput } from '../../../src/engine/model/graph-data.ts';
import { buildSessions } from '../../../src/engine/sessions/tumbling.ts';
import type { Preset } from '../../../src/engine/sessions/presets.ts';
import type { StoredSessionGraph } from '../../../src/engine/sessions/graph.ts';
import { synthEvents } from '../sessions/synth.ts';

/** A small star graph: node 0 tied to 1, 2, 3 (each edge seen once). */
export function star(): GraphInput {
  return {
    nodeTypes: Uint8Array.from([2, 0, 1, 3]),
    nodeLabels: ['/api/v1/pods', '10.0.0.1', 'devs', 'pods'],
    src: Int32Array.from([0, 0, 0]),
    dst: Int32Array.from([1, 2, 3]),
    weight: Float32Array.from([1, 1, 1]),
    labelMask: 0b101,
  };
}

/** Sessions from the seeded synthetic event maker: small, learnable, time-ordered. */
export function synthSessions(preset: Preset, events = 3000, minutes = 120, seed = 1): StoredSessionGraph[] {
  return buildSessions(synthEvents(events, seed, minutes), preset, 60e6);
}
