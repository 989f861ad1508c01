import type { Db } from '../store/db.ts';
import { getEventsByAuditIDs, iterateEvents } from '../store/events-read.ts';
import { saveHuntRun } from '../store/findings.ts';
import { saveIncidents } from '../store/incidents.ts';
import { appendJournal } from '../store/journal.ts';
import { currentExaminer } from '../store/case-meta.ts';
import { getSessionGraph, iterateSessionGraphs, listSessions } from '../store/sessions.ts';
import { loadBuiltinRules, runRules } from '../rules/index.ts';
import { getPreset } from '../sessions/presets.ts';
import { iforestScorer } from './forest-scorer.ts';
import { caseEmbedder, caseEmbeddings, storeMissingClassProbabilities, type CaseEmbeddings } from './model-link.ts';
import { runHunt, type HuntInput, type HuntOptions, type HuntResult } from './hunt.ts';
import type { HuntRuleHit, HuntSession } from './types.ts';

export interface CaseHuntOptions extends HuntOptions {
  /** Session preset to score ('seed', 'actor', 'actor-ip'); default: the embeddings' own, else the first stored. */
  preset?: string;
  /** Case directory, where the model's files live (occlusion). */
  caseDir?: string;
  seed?: number;
}

export interface CaseHuntInput {
  input: HuntInput;
  preset: string | null;
  embeddings: CaseEmbeddings | null;
}

/**
 * What a hunt over a stored case reads, loaded once: evaluations run several hunt configurations
 * on one input. `ruleHits` may be passed in when the caller already ran the rules over the case.
 */
export async function loadCaseHuntInput(db: Db, options: Pick<CaseHuntOptions, 'preset' | 'caseDir' | 'seed' | 'occlusion'> = {}, ruleHits?: HuntRuleHit[]): Promise<CaseHuntInput> {
  const presets = [...new Set(listSessions(db).map((s) => s.preset))];
  // A case embedded before migration 036 kept no class probabilities: work them out from its
  // stored embeddings and model once, so its hunt has the model's verdict without a retrain.
  if (options.caseDir) await storeMissingClassProbabilities(db, options.caseDir, options.preset);
  const stored = caseEmbeddings(db, options.preset);
  const preset = options.preset ?? stored?.preset ?? presets[0] ?? null;
  // Embeddings of another preset describe other sessions: score this one on context alone.
  const emb = stored && stored.preset === preset ? stored : null;
  const sessions: HuntSession[] = [];
  if (preset !== null) {
    const filter = emb ? { preset, windowUs: emb.windowUs } : { preset };
    // Actor sessions (a gap cut) are scored against each actor's past and peers; clock slices by the forest alone.
    const actorCut = getPreset(preset).cut.kind === 'gap';
    for (const g of iterateSessionGraphs(db, filter)) {
      const actor = actorCut ? g.partition.slice(g.partition.indexOf('|') + 1) : undefined;
      sessions.push({ id: g.id, startUs: g.startUs, endUs: g.endUs, auditIDs: g.auditIDs, actor });
    }
  }
  const embedGraph = options.occlusion && emb && options.caseDir ? ((await caseEmbedder(db, options.caseDir)) ?? undefined) : undefined;
  const input: HuntInput = {
    sessions,
    events: () => iterateEvents(db),
    getEvents: (ids) => getEventsByAuditIDs(db, ids),
    embeddings: emb?.set ?? null,
    ruleHits: ruleHits ?? runRules(loadBuiltinRules(), iterateEvents(db)),
    scorer: iforestScorer({ seed: options.seed ?? 1 }),
    graphOf: (id) => getSessionGraph(db, id),
    embedGraph,
  };
  return { input, preset, embeddings: emb };
}

/** Run rules, anomaly scoring and correlation over a stored case; store the findings and journal the run. */
export async function huntCase(db: Db, options: CaseHuntOptions = {}): Promise<HuntResult & { runId: number; preset: string | null }> {
  const startedAt = new Date().toISOString();
  const { input, preset, embeddings: emb } = await loadCaseHuntInput(db, options);
  const result = await runHunt(input, options);
  const config = {
    preset, modelId: emb?.modelId ?? null, embeddings: emb?.kind ?? null, contamination: result.metrics.contamination, mode: result.metrics.mode,
    occlusion: options.occlusion ?? false, seed: options.seed ?? 1, rules: 'builtin', signals: result.metrics.signals, familiarity: options.familiarity ?? true,
  };
  const runId = saveHuntRun(db, { startedAt, config, metrics: result.metrics }, result.findings);
  saveIncidents(db, runId, result.incidents);
  appendJournal(db, { action: 'hunt', actor: currentExaminer(db), detail: { runId, ...config, findings: result.findings.length, incidents: result.incidents.length } });
  return { ...result, runId, preset };
}
