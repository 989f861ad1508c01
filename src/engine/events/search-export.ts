import type { SearchExport, SearchHit, SearchQuery } from '../../shared/contract.ts';
import type { Db } from '../store/db.ts';
import { searchAll } from './search.ts';

/**
 * Rows one export holds. The file travels back to the UI as one string (the UI saves it where the
 * analyst chooses): 100,000 rows is ~30 MB of CSV, about what a renderer handles without stalling.
 * A larger result is cut and says so; a narrower search gets the rest.
 */
export const EXPORT_MAX_ROWS = 100_000;

const COLUMNS = ['time', 'auditID', 'user', 'sourceIPs', 'verb', 'target', 'summary', 'outcome', 'responseCode', 'decision', 'userAgent', 'requestURI', 'starred', 'tags', 'comment'] as const;

const iso = (us: number): string => {
  const ms = Math.floor(us / 1000);
  const micro = String(us % 1_000_000).padStart(6, '0');
  return `${new Date(ms).toISOString().slice(0, 19)}.${micro}Z`;
};

function fields(h: SearchHit): Record<(typeof COLUMNS)[number], string | number | boolean | string[] | null> {
  return {
    time: iso(h.timeUs),
    auditID: h.auditID,
    user: h.user,
    sourceIPs: h.sourceIPs,
    verb: h.verb,
    target: h.target,
    summary: h.summary,
    outcome: h.outcome,
    responseCode: h.responseCode,
    decision: h.decision,
    userAgent: h.userAgent,
    requestURI: h.requestURI,
    starred: h.mark?.starred ?? false,
    tags: h.mark?.tags ?? [],
    comment: h.mark?.comment ?? null,
  };
}

/**
 * One CSV cell (RFC 4180 quoting). Log strings are attacker-controlled: a cell that a spreadsheet
 * would run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe.
 */
export function csvCell(v: string | number | boolean | string[] | null): string {
  if (v === null) return '';
  let s = Array.isArray(v) ? v.join(' ') : String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function exportSearch(db: Db, q: SearchQuery, format: 'csv' | 'jsonl'): SearchExport {
  const lines: string[] = format === 'csv' ? [COLUMNS.join(',')] : [];
  let rows = 0;
  for (const h of searchAll(db, q, EXPORT_MAX_ROWS + 1)) {
    if (rows === EXPORT_MAX_ROWS) return { text: `${lines.join('\n')}\n`, rows, truncated: true };
    const f = fields(h);
    lines.push(format === 'csv' ? COLUMNS.map((c) => csvCell(f[c])).join(',') : JSON.stringify(f));
    rows++;
  }
  return { text: lines.length ? `${lines.join('\n')}\n` : '', rows, truncated: false };
}
