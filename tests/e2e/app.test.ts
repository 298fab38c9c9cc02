/**
 * Journeys 1 and 5 in a real Chromium against our own Vite server: the app opens offline on
 * the demo data, imports the real New Orleans log through the mapping review, refuses a
 * corrupt Parquet with a sentence while keeping the earlier dataset, and never sends a
 * request off the machine.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corporaDir, newOrleansDir } from '../engine';
import { type AppSession, e2eSkipReason, externalRequests, nonBackgroundPixels, pixelsNear, REPO_ROOT, readState, screenshot, startApp, waitForReady } from './harness';

const skipBrowser = e2eSkipReason();
const importerReason = existsSync(path.join(REPO_ROOT, 'src/data/import-dataset.ts'))
  ? null
  : 'src/data/import-dataset.ts has not landed yet; import journeys skip.';
const demoDir = path.join(REPO_ROOT, 'data/demo');
const demoReason = existsSync(path.join(demoDir, 'calls.parquet')) ? importerReason : 'data/demo not generated (npm run make-demo-data); demo checks skip.';
const nola = newOrleansDir();
const corrupt = corporaDir() ? path.join(corporaDir()!, 'parquet-testing/bad_data/PARQUET-1481.parquet') : null;
const gtfsReason = (dir: string | null) =>
  dir && existsSync(path.join(REPO_ROOT, 'src/data/load-gtfs.ts')) && existsSync(path.join(dir, 'norta_gtfs_2020/shapes.txt'));
for (const reason of [importerReason, demoReason, nola ? null : 'New Orleans data pack not found; NOLA import skips.']) if (reason) console.warn(reason);

describe.skipIf(Boolean(skipBrowser))('Callsight in Chromium', () => {
  let app: AppSession;
  beforeAll(async () => {
    app = await startApp();
    await waitForReady(app.page, 90_000);
  }, 120_000);
  afterAll(async () => {
    if (!app) return;
    // Checked last so it covers the whole run, including imports and their workers.
    const external = externalRequests(app.requests);
    await app.close();
    expect(external).toEqual([]);
  });

  it('opens offline: shell, readiness, keyboard path, no serious accessibility violations', async () => {
    const { page } = app;
    await expect(page.locator('.brand__name').textContent()).resolves.toBe('Callsight');
    // The skip link is the first tab stop and moves focus to the side panel.
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toMatch(/Skip to side panel/);
    await page.keyboard.press('Enter');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('side-panel');

    await page.addScriptTag({ content: readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8') });
    const violations = await page.evaluate(async () => {
      type Violation = { id: string; impact: string; nodes: { target: string[] }[] };
      const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: Violation[] }> } }).axe;
      const r = await axe.run(document, { resultTypes: ['violations'] });
      return r.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    });
    expect(violations).toEqual([]);
    expect(app.requests.some((u) => u.includes('duckdb') && u.endsWith('.wasm'))).toBe(true);
    await screenshot(page, '01-start');
  });

  it.skipIf(Boolean(demoReason))('shows the demo dataset: badge count from truth.json, a drawn map', async () => {
    const { page } = app;
    const truth = JSON.parse(readFileSync(path.join(demoDir, 'truth.json'), 'utf8')) as Record<string, unknown>;
    const state = (await readState(page))!;
    expect(state.phase).toBe('ready');
    const rows = truth.rows as { parquetRows: number; distinctIncidents: number };
    // loaded counts rows (duplicates included, as for NOLA); the map's "of N" counts distinct calls
    const expectedLoaded = rows.parquetRows;
    expect(state.counts.loaded).toBe(expectedLoaded);
    expect(state.counts.total).toBe(rows.distinctIncidents);
    expect(state.counts.shown).toBeGreaterThan(0.9 * rows.distinctIncidents);
    expect(state.counts.shown).toBeLessThanOrEqual(rows.distinctIncidents);
    expect(['points', 'density']).toContain(state.callsMode);
    await expect(page.getByTestId('badge-loaded').textContent()).resolves.toBe(expectedLoaded.toLocaleString('en-US'));
    const png = await screenshot(page, '02-demo-map', '.map-area');
    const { count, total } = nonBackgroundPixels(png);
    expect(count / total).toBeGreaterThan(0.05);
    await screenshot(page, '02-demo-full');
  });

  it.skipIf(Boolean(importerReason) || !nola)('imports the New Orleans CSV through the mapping review and reports its defects', async () => {
    const { page } = app;
    await page.getByTestId('file-input').first().setInputFiles(path.join(nola!, 'nopd_cfs_2022_rtcc_subset.csv'));
    const dialog = page.getByTestId('mapping-dialog');
    await dialog.waitFor({ state: 'visible', timeout: 60_000 });
    await expect(dialog.locator('#map-call_id').inputValue()).resolves.toBe('item_number');
    await expect(dialog.locator('#map-received_at').inputValue()).resolves.toBe('TimeCreate');
    await screenshot(page, '03-mapping-dialog');
    await dialog.getByRole('button', { name: 'Import with this mapping' }).click();
    await page.waitForFunction(() => (window as unknown as { __callsight?: { counts: { input: number } } }).__callsight?.counts.input === 7476, undefined, {
      timeout: 90_000,
    });
    await waitForReady(page);
    // the quality report is one tab of the side panel; the header badge opens it too
    await page.getByTestId('quality-badge').click();
    await expect(page.getByTestId('q-input').textContent()).resolves.toBe('7,476');
    await expect(page.getByTestId('q-duplicates').textContent()).resolves.toBe('948');
    // The data pack: 237 rows at POINT (0 0) = 202 distinct items; location figures count
    // distinct calls after de-duplication (6,528), as the panel heading says.
    await expect(page.getByTestId('q-geo-unusable').textContent()).resolves.toBe('202 calls (237 rows)');
    // The demo city's areas were loaded; New Orleans is not in them, and the app says so.
    await expect(page.getByRole('alert').locator('p').textContent()).resolves.toContain('These calls are not inside the loaded areas (Demo city).');
    await expect(page.getByTestId('shown-count').textContent()).resolves.toBe('6,326 calls shown of 6,528');
    await expect(page.getByTestId('dataset-name').textContent()).resolves.toContain('nopd_cfs_2022_rtcc_subset.csv');
    const png = await screenshot(page, '04-nola-import');
    // calls are drawn: the Okabe–Ito blue of the points (or the density ramp) is on screen
    const map = await screenshot(page, '04-nola-map', '.map-area');
    expect(pixelsNear(map, [0, 114, 178], 45) + nonBackgroundPixels(map).count).toBeGreaterThan(2000);
    expect(png.length).toBeGreaterThan(0);
  }, 150_000);

  it.skipIf(!gtfsReason(nola))('draws an uploaded GTFS feed (routes and stops) on the offline basemap', async () => {
    const { page } = app;
    const feed = path.join(nola!, 'norta_gtfs_2020');
    await page.getByTestId('file-input').first().setInputFiles(['stops.txt', 'routes.txt', 'trips.txt', 'shapes.txt'].map((f) => path.join(feed, f)));
    await page.waitForFunction(() => document.querySelector('.layer-panel')?.textContent?.includes('Transit stops'), undefined, { timeout: 30_000 });
    await waitForReady(page);
    const png = await screenshot(page, '03-gtfs-map', '.map-area');
    // 109 dashed route shapes across the city: well over 1 % of the map's pixels
    const { count, total } = nonBackgroundPixels(png);
    expect(count / total).toBeGreaterThan(0.01);
  });

  it.skipIf(!corrupt || !existsSync(corrupt ?? ''))('refuses a corrupt Parquet with a sentence and keeps the earlier dataset', async () => {
    const { page } = app;
    const before = await readState(page);
    const badgeBefore = await page.getByTestId('dataset-name').textContent();
    await page.getByTestId('file-input').first().setInputFiles(corrupt!);
    const alert = page.getByRole('alert');
    await page.waitForFunction(() => document.querySelector('[role="alert"] p')?.textContent, undefined, { timeout: 60_000 });
    const message = (await alert.locator('p').textContent()) ?? '';
    expect(message).toContain('PARQUET-1481.parquet');
    if (before?.counts.loaded) expect(message).toMatch(/previous dataset is still loaded/);
    expect(message).toMatch(/Re-export|export it as CSV|try again/);
    expect(message).not.toMatch(/^\s*(Error|TypeError|RuntimeError)\b|\n\s+at /);
    await waitForReady(page);
    const after = await readState(page);
    expect(after?.counts).toEqual(before?.counts);
    await expect(page.getByTestId('dataset-name').textContent()).resolves.toBe(badgeBefore);
    await screenshot(page, '05-corrupt-parquet');
    // still usable: settings open and close from the keyboard, the alert dismisses
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('dialog', { name: 'Settings' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Dismiss message' }).click();
    await expect(alert.locator('p').count()).resolves.toBe(0);
  });
});
