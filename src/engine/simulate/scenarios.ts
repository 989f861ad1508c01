import { anonymousSuccess, deleteEvents, discoveryBurst, hardeningJob, tokenRequest, webhookPersistence } from './scenarios-b.ts';
import { crbClusterAdmin, cronjobKubeSystem, nightExec, privilegedPod, secretsEnum } from './scenarios-a.ts';
import { agentRemoved, corednsHijack, foreignRegistry, massDelete } from './scenarios-c.ts';
import { ciNightStaging, kubeletTokenMint, saGrantedUsed, stolenKubeconfigRecon, teamOnboarding } from './scenarios-d.ts';
import type { ScenarioDef } from './scenario-kit.ts';

/** Every scenario the simulator knows, in the order their times are drawn. */
export const SCENARIOS: readonly ScenarioDef[] = [
  secretsEnum, nightExec, privilegedPod, crbClusterAdmin, cronjobKubeSystem, deleteEvents,
  anonymousSuccess, tokenRequest, discoveryBurst, webhookPersistence, hardeningJob,
  // Issue 10: behaviour no built-in rule names, kept so by tests/engine/simulate/rules-blind.test.ts.
  massDelete, foreignRegistry, agentRemoved, corednsHijack, kubeletTokenMint, saGrantedUsed,
  stolenKubeconfigRecon, ciNightStaging, teamOnboarding,
];

export const SCENARIO_IDS = SCENARIOS.map((s) => s.id);
