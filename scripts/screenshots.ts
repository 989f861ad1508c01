// Saves a PNG of each view to screenshots/, over the demo bundle run through the whole pipeline,
// so a reviewer can see the UI without running it. `npm run screenshots` builds the renderer first.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Args, Channel, Results } from '../src/shared/contract.ts';
import { startHttpServer } from '../src/engine/api/http.ts';
import { ApiService } from '../src/engine/api/service.ts';
import { ensureDemoBundle } from '../src/engine/simulate/demo.ts';
import { describeEvent } from '../src/engine/events/describe.ts';
import { getEventsByAuditIDs } from '../src/engine/store/events-read.ts';
import { listFindings } from '../src/engine/store/findings.ts';
import { saveIncidents } from '../src/engine/store/incidents.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const OUT = join(ROOT, 'screenshots');
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const log = (m: string): void => void process.stderr.write(`screenshots: ${m}\n`);

const tmp = mkdtempSync(join(tmpdir(), 'gumshoe-shots-'));
const service = new ApiService({ transport: 'http', caseDir: join(tmp, 'demo-case') });

async function call<C extends Channel>(channel: C, args: Args<C>): Promise<Results[C]> {
  const r = await service.call(channel, args);
  if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
  return r.value as Results[C];
}
async function job(start: Promise<{ jobId: string }>): Promise<void> {
  const { jobId } = await start;
  const end = await service.jobs.wait(jobId);
  if (end.state !== 'done') throw new Error(`job ${end.kind} ${end.state}: ${end.error?.message}`);
  log(`${end.kind} done`);
}

/**
 * The incident the pictures show. The hunt makes incidents once it joins episodes (issue 10);
 * until then the demo has none, so this one is assembled from the top finding, its events
 * described as a storyline and its title saying where it came from.
 */
async function ensureIncident(): Promise<string> {
  const listed = await call('incidents.list', {});
  if (listed.total > 0) return listed.rows[0].id;
  const db = service.cases.require().db;
  const top = listFindings(db).sort((a, b) => b.score - a.score)[0];
  const events = getEventsByAuditIDs(db, top.auditIDs).slice(0, 12);
  const storyline = events.map((e) => {
    const d = describeEvent(e);
    return { time: new Date(e.timeUs / 1000).toISOString(), auditID: e.auditID, user: e.user, sourceIPs: e.sourceIPs, verb: e.verb, target: d.target, summary: d.summary, outcome: d.outcome, tactics: [], techniques: top.techniques, findingIds: [top.id], why: [top.title ?? top.kind] };
  });
  const id = `I-shots-${top.id}`;
  saveIncidents(db, 1, [
    {
      id, title: `(from the top finding, for the screenshots) ${top.title ?? top.kind}`, start: top.start, end: top.end, startUs: Date.parse(top.start) * 1000, endUs: Date.parse(top.end) * 1000,
      score: top.score, severity: top.severity, tactics: [], techniques: top.techniques, users: [...new Set(events.map((e) => e.user))], sourceIPs: [...new Set(events.flatMap((e) => e.sourceIPs))],
      namespaces: [...new Set(events.map((e) => e.namespace).filter((n): n is string => n !== null))], objects: [...new Set(storyline.map((s) => s.target))], auditIDs: events.map((e) => e.auditID),
      findings: [top.id], links: [], storyline, reasons: top.reasons ?? [],
    },
  ]);
  return id;
}

try {
  const { bundle } = await ensureDemoBundle();
  // The examiner first, as an analyst sets it: the journal then names who loaded, trained and hunted.
  await call('case.setMeta', { examiner: 'Dana Reyes', caseNumber: 'IR-2026-041', requester: 'Head of platform security', scope: 'Demo cluster audit log, whole bundle' });
  await job(call('evidence.add', { paths: [bundle] }));
  await job(call('jobs.start', { kind: 'train', options: { epochs: Number(process.env.SHOTS_EPOCHS ?? 8) } }));
  await job(call('jobs.start', { kind: 'hunt', options: {} }));
  const incidentId = await ensureIncident();

  const server = await startHttpServer(service, { staticDir: join(ROOT, 'out/renderer') });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ARGS });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  // Every view is visited here, so this is where a CSP violation in a rarely-seen view shows up.
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await page.goto(server.openUrl);
  mkdirSync(OUT, { recursive: true });
  const shot = async (name: string, key?: string): Promise<void> => {
    if (key) await page.keyboard.press(key);
    await page.waitForTimeout(1200);
    await page.screenshot({ path: join(OUT, `${name}.png`) });
    log(`${name}.png`);
  };
  await page.locator('body').click({ position: { x: 1, y: 1 } });
  await shot('cases', '1');
  // The one search, with a field and a word; tag a hit so marks show on the entity page too.
  await page.keyboard.press('/');
  await page.getByTestId('search-box').fill('verb:create,delete code:2xx');
  await page.getByTestId('search-box').press('Enter');
  const hits = page.getByRole('grid', { name: 'search results' }).locator('tbody tr');
  await hits.first().waitFor();
  await hits.nth(Math.min(2, (await hits.count()) - 1)).click();
  await page.getByTestId('mark-editor').getByRole('textbox', { name: 'tags' }).fill('follow-up, demo');
  await page.getByTestId('mark-editor').getByRole('button', { name: 'Save mark' }).click();
  await shot('search');
  const actor = await hits.nth(Math.min(2, (await hits.count()) - 1)).locator('a[data-entity="user"]').getAttribute('href');
  await shot('timeline', '3');
  await shot('incidents', '4');
  await page.getByRole('button', { name: /^expand incident/ }).first().click();
  await shot('incidents-expanded');
  await page.goto(`${server.url.split('/?')[0]}/#/incident/${encodeURIComponent(incidentId)}`);
  await page.locator('.graph canvas').first().waitFor();
  await page.waitForTimeout(1500);
  await page.locator('.graph canvas').last().click({ position: { x: 120, y: 120 } }).catch(() => undefined);
  await shot('incident');
  if (actor) await page.goto(`${server.url.split('/?')[0]}/${actor}`);
  await shot('entity-user');
  await page.locator('main a[data-entity="ip"]').first().click();
  await shot('entity-ip');
  await page.goto(`${server.url.split('/?')[0]}/#/entity/namespace/kube-system`);
  await shot('entity-namespace');
  // At 1024 px: the sidebar folds and columns wrap.
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(`${server.url.split('/?')[0]}/#/incidents`);
  await shot('incidents-1024');
  await page.goto(`${server.url.split('/?')[0]}/#/search?q=${encodeURIComponent('verb:create,delete code:2xx')}`);
  await shot('search-1024');
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`${server.url.split('/?')[0]}/#/incidents`);
  await page.locator('body').click({ position: { x: 1, y: 1 } });
  await page.getByRole('listbox', { name: 'findings' }).scrollIntoViewIfNeeded();
  await shot('findings');
  // Triage the riskiest finding and note why, so the Notes view has a journal and a history to show.
  await page.getByRole('listbox', { name: 'findings' }).focus();
  await page.keyboard.press('i');
  await page.getByRole('textbox', { name: 'note on this finding' }).fill('Checked with the platform team: not a change they made. Escalating.');
  await page.getByTestId('finding-detail').getByRole('button', { name: 'Add note' }).click();
  // The note and the triage name their author (the examiner).
  await page.getByTestId('finding-detail').getByTestId('note').last().scrollIntoViewIfNeeded();
  await shot('finding-note');
  // The riskiest finding's session, as an analyst would open it from the list.
  await page.getByRole('listbox', { name: 'findings' }).focus();
  // Every finding should have a session (rule findings open on their first hit's); step down if one has not.
  const openSession = page.getByTestId('finding-detail').getByRole('button', { name: /Open session/ });
  for (let i = 0; i < 20 && (await openSession.count()) === 0; i++) await page.keyboard.press('j');
  await page.keyboard.press('Enter');
  await page.waitForTimeout(2500);
  await page.locator('canvas').first().click({ position: { x: 200, y: 200 } }).catch(() => undefined);
  await shot('session');
  // The side panel's neighbours, below the explanation: the same actor's minutes and the most alike by embedding.
  await page.getByRole('region', { name: 'sessions most alike' }).or(page.locator('[aria-label="sessions most alike"]')).first().scrollIntoViewIfNeeded();
  await shot('session-neighbours');
  await page.locator('body').click({ position: { x: 1, y: 1 } });
  await shot('embedding', '6');
  await shot('model', '7');
  // Case & export after a PDF export from the panel: the saved file's size and hash, the jobs bar's
  // result, and below them the case journal (and both at 1024 px).
  await page.keyboard.press('8');
  await page.getByRole('textbox', { name: 'export path' }).fill(join(tmp, 'report.pdf'));
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await page.getByTestId('export-sha256').waitFor({ timeout: 180_000 });
  await shot('notes');
  await page.getByTestId('journal').scrollIntoViewIfNeeded();
  await shot('notes-journal');
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.getByTestId('journal').scrollIntoViewIfNeeded();
  await shot('notes-journal-1024');
  // Centred, not merely in view: the sticky header would cover the top of the panel.
  await page.getByTestId('export-saved').evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await shot('notes-export-1024');
  await page.setViewportSize({ width: 1440, height: 900 });
  // Training again from the Model view, caught mid-run: the curves drawn live from progress events.
  await page.keyboard.press('7');
  await page.getByRole('spinbutton', { name: 'epochs' }).fill('30');
  await page.getByRole('button', { name: 'Train model' }).click();
  const live = page.locator('[data-testid="training-curve"][data-live="true"]');
  await live.waitFor({ timeout: 180_000 }).catch(async () => {
    throw new Error(`no live training curve; the Model view says: ${await page.locator('main').textContent()}`);
  });
  // A few epochs in, so the picture has curves rather than a point.
  for (let i = 0; i < 120 && Number((await live.getAttribute('data-epochs').catch(() => '99')) ?? 0) < 3; i++) await page.waitForTimeout(250);
  await page.screenshot({ path: join(OUT, 'model-live.png') });
  log('model-live.png');
  await page.locator('.job[data-kind="train"][data-state="running"]').waitFor({ state: 'detached', timeout: 300_000 });
  await page.getByRole('button', { name: /toggle dark and light/ }).click();
  await shot('timeline-light', '3');
  await browser.close();
  await server.close();
  if (violations.length) throw new Error(`CSP violations:\n${violations.join('\n')}`);
} finally {
  await service.close();
  rmSync(tmp, { recursive: true, force: true });
}
