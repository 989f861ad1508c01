import type { JournalEntry } from '../../store/journal.ts';
import { summarize } from '../../store/journal-summary.ts';
import type { CaseExport, ExportEvidence } from '../schema.ts';
import { CONTENT_W, PAGE, flowTable, heading, room, text, type Doc } from './draw.ts';

/** Where an archive member's path starts inside its container's (`bundle.tar.gz!/logs/a.log`). */
const MEMBER_MARK = '!/';

/**
 * A file as an examiner looks for it: an archive member by its path inside the archive (what
 * `tar tf` lists), then the archive it came from; a plain file by its path.
 */
export function evidenceName(e: Pick<ExportEvidence, 'path' | 'parent'>): string[] {
  const at = e.path.indexOf(MEMBER_MARK);
  if (e.parent === null || at < 0) return [e.path];
  return [`member ${e.path.slice(at + MEMBER_MARK.length)}`, `in ${e.path.slice(0, at)}`];
}

/**
 * Lines a path or hash may wrap to: PATH_MAX (4096 bytes) wraps to about 50 lines at this width,
 * so no real path is ever cut; the cap only keeps a hostile name from running off the page.
 */
const UNCUT = 60;

/** A SHA-256 in two halves of 32, so it wraps between them and never mid-way somewhere else. */
export const hashLines = (h: string | null): string[] => (h ? [h.slice(0, 32), h.slice(32)] : ['(none)']);

/** Evidence inventory and chain of custody: full paths and full hashes, wrapped, never cut. */
export function drawEvidence(doc: Doc, exp: CaseExport): number {
  let y = PAGE.margin;
  y += heading(doc, 'Evidence inventory and chain of custody', y);
  y += text(doc, 'Each file and archive member was hashed (SHA-256) when acquired and re-hashed when this report was produced. Archive members are named by their path inside the archive, followed by the archive.', PAGE.margin, y, CONTENT_W, { size: 8.5, lines: 3 }) + 6;
  return flowTable(
    doc,
    [
      { title: 'file', width: 170, maxLines: UNCUT },
      { title: 'SHA-256 at acquisition', width: 142, mono: true, maxLines: UNCUT },
      { title: 'size / events', width: 56 },
      { title: 'acquired (UTC)', width: 56 },
      { title: 'verification at export', width: CONTENT_W - 424, maxLines: UNCUT },
    ],
    exp.evidence.map((e) => [
      evidenceName(e),
      hashLines(e.sha256),
      [e.size === null ? '' : `${e.size.toLocaleString('en-US')} B`, `${e.events.toLocaleString('en-US')} events`],
      stamp(e.acquiredAt),
      [e.verification.status.toUpperCase(), stamp(e.verification.verifiedAt), ...(e.verification.sha256Now && e.verification.sha256Now !== e.sha256 ? ['now:', ...hashLines(e.verification.sha256Now)] : [])],
    ]),
    y,
    { size: 7 },
  );
}

/**
 * The case journal whole, oldest first: every ingest, cut, training, hunt, triage change, note,
 * mark, change of the case's fields and export, with who made it. It is the record a reader
 * checks the report against, so none of it is left to the JSON export.
 */
export function drawJournal(doc: Doc, exp: CaseExport, y0: number): number {
  let y = room(doc, y0 + 16, 80);
  y += heading(doc, 'Case journal', y);
  y += text(doc, 'Every change to the case in the order it was made, with the examiner who made it, from the case\'s append-only journal. Entries made before an examiner was set show "—". This export is journaled once written, with its hash, so it is not among them.', PAGE.margin, y, CONTENT_W, { size: 8.5, lines: 3 }) + 6;
  if (exp.journal.length === 0) return y + text(doc, 'The journal is empty.', PAGE.margin, y, CONTENT_W, { size: 8.5 });
  return flowTable(
    doc,
    [
      { title: 'when (UTC)', width: 62 },
      { title: 'who', width: 70, maxLines: 3 },
      { title: 'action', width: 40 },
      { title: 'what', width: CONTENT_W - 172, maxLines: 8 },
    ],
    exp.journal.map((e) => [stamp(e.at), e.actor ?? '—', e.action, summarize(e as JournalEntry)]),
    y,
    { size: 7 },
  );
}

/** "2026-11-28 14:47:28Z": seconds are enough for a custody table (the JSON keeps full precision). */
const stamp = (iso: string): string => iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
