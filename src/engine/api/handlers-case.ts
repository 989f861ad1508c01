import type { CaseSummary as ContractSummary, EventListRow, EvidenceItem } from '../../shared/contract.ts';
import type { AuditEvent, SourceFormat } from '../../shared/domain.ts';
import { verifyCase, verifyStore } from '../store/verify.ts';
import { eventHistogram, eventPage } from '../store/event-pages.ts';
import { getEventsByAuditIDs, getRawRecord } from '../store/events-read.ts';
import { listEvidence } from '../store/evidence.ts';
import { errorsForEvidence, getRecordError } from '../store/record-error-lookup.ts';
import { getSessionGraph } from '../store/sessions.ts';
import { caseSummary } from '../store/summary.ts';
import { listFindings } from '../store/findings.ts';
import type { CaseState } from './case-state.ts';
import type { Handlers } from './dispatch.ts';
import { ApiFailure } from './errors.ts';
import type { PathPolicy } from './paths.ts';
import { readLine } from './read-line.ts';

type CaseHandlers = Pick<Handlers, 'cases.summary' | 'evidence.list' | 'evidence.errors' | 'evidence.raw' | 'evidence.verify' | 'events.query' | 'events.get' | 'events.histogram'>;

const toEventListRow = (e: AuditEvent): EventListRow => ({
  auditID: e.auditID,
  timeUs: e.timeUs,
  verb: e.verb,
  user: e.user,
  sourceIPs: e.sourceIPs,
  resource: e.resource,
  namespace: e.namespace,
  name: e.name,
  responseCode: e.responseCode,
  decision: e.decision,
  userAgent: e.userAgent,
  requestURI: e.requestURI,
});

/** Case contents: inventory, record errors, events and the timeline. */
export function caseHandlers(cases: CaseState, paths: PathPolicy): CaseHandlers {
  const db = () => cases.require().db;
  return {
    'cases.summary': (): ContractSummary => {
      const s = caseSummary(db(), { top: 1_000_000, errors: 0 });
      return {
        events: s.events,
        evidence: s.evidence.length,
        errors: s.errors.total,
        firstUs: s.fromUs,
        lastUs: s.toUs,
        users: s.topUsers.length,
        sourceIPs: s.topSourceIPs.length,
        formats: s.formats.map((f) => f.value as SourceFormat),
      };
    },
    'evidence.list': (): EvidenceItem[] => {
      const items = listEvidence(db());
      const idByPath = new Map(items.map((e) => [e.path, e.id]));
      return items.map((e) => ({
        id: e.id,
        path: e.path,
        parentId: e.parent === null ? null : (idByPath.get(e.parent) ?? null),
        container: e.container,
        size: e.size,
        sha256: e.sha256,
        formats: e.formats,
        events: e.events,
        errors: e.errors,
        verified: null,
      }));
    },
    'evidence.errors': ({ evidenceId, offset, limit }) => errorsForEvidence(db(), evidenceId, offset, limit),
    'evidence.raw': async ({ errorId }) => {
      const err = getRecordError(db(), errorId);
      if (!err) throw new ApiFailure('not-found', `no record error ${errorId}`);
      const item = err.evidenceId === null ? undefined : listEvidence(db()).find((e) => e.id === err.evidenceId);
      // Only a top-level plain file can be re-read by line without the reader; members show the excerpt.
      // The path comes from the case file, which may be someone else's: it is re-read only inside
      // the roots, and only while it is still the size that was hashed (else the excerpt stands).
      if (item && item.parent === null && item.container === 'file' && err.line > 0 && paths.allows(item.path)) {
        const text = await readLine(item.path, err.line, item.size ?? undefined).catch(() => null);
        if (text !== null) return { path: err.path, line: err.line, text, source: 'file' as const };
      }
      return { path: err.path, line: err.line, text: err.excerpt, source: 'excerpt' as const };
    },
    'evidence.verify': async () => {
      // The evidence and the case's own raw-record file: an edit of either is a problem to show.
      const results = [...(await verifyCase(db())), ...verifyStore(db())];
      const problems = results.filter((r) => r.status !== 'ok').map((r) => ({ path: r.path, status: r.status as 'changed' | 'missing' | 'unfinished' }));
      return { checked: results.length, problems };
    },
    'events.query': ({ offset, limit, sessionId, ...filter }) => {
      if (sessionId === undefined) return eventPage(db(), filter, offset, limit);
      // A session's events are its graph's auditIDs; the other filters do not apply to them.
      const graph = getSessionGraph(db(), sessionId);
      if (!graph) throw new ApiFailure('not-found', `no session ${sessionId}`);
      const rows = getEventsByAuditIDs(db(), graph.auditIDs.slice(offset, offset + limit)).map(toEventListRow);
      return { rows: rows.sort((a, b) => a.timeUs - b.timeUs), total: graph.auditIDs.length };
    },
    'events.get': ({ auditID }) => {
      const [event] = getEventsByAuditIDs(db(), [auditID]);
      if (!event) throw new ApiFailure('not-found', `no event ${auditID.slice(0, 80)}`);
      return { event, raw: getRawRecord(db(), auditID) };
    },
    'events.histogram': ({ fromUs, toUs, buckets }) => {
      const h = eventHistogram(db(), buckets, fromUs, toUs);
      const findings = listFindings(db());
      const inRange = (t: number): boolean => (fromUs === undefined || t >= fromUs) && (toUs === undefined || t < toUs);
      return {
        ...h,
        anomalies: findings
          .filter((f) => f.kind !== 'rule' && f.sessionId !== undefined && inRange(f.startUs))
          .map((f) => ({ timeUs: f.startUs, score: f.score, sessionId: f.sessionId as number })),
        ruleHits: findings
          .filter((f) => f.kind !== 'anomaly' && f.techniques.length > 0 && inRange(f.startUs))
          .map((f) => ({ timeUs: f.startUs, findingId: f.id, severity: f.severity, techniques: f.techniques, sessionId: f.sessionId ?? null })),
      };
    },
  };
}
