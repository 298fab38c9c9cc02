/**
 * The districts/beats overlay in the browser: the demo areas dissolved by their `district`
 * property, dropped as beats.geojson, appear as their own layer row, draw dashes on the map,
 * and a district named like an HTML tag shows in the hover tooltip as text.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dissolve, featureCollection, pointOnFeature } from '@turf/turf';
import type { Feature, FeatureCollection, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { e2eSkipReason, pixelsNear, REPO_ROOT, screenshot, useReadyApp, waitForReady } from './harness';

const skip = e2eSkipReason();
const XSS = '<img src=x onerror=alert(1)>';
type Win = { __callsight: { project(lon: number, lat: number): { x: number; y: number } } };

describe.skipIf(Boolean(skip))('districts/beats layer', () => {
  const session = useReadyApp();

  it('adds a districts file as its own dashed layer with text-only names', async () => {
    const { page } = session();
    const areas = JSON.parse(readFileSync(path.join(REPO_ROOT, 'data/demo/areas.geojson'), 'utf8')) as FeatureCollection<Polygon>;
    const polygons = featureCollection(areas.features.filter((f) => f.geometry.type === 'Polygon').map((f) => ({ ...f, properties: { district: String(f.properties?.district) } })));
    const districts = dissolve(polygons, { propertyName: 'district' }).features.map(
      (f, i): Feature => ({ ...f, properties: { name: i === 0 ? XSS : `District ${f.properties?.district}` } }),
    );
    expect(districts.length).toBeGreaterThan(1);
    // hot spots and clusters sit above the districts and would take the hover
    await page.getByLabel('Hot spots (Gi*)', { exact: true }).uncheck();
    await page.getByLabel('Repeat-report clusters', { exact: true }).uncheck();
    await waitForReady(page);
    const before = await screenshot(page, '60-districts-before', '[data-testid="map"]');

    await page.getByTestId('file-input').first().setInputFiles({ name: 'beats.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify({ type: 'FeatureCollection', features: districts })) });
    const row = page.getByTestId('districts-row');
    await row.waitFor({ timeout: 20_000 });
    expect(await row.textContent()).toContain(`${districts.length} from beats.geojson`);
    await waitForReady(page);
    const after = await screenshot(page, '60-districts-layer', '[data-testid="map"]');
    // black dashes: many more near-black pixels than before (labels add a few)
    expect(pixelsNear(after, [0, 0, 0], 40)).toBeGreaterThan(pixelsNear(before, [0, 0, 0], 40) + 500);

    const [lon, lat] = pointOnFeature(districts[0]!).geometry.coordinates as [number, number];
    const p = await page.evaluate(([x, y]) => (window as unknown as Win).__callsight.project(x, y), [lon, lat] as const);
    // on the label's right-hand glyphs (its middle sits on a transit hub's dot); deck.gl picks on
    // pointer moves, so a few small moves until the hover settles
    const tip = page.getByTestId('map-tooltip');
    const want = `District/beat: ${XSS}`;
    let text = '';
    for (let i = 0; i < 20 && text !== want; i++) {
      await page.mouse.move(p.x + (i % 2 ? 30 : 45), p.y); // project() gives page pixels
      await page.waitForTimeout(200);
      text = (await tip.count()) ? ((await tip.textContent()) ?? '') : '';
    }
    expect(text).toBe(want);
    expect(await page.locator('[data-testid="map-tooltip"] img').count()).toBe(0);

    // the toggle removes it from the map
    await row.getByRole('checkbox').uncheck();
    await waitForReady(page);
    const off = await screenshot(page, '60-districts-off', '[data-testid="map"]');
    expect(pixelsNear(off, [0, 0, 0], 40)).toBeLessThan(pixelsNear(after, [0, 0, 0], 40) - 500);
  }, 90_000);
});
