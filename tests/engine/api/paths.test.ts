// Path confinement for a server whose caller holds only a session (docs/security.md): evidence,
// cases and exports must lie under the roots named at start or come from a native dialog, links
// resolved; evidence.raw re-reads only such files, unchanged; export writes new files or replaces
// an unchanged export of the same case, nothing else.
import { appendFileSync, mkdtempSync, mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResult, Args, Channel, Results } from '../../../src/shared/contract.ts';
import { ApiService } from '../../../src/engine/api/service.ts';
import { serveRoots } from '../../../src/cli/commands/serve.ts';
import type { Dialogs } from '../../../src/engine/api/handlers.ts';
import { openCase } from '../../../src/engine/store/db.ts';

let tmp: string;
let root: string;
let outside: string;
let service: ApiService;
let picked: string | null = null;

const event = (id: string): string =>
  JSON.stringify({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: id,
    stage: 'ResponseComplete',
    requestURI: '/api/v1/namespaces/default/pods',
    verb: 'list',
    user: { username: 'alice', groups: ['system:authenticated'] },
    sourceIPs: ['10.0.0.7'],
    objectRef: { resource: 'pods', namespace: 'default' },
    responseStatus: { code: 200 },
    requestReceivedTimestamp: '2024-03-01T10:00:00.000000Z',
    stageTimestamp: '2024-03-01T10:00:00.050000Z',
  });
/** One good event, then a broken line: a record error whose line evidence.raw can re-read. */
const LOG = `${event('p-1')}\n{"kind":"Event","auditID":"p-2",\n`;

function call<C extends Channel>(channel: C, args: Args<C>): Promise<ApiResult<Results[C]>> {
  return service.call(channel, args) as Promise<ApiResult<Results[C]>>;
}
async function ok<C extends Channel>(channel: C, args: Args<C>): Promise<Results[C]> {
  const r = await call(channel, args);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value;
}
async function code<C extends Channel>(channel: C, args: Args<C>): Promise<string> {
  const r = await call(channel, args);
  return r.ok ? 'ok' : r.error.code;
}

beforeAll(async () => {
  // Resolved: on some systems the temp dir itself is behind a link.
  tmp = realpathSync(mkdtempSync(join(tmpdir(), 'gumshoe-paths-')));
  root = join(tmp, 'root');
  outside = join(tmp, 'outside');
  mkdirSync(root);
  mkdirSync(outside);
  writeFileSync(join(root, 'in.log'), LOG);
  writeFileSync(join(outside, 'secret.log'), LOG);
  symlinkSync(join(outside, 'secret.log'), join(root, 'link.log'));
  symlinkSync(outside, join(root, 'door'));
  const dialogs: Dialogs = { pickDirectory: async () => picked, pickEvidence: async () => (picked ? [picked] : null), pickSavePath: async () => picked };
  service = new ApiService({ transport: 'http', roots: [root], dialogs });
});

afterAll(async () => {
  await service.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('cases', () => {
  it('creates and opens cases under the roots only', async () => {
    expect(await code('cases.create', { dir: join(outside, 'case') })).toBe('forbidden');
    expect(await code('cases.create', { dir: join(root, 'door', 'case') })).toBe('forbidden');
    expect(await code('cases.create', { dir: join(root, '..', 'outside', 'case') })).toBe('forbidden');
    expect(await code('cases.create', { dir: 'relative/case' })).toBe('user');
    openCase(join(outside, 'theirs'), { create: true }).close();
    expect(await code('cases.open', { dir: join(outside, 'theirs') })).toBe('forbidden');
    expect((await ok('cases.create', { dir: join(root, 'case') })).dir).toBe(join(root, 'case'));
  });
});

describe('evidence', () => {
  it('refuses files outside the roots, through links and dot-dot too', async () => {
    expect(await code('evidence.add', { paths: ['/etc/passwd'] })).toBe('forbidden');
    expect(await code('evidence.add', { paths: [join(outside, 'secret.log')] })).toBe('forbidden');
    expect(await code('evidence.add', { paths: [join(root, 'link.log')] })).toBe('forbidden');
    expect(await code('evidence.add', { paths: [join(root, 'door', 'secret.log')] })).toBe('forbidden');
    expect(await code('evidence.add', { paths: [join(root, '..', 'outside', 'secret.log')] })).toBe('forbidden');
    // One bad path refuses the whole call: nothing is half-added.
    expect(await code('evidence.add', { paths: [join(root, 'in.log'), '/etc/passwd'] })).toBe('forbidden');
    expect(await code('jobs.list', {})).toBe('ok');
    expect((await ok('jobs.list', {})).filter((j) => j.kind === 'ingest')).toEqual([]);
  });

  it('adds a file under the roots, and a file the user picked in a native dialog', async () => {
    const { jobId } = await ok('evidence.add', { paths: [join(root, 'in.log')] });
    expect((await service.jobs.wait(jobId)).state).toBe('done');
    picked = join(outside, 'secret.log');
    expect(await ok('dialogs.pickEvidence', {})).toEqual([picked]);
    const second = await ok('evidence.add', { paths: [picked] });
    expect((await service.jobs.wait(second.jobId)).state).toBe('done');
    picked = null;
    // The grant is that one file, not its folder.
    writeFileSync(join(outside, 'other.log'), LOG);
    expect(await code('evidence.add', { paths: [join(outside, 'other.log')] })).toBe('forbidden');
  });

  it('re-reads a raw line only from a file inside the roots that still has its ingested size', async () => {
    const errors = await ok('evidence.errors', { limit: 10 });
    const items = await ok('evidence.list', {});
    const errorIn = (path: string): number => {
      const id = items.find((e) => e.path === path)?.id;
      const row = errors.rows.find((r) => r.evidenceId === id);
      if (!row) throw new Error(`no record error for ${path}`);
      return row.id;
    };
    const inRoot = errorIn(join(root, 'in.log'));
    expect(await ok('evidence.raw', { errorId: inRoot })).toMatchObject({ source: 'file', text: '{"kind":"Event","auditID":"p-2",' });
    // Granted in a dialog, but this server (a fresh one, as after a restart) was not told: the excerpt only.
    const fresh = new ApiService({ transport: 'http', roots: [root], caseDir: join(root, 'case') });
    try {
      const r = (await fresh.call('evidence.raw', { errorId: errorIn(join(outside, 'secret.log')) })) as ApiResult<Results['evidence.raw']>;
      expect(r.ok && r.value.source).toBe('excerpt');
    } finally {
      await fresh.close();
    }
    appendFileSync(join(root, 'in.log'), `${event('p-3')}\n`);
    expect((await ok('evidence.raw', { errorId: inRoot })).source).toBe('excerpt');
  });
});

describe('export', () => {
  it('writes only new files under the roots, or over an unchanged export of this case', async () => {
    expect(await code('export.run', { format: 'json', path: join(outside, 'x.json') })).toBe('forbidden');
    expect(await code('export.run', { format: 'json', path: join(root, 'door', 'x.json') })).toBe('forbidden');
    expect(await code('export.run', { format: 'json', path: '/etc/cron.d/x' })).toBe('forbidden');

    writeFileSync(join(root, 'notes.txt'), 'mine\n');
    expect(await code('export.run', { format: 'json', path: join(root, 'notes.txt') })).toBe('user');
    expect(readFileSync(join(root, 'notes.txt'), 'utf8')).toBe('mine\n');
    expect(await code('export.run', { format: 'json', path: join(root, 'case', 'case.sqlite') })).toBe('user');
    // A link inside the roots to a file inside the roots is still refused: it would be written through.
    symlinkSync(join(root, 'notes.txt'), join(root, 'notes-link.json'));
    expect(await code('export.run', { format: 'json', path: join(root, 'notes-link.json') })).toBe('user');
    expect(readFileSync(join(root, 'notes.txt'), 'utf8')).toBe('mine\n');

    const out = join(root, 'report.json');
    const first = await ok('export.run', { format: 'json', path: out });
    expect(first.path).toBe(out);
    // The same export again replaces itself.
    expect(await code('export.run', { format: 'json', path: out })).toBe('ok');
    // Edited since: no longer the export the journal knows.
    appendFileSync(out, ' ');
    expect(await code('export.run', { format: 'json', path: out })).toBe('user');
  });
});

describe('the roots gumshoe serve gives', () => {
  it('defaults to the current directory and the case directory with its parent', () => {
    expect(serveRoots([], join(root, 'case'))).toEqual([process.cwd(), root, join(root, 'case')]);
    expect(serveRoots([], undefined)).toEqual([process.cwd()]);
  });

  it('takes --root in place of the defaults, keeps the case, and refuses a root that is not there', () => {
    expect(serveRoots([outside], join(root, 'case'))).toEqual([outside, join(root, 'case')]);
    expect(() => serveRoots([join(tmp, 'nowhere')], undefined)).toThrow(/does not exist/);
  });
});
