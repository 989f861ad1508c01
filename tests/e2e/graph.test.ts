// A session past the force layout's reach (one actor sweeping 400 objects in a minute) opens with
// its objects folded by resource; clicking a group draws its objects, "Draw all" draws every node.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepLog } from '../../bench/sweep-log.ts';
import { launch, REPO, serve, type Served } from './harness.ts';

const OBJECTS = 400;
const RESOURCES = ['configmaps', 'secrets'];

let tmp: string;
let server: Served;
let browser: Browser;
let page: Page;
let sessionId: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'gumshoe-e2e-graph-'));
  writeFileSync(join(tmp, 'sweep.log'), sweepLog({ objects: OBJECTS, resources: RESOURCES, namespaces: 3, ips: 2 }));
  execFileSync(process.execPath, ['bin/gumshoe.mjs', 'ingest', '--case', join(tmp, 'case'), '--json', join(tmp, 'sweep.log')], { cwd: REPO, stdio: 'ignore' });
  server = await serve(['--case', join(tmp, 'case')]);
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(server.url);
  await page.keyboard.press('7');
  await page.getByRole('button', { name: 'Build sessions' }).click();
  await page.locator('.job[data-kind="sessions"][data-state="done"]').waitFor({ timeout: 60_000 });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const graph = (): ReturnType<Page['locator']> => page.locator(`.graph[data-ready="${sessionId}"]`);
const shown = async (): Promise<number> => Number(await graph().getAttribute('data-nodes'));

/** Where the node layer shows a group's colour (object purple, #c792ea), in page pixels. */
function findGroupPixel(): Promise<{ x: number; y: number } | null> {
  return page.evaluate(() => {
    for (const canvas of Array.from(document.querySelectorAll<HTMLCanvasElement>('.graph canvas'))) {
      const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
      if (!data) continue;
      const box = canvas.getBoundingClientRect();
      for (let i = 0; i < data.length; i += 4) {
        if (Math.abs(data[i] - 0xc7) < 6 && Math.abs(data[i + 1] - 0x92) < 6 && Math.abs(data[i + 2] - 0xea) < 6 && data[i + 3] > 250) {
          const p = i / 4;
          // Step into the square, off its border ring.
          return { x: box.left + ((p % canvas.width) / canvas.width) * box.width + 6, y: box.top + (Math.floor(p / canvas.width) / canvas.height) * box.height + 6 };
        }
      }
    }
    return null;
  });
}

describe('a session too big to draw node by node', () => {
  let total = 0;
  it('opens with its objects folded into one node per resource, and says so', async () => {
    await page.keyboard.press('5');
    // The sweep fits in one minute: one session.
    const option = page.locator('select[aria-label="session"] option:not([disabled])');
    await option.waitFor({ state: 'attached' });
    sessionId = (await option.getAttribute('value'))!;
    await page.selectOption('select[aria-label="session"]', sessionId);
    await graph().waitFor();
    total = Number((await page.getByRole('button', { name: /^Draw all/ }).textContent())!.match(/\d+/)![0]);
    expect(total).toBeGreaterThan(OBJECTS);
    expect(await shown()).toBe(total - OBJECTS + RESOURCES.length);
    expect(await page.getByLabel('object grouping').textContent()).toContain(`${OBJECTS} of ${OBJECTS} request objects are drawn as ${RESOURCES.length} group nodes`);
  });

  it('draws the objects of a group the analyst clicks', async () => {
    const at = await findGroupPixel();
    expect(at).not.toBeNull();
    await page.mouse.click(at!.x, at!.y);
    await expect.poll(shown, { timeout: 30_000 }).toBe(total - OBJECTS / RESOURCES.length + RESOURCES.length - 1);
    await expect.poll(() => page.getByLabel('object grouping').textContent()).toContain(`${OBJECTS / RESOURCES.length} of ${OBJECTS} request objects`);
  });

  it('draws every node on "Draw all", progressively, and folds them again on request', async () => {
    // Every "Drawing N of M" line the page shows, caught as it is inserted or changed: a slice per
    // frame passes too quickly to poll for, but not to observe.
    await page.evaluate(() => {
      const lines: string[] = [];
      (window as unknown as { drawLines: string[] }).drawLines = lines;
      new MutationObserver(() => {
        const text = document.querySelector('.drawing[role="status"]')?.textContent;
        if (text && lines.at(-1) !== text) lines.push(text.trim());
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.getByRole('button', { name: `Draw all ${total} nodes` }).click();
    await expect.poll(shown, { timeout: 60_000 }).toBe(total);
    const lines = await page.evaluate(() => (window as unknown as { drawLines: string[] }).drawLines);
    const counts = lines.map((l) => l.match(/^Drawing ([\d,]+) of ([\d,]+) nodes and edges/)).map((m) => m && [Number(m[1].replace(/,/g, '')), Number(m[2].replace(/,/g, ''))]);
    // More than one slice, each line counting up towards the same total, and the line gone once drawn.
    expect(counts.length).toBeGreaterThan(1);
    expect(counts.every((c) => c !== null && c[1] === counts[0]![1] && c[0] <= c[1])).toBe(true);
    expect(counts.map((c) => c![0])).toEqual([...counts.map((c) => c![0])].sort((a, b) => a - b));
    expect(await page.locator('.drawing[role="status"]').count()).toBe(0);
    expect(await page.getByLabel('object grouping').textContent()).toContain('Every request object is drawn');
    await page.getByRole('button', { name: 'Group objects by resource' }).click();
    await expect.poll(shown, { timeout: 30_000 }).toBe(total - OBJECTS + RESOURCES.length);
  });

  it('opens one group from the keyboard too', async () => {
    const button = page.getByRole('button', { name: `draw ${OBJECTS / RESOURCES.length} secrets objects` });
    await button.focus();
    await page.keyboard.press('Enter');
    await expect.poll(shown, { timeout: 30_000 }).toBe(total - OBJECTS / RESOURCES.length + RESOURCES.length - 1);
    // The opened group leaves the list of groups to open; the other stays.
    expect(await button.count()).toBe(0);
    expect(await page.getByRole('button', { name: `draw ${OBJECTS / RESOURCES.length} configmaps objects` }).count()).toBe(1);
  });
});
