import { describe, expect, it } from 'vitest';
import { csvCell, exportSearch } from '../../../src/engine/events/search-export.ts';
import { setMark } from '../../../src/engine/store/marks.ts';
import { investigationCase } from './case-fixture.ts';

describe('exportSearch', () => {
  const { db } = investigationCase();
  setMark(db, 'alice-exec', { starred: true, tags: ['escape', 'c2'], comment: 'ran "sh", then left' }, 'Dana');

  it('CSV: a header, one row per hit, quoted where needed, with the mark', () => {
    const out = exportSearch(db, { user: 'alice' }, 'csv');
    const lines = out.text.trimEnd().split('\n');
    expect(out.rows).toBe(3);
    expect(out.truncated).toBe(false);
    expect(lines[0]).toBe('time,auditID,user,sourceIPs,verb,target,summary,outcome,responseCode,decision,userAgent,requestURI,starred,tags,comment');
    expect(lines[2]).toContain('alice-exec,alice@example.com,198.51.100.23,create,pods/exec web/debug-94pmq,exec `chroot /host sh` in web/debug-94pmq container debug,success,101');
    expect(lines[2]).toMatch(/,true,c2 escape,"ran ""sh"", then left"$/);
    expect(lines[1].startsWith('2024-03-04T10:05:00.000001Z,alice-create,')).toBe(true);
  });

  it('JSON lines: one object per hit with the same fields', () => {
    const out = exportSearch(db, { text: 'chroot' }, 'jsonl');
    const rows = out.text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ auditID: 'alice-exec', sourceIPs: ['198.51.100.23'], starred: true, tags: ['c2', 'escape'], outcome: 'success' });
  });

  it('a cell a spreadsheet would run as a formula is defused', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('-1+1')).toBe("'-1+1");
    expect(csvCell(-1)).toBe('-1');
  });
});
