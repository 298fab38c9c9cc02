import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyExclusions, type ExclusionEntry } from '../../src/analysis/exclusions';
import { giStar } from '../../src/analysis/gi-star';
import { giStarCells, hotspotsPipeline, isHot } from '../../src/analysis/hotspots';
import { haversineMeters, localProjection } from '../../src/analysis/local-projection';
import { resolveParams } from '../../src/analysis/params';
import { distanceBand } from '../../src/analysis/weights';
import { importDataset } from '../../src/data/import-dataset';
import { loadAreas } from '../../src/data/load-geo';
import { fetchExclusionSummary } from '../../src/data/queries/analysed-calls';
import { fetchPointCounts, fetchSquareCellCounts, fetchSquareGridSpec } from '../../src/data/queries/cells';
import { toRows } from '../../src/data/rows';
import { sql } from '../../src/data/sql';
import { newOrleansDir, openTestDb, skipReason } from '../engine';
import { type DemoCity, demoReady, openDemoCity } from './demo-city';

const fixtures = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../fixtures/gi-star');
const nolaIn = JSON.parse(readFileSync(path.join(fixtures, 'in/nola-500m-band-1200.json'), 'utf8'));
const nolaOut = JSON.parse(readFileSync(path.join(fixtures, 'out/nola-500m-band-1200.json'), 'utf8'));
const nola = newOrleansDir();

function maxAbsDiff(a: ArrayLike<number>, b: readonly number[]): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe('hotspots pipeline vs R spdep', () => {
  it('reproduces localG z, p and p.adjust q on the committed NOLA 500 m fixture cells to 1e-9', () => {
    const gi = giStarCells(nolaIn.x, nolaIn.y, Float64Array.from(nolaIn.values), { kind: 'band', bandMeters: nolaIn.neighbours.radiusMeters });
    expect(gi.z.length).toBe(557);
    expect(maxAbsDiff(gi.z, nolaOut.z)).toBeLessThan(1e-9);
    expect(maxAbsDiff(gi.p, nolaOut.p)).toBeLessThan(1e-9);
    expect(maxAbsDiff(gi.q, nolaOut.q)).toBeLessThan(1e-9);
    expect(Array.from(gi.neighbourCounts)).toEqual(nolaOut.neighbours.map((l: number[]) => l.length));
  });

  it.skipIf(!nola)(`rebuilds those cells from the raw NOPD file through the calls table and the cells query ${skipReason('New Orleans data', nola) ?? ''}`, async () => {
    const db = await openTestDb();
    try {
      const dir = nola!;
      const areas = loadAreas({ name: 'nsa.geojson', bytes: new Uint8Array(readFileSync(path.join(dir, 'nola_neighborhood_statistical_areas.geojson'))) }).areas;
      await importDataset(db, [{ name: 'nopd.csv', bytes: new Uint8Array(readFileSync(path.join(dir, 'nopd_cfs_2022_rtcc_subset.csv'))) }], { areas });
      const points = await fetchPointCounts(db);
      // The fixture's binning (scripts/fixtures/nola-inputs.ts): UTM 15N, 500 m squares.
      const utm = localProjection(-90.07, 29.95);
      const cells = new Map<string, { x: number; y: number; n: number }>();
      for (let i = 0; i < points.lon.length; i++) {
        const [px, py] = utm.forward(points.lon[i]!, points.lat[i]!);
        const [cx, cy] = [Math.floor(px / 500), Math.floor(py / 500)];
        const c = cells.get(`${cx},${cy}`) ?? { x: (cx + 0.5) * 500, y: (cy + 0.5) * 500, n: 0 };
        c.n += points.counts[i]!;
        cells.set(`${cx},${cy}`, c);
      }
      const list = [...cells.values()].sort((a, b) => a.y - b.y || a.x - b.x);
      expect(list.map((c) => c.x)).toEqual(nolaIn.x);
      expect(list.map((c) => c.y)).toEqual(nolaIn.y);
      expect(list.map((c) => c.n)).toEqual(nolaIn.values);
      const gi = giStarCells(
        list.map((c) => c.x),
        list.map((c) => c.y),
        Float64Array.from(list, (c) => c.n),
        { kind: 'band', bandMeters: 1200 },
      );
      expect(maxAbsDiff(gi.z, nolaOut.z)).toBeLessThan(1e-9);
    } finally {
      await db.close();
    }
  }, 120_000);
});

describe.skipIf(!demoReady)('hotspots on the demo city', () => {
  let city: DemoCity;
  beforeAll(async () => {
    city = await openDemoCity();
  }, 180_000);
  afterAll(async () => city?.db.close());

  const params = resolveParams().hotspots;
  const run = async (where: ReturnType<typeof sql>, overrides: Partial<typeof params> = {}, exclusions: ExclusionEntry[] = []) => {
    const p = { ...params, ...overrides };
    const scope = { where, exclusions };
    const source = p.grid === 'square' ? await fetchSquareCellCounts(city.db, await fetchSquareGridSpec(city.db, p.cellMeters), scope) : { grid: 'h3' as const, ...(await fetchPointCounts(city.db, scope)) };
    return hotspotsPipeline({ source, params: p, region: city.areas.map((a) => a.geometry) });
  };
  const cellAt = (r: Awaited<ReturnType<typeof run>>, lon: number, lat: number) =>
    r.cells.reduce((best, c) => (haversineMeters(...c.center, lon, lat) < haversineMeters(...best.center, lon, lat) ? c : best));

  it('finds each planted pattern as a hot cell at 95 % under the filter an analyst would set', async () => {
    const { loiteringNearHub: hub, repeatNuisanceAddress: nuisance, emergingHotspot: emerging } = city.truth.patterns;
    const cases = [
      // night-time loitering at H1: its types, 20:00–02:00
      { name: 'hub loitering', centre: hub.center, where: sql`type_code IN ('LOIT', 'SUSP') AND (hour >= ${hub.startHour} OR hour < ${hub.endHour})` },
      { name: 'nuisance address', centre: nuisance.center, where: sql`type_code IN ('NOISE', 'DIST') AND hour >= ${nuisance.startHour}` },
      { name: 'emerging hotspot', centre: emerging.center, where: sql`type_code IN ('THEFT', 'VAND', 'SUSV')` },
    ];
    for (const c of cases) {
      const r = await run(c.where);
      const cell = cellAt(r, c.centre.lon, c.centre.lat);
      expect(haversineMeters(...cell.center, c.centre.lon, c.centre.lat), c.name).toBeLessThan(params.cellMeters);
      expect(isHot(cell, 95), `${c.name}: ${cell.id} z=${cell.z} q=${cell.q}`).toBe(true);
      // And not because everything is hot: most cells are not.
      expect(r.summary['hot-95'] + r.summary['hot-99']).toBeLessThan(r.summary.cells * 0.15);
    }
  }, 120_000);

  it('finds the hub loitering on H3 cells too, and echoes the resolution and band used', async () => {
    const hub = city.truth.patterns.loiteringNearHub;
    const r = await run(sql`type_code IN ('LOIT', 'SUSP') AND (hour >= 20 OR hour < 2)`, { grid: 'h3', cellMeters: 150 });
    expect(r.parameters.h3Resolution).toBe(9);
    const used = r.parameters.neighboursUsed;
    expect(used.kind === 'band' && used.bandMeters).toBeCloseTo(1.5 * Math.sqrt(3) * r.parameters.h3EdgeMeters!, 9);
    const cell = cellAt(r, hub.center.lon, hub.center.lat);
    expect(cell.id).toMatch(/^89/);
    expect(isHot(cell, 95)).toBe(true);
  }, 120_000);

  it('runs Gi* on every cell of the areas, zeros included, and matches Gi* computed by hand on that lattice', async () => {
    const where = sql`type_code = 'ROBB'`;
    const withZeros = await run(where);
    const occupied = await run(where, { studyArea: 'occupied' });
    expect(occupied.summary.emptyCells).toBe(0);
    expect(withZeros.summary.emptyCells).toBeGreaterThan(withZeros.summary.cells / 2);
    expect(withZeros.summary.calls).toBe(occupied.summary.calls);
    // Independent recomputation: project the centres, band of 1.5 cells, spdep-equivalent Gi*.
    const utm = localProjection(-89.6, 35.45);
    const xy = withZeros.cells.map((c) => utm.forward(...c.center));
    const ref = giStar(
      withZeros.cells.map((c) => c.count),
      distanceBand(
        xy.map((p) => p[0]),
        xy.map((p) => p[1]),
        375,
      ),
    );
    expect(maxAbsDiff(Float64Array.from(withZeros.cells, (c) => c.z), ref.map((r) => r.z))).toBeLessThan(1e-9);
    // Dropping zeros shifts the baseline: a busy cell's z differs between the two runs.
    const busiest = occupied.cells.reduce((a, b) => (b.count > a.count ? b : a));
    const same = withZeros.cells.find((c) => c.id === busiest.id)!;
    expect(Math.abs(same.z - busiest.z)).toBeGreaterThan(0.1);
  }, 120_000);

  it('applies the exclusion list before the statistic and reports counts per entry like applyExclusions', async () => {
    const nuisance = city.truth.patterns.repeatNuisanceAddress;
    const exclusions: ExclusionEntry[] = [
      { kind: 'point', id: 'x1', label: 'Delmar St problem address', lon: nuisance.center.lon, lat: nuisance.center.lat, radiusMeters: 40 },
      { kind: 'area', id: 'x2', label: 'Area A01', areaIds: ['A01'] },
    ];
    const where = sql`type_code IN ('NOISE', 'DIST') AND hour >= 19`;
    const summary = await fetchExclusionSummary(city.db, { where, exclusions });
    const rows = toRows(await city.db.query(sql`SELECT lon, lat, area_id AS "areaId" FROM calls WHERE ${where} AND lon IS NOT NULL AND lat IS NOT NULL`)) as { lon: number; lat: number; areaId: string }[];
    const js = applyExclusions(rows, exclusions);
    expect(summary.counts).toEqual(js.counts);
    expect(summary.analysed).toBe(js.kept.length);
    expect(summary.counts[0]!.excluded).toBeGreaterThanOrEqual(nuisance.observed.calls - 5);
    const r = await run(where, {}, exclusions);
    expect(r.summary.calls).toBe(js.kept.length);
    const cell = cellAt(r, nuisance.center.lon, nuisance.center.lat);
    expect(isHot(cell, 95)).toBe(false);
  }, 120_000);
});
