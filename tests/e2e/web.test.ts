import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, serve, DEMO_LOG, type Served } from './harness.ts';

const IMG = '<img src=x onerror="window.__pwned=1">';
const SCRIPT = '<script>window.__pwned=2</script>';

/** One audit event whose strings are markup, as a hostile cluster could make them. */
function hostileEvent(): string {
  return JSON.stringify({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: 'e2e-hostile-0001',
    stage: 'ResponseComplete',
    requestURI: '/api/v1/namespaces/default/configmaps',
    verb: 'create',
    user: { username: IMG, groups: ['system:authenticated'] },
    sourceIPs: ['10.9.8.7'],
    userAgent: SCRIPT,
    objectRef: { resource: 'configmaps', namespace: 'default', name: SCRIPT },
    responseStatus: { code: 201 },
    requestReceivedTimestamp: '2017-09-11T20:00:00.000000Z',
    stageTimestamp: '2017-09-11T20:00:00.100000Z',
  });
}

let tmp: string;
let server: Served;
let browser: Browser;
let page: Page;
const requests: string[] = [];
const cspErrors: string[] = [];
let mainHeaders: Record<string, string> = {};

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'gumshoe-e2e-'));
  // Line 2 is broken JSON: a per-record error the Cases view must show, line and all, as text.
  writeFileSync(join(tmp, 'hostile.log'), `${hostileEvent()}\n{"kind":"Event","auditID":"${SCRIPT}",\n`);
  server = await serve(['--case', join(tmp, 'initial')]);
  browser = await launch();
  const context = await browser.newContext();
  // Record every request; anything not to our loopback origin is aborted and will fail the test.
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    requests.push(url);
    if (url.startsWith(`${server.origin}/`)) await route.continue();
    else await route.abort();
  });
  page = await context.newPage();
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
  });
  const res = await page.goto(server.url);
  mainHeaders = res?.headers() ?? {};
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function addEvidence(path: string): Promise<void> {
  const before = await page.locator('.job[data-state="done"]').count();
  await page.getByTestId('evidence-path').fill(path);
  await page.getByTestId('evidence-add').click();
  // Progress shows as a job row; it ends 'done'.
  await page.locator('.job[data-kind="ingest"]').first().waitFor();
  await expect.poll(() => page.locator('.job[data-state="done"]').count(), { timeout: 60_000 }).toBeGreaterThan(before);
}

describe('web mode in Chromium', () => {
  it('serves the page with a strict CSP and strips the token from the address bar', async () => {
    expect(mainHeaders['content-security-policy']).toContain("default-src 'self'");
    expect(mainHeaders['content-security-policy']).toContain("connect-src 'self'");
    expect(mainHeaders['content-security-policy']).not.toContain('unsafe-inline');
    await expect.poll(() => page.url()).not.toContain('token=');
    await expect.poll(() => page.locator('nav').textContent()).toContain('http');
  });

  it('opens the case serve was started on', async () => {
    await expect.poll(() => page.getByTestId('case-name').textContent()).toBe('initial');
  });

  it('creates a case, adds evidence with visible progress, and lists it', async () => {
    await page.getByTestId('case-dir').fill(join(tmp, 'case'));
    await page.getByTestId('case-create').click();
    await expect.poll(() => page.getByTestId('case-name').textContent()).toBe('case');
    await addEvidence(DEMO_LOG);
    await addEvidence(join(tmp, 'hostile.log'));
    const table = page.getByTestId('evidence-table');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(2);
    await expect.poll(() => page.getByTestId('summary').textContent()).toContain('38 events');
    // The broken line: open the file's errors, then the line itself.
    await table.locator('tbody tr', { hasText: 'hostile.log' }).getByRole('button', { name: '1' }).click();
    await page.getByRole('cell', { name: 'json', exact: true }).click();
    await expect.poll(() => page.getByTestId('error-line').textContent()).toContain(`"auditID":"${SCRIPT}"`);
    expect(await page.locator('main script').count()).toBe(0);
    await page.getByRole('button', { name: 'Re-verify hashes' }).click();
    await expect.poll(() => page.getByTestId('verify-result').textContent()).toContain('all match');
  });

  it('reopens the case it created', async () => {
    await page.getByTestId('case-dir').fill(join(tmp, 'case'));
    await page.getByTestId('case-open').click();
    await expect.poll(() => page.locator('.note').count()).toBe(0);
    await expect.poll(() => page.getByTestId('case-name').textContent()).toBe('case');
  });

  it('shows the events, and markup in an event as text', async () => {
    await page.keyboard.press('2');
    const rows = page.getByTestId('events-table').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(38);
    const hostile = rows.filter({ hasText: '<img src=x' });
    await expect.poll(() => hostile.count()).toBe(1);
    expect(await hostile.locator('img').count()).toBe(0);
    await hostile.click();
    const raw = page.getByTestId('event-raw');
    await expect.poll(() => raw.textContent()).toContain('<script>window.__pwned=2</script>');
    expect(await page.locator('main script, main img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('draws the timeline over the case', async () => {
    await page.keyboard.press('3');
    await page.getByTestId('timeline').locator('canvas').waitFor();
  });

  it('analyses the case in one click from the Cases view: sessions, training and the hunt', async () => {
    await page.keyboard.press('1');
    await page.getByTestId('analyse').click();
    await page.locator('.job[data-kind="analyse"][data-state="done"]').waitFor({ timeout: 120_000 });
    await page.keyboard.press('7');
    // The Model view says what the job left: a trained model, no longer 'not trained yet'.
    await expect.poll(() => page.locator('main').textContent(), { timeout: 10_000 }).toMatch(/· trained/);
  });

  it('builds sessions and hunts from the Model view, triages a finding in one keystroke, opens its session graph', async () => {
    await page.keyboard.press('7');
    for (const [name, kind] of [['Build sessions', 'sessions'], ['Run hunt', 'hunt']]) {
      await page.getByRole('button', { name }).click();
      await page.locator(`.job[data-kind="${kind}"][data-state="done"]`).waitFor({ timeout: 60_000 });
    }
    await page.keyboard.press('4');
    const list = page.getByRole('listbox', { name: 'findings' });
    const first = list.getByRole('option').first();
    await first.waitFor();
    await list.focus();
    await page.keyboard.press('m');
    await expect.poll(() => first.textContent()).toContain('malicious');
    const detail = page.getByTestId('finding-detail');
    await detail.getByRole('textbox', { name: 'note on this finding' }).fill(`looked at it ${IMG}`);
    await detail.getByRole('button', { name: 'Add note' }).click();
    await expect.poll(() => detail.textContent()).toContain(`looked at it ${IMG}`);
    expect(await detail.locator('img').count()).toBe(0);
    await list.focus();
    // A rule hit outside every session has no graph: Enter opens the first finding that has one.
    for (let i = 0; i < 10 && (await detail.getByRole('button', { name: /Open session/ }).count()) === 0; i++) await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await page.locator('.graph canvas').first().waitFor();
    await expect.poll(() => page.locator('.legend').textContent()).toContain('new to the case');
  });

  it('made no request outside loopback and raised no CSP violation', () => {
    expect(requests.length).toBeGreaterThan(3);
    expect(requests.filter((u) => !u.startsWith(`${server.origin}/`))).toEqual([]);
    expect(cspErrors).toEqual([]);
  });
});
