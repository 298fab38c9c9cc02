/**
 * The Triage tab in real Chromium on the demo city: the planted under-triage band (initial
 * NOISE → Level 3, 22:00–02:00) is listed, the under-triage total equals a SQL count run in the
 * page on the same DuckDB, the tab has no WCAG 2 A/AA axe violations, and a screenshot is saved.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type AppSession, e2eSkipReason, REPO_ROOT, screenshot, useReadyApp } from './harness';

const skip = e2eSkipReason();
const truth = JSON.parse(readFileSync(path.join(REPO_ROOT, 'data/demo/truth.json'), 'utf8'));

/** First cell of a query run in the page on the app's own DuckDB (a string, so vitest leaves the import alone). */
async function sqlInPage(page: AppSession['page'], query: string): Promise<number | string> {
  return page.evaluate(`(async () => {
    const { getDb } = await import('/src/state/db.ts');
    const t = await (await getDb()).query(${JSON.stringify(query)});
    const v = t.getChildAt(0).get(0);
    return typeof v === 'bigint' ? Number(v) : v;
  })()`) as Promise<number | string>;
}
const num = (t: string | null) => Number((t ?? '').replace(/[^\d]/g, ''));

describe.skipIf(skip !== null)('Triage tab (demo city)', () => {
  const session = useReadyApp({ viewport: { width: 1440, height: 1000 }, readyMs: 120_000 });

  it('shows the planted band, a count equal to SQL in the page, no axe violations', async () => {
    const { page } = session();
    await page.getByRole('tab', { name: 'Triage' }).click();
    await page.getByTestId('under-triage-count').waitFor({ timeout: 120_000 });
    const bands = page.getByRole('table', { name: 'Hour bands by initial type' });
    const first = bands.locator('tbody tr').first();
    const cells = await first.locator('td').allInnerTexts();
    const u = truth.patterns.underTriage;
    expect(cells[0]).toBe(u.initialType);
    expect(cells[1]).toBe(`${String(u.startHour).padStart(2, '0')}:00–${String(u.endHour).padStart(2, '0')}:00`);
    expect(Number(cells[2]!.replace(/,/g, ''))).toBe(u.observed.inBand);

    // Independent count in the page: NOISE entered, SHOTS ended, in the band, straight from `calls`.
    // A string, so vitest does not rewrite the dynamic import meant for the page's Vite server.
    const inPage = Number(
      await page.evaluate(`(async () => {
        const { getDb } = await import('/src/state/db.ts');
        const db = await getDb();
        const t = await db.query("SELECT count(*)::INTEGER AS n FROM calls WHERE upper(trim(initial_type_code)) = 'NOISE' AND upper(trim(type_code)) = 'SHOTS' AND (hour >= 22 OR hour < 2)");
        return Number(t.getChildAt(0).get(0));
      })()`),
    );
    const shownBand = Number(cells[2]!.replace(/,/g, ''));
    expect(shownBand).toBe(inPage);

    // Cross-filtered: with the dashboard filtered to one call type, the tier mix by area (every
    // filtered call, once) must add up to that type's calls in SQL, not to all calls.
    const mixTotal = () =>
      page.evaluate(() => {
        const table = [...document.querySelectorAll('table')].find((t) => t.querySelector('caption')?.textContent === 'Calls by area and tier');
        if (!table) return null;
        return [...table.querySelectorAll('tbody tr')].reduce((sum, tr) => sum + [...tr.querySelectorAll('td')].reduce((s, td) => s + (Number((td.textContent ?? '').replace(/,/g, '')) || 0), 0), 0);
      });
    const unfiltered = await mixTotal();
    expect(unfiltered).toBe(await sqlInPage(page, 'SELECT count(*)::INTEGER FROM calls'));
    const shotsText = String(await sqlInPage(page, "SELECT mode(type_text) FROM calls WHERE upper(trim(type_code)) = 'SHOTS'"));
    // SHOTS is not among the top type bars, so the type filter is set through the page's own store.
    await page.evaluate(`(async () => {
      const { getDashboard, setFilters } = await import('/src/state/dashboard-store.ts');
      setFilters({ ...getDashboard().filters, types: [${JSON.stringify(shotsText)}] });
    })()`);
    await expect.poll(mixTotal, { timeout: 60_000 }).not.toBe(unfiltered);
    const shots = await sqlInPage(page, `SELECT count(*)::INTEGER FROM calls WHERE type_text = '${shotsText.replace(/'/g, "''")}'`);
    expect(shots).toBeGreaterThan(0);
    expect(await mixTotal()).toBe(shots);
    expect(num(await page.getByTestId('matching-count').textContent())).toBe(shots);
    await page.getByRole('button', { name: /Remove filter Type/ }).click();
    await expect.poll(mixTotal, { timeout: 60_000 }).toBe(unfiltered);

    await page.addScriptTag({ content: readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8') });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
      const r = await axe.run('#tab-panel', { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
      return r.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
    });
    expect(violations).toEqual([]);
    const png = await screenshot(page, 'triage-tab');
    expect(png.length).toBeGreaterThan(10_000);
  }, 300_000);
});
