import { AKS_AUDIT_CATEGORIES, clusterFromResourceId, unwrapAks, type Hint, type Unwrapped } from './cloud.ts';
import { nonEmpty, obj, str, type Obj } from './field-table.ts';
import { parseTimeUs } from './time.ts';

/**
 * AKS audit logs as Log Analytics hands them out, rather than as diagnostic settings stream them:
 *
 * - rows of the resource-specific tables `AKSAudit` / `AKSAuditAdmin`: the Event's fields as
 *   PascalCase columns (`AuditId`, `RequestUri`, `User`, `ObjectRef`…). Columns of type dynamic
 *   arrive as objects from some exporters and as JSON text from others (`az monitor log-analytics
 *   query` writes text); both are read;
 * - rows of the legacy `AzureDiagnostics` table: `Category` and the Event as JSON text in `log_s`;
 * - the query API's envelope, `{"tables":[{"columns":[{"name"…}],"rows":[[…]…]}]}`, whose rows
 *   become records by column name.
 */

/** Table column → audit.k8s.io Event field. Column names are Azure Monitor's AKSAudit reference. */
export const AKS_TABLE_COLUMNS = {
  AuditId: 'auditID',
  Level: 'level',
  Stage: 'stage',
  RequestUri: 'requestURI',
  Verb: 'verb',
  User: 'user',
  ImpersonatedUser: 'impersonatedUser',
  SourceIps: 'sourceIPs',
  UserAgent: 'userAgent',
  ObjectRef: 'objectRef',
  ResponseStatus: 'responseStatus',
  RequestObject: 'requestObject',
  ResponseObject: 'responseObject',
  RequestReceivedTime: 'requestReceivedTimestamp',
  StageReceivedTime: 'stageTimestamp',
  Annotations: 'annotations',
} as const;

/** What AKS writes in RequestObject / ResponseObject when the object was too big to log. */
export const AKS_SKIPPED_OBJECT = 'skipped-too-big-size-object';

/** A row of AKSAudit or AKSAuditAdmin (by its Type, or by the columns only those tables have). */
export function isAksTableRow(o: Obj): boolean {
  if (o.Type === 'AKSAudit' || o.Type === 'AKSAuditAdmin') return true;
  return typeof o.AuditId === 'string' && (typeof o.RequestUri === 'string' || typeof o.Verb === 'string');
}

/** A row of AzureDiagnostics carrying an AKS log (`Category` + `log_s`). */
export function isAzureDiagnosticsRow(o: Obj): boolean {
  return typeof o.Category === 'string' && o.log_s !== undefined;
}

// Dynamic columns exported as text: only text that is JSON of the expected kind is taken as such,
// so a user name that happens to be "[x]" is not mistaken for an array.
function dynamic(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const t = v.trimStart();
  if (t[0] !== '{' && t[0] !== '[') return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

export function unwrapAksTableRow(o: Obj): Unwrapped {
  const event: Obj = { kind: 'Event', apiVersion: 'audit.k8s.io/v1' };
  const missing: string[] = [];
  for (const [column, field] of Object.entries(AKS_TABLE_COLUMNS)) {
    let v = dynamic(o[column]);
    if (v === undefined || v === null || v === '') continue;
    // The object was there but not logged: say so rather than pass the marker off as the object.
    if (v === AKS_SKIPPED_OBJECT && (field === 'requestObject' || field === 'responseObject')) {
      missing.push(field);
      continue;
    }
    // Log Analytics stores a number in a dynamic column as text too.
    const status = field === 'responseStatus' ? obj(v) : undefined;
    if (status && typeof status.code === 'string') v = { ...status, code: Number(status.code) };
    event[field] = v;
  }
  const hint: Hint = { provider: 'azure', cluster: clusterFromResourceId(nonEmpty(o._ResourceId) ?? nonEmpty(o.ResourceId)), timeUs: parseTimeUs(o.TimeGenerated) };
  return { inner: event, hint, missing };
}

export function unwrapAzureDiagnosticsRow(o: Obj): Unwrapped {
  const category = o.Category as string;
  if (!AKS_AUDIT_CATEGORIES.has(category)) {
    return { error: { code: 'not-audit-event', reason: `AzureDiagnostics row of category "${category}", not kube-audit or kube-audit-admin` } };
  }
  // The same record diagnostic settings stream, under Log Analytics' column names.
  return unwrapAks({ category, properties: { log: o.log_s }, resourceId: str(o._ResourceId) ?? str(o.ResourceId), time: o.TimeGenerated });
}

/** The query API's tables as records, or undefined when `o` is not that envelope. */
export function logAnalyticsRows(o: Obj): Obj[] | undefined {
  if (!Array.isArray(o.tables) || o.tables.length === 0) return undefined;
  const out: Obj[] = [];
  for (const t of o.tables) {
    const table = obj(t);
    if (!table || !Array.isArray(table.columns) || !Array.isArray(table.rows)) return undefined;
    const names = table.columns.map((c) => str(obj(c)?.name) ?? str(obj(c)?.ColumnName));
    if (names.some((n) => n === undefined)) return undefined;
    for (const row of table.rows) {
      if (!Array.isArray(row)) return undefined;
      const rec: Obj = {};
      names.forEach((n, i) => (rec[n as string] = row[i]));
      out.push(rec);
    }
  }
  return out;
}
