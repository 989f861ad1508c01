import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { exportCase, type ExportResult } from '../../../../src/engine/report/export.ts';
import { csvField, TIMELINE_COLUMNS } from '../../../../src/engine/report/handoff/timeline.ts';
import { buildIncidentCase, EVIL, ID, type IncidentCase } from '../incident-case.ts';
import { parseRfc4180 } from './rfc4180.ts';

/** ISO 8601 / RFC 3339 date-time in UTC, as Timesketch's importer parses `datetime`. */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

describe('timeline hand-off: Timesketch JSON lines and CSV', () => {
  let c: IncidentCase;
  let r: ExportResult;
  let jsonl: string;
  let csv: string;

  beforeAll(async () => {
    c = await buildIncidentCase();
    r = await exportCase(c.db, c.dir, { timesketchPath: join(c.dir, 't.jsonl'), csvPath: join(c.dir, 't.csv') });
    jsonl = readFileSync(join(c.dir, 't.jsonl'), 'utf8');
    csv = readFileSync(join(c.dir, 't.csv'), 'utf8');
  });
  afterAll(() => {
    c.db.close();
    rmSync(c.dir, { recursive: true, force: true });
  });

  it('JSON lines: one object per line per event, each with message, datetime (ISO 8601) and timestamp_desc', () => {
    expect(jsonl.endsWith('\n')).toBe(true);
    const rows = jsonl.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((x) => x.audit_id)).toEqual(c.events.map((e) => e.auditID));
    for (const row of rows) {
      expect(typeof row.message === 'string' && row.message.length > 0).toBe(true);
      expect(row.datetime).toMatch(ISO_8601);
      expect(typeof row.timestamp_desc === 'string' && row.timestamp_desc.length > 0).toBe(true);
      // Timesketch's `timestamp` is microseconds since the epoch: it must agree with `datetime`.
      expect(Math.floor((row.timestamp as number) / 1000)).toBe(Date.parse(row.datetime as string));
      // Flat attributes: Timesketch indexes scalars.
      for (const v of Object.values(row)) expect(['string', 'number']).toContain(typeof v);
    }
    const exec = rows.find((x) => x.audit_id === ID(5))!;
    expect(exec.message).toBe('alice@example.com: exec `chroot /host sh` in default/debug-qbv8s container debug');
    expect(exec.incidents).toBe('INC-alice-0001');
    expect(exec.tags).toBe('starred c2 escape');
    expect(rows.find((x) => x.audit_id === ID(3))!.outcome).toBe('denied');
    // Log strings pass as data, unaltered.
    const hostile = rows.find((x) => x.audit_id === ID(8))!;
    expect(hostile.user).toBe(EVIL.user);
    expect(hostile.user_agent).toBe(EVIL.userAgent);
    expect(hostile.namespace).toBe(EVIL.namespace);
  });

  it('CSV: RFC 4180 records with CRLF, a header naming every column, the same rows in the same order', () => {
    const records = parseRfc4180(csv);
    expect(records[0]).toEqual([...TIMELINE_COLUMNS]);
    for (const k of ['message', 'datetime', 'timestamp_desc']) expect(records[0]).toContain(k);
    const body = records.slice(1);
    expect(body).toHaveLength(c.events.length);
    for (const rec of body) expect(rec).toHaveLength(TIMELINE_COLUMNS.length);
    const col = (k: string) => records[0].indexOf(k);
    expect(body.map((x) => x[col('audit_id')])).toEqual(c.events.map((e) => e.auditID));
    for (const rec of body) expect(rec[col('datetime')]).toMatch(ISO_8601);
    // The user agent's NUL and bidi override survive as data inside a quoted-or-plain field.
    const hostile = body.find((x) => x[col('audit_id')] === ID(8))!;
    expect(hostile[col('user_agent')]).toBe(EVIL.userAgent);
  });

  it('CSV: cells a spreadsheet would run as a formula start with an apostrophe', () => {
    const records = parseRfc4180(csv);
    const col = (k: string) => records[0].indexOf(k);
    const hostile = records.slice(1).find((x) => x[col('audit_id')] === ID(8))!;
    expect(hostile[col('user')]).toBe(`'${EVIL.user}`);
    expect(hostile[col('message')].startsWith("'=HYPERLINK")).toBe(true);
    for (const rec of records.slice(1)) for (const cell of rec) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(csvField('+1 555')).toBe("'+1 555");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\t=1')).toBe("'\t=1");
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField('line\r\nbreak')).toBe('"line\r\nbreak"');
    expect(csvField(403)).toBe('403');
    expect(csvField(null)).toBe('');
  });

  it('journals both files with their hashes', () => {
    expect(r.files.map((f) => f.kind)).toEqual(['timesketch', 'csv']);
    for (const f of r.files) expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
