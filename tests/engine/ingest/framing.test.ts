import { createWriteStream } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { LineFramer } from '../../../src/engine/ingest/framing.ts';
import { collect, eventLine, eventLines, tempDir } from './helpers.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

function frame(chunks: Buffer[], max = 1 << 20): { lines: [number, string][]; errors: [number, string][] } {
  const lines: [number, string][] = [];
  const errors: [number, string][] = [];
  const f = new LineFramer(max, { line: (t, n) => lines.push([n, t]), lineError: (code, _r, n) => errors.push([n, code]) });
  for (const c of chunks) f.push(c);
  f.end();
  return { lines, errors };
}

describe('LineFramer', () => {
  it('splits lines across chunk boundaries, strips BOM and CR, numbers lines from 1', () => {
    const text = Buffer.from('\ufeffone\r\ntwo\n\nthr€e\nlast');
    // Every split point, including inside the BOM's neighbours and the multi-byte €.
    for (let cut = 4; cut < text.length; cut++) {
      const r = frame([text.subarray(0, cut), text.subarray(cut)]);
      expect(r.lines).toEqual([[1, 'one'], [2, 'two'], [4, 'thr€e'], [5, 'last']]);
    }
  });

  it('skips lines over the limit without keeping them, and goes on', () => {
    const long = 'x'.repeat(50);
    const r = frame([Buffer.from(`ok\n${long.slice(0, 20)}`), Buffer.from(`${long.slice(20)}\nafter\n${long}\nend`)], 30);
    expect(r.lines).toEqual([[1, 'ok'], [3, 'after'], [5, 'end']]);
    expect(r.errors).toEqual([[2, 'line-too-long'], [4, 'line-too-long']]);
  });

  it('reports invalid UTF-8 per line', () => {
    const r = frame([Buffer.concat([Buffer.from('good\nba'), Buffer.from([0xc3, 0x28]), Buffer.from('d\ngood2\n')])]);
    expect(r.lines).toEqual([[1, 'good'], [3, 'good2']]);
    expect(r.errors).toEqual([[2, 'utf8']]);
  });
});

describe('per-file detection and bad input', () => {
  it('reports and skips a 64 MiB line, keeping the events around it', async () => {
    const path = `${tmp.dir}/huge.log`;
    const out = createWriteStream(path);
    out.write(eventLine(0) + '\n');
    out.write('{"kind":"Event","padding":"');
    const block = Buffer.alloc(1 << 20, 0x61);
    for (let i = 0; i < 64; i++) out.write(block);
    out.write('"}\n' + eventLine(1) + '\n');
    await new Promise<void>((resolve) => out.end(resolve));
    const c = await collect([path]);
    expect(c.events.map((e) => [e.auditID, e.origin.line])).toEqual([['id-0', 1], ['id-1', 3]]);
    expect(c.errors).toHaveLength(1);
    expect(c.errors[0]).toMatchObject({ code: 'line-too-long', line: 2, record: 1 });
    expect(c.errors[0].excerpt.startsWith('{"kind":"Event","padding":"aaa')).toBe(true);
    expect(c.errors[0].reason).toContain(`line is ${64 * 1024 * 1024 + 29} bytes`);
  });

  it('reports invalid UTF-8, non-audit JSON and broken JSON per record', async () => {
    const data = Buffer.concat([
      Buffer.from(eventLine(0) + '\n'),
      Buffer.from('{"kind":"Event","user":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n'),
      Buffer.from('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"}}\n'),
      Buffer.from('{"kind":"Event", broken\n'),
      Buffer.from(eventLine(1)),
    ]);
    const c = await collect([tmp.file('mixed.log', data)]);
    expect(c.events.map((e) => e.auditID)).toEqual(['id-0', 'id-1']);
    expect(c.errors.map((e) => [e.line, e.record, e.code])).toEqual([[2, 1, 'utf8'], [3, 2, 'not-audit-event'], [4, 3, 'json']]);
    expect(c.errors[1].excerpt).toContain('"kind":"Pod"');
    expect(c.ends[0]).toMatchObject({ events: 2, errors: 3 });
  });

  it('reports empty and binary files', async () => {
    const c = await collect([tmp.file('empty.log', ''), tmp.file('blank.log', '\n \n'), tmp.file('bin.log', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2]))]);
    expect(c.errors.map((e) => e.code)).toEqual(['empty', 'empty', 'binary']);
    expect(c.ends.map((e) => e.events)).toEqual([0, 0, 0]);
  });

  it('reads pretty-printed documents: an Event, an EventList, an array, an Event Hubs blob', async () => {
    const ev = JSON.parse(eventLine(0));
    const files = [
      tmp.file('one.json', '\ufeff' + JSON.stringify(ev, null, 2)),
      tmp.file('list.json', JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [ev, { ...ev, auditID: 'id-1' }] }, null, 2)),
      tmp.file('array.json', JSON.stringify([{ ...ev, auditID: 'id-2' }], null, '\t')),
      tmp.file('hubs.json', JSON.stringify({ records: [{ category: 'kube-audit', properties: { log: JSON.stringify({ ...ev, auditID: 'id-3' }) } }] }, null, 1)),
    ];
    const c = await collect(files);
    expect(c.errors).toEqual([]);
    expect(c.events.map((e) => [e.auditID, e.format, e.origin.line, e.origin.record])).toEqual([
      ['id-0', 'raw', 0, 0], ['id-0', 'raw', 0, 0], ['id-1', 'raw', 0, 1], ['id-2', 'raw', 2, 0], ['id-3', 'aks', 0, 0],
    ]);
    // A single pretty-printed event keeps its original text as raw.
    expect(c.raws[0]).toBe(JSON.stringify(ev, null, 2));
  });

  it('falls back to lines when a JSON-lines file opens with a broken line', async () => {
    const c = await collect([tmp.file('brokenfirst.log', '{"kind":"Event", "auditID": \n' + eventLines(2))]);
    expect(c.events.map((e) => e.auditID)).toEqual(['id-0', 'id-1']);
    expect(c.errors.map((e) => [e.line, e.code])).toEqual([[1, 'json']]);
  });

  it('streams a pretty-printed array element by element, whatever its size', async () => {
    const items = Array.from({ length: 50 }, (_, i) => JSON.parse(eventLine(i)));
    const text = JSON.stringify(items, null, 2);
    const c = await collect([tmp.file('gcloud.json', text)], { limits: { maxDocumentBytes: 1000 } });
    expect(c.errors).toEqual([]);
    expect(c.events.map((e) => e.auditID)).toEqual(items.map((e) => e.auditID));
    // Each element keeps its own original text and the line it starts on.
    const lines = text.split('\n');
    c.events.forEach((e, i) => {
      expect(JSON.parse(c.raws[i])).toEqual(items[i]);
      expect(lines[e.origin.line - 1].trim()).toBe('{');
      expect(e.origin.record).toBe(i);
    });
    expect(c.raws[1]).toBe(JSON.stringify(items[1], null, 2).replace(/\n/g, '\n  '));
  });

  it('keeps the elements before a cut, and reports oversized or broken elements', async () => {
    const items = [0, 1, 2].map((i) => JSON.stringify(JSON.parse(eventLine(i)), null, 1));
    const cut = `[\n${items[0]},\n{"kind": "Event", broken},\n${items[1]},\n${items[2].slice(0, 60)}`;
    const c = await collect([tmp.file('cut.json', cut)]);
    expect(c.events.map((e) => e.auditID)).toEqual(['id-0', 'id-1']);
    expect(c.errors.map((e) => e.code)).toEqual(['json', 'json']);
    expect(c.errors[1].reason).toMatch(/not closed/);
    const big = await collect([tmp.file('bigel.json', `[\n${items[0]},\n${items[1]}\n]`)], { limits: { maxLineBytes: 200 } });
    expect(big.errors.map((e) => e.code)).toEqual(['line-too-long', 'line-too-long', 'no-events']);
  });

  it('reads a document over the limit as lines, and never gives up on a file', async () => {
    const big = await collect([tmp.file('big.json', JSON.stringify({ kind: 'EventList', items: [JSON.parse(eventLine(0))] }, null, 2))], { limits: { maxDocumentBytes: 100 } });
    expect(big.errors[0].code).toBe('document-too-large');
    expect(big.errors.at(-1)?.code).toBe('no-events');
    // 500 lines of text, then events: every line counted, 200 stored, the events all read.
    const text = Array.from({ length: 500 }, (_, i) => `plain text line ${i}`).join('\n');
    const c = await collect([tmp.file('notes.txt', `${text}\n${eventLines(3)}`)]);
    expect(c.events.map((e) => e.auditID)).toEqual(['id-0', 'id-1', 'id-2']);
    expect(c.errors.filter((e) => e.code === 'json')).toHaveLength(200);
    expect(c.errors.at(-1)).toMatchObject({ code: 'errors-not-stored', line: 201 });
    expect(c.errors.at(-1)?.reason).toMatch(/^300 more errors \(json: 300\) between lines 201 and 500/);
    expect(c.ends[0]).toMatchObject({ events: 3, errors: 500, unstoredErrors: { json: 300 } });
    expect(c.errors.some((e) => e.code === 'gave-up')).toBe(false);
  });

  it('reads a JSON-lines file whose first line is a broken array as lines', async () => {
    const c = await collect([tmp.file('brackets.log', `${'['.repeat(100_000)}\n${eventLines(2)}`)]);
    expect(c.events.map((e) => [e.auditID, e.origin.line])).toEqual([
      ['id-0', 2],
      ['id-1', 3],
    ]);
    expect(c.errors.map((e) => [e.line, e.code])).toEqual([[1, 'json']]);
  });

  it('caps depth inside a wrapper that holds its event as JSON text (AKS properties.log)', async () => {
    const deep = `${eventLine(7).slice(0, -1)},"requestObject":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`;
    const aks = JSON.stringify({ category: 'kube-audit', resourceId: '/SUBSCRIPTIONS/S/RESOURCEGROUPS/G/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/C', properties: { log: deep } });
    const c = await collect([tmp.file('aks.json', `${aks}\n${eventLine(8)}\n`)]);
    expect(c.events.map((e) => [e.auditID, e.format])).toEqual([
      ['id-7', 'aks'],
      ['id-8', 'raw'],
    ]);
    expect(JSON.stringify(c.events[0].requestObject)).toContain('nested deeper than 256 levels');
    expect(c.errors.map((e) => [e.line, e.code])).toEqual([[1, 'nested-too-deep']]);
  });

  it('skips a record whose value count would cost too much memory to parse, and reads on', async () => {
    const many = eventLine(5, { requestObject: { items: Array.from({ length: 600_000 }, () => ({})) } });
    const c = await collect([tmp.file('values.log', `${eventLine(0)}\n${many}\n${eventLine(1)}\n`)]);
    expect(c.events.map((e) => e.auditID)).toEqual(['id-0', 'id-1']);
    expect(c.errors.map((e) => [e.line, e.code])).toEqual([[2, 'too-many-values']]);
    expect(c.errors[0].excerpt).toBe(many.slice(0, 200));
  });

  it('keeps an event nested past the depth cap, its deep part replaced by a marker', async () => {
    const deep = `${eventLine(0).slice(0, -1)},"requestObject":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`;
    const c = await collect([tmp.file('deep.log', `${deep}\n${eventLine(1)}\n`)]);
    expect(c.events.map((e) => e.auditID)).toEqual(['id-0', 'id-1']);
    expect(c.raws[0]).toBe(deep);
    expect(c.errors.map((e) => [e.line, e.code])).toEqual([[1, 'nested-too-deep']]);
    expect(JSON.stringify(c.events[0].requestObject)).toContain('nested deeper than 256 levels');
  });
});
