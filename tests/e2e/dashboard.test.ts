/**
 * Journey 1 on the dashboard in a real Chromium: brush the hour-of-week heatmap, click a call
 * type, select a rectangle on the map — after each step the headline, the map count, the
 * charts and the area table agree with a COUNT(*) run through the app's own DuckDB. Then:
 * a shared link reopens the same view, a hostile type name from the messy demo CSV renders as
 * text everywhere, axe finds no WCAG 2.2 AA violations, and nothing leaves localhost.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { booleanPointInPolygon, point, polygon } from '@turf/turf';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppSession, e2eSkipReason, externalRequests, REPO_ROOT, screenshot, startApp, waitForReady } from './harness';

const skipBrowser = e2eSkipReason();
const demoDir = path.join(REPO_ROOT, 'data/demo');
const demoReason = existsSync(path.join(demoDir, 'calls.parquet')) ? null : 'data/demo not generated; dashboard journeys skip.';
if (demoReason) console.warn(demoReason);
const HOSTILE = '<img src=x onerror=alert(1)>';
/** the heatmap's first column is 06:00 (HEATMAP_HOUR_OFFSET) */
const OFFSET = 6;

type Win = { __callsight: { viewGeneration: number; viewsSettled: boolean; ready: boolean; sql(t: string): Promise<Record<string, unknown>[]>; project(lon: number, lat: number): { x: number; y: number } } };

async function sqlCount(page: Page, where: string): Promise<number> {
  return page.evaluate(async (w) => Number((await (window as unknown as Win).__callsight.sql(`SELECT count(*) AS n FROM calls WHERE ${w}`))[0]!.n), where);
}

async function generation(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as Win).__callsight.viewGeneration);
}

/** Waits until the views re-queried after an interaction (a newer generation, settled). */
const viewTimings: number[] = [];

async function settledAfter(page: Page, before: number): Promise<void> {
  await page.waitForFunction(
    (g) => {
      const c = (window as unknown as Win).__callsight;
      return c.viewGeneration > g && c.viewsSettled;
    },
    before,
    { timeout: 60_000, polling: 100 },
  );
  viewTimings.push(await page.evaluate(() => (window as unknown as { __callsight: { viewsMs: number } }).__callsight.viewsMs));
  await waitForReady(page);
}

const num = (text: string | null) => Number((text ?? '').replace(/[^\d]/g, ''));

/** Headline, map legend, heatmap cells, type bars and area table against one SQL filter. */
async function expectViewsAgree(page: Page, where: string, brushed: (dow: number, hour: number) => boolean = () => true): Promise<number> {
  const expected = await sqlCount(page, where);
  expect(num(await page.getByTestId('matching-count').textContent())).toBe(expected);
  const located = await sqlCount(page, `(${where}) AND lon IS NOT NULL`);
  expect(num((await page.getByTestId('shown-count').locator('strong').textContent()) ?? '')).toBe(located);
  // heatmap: the cells inside the brush hold exactly the matching calls (tooltips carry counts)
  // (the shared d3 heatmap: role=gridcell, day starts at 06:00, count in the cell's label)
  const cells = await page.locator('[data-testid="chart-hour-of-week"] rect[role="gridcell"]').evaluateAll((rects) =>
    rects.map((r) => [Number(r.getAttribute('data-row')), Number(r.getAttribute('data-col')), r.getAttribute('aria-label') ?? ''] as const),
  );
  expect(cells).toHaveLength(168);
  let inBrush = 0;
  for (const [dow, col, label] of cells) {
    const n = Number(/: ([\d,]+) calls?$/.exec(label)![1]!.replaceAll(',', ''));
    if (brushed(dow, (col + OFFSET) % 24)) inBrush += n;
  }
  expect(inBrush).toBe(expected);
  // time series (shared d3 module): the days inside its brush, or every day without one
  const days = await page.locator('[data-testid="chart-time-series"] rect[role="option"]').evaluateAll((rects) =>
    rects.map((r) => [r.getAttribute('aria-selected') === 'true', r.getAttribute('aria-label') ?? ''] as const),
  );
  expect(days.length).toBeGreaterThan(28);
  const anyDay = days.some(([on]) => on);
  const daySum = days.filter(([on]) => !anyDay || on).reduce((s, [, label]) => s + Number(/: ([\d,]+) calls?$/.exec(label)![1]!.replaceAll(',', '')), 0);
  expect(daySum).toBe(expected);
  // area table (shared d3 module): the areas' calls, the "Outside any area" row included
  const areaSum = (await page.locator('[data-testid="chart-areas"] tbody tr td:nth-child(2)').allTextContents()).reduce((s, t) => s + num(t), 0);
  expect(areaSum).toBe(expected);
  return expected;
}

describe.skipIf(Boolean(skipBrowser) || Boolean(demoReason))('Dashboard journeys in Chromium', () => {
  let app: AppSession;
  const dialogs: string[] = [];
  beforeAll(async () => {
    app = await startApp();
    app.page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await waitForReady(app.page, 180_000);
  }, 240_000);
  afterAll(async () => {
    if (!app) return;
    const external = externalRequests(app.requests);
    // measured, not asserted (shared 2-core machine): reported for the dashboard issue
    console.info(`view refresh after an interaction (all charts + map positions), ms: ${viewTimings.join(', ')}`);
    if (app.consoleErrors.length > 0) console.info(`console errors:\n${app.consoleErrors.join('\n')}`);
    await app.close();
    expect(external).toEqual([]);
  });

  it('brush the heatmap, click a type, select on the map: every view agrees with SQL', async () => {
    const { page } = app;
    await screenshot(page, '10-dashboard-start');
    const all = await expectViewsAgree(page, 'TRUE');
    // The demo's tier map groups the call types: the tier headings add up to every call.
    const groups = await page.locator('[data-testid="chart-types"] .type-bars__group').allTextContents();
    expect(groups.length).toBeGreaterThan(1);
    expect(groups.reduce((s, t) => s + Number(/: ([\d,]+) calls?/.exec(t)![1]!.replaceAll(',', '')), 0)).toBe(all);

    // Brush Mon–Fri, 20:00–02:00 (the journey's night window) by dragging across the heatmap.
    let g = await generation(page);
    const heat = page.getByTestId('chart-hour-of-week');
    const cell = (dow: number, hour: number) => heat.locator(`rect[data-row="${dow}"][data-col="${(hour - OFFSET + 24) % 24}"]`);
    const from = (await cell(0, 20).boundingBox())!;
    const to = (await cell(4, 1).boundingBox())!;
    await page.mouse.move(from.x + 4, from.y + 4);
    await page.mouse.down();
    await page.mouse.move(from.x + 30, from.y + 20, { steps: 4 });
    await page.mouse.move(to.x + 4, to.y + 4, { steps: 6 });
    await page.mouse.up();
    await settledAfter(page, g);
    const hours = 'dow BETWEEN 0 AND 4 AND (hour >= 20 OR hour <= 1)';
    const inHours = (dow: number, hour: number) => dow <= 4 && (hour >= 20 || hour <= 1);
    const afterBrush = await expectViewsAgree(page, hours, inHours);
    expect(afterBrush).toBeGreaterThan(1000);
    // two clauses from one brush: weekdays and hours, each its own chip
    await expect(page.locator('.chip').allTextContents()).resolves.toEqual([expect.stringContaining('Mon, Tue, Wed, Thu, Fri'), expect.stringContaining('20:00–02:00')]);

    // Click the biggest call type (the shared d3 type bars filter by type code).
    g = await generation(page);
    const bar = page.locator('[data-testid="chart-types"] g[role="option"]').first();
    const code = (await bar.getAttribute('data-code'))!;
    const typeShown = num(/: ([\d,]+) calls?/.exec((await bar.getAttribute('aria-label')) ?? '')![1]!);
    await bar.locator('.type-bars__label').click();
    await settledAfter(page, g);
    const typeWhere = `${hours} AND type_code = '${code.replaceAll("'", "''")}'`;
    const afterType = await expectViewsAgree(page, typeWhere, inHours);
    expect(afterType).toBe(typeShown);
    await expect(page.locator(`[data-testid="chart-types"] g[role="option"][data-code="${code}"]`).getAttribute('aria-selected')).resolves.toBe('true');
    // the chip names the type by its text, next to the code
    const text = String((await page.evaluate(async (c) => (window as unknown as Win).__callsight.sql(`SELECT mode(type_text) AS t FROM calls WHERE type_code = '${c}'`), code))[0]!.t);
    await expect(page.locator('.chip__value', { hasText: text }).count()).resolves.toBe(1);

    // Select a rectangle on the map with the tool button (around the downtown hub).
    g = await generation(page);
    await page.getByRole('button', { name: 'Select rectangle' }).click();
    const a = await page.evaluate(() => (window as unknown as Win).__callsight.project(-89.615, 35.44));
    const b = await page.evaluate(() => (window as unknown as Win).__callsight.project(-89.585, 35.46));
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move(b.x, b.y, { steps: 8 });
    await page.mouse.up();
    await settledAfter(page, g);
    // the view is in the fragment (never sent to the host)
    expect(new URL(page.url()).search).toBe('');
    const bbox = new URLSearchParams(new URL(page.url()).hash.slice(1)).get('bbox')!.split(',').map(Number) as [number, number, number, number];
    expect(bbox[0]).toBeCloseTo(-89.615, 2);
    expect(bbox[3]).toBeCloseTo(35.46, 2);
    const boxWhere = `${typeWhere} AND lon BETWEEN ${bbox[0]} AND ${bbox[2]} AND lat BETWEEN ${bbox[1]} AND ${bbox[3]}`;
    const afterBox = await expectViewsAgree(page, boxWhere, inHours);
    expect(afterBox).toBeGreaterThan(0);
    expect(afterBox).toBeLessThan(afterType);
    expect(await page.locator('.chip').count()).toBe(4);

    // Lasso around the same hub instead: the drawn ring replaces the rectangle (one place
    // filter), and every view agrees with the calls a point-in-polygon test in Node finds in it.
    g = await generation(page);
    await page.getByRole('button', { name: 'Lasso' }).click();
    const corners: [number, number][] = [
      [-89.625, 35.436],
      [-89.582, 35.439],
      [-89.59, 35.468],
      [-89.618, 35.462],
    ];
    const px = [];
    for (const c of corners) px.push(await page.evaluate(([lon, lat]) => (window as unknown as Win).__callsight.project(lon, lat), c));
    await page.mouse.move(px[0]!.x, px[0]!.y);
    await page.mouse.down();
    for (const p of [...px.slice(1), px[0]!]) await page.mouse.move(p.x, p.y, { steps: 12 });
    await page.mouse.up();
    await settledAfter(page, g);
    // a string, so vitest does not rewrite the page's import() into its own loader
    const ring = (await page.evaluate(`(async () => {
      const { getSelection } = await import('/src/state/dashboard-store.ts');
      return getSelection().clauses().find((c) => c.spec.kind === 'polygon').spec.ring;
    })()`)) as [number, number][];
    expect(ring.length).toBeGreaterThan(20);
    const inside = (await (page.evaluate((q) => (window as unknown as Win).__callsight.sql(q), `SELECT call_id, lon, lat FROM calls WHERE ${typeWhere} AND lon IS NOT NULL`) as Promise<Record<string, unknown>[]>))
      .filter((r) => booleanPointInPolygon(point([Number(r.lon), Number(r.lat)]), polygon([[...ring, ring[0]!]])))
      .map((r) => `'${String(r.call_id).replaceAll("'", "''")}'`);
    expect(inside.length).toBeGreaterThan(0);
    const afterLasso = await expectViewsAgree(page, `${typeWhere} AND call_id IN (${inside.join(', ')})`, inHours);
    expect(afterLasso).toBe(inside.length);
    const chips = await page.locator('.chip').allTextContents();
    expect(chips).toHaveLength(4);
    expect(chips.at(-1)).toContain('drawn area');
    await screenshot(page, '11b-dashboard-lasso');
    await screenshot(page, '11-dashboard-filtered');

    // One-click removal of a filter: the rectangle goes, the count returns to the type+hours figure.
    g = await generation(page);
    await page.getByRole('button', { name: /Remove filter Place/ }).click();
    await settledAfter(page, g);
    expect(num(await page.getByTestId('matching-count').textContent())).toBe(afterType);

    // Playback by weeks: the first step filters the first 7 days, and every view follows.
    g = await generation(page);
    await page.getByRole('combobox', { name: 'Play through' }).selectOption('weeks');
    await page.getByRole('button', { name: 'Next week' }).click();
    await settledAfter(page, g);
    await expect(page.locator('.playback__hour').textContent()).resolves.toBe('week of 2026-06-29');
    await expectViewsAgree(page, `${typeWhere} AND received_at >= TIMESTAMP '2026-06-29' AND received_at < TIMESTAMP '2026-07-06'`, inHours);

    // With a period filtered, the area table ranks by change vs the week before when asked
    // (the second week: the first has no full week before it in the data).
    g = await generation(page);
    await page.getByRole('button', { name: 'Next week' }).click();
    await settledAfter(page, g);
    await expect(page.locator('.playback__hour').textContent()).resolves.toBe('week of 2026-07-06');
    const areas = page.getByTestId('chart-areas');
    await areas.locator('button[data-sort="change"]').click();
    await expect(areas.locator('th[aria-sort="descending"]').textContent()).resolves.toContain('Change');
    const pcts = (await areas.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? '')))
      .map((label) => /\(([+\u2212-]?\d+) %\)$/.exec(label)?.[1])
      .filter((v): v is string => v !== undefined)
      .map((v) => Number(v.replace('\u2212', '-')));
    expect(pcts.length).toBeGreaterThan(1);
    expect(pcts).toEqual([...pcts].sort((a, b) => b - a));
    await screenshot(page, '15-area-change-sorted');
    // The ranking fits the side panel: no sideways scrolling, with the change column shown.
    const scroll = areas.locator('.table-scroll');
    await scroll.scrollIntoViewIfNeeded();
    const fit = await scroll.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
    expect(fit.scrollWidth).toBeLessThanOrEqual(fit.clientWidth);
    await screenshot(page, '15-area-table', '[data-testid="chart-areas"]');
  }, 240_000);

  it('a shared link reopens the same view (filters, count, layers)', async () => {
    const { page } = app;
    const url = page.url();
    const chips = await page.locator('.chip').allTextContents();
    const count = await page.getByTestId('matching-count').textContent();
    const other = await page.context().newPage();
    try {
      await other.goto(url);
      await waitForReady(other, 180_000);
      await expect(other.locator('.chip').allTextContents()).resolves.toEqual(chips);
      await expect(other.getByTestId('matching-count').textContent()).resolves.toBe(count);
      expect(new URL(other.url()).hash).toBe(new URL(url).hash);
    } finally {
      await other.close();
    }
  }, 240_000);

  it('hot spots and the detail panel: statistics behind a cell, counts behind an area', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Clear all' }).click();
    await waitForReady(page);
    await page.getByRole('checkbox', { name: 'Hot spots (Gi*)' }).check();
    await page.waitForFunction(() => /significant cells of/.test(document.querySelector('[data-testid="hotspot-summary"]')?.textContent ?? ''), undefined, { timeout: 60_000 });
    await waitForReady(page);
    // the downtown hub sits in the busiest cells of the demo city: click there (stops hidden,
    // or the hub's own marker takes the click)
    await page.getByRole('checkbox', { name: 'Transit stops and hubs' }).uncheck();
    const hub = await page.evaluate(() => (window as unknown as Win).__callsight.project(-89.599559, 35.450362));
    await page.mouse.move(hub.x, hub.y);
    await page.mouse.click(hub.x, hub.y);
    const stats = page.getByTestId('cell-stats');
    await stats.waitFor({ timeout: 30_000 });
    await expect(stats.textContent()).resolves.toMatch(/Hot spot, 9\d % confidence.*Gi\* z\d+\.\d\d/s);
    await page.getByTestId('detail-total').waitFor();
    const total = num(await page.getByTestId('detail-total').textContent());
    expect(total).toBeGreaterThan(0);
    await expect(page.getByTestId('detail-panel').textContent()).resolves.toContain('Nearest transit hub');
    await screenshot(page, '12-hotspot-detail');
  }, 120_000);

  it('a hostile type name from the messy CSV renders as text in chart, table, detail and filter chip', async () => {
    const { page } = app;
    await page.getByTestId('file-input').first().setInputFiles(path.join(demoDir, 'calls-messy.csv'));
    const dialog = page.getByTestId('mapping-dialog');
    await dialog.waitFor({ state: 'visible', timeout: 90_000 });
    // the analyst's choice in the review: type text from `call_type` (detection may pick the code)
    await dialog.locator('#map-type_text').selectOption('call_type');
    await dialog.getByRole('button', { name: 'Import with this mapping' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="dataset-name"]')?.textContent?.includes('calls-messy.csv'), undefined, { timeout: 90_000 });
    await waitForReady(page, 120_000);
    // a rectangle around the one hostile call (44XX Mimosa St) makes its type one of few bars
    await page.getByRole('checkbox', { name: 'Hot spots (Gi*)' }).uncheck();
    const g = await generation(page);
    const a = await page.evaluate(() => (window as unknown as Win).__callsight.project(-89.6115, 35.4640));
    const b = await page.evaluate(() => (window as unknown as Win).__callsight.project(-89.6087, 35.4658));
    await page.keyboard.down('Shift');
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move(b.x, b.y, { steps: 6 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    await settledAfter(page, g);
    await page.getByRole('tab', { name: 'Charts' }).click();
    const hostileBar = page.locator('[data-testid="chart-types"] g[role="option"]', { hasText: HOSTILE.slice(0, 12) });
    await expect(hostileBar.count()).resolves.toBe(1);
    await expect(hostileBar.getAttribute('aria-label')).resolves.toContain(HOSTILE);
    await expect(hostileBar.locator('.type-bars__label').textContent()).resolves.toContain(HOSTILE.slice(0, 12));
    const hostileCode = (await hostileBar.getAttribute('data-code'))!;
    // table view of the same chart
    await page.locator('[data-testid="chart-types"] button', { hasText: 'Table' }).click();
    await expect(page.locator('[data-testid="chart-types"] tbody th', { hasText: HOSTILE }).count()).resolves.toBe(1);
    await page.locator('[data-testid="chart-types"] button', { hasText: 'Chart' }).click();
    // as a filter chip
    const g2 = await generation(page);
    await page.locator('[data-testid="chart-types"] g[role="option"]', { hasText: HOSTILE.slice(0, 12) }).locator('.type-bars__label').click();
    await settledAfter(page, g2);
    await expect(page.locator('.chip__value', { hasText: HOSTILE }).count()).resolves.toBe(1);
    // the type filter is by code: the hostile call's code within the rectangle
    const box = new URLSearchParams(new URL(page.url()).hash.slice(1)).get('bbox')!.split(',').map(Number);
    const inBox = `lon BETWEEN ${box[0]} AND ${box[2]} AND lat BETWEEN ${box[1]} AND ${box[3]}`;
    const hostileCount = await sqlCount(page, `type_code = '${hostileCode.replaceAll("'", "''")}' AND ${inBox}`);
    expect(hostileCount).toBeGreaterThan(0);
    expect(num(await page.getByTestId('matching-count').textContent())).toBe(hostileCount);
    // in the detail panel of its area (top types)
    const pt = await page.evaluate(() => (window as unknown as Win).__callsight.project(-89.61009, 35.464912));
    await page.mouse.click(pt.x, pt.y);
    await page.getByTestId('detail-types').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('detail-types').locator('th', { hasText: HOSTILE }).count()).resolves.toBe(1);
    // tooltips over the map carry data text too; hovering must not inject markup
    await page.mouse.move(pt.x + 1, pt.y + 1);
    await screenshot(page, '13-hostile-text');
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(dialogs).toEqual([]);
  }, 300_000);

  it('axe: no WCAG 2.2 AA violations on the main states', async () => {
    const { page } = app;
    await page.addScriptTag({ content: readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8') });
    const run = () =>
      page.evaluate(async () => {
        type V = { id: string; nodes: { target: string[] }[] };
        const axe = (window as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<{ violations: V[] }> } }).axe;
        const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'] }, resultTypes: ['violations'] });
        return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      });
    const states: Record<string, string[]> = {};
    states.detail = await run();
    for (const tab of ['Charts', 'Views', 'Data quality']) {
      await page.getByRole('tab', { name: tab }).click();
      states[tab] = await run();
      if (tab === 'Views') await screenshot(page, '14-views');
    }
    await page.getByRole('tab', { name: 'Charts' }).click();
    // the heatmap grid itself (roles, labels), then its table view
    states.heatmap = await run();
    await page.locator('[data-testid="chart-hour-of-week"] button', { hasText: 'Table' }).click();
    states.tables = await run();
    expect(states).toEqual({ detail: [], Charts: [], Views: [], 'Data quality': [], heatmap: [], tables: [] });
  }, 120_000);
});
