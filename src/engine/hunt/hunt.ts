import type { AuditEvent } from '../../shared/domain.ts';
import { ProgressMeter, type ProgressFn } from '../util/progress.ts';
import { buildBaselines, sessionIndex } from './actor-baseline.ts';
import { scoreActorSessions, type ScoredSession } from './actor-score.ts';
import { correlate, type Anomaly } from './correlate.ts';
import { explainSession } from './explain.ts';
import { buildIncidents, type Incident } from './incidents.ts';
import { buildFamiliarity } from './familiarity.ts';
import { occludeNodes } from './occlusion.ts';
import { buildProfile, mainVerb } from './profile.ts';
import { buildFeatures, DEFAULT_CONTAMINATION, DEFAULT_MODE, scoreSessions, type FeatureMode } from './score.ts';
import type { AnomalyScorer, EmbeddingSet, EventSource, Finding, HuntRuleHit, HuntSession, HuntGraph } from './types.ts';

/** Everything the hunt reads, adapted from the store and the upstream stages by the caller. */
export interface HuntInput {
  sessions: HuntSession[];
  /** Every event of the case in time order (first-seen tracking depends on it). */
  events: EventSource;
  getEvents(auditIDs: string[]): AuditEvent[];
  /** Null when no model has been trained: sessions are then scored on size and novelty alone ('context'). */
  embeddings: EmbeddingSet | null;
  ruleHits: HuntRuleHit[];
  scorer: AnomalyScorer;
  /** For occlusion: a session's graph, and the model's embedding of any graph. */
  graphOf?(sessionId: number): HuntGraph | null;
  embedGraph?(graph: HuntGraph): Promise<Float32Array>;
}

export interface HuntOptions {
  contamination?: number;
  mode?: FeatureMode;
  /** Occlusion costs one embedding per tried node per anomaly. */
  occlusion?: boolean;
  /**
   * Which signals make findings: both (the product), or one alone, so evaluations can say what
   * each contributes. 'rules' skips scoring; 'anomalies' drops the rule hits.
   */
  signals?: HuntSignals;
  /** Off: rule risk is the rule's alone (no routine demotion, no unfamiliar-source lift); for comparisons. */
  familiarity?: boolean;
  /**
   * Actor sessions only: whether the model's view (embedding distance to the actor's past and
   * peers, the forest) adds to the baseline's evidence. Off measures what the model contributes.
   */
  model?: boolean;
  /**
   * Actor sessions with an 'actor'-objective model: whether the model's own answer to "whose
   * session is this?" counts (`not-its-actor`, actor-score.ts). Default NOT_ITS_ACTOR_DEFAULT.
   */
  notItsActor?: boolean;
  /** Actor sessions at or above this risk become findings. */
  minRisk?: number;
  onProgress?: ProgressFn;
}

export type HuntSignals = 'both' | 'rules' | 'anomalies';

/**
 * Actor sessions at or above this risk are findings: 1 − exp(−E/2.5) ≥ 0.3 needs ~0.9 evidence
 * units, e.g. a first write in a namespace no peer wrote to, or a first sensitive action; a lone
 * new namespace read or a new pod address is below it.
 */
export const DEFAULT_MIN_RISK = 0.3;

/**
 * Whether `not-its-actor` counts unless asked otherwise. On: over five held-out simulated seeds
 * it put one more attack in the top 20 with every rule off (78 against 77), as many with rules
 * (75), and precision@10 fell on no seed, nor did anything on the three seeds its threshold was
 * chosen on (docs/quality.md, "The actor model's own verdict", which also says how small a gain
 * that is).
 */
export const NOT_ITS_ACTOR_DEFAULT = true;

export interface HuntResult {
  findings: Finding[];
  /** Findings joined into episodes of one actor (and whoever it handed an identity or an address to), riskiest first. */
  incidents: Incident[];
  metrics: Record<string, number | string | null>;
}

export async function runHunt(input: HuntInput, options: HuntOptions = {}): Promise<HuntResult> {
  const meter = new ProgressMeter('hunt', 'steps', options.onProgress);
  const signals = options.signals ?? 'both';
  const ruleHits = signals === 'anomalies' ? [] : input.ruleHits;
  const embedded = input.embeddings !== null && input.embeddings.sessionIds.length > 0;
  const mode: FeatureMode = embedded ? (options.mode ?? DEFAULT_MODE) : 'context';
  const contamination = options.contamination ?? DEFAULT_CONTAMINATION;
  meter.update(0, 4, 'profiling events', true);
  const profile = buildProfile(input.sessions, input.events);
  const sessionById = new Map(input.sessions.map((s) => [s.id, s]));

  meter.update(1, 4, 'scoring sessions', true);
  // Without a model, an empty embedding per session: the context columns carry the scoring.
  const emb: EmbeddingSet = embedded ? input.embeddings! : { sessionIds: input.sessions.map((s) => s.id), dim: 0, data: new Float32Array(0) };
  const scored = emb.sessionIds.length && signals !== 'rules' ? scoreSessions(emb, profile, input.scorer, { contamination, mode }) : null;
  const sessionOf = sessionIndex(input.sessions);
  const actorUnit = input.sessions.length > 0 && input.sessions.every((s) => s.actor !== undefined);
  let actorScores: ScoredSession[] | null = null;
  if (actorUnit && signals !== 'rules') {
    const baselines = buildBaselines(input.sessions, input.events(), { baselineEndUs: profile.baselineEndUs, sessionOf });
    const useModel = options.model !== false && embedded;
    actorScores = scoreActorSessions(baselines, useModel ? { embeddings: input.embeddings!, forest: scored ? { scores: scored.scores, threshold: scored.threshold } : undefined, notItsActor: options.notItsActor ?? NOT_ITS_ACTOR_DEFAULT } : null);
  }
  const minRisk = options.minRisk ?? DEFAULT_MIN_RISK;
  const actorFlagged = actorScores ? actorScores.filter((s) => s.risk >= minRisk) : null;
  const actorById = new Map((actorFlagged ?? []).map((s) => [s.sessionId, s]));
  const flaggedIds = actorFlagged ? actorFlagged.map((s) => s.sessionId) : (scored?.flagged ?? []);
  const anomalous = new Set(flaggedIds);
  const hitsByAudit = new Map<string, HuntRuleHit[]>();
  for (const h of ruleHits) hitsByAudit.set(h.auditID, [...(hitsByAudit.get(h.auditID) ?? []), h]);

  meter.update(2, 4, 'explaining anomalies', true);
  const anomalies: Anomaly[] = [];
  const rowOf = new Map<number, Float64Array>();
  if (scored && options.occlusion) {
    const rows = buildFeatures(emb, profile, mode);
    emb.sessionIds.forEach((id, i) => rowOf.set(id, rows[i]));
  }
  for (const sessionId of flaggedIds) {
    const session = sessionById.get(sessionId);
    if (!session) continue;
    const events = input.getEvents(session.auditIDs);
    const actorScore = actorById.get(sessionId);
    let occlusion: { label: string; type: string; drop: number }[] | undefined;
    const graph = options.occlusion && scored ? input.graphOf?.(sessionId) : null;
    if (graph && input.embedGraph && scored && mode !== 'context') {
      const embedGraph = input.embedGraph;
      const base = rowOf.get(sessionId)!;
      occlusion = await occludeNodes(graph, async (g) => {
        const row = Float64Array.from(base);
        row.set(await embedGraph(g), 0);
        // Context columns stay as they were: occlusion asks what the graph structure contributed.
        return scored.scoreOne(row);
      });
    }
    const explained = explainSession(sessionId, {
      profile,
      events,
      ruleHits: session.auditIDs.flatMap((id) => hitsByAudit.get(id) ?? []),
      embeddings: embedded ? input.embeddings : null,
      anomalous,
      occlusion,
    });
    // An actor session's own evidence leads; the case-level context (verbs, size, nearest normal) follows.
    const reasons = actorScore ? [...actorScore.reasons, ...explained.filter((r) => !r.kind.startsWith('new-') && r.kind !== 'novel')] : explained;
    const stats = profile.sessions.get(sessionId);
    anomalies.push({
      sessionId,
      score: actorScore ? actorScore.risk : (scored!.scores.get(sessionId) ?? 0),
      risk: actorScore?.risk,
      startUs: session.startUs,
      endUs: session.endUs,
      auditIDs: session.auditIDs,
      users: [...new Set(events.map((e) => e.user))],
      sourceIPs: [...new Set(events.flatMap((e) => e.sourceIPs))],
      reasons,
      summary: stats ? `${stats.events} events, mostly ${mainVerb(stats) ?? '?'}${stats.novel.length ? `, ${stats.novel.length} new entities` : ''}` : undefined,
    });
  }

  meter.update(3, 4, 'correlating', true);
  const fam = options.familiarity === false ? undefined : buildFamiliarity(ruleHits, profile);
  const findings = correlate(anomalies, ruleHits, { threshold: scored?.threshold ?? 1, familiarity: fam, sessionOf: (id) => sessionOf.get(id) });
  const usersPerIp = new Map<string, number>();
  const nodeIps = new Set<string>();
  for (const key of profile.pairs.keys()) {
    const [kind, user, ip] = key.split('\u0000');
    if (kind !== 'user→sourceIP') continue;
    usersPerIp.set(ip, (usersPerIp.get(ip) ?? 0) + 1);
    if (user.startsWith('system:node:')) nodeIps.add(ip);
  }
  const incidents = buildIncidents({ findings, getEvents: input.getEvents, usersOfIp: (ip) => usersPerIp.get(ip) ?? 0, isNodeAddress: (ip) => nodeIps.has(ip) });
  meter.update(4, 4, `${findings.length} findings, ${incidents.length} incidents`, true);
  const all = actorScores ? actorScores.map((s) => s.risk).sort((a, b) => a - b) : scored ? [...scored.scores.values()].sort((a, b) => a - b) : [];
  const q = (p: number): number | null => (all.length ? all[Math.min(all.length - 1, Math.floor(p * all.length))] : null);
  return {
    findings,
    incidents,
    metrics: {
      mode,
      contamination,
      signals,
      sessions: input.sessions.length,
      scoredSessions: all.length,
      unit: actorUnit ? 'actor' : 'window',
      modelTerms: actorUnit ? String(options.model !== false && embedded) : null,
      notItsActor: actorUnit ? String(options.model !== false && embedded && (options.notItsActor ?? NOT_ITS_ACTOR_DEFAULT) && input.embeddings?.actorClasses !== undefined) : null,
      minRisk: actorUnit ? minRisk : null,
      anomalies: anomalies.length,
      threshold: scored?.threshold ?? null,
      scoreP50: q(0.5),
      scoreP99: q(0.99),
      ruleHits: ruleHits.length,
      findings: findings.length,
      incidents: incidents.length,
      correlatedFindings: findings.filter((f) => f.kind === 'correlated').length,
      ruleFindings: findings.filter((f) => f.kind === 'rule').length,
      anomalyFindings: findings.filter((f) => f.kind === 'anomaly').length,
    },
  };
}
