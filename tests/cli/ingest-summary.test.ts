import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runCli } from './run-cli.ts';
import { eventLines } from '../engine/ingest/helpers.ts';

const root = mkdtempSync(join(tmpdir(), 'gumshoe-ingest-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('gumshoe ingest', () => {
  it('reports the rate in decoded bytes and events per second, not in stored bytes', async () => {
    const text = eventLines(2000);
    const file = join(root, 'audit.log.gz');
    writeFileSync(file, gzipSync(text));
    const r = await runCli('ingest', file, '--case', join(root, 'rate'));
    expect(r.code).toBe(0);
    const m = /^read +([\d.]+) MB decoded \(([\d.]+) MB as stored\) in [\d.]+ s: [\d.]+ MB\/s, \d+ events\/s$/m.exec(r.out);
    expect(m, r.out).not.toBeNull();
    expect(Number(m?.[1])).toBeCloseTo(Buffer.byteLength(text) / 1e6, 1);
    expect(Number(m?.[2])).toBeLessThan(Number(m?.[1]) / 5);
    expect(r.err).not.toMatch(/warning/);
  });

  it('warns, and counts, when a file holds no audit event', async () => {
    const file = join(root, 'README.txt');
    writeFileSync(file, 'Support bundle from the on-call engineer.\nLogs are in var/log.\n');
    const r = await runCli('ingest', file, '--case', join(root, 'readme'));
    expect(r.out).toMatch(/no-events: 1/);
    expect(r.err).toMatch(/warning: no Kubernetes audit event was read/);
    expect(r.err).toMatch(/warning: 1 file\(s\) held no Kubernetes audit event/);
  });

  it('leaves no empty case behind when the ingest fails', async () => {
    const caseDir = join(root, 'failed');
    const r = await runCli('ingest', join(root, 'no-such.log'), '--case', caseDir);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/no such file/);
    expect(existsSync(caseDir)).toBe(false);
  });

  it('keeps a case that existed before a failed ingest', async () => {
    const caseDir = join(root, 'kept');
    await runCli('ingest', join(root, 'audit.log.gz'), '--case', caseDir);
    const r = await runCli('ingest', join(root, 'no-such.log'), '--case', caseDir);
    expect(r.code).not.toBe(0);
    expect(existsSync(join(caseDir, 'case.sqlite'))).toBe(true);
  });
});
