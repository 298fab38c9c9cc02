/**
 * Past one laptop, in the page: a demo-city archive prepared by scripts/prepare.ts is opened
 * as a folder (webkitdirectory), a month range is picked, and only those months load. The
 * loaded count must equal the manifest's rows for those months, the dashboard's SQL must agree,
 * and changing the range must replace the calls.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareArchive } from '../../scripts/prepare';
import { type ArchiveManifest, monthKey, parseArchiveManifest } from '../../src/data/archive-manifest';
import { type AppSession, e2eSkipReason, externalRequests, readState, REPO_ROOT, screenshot, startApp, waitForReady } from './harness';

const skipBrowser = e2eSkipReason();

describe.skipIf(Boolean(skipBrowser))('archive folder: load a date range', () => {
  let app: AppSession;
  let scratch: string;
  let outDir: string;
  let manifest: ArchiveManifest;
  beforeAll(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'callsight-archive-e2e-'));
    outDir = path.join(scratch, 'demo-archive');
    await prepareArchive({ inputs: [path.join(REPO_ROOT, 'data/demo/calls.parquet')], outDir, memoryLimit: '512MB', threads: 1 });
    manifest = parseArchiveManifest(readFileSync(path.join(outDir, 'manifest.json'), 'utf8'));
    app = await startApp();
    await waitForReady(app.page, 90_000);
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  const rowsOf = (from: string, to: string) => manifest.partitions.filter((p) => monthKey(p) >= from && monthKey(p) <= to).reduce((n, p) => n + p.rows, 0);
  const sql = (text: string) => app.page.evaluate((t) => window.__callsight!.sql!(t), text);

  async function loadRange(from: string, to: string, label: string): Promise<void> {
    const { page } = app;
    const dialog = page.getByTestId('archive-dialog');
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    await dialog.locator('#archive-from').selectOption(from);
    await dialog.locator('#archive-to').selectOption(to);
    await expect(dialog.getByTestId('archive-estimate').textContent()).resolves.toContain(`${rowsOf(from, to).toLocaleString('en-US')} calls`);
    await dialog.getByRole('button', { name: /^Load \d+ months?$/ }).click();
    await page.waitForFunction(
      ([n, f]) => window.__callsight?.ready === true && window.__callsight.counts.input === n && (document.querySelector('[data-testid="dataset-name"]')?.textContent ?? '').includes(f as string),
      [rowsOf(from, to), label] as const,
      { timeout: 90_000, polling: 100 },
    );
  }

  it('opens the folder, lists the months, loads Jul–Aug only: counts = manifest rows, SQL agrees; a new range re-loads', async () => {
    const { page } = app;
    await page.getByTestId('folder-input').first().setInputFiles(outDir);
    const dialog = page.getByTestId('archive-dialog');
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    // Every month with its calls, newest first; nothing has been read beyond the manifest yet.
    const months = await dialog.locator('[data-testid="archive-months"] tbody tr').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-month'), r.querySelectorAll('td')[0]!.textContent]));
    expect(months).toEqual([...manifest.partitions].reverse().map((p) => [monthKey(p), p.rows.toLocaleString('en-US')]));
    expect(await readState(page)).toMatchObject({ counts: { input: 50_301 } });
    await screenshot(page, 'archive-dialog', '[data-testid="archive-dialog"]');
    await page.addScriptTag({ content: readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8') });
    const violations = await page.evaluate(async () => {
      type Violation = { id: string; impact: string; nodes: { target: string[] }[] };
      const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: Violation[] }> } }).axe;
      const r = await axe.run(document.querySelector('[data-testid="archive-dialog"]'), { resultTypes: ['violations'] });
      return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    });
    expect(violations).toEqual([]);

    await loadRange('2026-07', '2026-08', 'demo-archive · Jul 2026 – Aug 2026');
    const expected = rowsOf('2026-07', '2026-08');
    const state = (await readState(page))!;
    expect(state.counts.input).toBe(expected);
    expect(state.counts.loaded! + state.counts.rejected!).toBe(expected);
    const [span] = await sql(`SELECT strftime(min(received_at), '%Y-%m') AS lo, strftime(max(received_at), '%Y-%m') AS hi, count(*)::INTEGER AS n FROM calls`);
    expect(span).toEqual({ lo: '2026-07', hi: '2026-08', n: state.counts.total });
    await page.waitForFunction((n) => document.querySelector('[data-testid="matching-count"]')?.textContent === n, state.counts.total!.toLocaleString('en-US'), { timeout: 30_000 });

    await page.getByTestId('quality-badge').click();
    await expect(page.getByTestId('q-archive-range').textContent()).resolves.toBe(`Jul 2026 → Aug 2026 (2 of 4 months, ${expected.toLocaleString('en-US')} of 50,301 rows in demo-archive)`);

    await page.getByTestId('archive-range-button').click();
    await loadRange('2026-09', '2026-09', 'demo-archive · Sep 2026');
    const [sep] = await sql(`SELECT count(DISTINCT strftime(received_at, '%Y-%m'))::INTEGER AS months, count(*)::INTEGER AS n FROM calls`);
    expect(sep).toEqual({ months: 1, n: (await readState(page))!.counts.total });
    expect((await readState(page))!.counts.input).toBe(manifest.partitions.at(-1)!.rows);
    expect(externalRequests(app.requests)).toEqual([]);
  }, 240_000);

  it('a folder whose manifest was tampered with is refused with a sentence; the loaded range stays', async () => {
    const { page } = app;
    const bad = path.join(scratch, 'tampered');
    cpSync(outDir, bad, { recursive: true });
    const m = JSON.parse(readFileSync(path.join(bad, 'manifest.json'), 'utf8')) as { partitions: { rows: number }[] };
    m.partitions[0]!.rows += 1;
    writeFileSync(path.join(bad, 'manifest.json'), JSON.stringify(m));
    const before = (await readState(page))!.counts;
    await page.getByTestId('folder-input').first().setInputFiles(bad);
    await page.waitForFunction(() => /tampered\/manifest\.json: says [\d,]+ rows but its months add up to/.test(document.querySelector('[role="alert"]')?.textContent ?? ''), undefined, { timeout: 30_000 });
    expect(await page.getByTestId('archive-dialog').count()).toBe(0);
    expect((await readState(page))!.counts).toEqual(before);
  }, 60_000);
});
