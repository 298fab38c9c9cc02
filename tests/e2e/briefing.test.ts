/**
 * The published briefing in real Chromium: served under a sub-path by a tiny static server and
 * opened straight from disk. Nothing but the folder's own files is requested, the strict CSP
 * lets its own script and stylesheet run, axe finds no WCAG 2.2 AA violation, and the page
 * loads in under a second on localhost.
 */
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tierMapFromConfig } from '../../src/data/tier-map-config';
import { type BriefingFiles, buildBriefingModel, renderBriefing, totalBytes } from '../../src/export/briefing';
import { DEFAULT_SENSITIVE_CATEGORIES } from '../../src/export/sensitive-types';
import { demoReady, openDemoCity } from '../unit/demo-city';
import { CHROMIUM_PATH, e2eSkipReason, SCREENSHOT_DIR } from './harness';

const SUB_PATH = '/council/briefing-q3/';
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };
const skip = e2eSkipReason() !== null || !demoReady;

describe.skipIf(skip)('published council briefing in Chromium', () => {
  let dir: string;
  let files: BriefingFiles;
  let server: Server;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    const city = await openDemoCity();
    const model = await buildBriefingModel(city.db, {
      narrative: {
        title: 'Calls for service: six weeks to 27 September',
        summary: 'Calls held steady against the previous six weeks. Downtown remains the busiest area, and the hot spot around the central blocks persists.',
        paragraphs: ['Late-evening calls on Fridays and Saturdays account for most of the weekend peak.', 'Suggested patrol time follows the hot spots; the department will review the balance against resident calls each month.'],
        notes: 'Figures are provisional until the records unit closes the quarter.',
      },
      areas: city.areas,
      tierMap: tierMapFromConfig(city.config.tierMap).map,
      quality: { files: [], rows: { input: 50301, loaded: 50301, rejected: 0, duplicates: 152 }, timeRange: { start: '2026-06-29', end: '2026-09-27' }, timeZone: 'America/Chicago', geo: { valid: 0, missing: 979, zero: 181, outside: 0, swapped: 0, outOfRange: 0 }, timestamps: { unparseable: 0, outOfRange: 0 }, mapping: city.config.expectedMapping },
      categories: [...DEFAULT_SENSITIVE_CATEGORIES, { id: 'dataset', label: 'Listed in the dataset config', terms: [], codes: city.config.sensitiveTypes }],
      place: city.config.name,
      rotation: 'auto',
      publishedOn: '2026-10-05',
    });
    await city.db.close();
    files = renderBriefing(model);
    dir = await mkdtemp(path.join(tmpdir(), 'callsight-briefing-'));
    for (const [rel, bytes] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, SUB_PATH, rel)), { recursive: true });
      await writeFile(path.join(dir, SUB_PATH, rel), bytes);
    }
    server = createServer(async (req, res) => {
      const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const file = path.join(dir, rel.endsWith('/') ? `${rel}index.html` : rel);
      if (!file.startsWith(dir)) return res.writeHead(403).end();
      try {
        const body = await readFile(file);
        res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body);
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function open(url: string) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    context.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => document.documentElement.hasAttribute('data-briefing-ready'));
    return { context, page, requests, errors };
  }

  it('served under a sub-path: only its own files, strict CSP honoured, loads in under a second, no WCAG 2.2 AA violation', async () => {
    const { context, page, requests, errors } = await open(`${base}${SUB_PATH}`);
    const loadMs = await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd);
    console.log(`briefing: ${totalBytes(files).toLocaleString('en-US')} bytes in ${Object.keys(files).length} files; load event at ${loadMs.toFixed(0)} ms on localhost; requests: ${requests.length}`);
    expect(loadMs).toBeLessThan(1000);
    expect(requests.filter((u) => !u.startsWith(`${base}${SUB_PATH}`) && !u.startsWith('data:'))).toEqual([]);
    expect(requests.map((u) => u.replace(base, '')).sort()).toEqual([`${SUB_PATH}`, `${SUB_PATH}assets/briefing.css`, `${SUB_PATH}assets/briefing.js`, `${SUB_PATH}data.js`].sort());
    expect(errors).toEqual([]);
    // The stylesheet applied (CSP style-src 'self') and the script ran (script-src 'self').
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('.masthead')!).backgroundColor)).toBe('rgb(11, 44, 74)');
    expect(await page.locator('button.download').count()).toBeGreaterThan(8);
    expect(await page.locator('h1').textContent()).toContain('six weeks to 27 September');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'briefing.png') });
    await page.locator('#map').screenshot({ path: path.join(SCREENSHOT_DIR, 'briefing-map.png') });

    const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
    await page.evaluate(readFileSync(axePath, 'utf8'));
    const result = await page.evaluate(async () => {
      // biome-ignore lint/suspicious/noExplicitAny: axe is injected above
      const axe = (window as any).axe;
      const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
      return r.violations.map((v: { id: string; nodes: { target: string[] }[] }) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
    });
    expect(result).toEqual([]);
    await context.close();
  }, 120_000);

  it('opened straight from disk (file://): the same page, no request beyond the folder', async () => {
    const url = pathToFileURL(path.join(dir, SUB_PATH, 'index.html')).href;
    const { context, page, requests, errors } = await open(url);
    const folder = pathToFileURL(path.join(dir, SUB_PATH)).href;
    expect(requests.filter((u) => !u.startsWith(folder) && !u.startsWith('data:'))).toEqual([]);
    expect(errors).toEqual([]);
    expect(await page.locator('button.download').count()).toBeGreaterThan(8);
    expect(await page.evaluate(() => typeof (window as unknown as { CALLSIGHT_BRIEFING?: unknown }).CALLSIGHT_BRIEFING)).toBe('object');
    await context.close();
  }, 60_000);
});
