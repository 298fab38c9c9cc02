/**
 * The Plan tab in real Chromium on the demo city (journey 2): plan with two night units, the
 * numbered places on the map (hovered through deck.gl's own picking) match the list, a pinned plan
 * does not move when a dashboard filter changes while an unpinned one re-plans on it, the plan
 * JSON downloads and re-imports pinned, a plan file carrying markup in an address and a call type
 * renders it as text, the shift sheets print alone in print media, and axe finds no WCAG A/AA
 * violation in the tab.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppSession, e2eSkipReason, screenshot, startApp, waitForReady } from './harness';

const skip = e2eSkipReason();
const HOSTILE = '<img src=x onerror=alert(1)>';

type Stop = { placeId: string; unitId: string; number: number; position: [number, number]; name: string };
type Win = { __callsight: { viewGeneration: number; viewsSettled: boolean; project(lon: number, lat: number): { x: number; y: number } } };

/** The plan in the page's store, serialised as the export writes it (strings: vitest leaves the page imports alone). */
const planJson = (page: AppSession['page']) =>
  page.evaluate(`(async () => {
    const { getPlanState } = await import('/src/state/plan-store.ts');
    const { serializePlan } = await import('/src/export/plan-json.ts');
    const s = getPlanState();
    return s.plan ? serializePlan(s.plan) : null;
  })()`) as Promise<string | null>;
const layerStops = (page: AppSession['page']) =>
  page.evaluate(`(async () => {
    const { getPlanState } = await import('/src/state/plan-store.ts');
    const { rotationStops } = await import('/src/map/rotation-stops.ts');
    const s = getPlanState();
    return rotationStops(s.plan, s.shiftIndex);
  })()`) as Promise<Stop[]>;

describe.skipIf(skip !== null)('Plan tab (demo city)', () => {
  let app: AppSession;
  const dialogs: string[] = [];
  beforeAll(async () => {
    app = await startApp({ viewport: { width: 1440, height: 1000 } });
    app.page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await waitForReady(app.page, 120_000);
  }, 180_000);
  afterAll(async () => app?.close());

  it('plans, draws the numbered places, pins, exports, re-imports and prints shift sheets', async () => {
    const { page } = app;
    await page.getByRole('tab', { name: 'Plan' }).click();
    await page.getByRole('button', { name: 'Plan', exact: true }).waitFor({ timeout: 60_000 });
    await page.getByLabel('Units 23:00–07:00').fill('2');
    // The map checks below were written for the 28-day window set by hand; the data-chosen default is checked after the unpin.
    expect(await page.getByRole('combobox', { name: 'Evidence window' }).inputValue()).toBe('auto');
    await page.getByRole('combobox', { name: 'Evidence window' }).selectOption('set');
    const t0 = Date.now();
    await page.getByRole('button', { name: 'Plan', exact: true }).click();
    await page.getByTestId('plan-units').waitFor({ timeout: 120_000 });
    console.log(`planner e2e: first plan of the demo city (7 days x 3 shifts) shown ${Date.now() - t0} ms after the click`);
    await expect.poll(() => page.getByTestId('plan-status').textContent()).toMatch(/Built with no dashboard filter; it follows the filters/);
    await expect(page.getByTestId('plan-evidence-window').textContent()).resolves.toBe('Evidence window28 days, half-life 14 days, set by hand.');
    // H1 (night-time loitering at the downtown hub) is referred, judged on its night-shift calls.
    await expect(page.getByTestId('plan-referrals').textContent()).resolves.toMatch(/Patrol and refer to outreach: \d+\.\d % of \d+ calls in the 23:00–07:00 shift are referral matters; mostly LOITERING/);

    // The night shift: two units, each list in visit order equals the layer's numbered stops.
    const shiftSelect = page.getByRole('combobox', { name: 'Shift', exact: true });
    const nightValue = await shiftSelect.locator('option').evaluateAll((os) => (os as HTMLOptionElement[]).find((o) => o.textContent?.includes('23:00–07:00'))!.value);
    await shiftSelect.selectOption(nightValue);
    const stops = await layerStops(page);
    const units = [...new Set(stops.map((s) => s.unitId))];
    expect(units).toHaveLength(2);
    for (const unit of units) {
      const listed = await page.locator('.plan-unit', { has: page.locator('h4', { hasText: unit }) }).locator('li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-place-id')));
      expect(listed).toEqual(stops.filter((s) => s.unitId === unit).sort((a, b) => a.number - b.number).map((s) => s.placeId));
    }
    // What deck.gl drew: hover each place that is clear of the others and read its tooltip.
    await page.getByRole('checkbox', { name: 'Calls', exact: true }).uncheck();
    const points = await Promise.all(stops.map((s) => page.evaluate(([lon, lat]) => (window as unknown as Win).__callsight.project(lon, lat), s.position)));
    let hovered = 0;
    for (const [i, s] of stops.entries()) {
      const p = points[i]!;
      if (points.some((q, j) => j !== i && Math.hypot(q.x - p.x, q.y - p.y) < 26)) continue;
      await page.mouse.move(p.x, p.y);
      await expect.poll(() => page.getByTestId('map-tooltip').textContent(), { timeout: 5_000 }).toContain(`${s.unitId}, stop ${s.number}: ${s.name}`);
      hovered++;
    }
    expect(hovered).toBeGreaterThanOrEqual(2);
    // A click on a numbered place opens its explanation.
    const first = stops.findIndex((s, i) => !points.some((q, j) => j !== i && Math.hypot(q.x - points[i]!.x, q.y - points[i]!.y) < 26));
    await page.mouse.click(points[first]!.x, points[first]!.y);
    await expect.poll(() => page.getByTestId('plan-why').textContent()).toContain(stops[first]!.name);
    await expect(page.getByTestId('plan-why').textContent()).resolves.toMatch(/Gi\* z \/ FDR class.*calls in the last 21 days|Gi\* z \/ FDR class/s);
    await screenshot(page, 'planner-tab');
    // The tab with a plan: no WCAG 2.1 A/AA violations (the timeline has its table, controls their labels).
    await page.addScriptTag({ content: readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8') });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
      const r = await axe.run('#tab-panel', { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
      return r.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
    });
    expect(violations).toEqual([]);

    // Pinned: a dashboard filter does not change the plan.
    const planned = (await planJson(page))!;
    await page.getByRole('button', { name: 'Pin plan' }).click();
    const g = await page.evaluate(() => (window as unknown as Win).__callsight.viewGeneration);
    await page.evaluate(`(async () => {
      const { getDashboard, setFilters } = await import('/src/state/dashboard-store.ts');
      setFilters({ ...getDashboard().filters, areas: ['A17'] });
    })()`);
    await page.waitForFunction((before) => (window as unknown as Win).__callsight.viewGeneration > before && (window as unknown as Win).__callsight.viewsSettled, g, { timeout: 60_000 });
    await page.waitForTimeout(1_500);
    expect(await planJson(page)).toBe(planned);
    await expect(page.getByTestId('plan-status').textContent()).resolves.toMatch(/Pinned\. Built with no dashboard filter; the dashboard filters have changed since, the plan has not\./);
    // Unpinned, it follows the filter: every place now lies in area A17.
    await page.evaluate(`(async () => {
      const { setPlanForm } = await import('/src/state/plan-store.ts');
      setPlanForm({ evidenceWindow: 'auto' });
    })()`);
    await page.getByRole('button', { name: /Pinned \(unpin/ }).click();
    await expect.poll(async () => JSON.parse((await planJson(page)) ?? '{}').evidence?.calls, { timeout: 120_000 }).toBeLessThan(JSON.parse(planned).evidence.calls);
    const filtered = JSON.parse((await planJson(page))!);
    expect(new Set(filtered.places.map((p: { areaId: string }) => p.areaId))).toEqual(new Set(['A17']));
    // The data-chosen window (the form's default), scored on area A17's calls: the results show the four scores.
    expect(filtered.evidence.choice.scores).toHaveLength(4);
    await expect(page.getByTestId('plan-evidence-window').textContent()).resolves.toMatch(/^Evidence window\d+ days, .+, chosen from the data/);
    expect(await page.getByTestId('plan-evidence-window').locator('tbody tr').count()).toBe(4);
    await expect(page.getByTestId('plan-status').textContent()).resolves.toMatch(/Built with filters: (areas|Area:) [A-Z].*; it follows the filters/);

    // Export the plan JSON and re-import it: it comes back identical and pinned.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Plan JSON' }).click()]);
    const file = await download.path();
    const exported = readFileSync(file, 'utf8');
    expect(exported).toBe(await planJson(page));
    await page.getByTestId('plan-import').setInputFiles(file);
    await expect.poll(() => page.getByTestId('plan-status').textContent()).toMatch(/^Imported from .*pinned/);
    expect(await planJson(page)).toBe(exported);

    // A plan file from elsewhere with markup in an address and a call type: shown as text.
    const doctored = JSON.parse(exported);
    const placeId = doctored.shifts[0].units[0].placeIds[0];
    const place = doctored.places.find((p: { id: string }) => p.id === placeId);
    place.address = HOSTILE;
    place.topTypes[0].type = HOSTILE;
    place.why[1] = `${place.calls} calls in the last 28 days; mostly ${HOSTILE}.`;
    await page.getByTestId('plan-import').setInputFiles({ name: 'doctored.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doctored)) });
    await expect.poll(() => page.getByTestId('plan-status').textContent()).toContain('doctored.json');
    await page.getByRole('combobox', { name: 'Shift', exact: true }).selectOption({ index: 0 });
    await expect(page.getByTestId('plan-units').locator('.plan-stop__name', { hasText: HOSTILE }).count()).resolves.toBe(1);
    await page.getByTestId('plan-units').locator('.plan-stop__name', { hasText: HOSTILE }).click();
    await expect(page.getByTestId('plan-why').textContent()).resolves.toContain(`mostly ${HOSTILE}`);
    // A refused file leaves the plan and says why.
    await page.getByTestId('plan-import').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"version": 2}') });
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'broken.json' }).textContent()).toMatch(/broken\.json: The plan file is not in the expected shape: \$\.version should be one of 1\. Export the plan again/);
    await expect(page.getByTestId('plan-status').textContent()).resolves.toContain('doctored.json');

    // Shift sheets: one page per unit, alone on paper.
    await page.getByRole('button', { name: 'Shift sheets (print)' }).click();
    const sheets = page.getByTestId('shift-sheet');
    await expect(sheets.count()).resolves.toBe(doctored.shifts[0].units.length);
    expect(await page.getByRole('button', { name: 'Print', exact: true }).isVisible()).toBe(true);
    await expect(sheets.first().textContent()).resolves.toContain(HOSTILE);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.app').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Print', exact: true }).isVisible()).toBe(false);
    expect(await sheets.first().isVisible()).toBe(true);
    expect(await sheets.first().locator('svg.sheet__map circle').count()).toBe(doctored.shifts[0].units[0].placeIds.length);
    await screenshot(page, 'planner-shift-sheet-print');
    await page.emulateMedia({ media: 'screen' });
    // a week's print run: every day of this shift, one page per unit and day
    await page.getByRole('combobox', { name: /^Print/ }).selectOption('all');
    const perWeek = doctored.shifts.filter((x: { shiftId: string }) => x.shiftId === doctored.shifts[0].shiftId).reduce((a: number, x: { units: unknown[] }) => a + x.units.length, 0);
    expect(perWeek).toBeGreaterThan(doctored.shifts[0].units.length);
    await expect(sheets.count()).resolves.toBe(perWeek);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await page.getByRole('button', { name: 'Close' }).click();
    await screenshot(page, 'planner-map');
  }, 300_000);
});
