import { z } from 'zod';

/** One scenario as the ground truth records it; times are RFC 3339 with microseconds. */
export const TruthScenarioSchema = z.object({
  id: z.string(),
  label: z.enum(['malicious', 'benign']),
  techniques: z.array(z.string()),
  description: z.string(),
  actors: z.array(z.string()),
  sourceIPs: z.array(z.string()),
  start: z.string(),
  end: z.string(),
  auditIDs: z.array(z.string()),
});

export const GroundTruthSchema = z.object({
  version: z.literal(1),
  generator: z.string(),
  seed: z.string(),
  start: z.string(),
  end: z.string(),
  scale: z.number(),
  cluster: z.string(),
  formats: z.array(z.enum(['raw', 'eks', 'gke', 'aks'])),
  events: z.number(),
  scenarios: z.array(TruthScenarioSchema),
});

export type TruthScenario = z.infer<typeof TruthScenarioSchema>;
export type GroundTruth = z.infer<typeof GroundTruthSchema>;
