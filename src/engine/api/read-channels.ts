import type { Channel } from '../../shared/contract.ts';

/**
 * Calls that read the open case and nothing of the host's own state (jobs, dialogs, the paths the
 * user granted): these run on a read thread (read-threads.ts), so a slow one (a 100,000-row search
 * export, re-hashing the evidence and the raw-record file) never stalls the thread that serves
 * the UI. Everything else (writes, jobs, dialogs, path checks) stays on the host, where
 * writes are serialised. `evidence.raw` stays too: it re-reads a file only where the host's path
 * policy, grants included, allows it.
 */
export const READ_CHANNELS: ReadonlySet<Channel> = new Set<Channel>([
  'cases.summary',
  'evidence.list',
  'evidence.errors',
  'evidence.verify',
  'events.query',
  'events.get',
  'events.histogram',
  'sessions.list',
  'sessions.graph',
  'sessions.neighbours',
  'model.status',
  'embeddings.get',
  'findings.list',
  'findings.get',
  'incidents.list',
  'incidents.get',
  'notes.list',
  'triage.history',
  'search.events',
  'search.export',
  'search.saved',
  'marks.list',
  'case.meta',
  'entities.get',
  'journal.list',
]);

/** Whether a call by this name is one of READ_CHANNELS (names come from the wire as strings). */
export const isReadCall = (channel: string): boolean => (READ_CHANNELS as ReadonlySet<string>).has(channel);
