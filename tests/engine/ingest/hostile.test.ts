import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingest } from '../../../src/engine/jobs/ingest.ts';
import { openCase } from '../../../src/engine/store/db.ts';
import { listEvidence } from '../../../src/engine/store/evidence.ts';
import { getRawRecord } from '../../../src/engine/store/events-read.ts';
import { listErrors } from '../../../src/engine/store/record-errors.ts';
import { eventLine, gz, tarOf, tempDir, zipOf } from './helpers.ts';

/**
 * Hostile input, end to end through the ingest job (reader worker + writer): the same set of bad
 * files as loose files, gzipped, in a tar, a tar.gz and a zip. Whatever the wrapping, the ingest
 * finishes, every valid event is stored (count and auditIDs), and every error names its file and
 * line.
 */
const tmp = tempDir();
afterAll(() => tmp.cleanup());

const ev = (id: string, extra: Record<string, unknown> = {}): string => eventLine(0, { auditID: id, ...extra });
const ids = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
const junk = (n: number): string[] => Array.from({ length: n }, (_, i) => `junk line ${i}: {not json`);

function nested(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}
function deepEvent(id: string, depth: number): string {
  const base = ev(id);
  return `${base.slice(0, -1)},"requestObject":${nested(depth)}}`;
}

// One request's two stages: same verb, user, URI and receive time.
const lease = (stage: string, extra: Record<string, unknown> = {}): string =>
  eventLine(5, { auditID: 'abc-123', stage, verb: 'update', requestURI: '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/aks-lease', ...extra });
const getPods = eventLine(6, { auditID: 'abc-123', verb: 'list', requestURI: '/api/v1/pods', user: { username: 'aksService' } });
const agentRead = eventLine(7, { auditID: 'abc-123', verb: 'get', requestURI: '/api/v1/nodes/aks-agent-0', user: { username: 'system:node:aks-agent-0' } });
// Lone surrogates written as JSON escapes: valid JSON, but not representable in UTF-8 as they are.
const surrogate = (esc: string, i: number): string => eventLine(8 + i, { auditID: 'SURROGATE' }).replace('"SURROGATE"', `"${esc}"`);

interface Hostile {
  files: Record<string, string | Buffer>;
  /** auditIDs as stored. */
  expected: string[];
}

function hostileFiles(): Hostile {
  const files: Record<string, string | Buffer> = {};
  const expected: string[] = [];
  const add = (name: string, lines: string[], keep: string[]): void => {
    files[name] = `${lines.join('\n')}\n`;
    expected.push(...keep);
  };
  add('deep.log', [ev('deep-before'), deepEvent('deep-30000', 30_000), deepEvent('deep-5000', 5_000), ev('deep-after')], ['deep-before', 'deep-30000', 'deep-5000', 'deep-after']);
  add('junk-25.log', [...junk(25), ...ids('j25', 100).map((id) => ev(id))], ids('j25', 100));
  add('junk-1001.log', [...ids('j1001a', 10).map((id) => ev(id)), ...junk(1001), ...ids('j1001b', 100).map((id) => ev(id))], [...ids('j1001a', 10), ...ids('j1001b', 100)]);
  add('brackets-mid.log', [ev('br-mid-0'), '['.repeat(2_000_000), ev('br-mid-1'), `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`, ev('br-mid-2')], ['br-mid-0', 'br-mid-1', 'br-mid-2']);
  add('brackets-first.log', ['['.repeat(2_000_000), ev('br-first-0'), ev('br-first-1')], ['br-first-0', 'br-first-1']);
  // Parsing costs per value, not per byte: 1.8 MB of empty objects is 600,000 of them.
  add('values.log', [ev('val-0'), ev('val-many', { requestObject: { items: Array.from({ length: 600_000 }, () => ({})) } }), ev('val-1')], ['val-0', 'val-1']);
  add('conflict.log', [lease('RequestReceived'), lease('ResponseComplete'), getPods, agentRead, surrogate('\\ud800', 0), surrogate('\\udc00', 1)], [
    'abc-123',
    'abc-123#2',
    'abc-123#3',
    '\\ud800',
    '\\udc00',
  ]);
  // A rotated copy of the same lines: byte-identical records merge, they are not conflicts.
  files['conflict.log.1'] = `${lease('ResponseComplete')}\n${getPods}\n`;
  // A gzip bomb of newlines only (~1000x): stopped at the ratio limit, the rest of the bundle read.
  files['newlines.log.gz'] = gz(Buffer.alloc(64e6, 10));
  files['README.txt'] = 'Support bundle collected by the SRE on-call.\nLogs are under var/log.\n';
  return { files, expected };
}

type Wrap = 'plain' | 'gz' | 'tar' | 'tar.gz' | 'zip';

function tarWithSpecials(files: Record<string, string | Buffer>): Promise<Buffer> {
  return tarOf([
    ...Object.entries(files).map(([name, data]) => ({ name: `logs/${name}`, data })),
    { name: 'logs/latest.log', type: 'symlink', linkname: '/etc/shadow' },
    { name: 'logs/hard.log', type: 'link', linkname: 'logs/deep.log' },
    { name: 'dev/sda', type: 'block-device', devmajor: 8, devminor: 0 },
    { name: 'dev/tty0', type: 'character-device', devmajor: 4, devminor: 0 },
    { name: 'run/audit.pipe', type: 'fifo' },
  ]);
}

async function bundle(wrap: Wrap, files: Record<string, string | Buffer>): Promise<string> {
  const dir = join(tmp.dir, wrap);
  mkdirSync(dir);
  if (wrap === 'plain' || wrap === 'gz') {
    for (const [name, data] of Object.entries(files)) writeFileSync(join(dir, wrap === 'gz' ? `${name}.gz` : name), wrap === 'gz' ? gz(data) : data);
    return dir;
  }
  if (wrap === 'zip') {
    const p = join(dir, 'bundle.zip');
    const entries = Object.entries(files).map(([name, data]) => ({ name: `logs/${name}`, data }));
    writeFileSync(p, await zipOf([...entries, { name: 'logs/latest.log', data: '/etc/shadow', mode: 0o120777 }]));
    return p;
  }
  const t = await tarWithSpecials(files);
  const p = join(dir, wrap === 'tar' ? 'bundle.tar' : 'bundle.tar.gz');
  writeFileSync(p, wrap === 'tar' ? t : gz(t));
  return p;
}

describe('hostile bundles', () => {
  const { files, expected } = hostileFiles();
  for (const wrap of ['plain', 'gz', 'tar', 'tar.gz', 'zip'] as const) {
    it(`${wrap}: finishes, keeps every valid event, names file and line in every error`, async () => {
      const input = await bundle(wrap, files);
      const db = openCase(join(tmp.dir, `case-${wrap}`), { create: true });
      try {
        const s = await ingest(db, [input]);
        const stored = (db.prepare('SELECT audit_id FROM events ORDER BY audit_id').pluck().all() as string[]).sort();
        expect(stored).toEqual([...expected].sort());
        expect(s.events).toBe(expected.length);
        const items = listEvidence(db);
        expect(items.every((e) => e.status === 'done')).toBe(true);

        // Deep records are stored (their deep part replaced by a marker) with their original bytes.
        expect(getRawRecord(db, 'deep-30000')).toBe(deepEvent('deep-30000', 30_000));
        const req = db.prepare("SELECT request_object FROM events WHERE audit_id = 'deep-30000'").pluck().get() as string;
        expect(req).toContain('nested deeper than');
        expect(() => JSON.parse(req) as unknown).not.toThrow();

        // Conflicting auditIDs: each request is its own event; stages and identical copies merge.
        const stages = db.prepare("SELECT stages FROM events WHERE audit_id = 'abc-123'").pluck().get() as string;
        expect((JSON.parse(stages) as string[]).sort()).toEqual(['RequestReceived', 'ResponseComplete']);
        expect(s.duplicates).toBe(3);
        expect(getRawRecord(db, '\\ud800')).toContain('\\ud800');
        expect(getRawRecord(db, '\\udc00')).toContain('\\udc00');
        const errors = listErrors(db);
        const conflicts = errors.filter((e) => e.code === 'auditid-conflict');
        expect(conflicts).toHaveLength(2);
        // Each names its own file and line, and the file and line of the request that held the id.
        // (Loose .gz files are read in name order, so conflict.log.1 comes first there.)
        for (const c of conflicts) {
          expect(c.path).toMatch(/conflict\.log(\.1)?(\.gz)?$/);
          expect(c.line).toBeGreaterThan(0);
          expect(c.reason).toMatch(/conflict\.log(\.1)?(\.gz)?:[12] /);
          expect(c.reason).toMatch(/kept as its own event, "abc-123#[23]"/);
        }

        // Junk is counted and skipped, a capped number of rows stored, nothing given up.
        expect(errors.some((e) => e.code === 'gave-up')).toBe(false);
        const junk1001 = items.find((e) => e.path.includes('junk-1001.log'));
        expect(junk1001?.errors).toBe(1001);
        expect(errors.filter((e) => e.path === junk1001?.path && e.code === 'json').length).toBeLessThan(1001);
        expect(errors.find((e) => e.path === junk1001?.path && e.code === 'errors-not-stored')?.reason).toMatch(/json: \d+/);

        const bomb = errors.filter((e) => e.code === 'bomb');
        expect(bomb.map((e) => e.path.replace(/.*\//, ''))).toEqual([wrap === 'gz' ? 'newlines.log.gz.gz' : 'newlines.log.gz']);
        expect(bomb[0].reason).toMatch(/maxCompressionRatio/);

        // A file with no audit event is said to be one.
        expect(errors.find((e) => e.path.includes('README.txt') && e.code === 'no-events')).toBeDefined();
        expect(s.errors.byCode['no-events']).toBe(1);

        if (wrap === 'zip') {
          const link = errors.filter((e) => e.code === 'not-regular-member');
          expect(link.map((e) => [e.path.split('!/')[1], e.reason])).toEqual([['logs/latest.log', expect.stringMatching(/symlink.*not followed/)]]);
        }
        if (wrap === 'tar' || wrap === 'tar.gz') {
          const special = errors.filter((e) => e.code === 'not-regular-member');
          expect(special.map((e) => e.path.split('!/')[1]).sort()).toEqual(['dev/sda', 'dev/tty0', 'logs/hard.log', 'logs/latest.log', 'run/audit.pipe']);
          expect(special.find((e) => e.path.endsWith('latest.log'))?.reason).toMatch(/symlink.*\/etc\/shadow.*not followed/);
          expect(items.filter((e) => e.container.startsWith('tar-')).length).toBe(5);
        }

        // Every error names its file, and every record-level error its line.
        for (const e of errors) {
          expect(e.path).not.toBe('');
          if (e.record >= 0 || ['json', 'line-too-long', 'auditid-conflict', 'nested-too-deep'].includes(e.code)) expect(e.line, `${e.code} ${e.path}`).toBeGreaterThan(0);
        }
        // Lines of millions of brackets, and the line of 600,000 objects, are refused before parsing
        // (a million balanced brackets is just within the value cap: parsed, cut at the depth cap).
        const many = errors.filter((e) => e.code === 'too-many-values').map((e) => `${e.path.replace(/.*\//, '').replace(/\.gz$/, '')}:${e.line}`);
        expect(many.sort()).toEqual(['brackets-first.log:1', 'brackets-mid.log:2', 'values.log:2']);
        const deepNotes = errors.filter((e) => e.code === 'nested-too-deep' && /deep\.log(\.gz)?$/.test(e.path));
        expect(deepNotes.map((e) => e.line)).toEqual([2, 3]);
      } finally {
        db.close();
      }
    }, 60_000);
  }
});
