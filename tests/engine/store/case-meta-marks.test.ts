import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate, openMemory } from '../../../src/engine/store/db.ts';
import { m030CaseMetaMarks } from '../../../src/engine/store/migrations/030-case-meta-marks.ts';
import { getCaseMeta, setCaseMeta } from '../../../src/engine/store/case-meta.ts';
import { getMark, listMarks, setMark, tagCounts } from '../../../src/engine/store/marks.ts';
import { listJournal } from '../../../src/engine/store/journal.ts';

describe('migration 030 (case meta, event marks)', () => {
  it('allows one case row and checks the star flag', () => {
    const db = new Database(':memory:');
    expect(migrate(db, [m030CaseMetaMarks])).toBe(30);
    db.prepare("insert into case_meta (id, updated_at) values (1, 't')").run();
    expect(() => db.prepare("insert into case_meta (id, updated_at) values (2, 't')").run()).toThrow(/CHECK/);
    expect(() => db.prepare("insert into event_marks (audit_id, starred, updated_at) values ('a', 2, 't')").run()).toThrow(/CHECK/);
  });
});

describe('case meta', () => {
  it('starts empty, patches only the given fields, clears on blank, and journals with the examiner', () => {
    const db = openMemory();
    expect(getCaseMeta(db)).toEqual({ examiner: null, caseNumber: null, requester: null, scope: null, summary: null, conclusions: null });
    setCaseMeta(db, { examiner: '  Dana Reyes ', caseNumber: 'IR-2026-041' });
    const after = setCaseMeta(db, { requester: 'CISO office', caseNumber: undefined });
    expect(after).toMatchObject({ examiner: 'Dana Reyes', caseNumber: 'IR-2026-041', requester: 'CISO office', scope: null });
    expect(getCaseMeta(db)).toEqual(after);
    expect(setCaseMeta(db, { requester: '   ' }).requester).toBeNull();
    const j = listJournal(db).filter((e) => e.action === 'case');
    expect(j).toHaveLength(3);
    expect(j[0].actor).toBe('Dana Reyes');
    expect(j[0].detail).toEqual({ examiner: { from: null, to: 'Dana Reyes' }, caseNumber: { from: null, to: 'IR-2026-041' } });
  });

  it('journals that a long summary changed, not its text, and nothing when nothing changed', () => {
    const db = openMemory();
    setCaseMeta(db, { summary: 'The attacker used a stolen kubeconfig…' });
    setCaseMeta(db, { summary: 'The attacker used a stolen kubeconfig…' });
    const j = listJournal(db).filter((e) => e.action === 'case');
    expect(j.map((e) => e.detail)).toEqual([{ summary: { changed: true } }]);
  });
});

describe('event marks', () => {
  it('stars, tags and comments one event, keeping what a change leaves out', () => {
    const db = openMemory();
    setMark(db, 'ae-1', { starred: true }, 'Dana');
    const m = setMark(db, 'ae-1', { tags: ['c2', ' Lateral ', 'C2', ''], comment: 'chroot escape' }, 'Lee');
    expect(m).toMatchObject({ auditID: 'ae-1', starred: true, tags: ['c2', 'Lateral'], comment: 'chroot escape', author: 'Lee' });
    expect(getMark(db, 'ae-1')).toEqual(m);
    setMark(db, 'ae-2', { tags: ['c2'] }, 'Lee');
    expect(listMarks(db, { starred: true }).map((x) => x.auditID)).toEqual(['ae-1']);
    expect(listMarks(db, { tag: 'C2' }).map((x) => x.auditID).sort()).toEqual(['ae-1', 'ae-2']);
    expect(listMarks(db, { auditIDs: ['ae-2', 'zz'] }).map((x) => x.auditID)).toEqual(['ae-2']);
    expect(tagCounts(db)).toEqual([{ tag: 'c2', events: 2 }, { tag: 'Lateral', events: 1 }]);
  });

  it('removes a mark that says nothing any more, and journals every change with its author', () => {
    const db = openMemory();
    setMark(db, 'ae-1', { starred: true, comment: 'x' }, 'Dana');
    expect(setMark(db, 'ae-1', { starred: false, comment: ' ' }, 'Dana')).toBeNull();
    expect(getMark(db, 'ae-1')).toBeNull();
    const j = listJournal(db).filter((e) => e.action === 'mark');
    expect(j.map((e) => [e.actor, e.detail])).toEqual([
      ['Dana', { auditID: 'ae-1', starred: true, comment: 'x' }],
      ['Dana', { auditID: 'ae-1', starred: false, comment: null }],
    ]);
  });

  it('refuses a tag too long to be a label', () => {
    const db = openMemory();
    expect(() => setMark(db, 'ae-1', { tags: ['x'.repeat(65)] }, null)).toThrow(/longer than 64/);
  });
});
