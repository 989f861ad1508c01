import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCase, openMemory } from '../../../src/engine/store/db.ts';
import { beginEvidence } from '../../../src/engine/store/evidence.ts';
import { getRawRecord, getRawRecords } from '../../../src/engine/store/events-read.ts';
import { insertEventRows } from '../../../src/engine/store/events-write.ts';
import { toEventTuple } from '../../../src/engine/store/event-row.ts';
import { canUseRawFile, RAW_FILE, RawAppender, RawReader, rawFilePath, syncRawFile } from '../../../src/engine/store/raw-file.ts';
import { makeEvent } from './event-fixtures.ts';
import { corpusPath, DEMO_FIXTURE, hasCorpus } from '../../corpus.ts';

// Real record texts from a captured cluster log; the test adds one with multi-byte characters.
// On a bare clone, the repo's own fixture: any realistic record texts will do here.
const demo = readFileSync(hasCorpus ? corpusPath('captured/audit2rbac/demo.log') : DEMO_FIXTURE, 'utf8').split('\n').filter((l) => l !== '');

let root = '';
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'gumshoe-rawfile-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('RawAppender / RawReader', () => {
  it('gives back each text byte for byte, across appends and reopenings', () => {
    const path = join(root, 'a.txt');
    const texts = [...demo.slice(0, 5), '{"note":"naïve — ✓ 𝄞"}', ...demo.slice(5, 9)];
    const a = new RawAppender(path);
    const r1 = a.append(texts.slice(0, 6));
    a.close();
    // A second appender (a resumed run) continues after what is there.
    const b = new RawAppender(path);
    const r2 = b.append(texts.slice(6));
    b.close();
    syncRawFile(path);
    const refs = [...r1, ...r2];
    const reader = new RawReader(path);
    expect(texts.map((_, i) => reader.read(refs[2 * i], refs[2 * i + 1]))).toEqual(texts);
    reader.close();
    // One text a line: the file reads as the records themselves.
    expect(readFileSync(path, 'utf8')).toBe(texts.map((t) => `${t}\n`).join(''));
    expect(statSync(path).size).toBe(refs[refs.length - 2] + refs[refs.length - 1] + 1);
  });

  it('stops when another writer appends to the same file, since its offsets would be wrong', () => {
    const path = join(root, 'c.txt');
    const a = new RawAppender(path);
    const b = new RawAppender(path);
    a.append(['{"a":1}']);
    expect(() => b.append(['{"b":2}'])).toThrow(/another ingest/);
    a.close();
    b.close();
  });

  it('refuses a reference past the end instead of returning short text', () => {
    const path = join(root, 'b.txt');
    const a = new RawAppender(path);
    a.append(['{"a":1}']);
    a.close();
    const reader = new RawReader(path);
    expect(() => reader.read(0, 100)).toThrow(/past the end/);
    reader.close();
  });
});

describe('events pointing into the raw file', () => {
  it('is used for a case on disk, never for an in-memory database', () => {
    const disk = openCase(join(root, 'case'), { create: true });
    expect(canUseRawFile(disk)).toBe(true);
    expect(rawFilePath(disk)).toBe(join(root, 'case', RAW_FILE));
    const mem = openMemory();
    expect(canUseRawFile(mem)).toBe(false);
    expect(rawFilePath(mem)).toBeNull();
    disk.close();
  });

  it('reads back referenced and inline texts alike, and a later stage replaces a referenced one', () => {
    const db = openCase(join(root, 'mixed'), { create: true });
    const path = rawFilePath(db) as string;
    const { id } = beginEvidence(db, { path: '/e', parent: null, container: 'file', size: 1 });
    const a = makeEvent({ auditID: 'a', stage: 'RequestReceived', stages: ['RequestReceived'], origin: { evidenceId: id, path: '/e', line: 1, record: 0 } });
    const b = makeEvent({ auditID: 'b', origin: { evidenceId: id, path: '/e', line: 2, record: 1 } });
    const app = new RawAppender(path);
    const refs = app.append([demo[0], demo[1]]);
    app.close();
    insertEventRows(db, [toEventTuple(a), toEventTuple(b)], [], { rawRefs: refs });
    // The text is not in SQLite: no event_raw row, only a reference on the events row.
    expect(db.prepare('SELECT count(*) FROM event_raw').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM events WHERE raw_length > 0').pluck().get()).toBe(2);
    expect(getRawRecord(db, 'a')).toBe(demo[0]);
    expect([...getRawRecords(db, ['b', 'a', 'missing'])]).toEqual([['b', demo[1]], ['a', demo[0]]]);
    // A more final stage of 'a' arriving without a raw file (inline text) wins over the reference.
    const a2 = makeEvent({ auditID: 'a', stage: 'ResponseComplete', stages: ['ResponseComplete'], origin: { evidenceId: id, path: '/e', line: 3, record: 2 } });
    insertEventRows(db, [toEventTuple(a2)], [demo[2]]);
    expect(getRawRecord(db, 'a')).toBe(demo[2]);
    // And an inline text replaced by a more final stage read through the file points at the file.
    const c = makeEvent({ auditID: 'c', stage: 'RequestReceived', stages: ['RequestReceived'], origin: { evidenceId: id, path: '/e', line: 4, record: 3 } });
    insertEventRows(db, [toEventTuple(c)], [demo[3]]);
    const c2 = makeEvent({ auditID: 'c', stage: 'ResponseComplete', stages: ['ResponseComplete'], origin: { evidenceId: id, path: '/e', line: 5, record: 4 } });
    const app2 = new RawAppender(path);
    const refs2 = app2.append([demo[4]]);
    app2.close();
    insertEventRows(db, [toEventTuple(c2)], [], { rawRefs: refs2 });
    expect(getRawRecord(db, 'c')).toBe(demo[4]);
    db.close();
  });
});
