import type { JournalItem } from '../../shared/contract.ts';
import { formatBytes } from '../../shared/format.ts';
import type { JournalEntry } from './journal.ts';

// One line of words per journal entry, from the detail each appender writes (store/journal.ts
// lists them). The detail was written by this tool, but by whichever version wrote it: every field
// is read as unknown and a missing one is left out of the line rather than printed as 'undefined'.

type Detail = Record<string, unknown>;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const count = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** A note's text, cut for one line: the note itself is listed whole with the notes. */
const NOTE_CHARS = 120;
const cut = (text: string, max: number): string => {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
};
const short = (sha: string | null): string => (sha ? `${sha.slice(0, 12)}…` : '?');
const STATE_WORDS: Record<string, string> = { benign_true_positive: 'benign true positive', false_positive: 'false positive' };
const state = (v: unknown): string => {
  const s = str(v);
  return s === null ? 'new' : (STATE_WORDS[s] ?? s);
};

const EXPORT_KIND: Record<string, string> = {
  pdf: 'PDF report',
  json: 'JSON case export',
  timesketch: 'Timesketch timeline',
  csv: 'CSV timeline',
  stix: 'STIX 2.1 bundle',
  navigator: 'ATT&CK Navigator layer',
};

function ingest(d: Detail): string {
  const parts = [`ingested ${count(num(d.files) ?? 0, 'file')}`, count(num(d.events) ?? 0, 'new event')];
  const dup = num(d.duplicates);
  if (dup) parts.push(`${count(dup, 'duplicate record')} merged`);
  const errors = num(d.recordErrors);
  if (errors !== null) parts.push(`${count(errors, 'line')} skipped`);
  const unchanged = num(d.unchangedFiles);
  if (unchanged) parts.push(`${count(unchanged, 'file')} already in the case`);
  return parts.join(', ');
}

function train(d: Detail): string {
  if (d.imported === true) return `imported a model (${str(d.backend) ?? '?'}), embedded ${count(num(d.sessions) ?? 0, 'session')}`;
  const f1 = num(d.validationF1);
  const preset = str(d.preset);
  return [
    `trained the model on ${count(num(d.sessions) ?? 0, 'session')}${preset ? ` (${preset})` : ''}`,
    `${count(num(d.epochs) ?? 0, 'epoch')} on ${str(d.backend) ?? '?'}`,
    f1 === null ? 'no validation F1' : `validation F1 ${f1.toFixed(3)}`,
  ].join(', ');
}

function hunt(d: Detail): string {
  const preset = str(d.preset);
  const on = str(d.embeddings);
  return `hunted${preset ? ` on ${preset} sessions` : ''}${on ? ` (${on} embeddings)` : ''}: ${count(num(d.findings) ?? 0, 'finding')}, ${count(num(d.incidents) ?? 0, 'incident')}`;
}

function exported(d: Detail): string {
  const files = Array.isArray(d.files) ? (d.files as Detail[]) : [];
  if (files.length === 0) return 'exported nothing';
  const each = files.map((f) => {
    const bytes = num(f.bytes);
    return `${EXPORT_KIND[str(f.kind) ?? ''] ?? str(f.kind) ?? 'file'} to ${str(f.path) ?? '?'}, ${bytes === null ? '? bytes' : formatBytes(bytes)}, sha256 ${short(str(f.sha256))}`;
  });
  return `exported ${each.join('; ')}${d.allEvents === true ? ' (every event)' : ''}`;
}

function caseFields(d: Detail): string {
  const words: Record<string, string> = { caseNumber: 'case number', examiner: 'examiner', requester: 'requester', scope: 'scope', summary: 'summary', conclusions: 'conclusions' };
  const parts = Object.entries(d).map(([k, v]) => {
    const c = (v ?? {}) as Detail;
    const name = words[k] ?? k;
    if (c.changed === true) return `${name} edited`;
    const to = str(c.to);
    // The scope can run to paragraphs; its change is named, its text is in the case fields.
    if (k === 'scope') return `${name} ${to === null ? 'cleared' : 'edited'}`;
    return to === null ? `${name} cleared` : `${name} set to “${cut(to, 60)}”`;
  });
  return parts.length > 0 ? `case fields: ${parts.join(', ')}` : 'case fields saved unchanged';
}

function mark(d: Detail): string {
  const what: string[] = [];
  if (d.starred === true) what.push('starred');
  if (d.starred === false) what.push('unstarred');
  if (Array.isArray(d.tags)) what.push(d.tags.length > 0 ? `tagged ${(d.tags as unknown[]).map(String).join(', ')}` : 'tags cleared');
  // The mark editor sends its (often empty) comment with every save: an empty one beside other
  // changes says nothing; alone, it is the comment being cleared.
  const comment = str(d.comment);
  if (comment) what.push(`commented “${cut(comment, 60)}”`);
  else if ('comment' in d && what.length === 0) what.push('comment cleared');
  return `event ${str(d.auditID) ?? '?'}: ${what.join(', ') || 'mark unchanged'}`;
}

/** The entry's detail as one line of words. */
export function summarize(e: JournalEntry): string {
  const d = e.detail;
  switch (e.action as string) {
    case 'ingest':
      return ingest(d);
    case 'sessions':
      return `cut ${count(num(d.sessions) ?? 0, 'session')} (${str(d.preset) ?? '?'}) from ${count(num(d.events) ?? 0, 'event')}`;
    case 'train':
      return train(d);
    case 'hunt':
      return hunt(d);
    case 'triage':
      return `triage${str(d.incidentId) ? ' of the incident' : ''} ${state(d.from)} → ${state(d.to)}`;
    case 'note':
      return `note: “${cut(str(d.text) ?? '', NOTE_CHARS)}”`;
    case 'mark':
      return mark(d);
    case 'export':
      return exported(d);
    case 'case':
      return caseFields(d);
    default:
      return `${e.action}`;
  }
}

/** A journal entry as the journal view lists it: what it concerns, who, and the line of words. */
export function toJournalItem(e: JournalEntry): JournalItem {
  const sessionId = num(e.detail.sessionId);
  return {
    id: e.id,
    at: e.at,
    action: e.action,
    actor: e.actor,
    findingId: e.findingId,
    incidentId: str(e.detail.incidentId),
    sessionId,
    summary: summarize(e),
  };
}
