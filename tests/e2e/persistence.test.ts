/**
 * Issue #9 "nothing lost", in Chromium with a persistent profile (OPFS and localStorage
 * survive page reloads within it): a file larger than the tab can hold is refused unread and
 * the demo keeps answering queries; an imported call log comes back after a reload without
 * the file; a reload in the middle of the next import restores the previous dataset intact;
 * the tier map, saved views, settings and briefing text persist; Settings can forget the cache.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDataset } from '../../scripts/bench/generate';
import { type AppSession, e2eSkipReason, externalRequests, REPO_ROOT, readState, startApp, waitForReady } from './harness';

const skipBrowser = e2eSkipReason();
const SAMPLE = path.join(REPO_ROOT, 'data/demo/calls-sample.csv');

type Win = { __callsight: { sql(text: string): Promise<Record<string, unknown>[]>; viewGeneration: number; viewsSettled: boolean } };

const sqlCount = async (page: Page, where = 'true') =>
  page.evaluate(async (w) => Number((await (window as unknown as Win).__callsight.sql(`SELECT count(*) AS n FROM calls WHERE ${w}`))[0]!.n), where);

/** The manifest the app keeps in OPFS, read by the page itself (null when there is none). */
async function cachedManifest(page: Page): Promise<{ datasetName: string; rows: number } | null> {
  return page.evaluate(async () => {
    try {
      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('callsight-dataset-cache');
      return JSON.parse(await (await (await dir.getFileHandle('manifest.json')).getFile()).text());
    } catch {
      return null;
    }
  });
}

async function importThroughReview(page: Page, file: string): Promise<void> {
  await page.getByTestId('file-input').first().setInputFiles(file);
  const dialog = page.getByTestId('mapping-dialog');
  await dialog.waitFor({ state: 'visible', timeout: 60_000 });
  await dialog.getByRole('button', { name: 'Import with this mapping' }).click();
}

async function waitForDataset(page: Page, name: string, timeoutMs = 90_000): Promise<void> {
  await page
    .waitForFunction(
      (n) => (window as unknown as { __callsight?: { ready: boolean } }).__callsight?.ready === true && (document.querySelector('[data-testid="dataset-name"]')?.textContent ?? '').includes(n),
      name,
      { timeout: timeoutMs, polling: 100 },
    )
    .catch(async (e) => {
      // What the page was doing, for whoever reads the failure.
      const { sql: _, ...state } = ((await readState(page)) ?? {}) as Record<string, unknown>;
      const shown = await page.evaluate(() => ['dataset-name', 'alert', 'notice'].map((id) => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? ''));
      throw new Error(`${(e as Error).message}\nstate ${JSON.stringify(state)}\npage ${JSON.stringify(shown)}`);
    });
}

describe.skipIf(Boolean(skipBrowser))('nothing lost across reloads', () => {
  let app: AppSession;
  let scratch: string;
  /** 100k calls (~20 MB): an import long enough (~15 s) to reload in the middle of */
  let bigCsv: string;
  beforeAll(async () => {
    // Seeded and cached outside the repo (~/.cache/callsight-bench), shared with import-large.
    bigCsv = (await ensureDataset(100_000)).csv;
    scratch = mkdtempSync(path.join(tmpdir(), 'callsight-persistence-'));
    app = await startApp();
    await waitForReady(app.page, 90_000);
  }, 120_000);
  afterAll(async () => {
    if (!app) return;
    const external = externalRequests(app.requests);
    await app.close();
    rmSync(scratch, { recursive: true, force: true });
    expect(external).toEqual([]);
  });

  it('refuses a 6 GB CSV without reading it; the demo still answers filtered queries', async () => {
    const { page } = app;
    const before = (await readState(page))!;
    const julyBefore = await sqlCount(page, `received_at >= TIMESTAMP '2026-07-01' AND received_at < TIMESTAMP '2026-08-01'`);
    const busiest = await page.evaluate(async () => {
      const [r] = await (window as unknown as Win).__callsight.sql('SELECT type_code AS code, count(*) AS n FROM calls GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1');
      return { code: String(r!.code), n: Number(r!.n) };
    });
    expect(julyBefore).toBeGreaterThan(0);
    const huge = path.join(scratch, 'calls-2015-2024.csv');
    // Sparse: 6 GiB of size, no blocks on disk. Reading it would take the tab down.
    execFileSync('truncate', ['-s', '6G', huge]);
    expect(statSync(huge).size).toBe(6 * 1024 ** 3);
    const t0 = performance.now();
    await page.getByTestId('file-input').first().setInputFiles(huge);
    await page.waitForFunction(() => document.querySelector('[role="alert"] p')?.textContent?.includes('calls-2015-2024.csv'), undefined, { timeout: 20_000 });
    const refusedMs = performance.now() - t0;
    const message = (await page.getByRole('alert').locator('p').textContent()) ?? '';
    expect(message).toMatch(/^calls-2015-2024\.csv is 6\.4 GB, more than this browser tab can load as CSV \(up to about [\d,]+ MB here/);
    expect(message).toContain('The file was not read.');
    expect(message).toContain('npm run prepare-archive');
    expect(message).toContain('the previous dataset is still loaded');
    expect(refusedMs).toBeLessThan(10_000);
    // Same dataset, same counts, and the engine still answers a filter: the demo's planted
    // truth (truth.json) for the whole set and for a time window, plus the busiest type.
    const after = await waitForReady(page, 30_000);
    expect(after.counts).toEqual(before.counts);
    const truth = JSON.parse(readFileSync(path.join(REPO_ROOT, 'data/demo/truth.json'), 'utf8')) as { rows: { distinctIncidents: number; missingCoordinateRows: number } };
    expect(await sqlCount(page)).toBe(truth.rows.distinctIncidents);
    expect(await sqlCount(page, `received_at >= TIMESTAMP '2026-07-01' AND received_at < TIMESTAMP '2026-08-01'`)).toBe(julyBefore);
    expect(await sqlCount(page, `type_code = '${busiest.code.replaceAll("'", "''")}'`)).toBe(busiest.n);
    // The demo is not kept in browser storage: only the analyst's own imports are.
    expect(await cachedManifest(page)).toBeNull();
  }, 120_000);

  it('an imported call log comes back after a reload, without choosing the file again', async () => {
    const { page } = app;
    await importThroughReview(page, SAMPLE);
    await waitForDataset(page, 'calls-sample.csv');
    const imported = (await readState(page))!;
    expect(imported.counts.input).toBe(2000);
    // The copy is written after the import: wait for its manifest (polled from the test, since
    // waitForFunction does not await an async predicate).
    await expect.poll(async () => (await cachedManifest(page))?.datasetName ?? null, { timeout: 60_000, interval: 250 }).toBe('calls-sample.csv');
    const distinct = await sqlCount(page);
    const byType = await page.evaluate(async () => (window as unknown as Win).__callsight.sql('SELECT type_code, count(*) AS n, min(received_at) AS first FROM calls GROUP BY 1 ORDER BY 1'));

    const t0 = performance.now();
    await page.reload();
    await waitForDataset(page, 'calls-sample.csv');
    const restoredMs = performance.now() - t0;
    const restored = (await readState(page))!;
    console.log(`persistence: calls-sample.csv (${distinct} calls) restored from OPFS ${(restoredMs / 1000).toFixed(1)} s after the reload`);
    expect(restored.counts).toEqual(imported.counts);
    expect(await sqlCount(page)).toBe(distinct);
    await expect(page.evaluate(async () => (window as unknown as Win).__callsight.sql('SELECT type_code, count(*) AS n, min(received_at) AS first FROM calls GROUP BY 1 ORDER BY 1'))).resolves.toEqual(byType);
    await expect(page.getByTestId('notice').textContent()).resolves.toMatch(/Restored from this browser's storage, loaded .*calls-sample\.csv/);
    await expect(page.getByTestId('restored-note').textContent()).resolves.toMatch(/^Restored from this browser's storage, loaded \d/);
    await page.getByTestId('quality-badge').click();
    await expect(page.getByTestId('q-input').textContent()).resolves.toBe('2,000');
    await expect(page.getByTestId('restored-note-panel').textContent()).resolves.toContain('the file was not read again');
  }, 180_000);

  it('a reload in the middle of the next import restores the previous dataset; tier map, views, settings and briefing text persist', async () => {
    const { page } = app;
    // Per-dataset state the analyst built: a tier edited in the Triage tab, a saved view, a briefing title.
    await page.getByRole('tab', { name: 'Triage' }).click();
    const tierSelect = page.locator('select[aria-label^="Tier for "]').first();
    await tierSelect.waitFor({ timeout: 60_000 });
    const tierLabel = (await tierSelect.getAttribute('aria-label'))!;
    const newTier = (await tierSelect.inputValue()) === '3' ? '2' : '3';
    await tierSelect.selectOption(newTier);
    await page.getByRole('tab', { name: 'Views' }).click();
    await page.getByPlaceholder('e.g. Downtown nights, disorder').fill('Night shift check');
    await page.getByRole('button', { name: 'Save view' }).click();
    await page.getByRole('button', { name: 'Publish briefing' }).click();
    await page.getByRole('dialog', { name: 'Publish council briefing' }).waitFor({ timeout: 30_000 }).catch(async (e) => {
      await page.screenshot({ path: path.join(scratch, '..', 'persistence-publish.png') });
      throw e;
    });
    const title = page.getByRole('dialog').getByLabel('Title');
    await title.fill('Q3 briefing <b>draft</b>');
    await page.getByRole('dialog').getByLabel('Paragraph 1').fill('Calls rose near the transit hub.');
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
    await page.evaluate(() => localStorage.setItem('callsight.settings.v1', JSON.stringify({ tileStyleUrl: null })));
    const storageBefore = await page.evaluate(() => Object.fromEntries(Object.keys(localStorage).map((k) => [k, localStorage.getItem(k)])));
    const countsBefore = (await readState(page))!.counts;

    // Start a second import and reload while it runs.
    await importThroughReview(page, bigCsv);
    await page.waitForFunction(() => (window as unknown as { __callsight?: { phase: string } }).__callsight?.phase === 'importing', undefined, { timeout: 30_000, polling: 20 });
    expect((await readState(page))!.phase).toBe('importing');
    await page.reload();
    await waitForDataset(page, 'calls-sample.csv');
    expect((await readState(page))!.counts).toEqual(countsBefore);
    expect(await cachedManifest(page)).toMatchObject({ datasetName: 'calls-sample.csv' });

    const storageAfter = await page.evaluate(() => Object.fromEntries(Object.keys(localStorage).map((k) => [k, localStorage.getItem(k)])));
    expect(storageAfter).toEqual(storageBefore);
    await page.getByRole('tab', { name: 'Triage' }).click();
    await expect(page.locator(`select[aria-label="${tierLabel}"]`).inputValue({ timeout: 60_000 })).resolves.toBe(newTier);
    await page.getByRole('tab', { name: 'Views' }).click();
    await expect(page.getByRole('button', { name: 'Night shift check', exact: true }).count()).resolves.toBe(1);
    await page.getByRole('button', { name: 'Publish briefing' }).click();
    await expect(page.getByRole('dialog').getByLabel('Title').inputValue()).resolves.toBe('Q3 briefing <b>draft</b>');
    await expect(page.getByRole('dialog').getByLabel('Paragraph 1').inputValue()).resolves.toBe('Calls rose near the transit hub.');
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
  }, 240_000);

  it('Settings → Forget cached dataset: the next reload opens the demo', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByTestId('cached-dataset').textContent()).resolves.toMatch(/^calls-sample\.csv: [\d,]+ calls, \d+ MB, kept /);
    await page.getByRole('button', { name: 'Forget cached dataset' }).click();
    await page.getByTestId('cached-dataset').filter({ hasText: /^Removed\./ }).waitFor({ timeout: 30_000 });
    expect(await cachedManifest(page)).toBeNull();
    await expect(page.getByTestId('restored-note').count()).resolves.toBe(0);
    await page.reload();
    await waitForReady(page, 90_000);
    await expect(page.getByTestId('dataset-name').textContent()).resolves.not.toContain('calls-sample.csv');
  }, 120_000);
});
