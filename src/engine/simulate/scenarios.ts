import { anonymousSuccess, deleteEvents, discoveryBurst, hardeningJob, tokenRequest, webhookPersistence } from './scenarios-b.ts';
import { crbClusterAdmin, cronjobKubeSystem, nightExec, privilegedPod, secretsEnum } from './scenarios-a.ts';
import type { ScenarioDef } from './scenario-kit.ts';

/** Every scenario the simulator knows, in the order their times are drawn. */
export const SCENARIOS: readonly ScenarioDef[] = [
  secretsEnum, nightExec, privilegedPod, crbClusterAdmin, cronjobKubeSystem, deleteEvents,
  anonymousSuccess, tokenRequest, discoveryBurst, webhookPersistence, hardeningJob,
];

export const SCENARIO_IDS = SCENARIOS.map((s) => s.id);
