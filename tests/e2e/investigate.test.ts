// The investigation of issue 11, end to end in Chromium: search → entity page → incident → tag an
// event → export the search → the case export, at 1440 and at 1024 px. The case is prepared by the engine (a small
// log written here, ingested, and one incident saved as the hunt would) so the test is about the
// UI's path through it, not the hunt's ranking.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { openCase } from '../../src/engine/store/db.ts';
import { saveIncidents } from '../../src/engine/store/incidents.ts';
import { launch, REPO, serve, type Served } from './harness.ts';

const T0 = Date.UTC(2024, 2, 4, 10, 0, 0);
const iso = (ms: number): string => new Date(ms).toISOString().replace('Z', '000Z');

/** One audit record as the API server writes it. */
function record(i: number, o: { user: string; ip: string; verb: string; uri: string; resource?: string; sub?: string; ns?: string; name?: string; code: number; body?: unknown; ua?: string }): string {
  return JSON.stringify({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: o.body ? 'RequestResponse' : 'Metadata',
    auditID: `e2e-${String(i).padStart(4, '0')}-0000-4000-8000-000000000000`,
    stage: 'ResponseComplete',
    requestURI: o.uri,
    verb: o.verb,
    user: { username: o.user, groups: ['system:authenticated'] },
    sourceIPs: [o.ip],
    userAgent: o.ua ?? 'kubectl/v1.29.0 (linux/amd64) kubernetes/3f7a50f',
    ...(o.resource ? { objectRef: { resource: o.resource, subresource: o.sub, namespace: o.ns, name: o.name, apiVersion: 'v1' } } : {}),
    responseStatus: { metadata: {}, code: o.code },
    ...(o.body ? { requestObject: o.body } : {}),
    requestReceivedTimestamp: iso(T0 + i * 20_000),
    stageTimestamp: iso(T0 + i * 20_000 + 15),
    annotations: { 'authorization.k8s.io/decision': o.code === 403 ? 'forbid' : 'allow', 'authorization.k8s.io/reason': '' },
  });
}

function writeLog(path: string): void {
  const lines: string[] = [];
  for (let i = 0; i < 40; i++) {
    lines.push(record(i, { user: 'system:kube-controller-manager', ip: '10.0.3.17', verb: 'update', uri: '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-controller-manager', resource: 'leases', ns: 'kube-system', name: 'kube-controller-manager', code: 200, ua: 'kube-controller-manager/v1.29.1' }));
  }
  lines.push(record(41, { user: 'alice@example.com', ip: '203.0.113.45', verb: 'create', uri: '/api/v1/namespaces/web/pods', resource: 'pods', ns: 'web', code: 201, body: { kind: 'Pod', metadata: { name: 'debug-94pmq' }, spec: { hostPID: true, containers: [{ name: 'debug', image: 'busybox:1.36', securityContext: { privileged: true } }] } } }));
  lines.push(record(42, { user: 'alice@example.com', ip: '203.0.113.45', verb: 'create', uri: '/api/v1/namespaces/web/pods/debug-94pmq/exec?command=chroot&command=%2Fhost&command=sh&container=debug&stdin=true&tty=true', resource: 'pods', sub: 'exec', ns: 'web', name: 'debug-94pmq', code: 101 }));
  lines.push(record(43, { user: 'alice@example.com', ip: '203.0.113.45', verb: 'get', uri: '/api/v1/namespaces/kube-system/secrets/admin-token', resource: 'secrets', ns: 'kube-system', name: 'admin-token', code: 403 }));
  writeFileSync(path, `${lines.join('\n')}\n`);
}

let tmp: string;
let server: Served;
let browser: Browser;
let page: Page;
const EXEC = 'e2e-0042-0000-4000-8000-000000000000';

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'gumshoe-investigate-'));
  const log = join(tmp, 'audit.log');
  writeLog(log);
  const caseDir = join(tmp, 'case');
  // The CLI ingests, as an analyst would (and the e2e typecheck, which has the DOM's lib, stays out of the ingest job's Node-only code).
  execFileSync(process.execPath, ['bin/gumshoe.mjs', 'ingest', log, '--case', caseDir], { cwd: REPO, stdio: 'ignore' });
  const db = openCase(caseDir);
  db.prepare("insert into hunt_runs (started_at, config) values ('2024-03-04T11:00:00Z', '{}')").run();
  const ids = [41, 42, 43].map((i) => `e2e-${String(i).padStart(4, '0')}-0000-4000-8000-000000000000`);
  const step = (i: number, auditID: string, verb: string, target: string, summary: string, outcome: 'success' | 'denied') => ({
    time: new Date(T0 + i * 20_000).toISOString(), auditID, user: 'alice@example.com', sourceIPs: ['203.0.113.45'], verb, target, summary, outcome,
    tactics: ['Privilege Escalation'], techniques: ['T1611'], findingIds: [], why: ['privileged pod, then a chroot exec into it'],
  });
  saveIncidents(db, 1, [
    {
      id: 'I-e2e-alice', title: 'alice escapes to the host from a privileged debug pod', start: new Date(T0 + 41 * 20_000).toISOString(), end: new Date(T0 + 43 * 20_000).toISOString(),
      startUs: (T0 + 41 * 20_000) * 1000, endUs: (T0 + 43 * 20_000) * 1000, score: 0.97, severity: 'critical', tactics: ['Privilege Escalation'], techniques: ['T1611'],
      users: ['alice@example.com'], sourceIPs: ['203.0.113.45'], namespaces: ['web', 'kube-system'], objects: ['pods web/debug-94pmq', 'secrets kube-system/admin-token'],
      auditIDs: ids, findings: [], links: [], reasons: [],
      storyline: [
        step(41, ids[0], 'create', 'pods web/debug-94pmq', 'create pods web/debug-94pmq: image busybox:1.36 (privileged, hostPID)', 'success'),
        step(42, ids[1], 'create', 'pods/exec web/debug-94pmq', 'exec `chroot /host sh` in web/debug-94pmq container debug', 'success'),
        step(43, ids[2], 'get', 'secrets kube-system/admin-token', 'get secrets kube-system/admin-token — denied (403 Forbidden)', 'denied'),
      ],
    },
  ]);
  db.close();
  server = await serve(['--case', caseDir]);
  browser = await launch();
  // The printed URL's token logs in one browser context, once: both widths share this page.
  page = await (await browser.newContext({ acceptDownloads: true })).newPage();
  await page.goto(server.url);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe.each([
  [1440, 900],
  [1024, 700],
])('investigation at %i px', (width, height) => {
  it('search → entity page → incident → tag an event → CSV → report', async () => {
    await page.setViewportSize({ width, height });
    await page.goto(`${server.origin}/#/cases`);
    await page.locator('body').click({ position: { x: 1, y: 1 } });
    {

      // '/' focuses the one search box; a field and a word find the exec and say what it ran.
      await page.keyboard.press('/');
      const box = page.getByTestId('search-box');
      await expect.poll(() => box.evaluate((el) => el === document.activeElement)).toBe(true);
      await box.fill('user:alice chroot');
      await box.press('Enter');
      const grid = page.getByRole('grid', { name: 'search results' });
      // The first search of a fresh server waits for its read thread to load the engine (1-1.5 s)
      // and for the search index to be built: more than expect.poll's default second.
      await expect.poll(() => grid.locator('tbody tr').count(), { timeout: 15_000 }).toBe(1);
      expect(await grid.locator('tbody tr').first().textContent()).toContain('exec `chroot /host sh` in web/debug-94pmq');
      expect(page.url()).toContain('#/search?q=user%3Aalice+chroot');

      // The user is a link to the identity's page: its addresses and its incident.
      await grid.locator('a[data-entity="user"]').first().click();
      await expect.poll(() => page.getByTestId('entity-title').textContent()).toContain('alice@example.com');
      await expect.poll(() => page.locator('main').textContent()).toContain('203.0.113.45');
      // Reload keeps the place.
      await page.reload();
      await expect.poll(() => page.getByTestId('entity-title').textContent()).toContain('alice@example.com');

      // Its incident: the storyline and the graph it joins.
      await page.getByRole('link', { name: /alice escapes to the host/ }).click();
      await expect.poll(() => page.getByTestId('incident-title').textContent()).toContain('alice escapes');
      await expect.poll(() => page.getByTestId('storyline').locator('li').count()).toBe(3);
      expect(await page.getByTestId('storyline').textContent()).toContain('denied (403 Forbidden)');
      await page.locator('.graph canvas').first().waitFor();

      // Back to the search; tag the exec.
      await page.goBack();
      await page.goBack();
      await expect.poll(() => page.url()).toContain('#/search');
      await expect.poll(() => grid.locator('tbody tr').count()).toBe(1);
      await grid.locator('tbody tr').first().click();
      const editor = page.getByTestId('mark-editor');
      await editor.getByRole('textbox', { name: 'tags' }).fill(`escape, w${width}`);
      await editor.getByRole('button', { name: 'Save mark' }).click();
      await expect.poll(() => grid.locator('tbody tr').first().textContent()).toContain(`w${width}`);

      // The tag is searchable, and the search exports as CSV with the mark in it.
      await box.fill(`tag:w${width}`);
      await box.press('Enter');
      await expect.poll(() => page.getByTestId('search-total').textContent()).toBe('1 events');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
      const csv = readFileSync((await download.path()) as string, 'utf8');
      expect(csv.split('\n')[0]).toContain('time,auditID,user');
      expect(csv).toContain(EXEC);
      expect(csv).toContain(`escape w${width}`);
      // Nothing is cut off at this width: the results table scrolls inside its own box, not the page.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);

      // The report: the case export carries the incident and the tagged event with its tags.
      await page.keyboard.press('Escape');
      await page.locator('body').click({ position: { x: 1, y: 1 } });
      await page.keyboard.press('8');
      await page.getByRole('combobox', { name: 'format' }).selectOption('json');
      const out = join(tmp, `case-${width}.json`);
      await page.getByRole('textbox', { name: 'export path' }).fill(out);
      await page.getByRole('button', { name: 'Export', exact: true }).click();
      await expect.poll(() => page.getByTestId('export-saved').textContent(), { timeout: 60_000 }).toContain(`case-${width}.json`);
      const exported = JSON.parse(readFileSync(out, 'utf8')) as { incidents: { title: string }[]; marks: { auditID: string; tags: string[] }[] };
      expect(exported.incidents.map((i) => i.title)).toContain('alice escapes to the host from a privileged debug pod');
      expect(exported.marks.find((m) => m.auditID === EXEC)?.tags).toEqual(expect.arrayContaining(['escape', `w${width}`]));
      expect(await page.getByTestId('export-sha256').textContent()).toBe(createHash('sha256').update(readFileSync(out)).digest('hex'));
    }
  });
});
