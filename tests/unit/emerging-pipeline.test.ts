/**
 * Emerging hot spots on the demo city. The planted hotspot (truth.json) has weekly counts
 * 2,0,1,2,2,4,1,1,3 then 14,18,21,27. Under ESRI's rules a location hot in only the last four
 * of 13 weeks, and never before, is CONSECUTIVE: a single run of ≥ 2 hot steps ending at the
 * last step with nothing hot earlier and H = 4/13 < 90 %. It is not NEW (that needs the final
 * step to be the first hot one) and not INTENSIFYING (that needs ≥ 90 % of steps hot).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyEmerging } from '../../src/analysis/emerging';
import { emergingPipeline } from '../../src/analysis/emerging-pipeline';
import { haversineMeters } from '../../src/analysis/local-projection';
import { resolveParams } from '../../src/analysis/params';
import { fetchSquareGridSpec } from '../../src/data/queries/cells';
import { fetchCube } from '../../src/data/queries/cube';
import { toRows } from '../../src/data/rows';
import { sql } from '../../src/data/sql';
import { type DemoCity, demoReady, openDemoCity } from './demo-city';

describe('ESRI rules on the planted series', () => {
  it('hot in the last 4 of 13 weeks only is consecutive, whatever the trend', () => {
    const hot = [...new Array(9).fill(false), true, true, true, true];
    const cold = new Array(13).fill(false);
    expect(classifyEmerging(hot, cold, { p: 0.001, S: 40 })).toBe('consecutive-hot');
    expect(classifyEmerging(hot, cold, { p: 0.5, S: 4 })).toBe('consecutive-hot');
  });
});

describe.skipIf(!demoReady)('emerging pipeline on the demo city', () => {
  let city: DemoCity;
  beforeAll(async () => {
    city = await openDemoCity();
  }, 180_000);
  afterAll(async () => city?.db.close());

  const params = resolveParams();
  const where = sql`type_code IN ('THEFT', 'VAND', 'SUSV')`;

  it('builds 13 complete weeks ending on the last day and labels the planted cells consecutive hot', async () => {
    const spec = await fetchSquareGridSpec(city.db, params.hotspots.cellMeters);
    const cube = await fetchCube(city.db, { kind: 'square', spec }, 'week', { where });
    expect(cube.steps).toEqual({ stepDays: 7, nSteps: 13, firstDay: city.truth.period.start, lastDay: city.truth.period.end });
    const r = await emergingPipeline({ cube, hotspots: params.hotspots, params: params.emerging });
    expect(r.steps.starts[9]).toBe('2026-08-31');
    const e = city.truth.patterns.emergingHotspot;
    const planted = r.cells.filter((c) => haversineMeters(...c.center, e.center.lon, e.center.lat) < e.radiusMeters + 125 * Math.SQRT2);
    expect(planted.length).toBeGreaterThan(0);
    // The cells covering the planted disc carry the planted surge (plus background calls).
    const sum = (t: number) => planted.reduce((a, c) => a + c.counts[t]!, 0);
    for (const [t, w] of [9, 10, 11, 12].entries()) expect(sum(w)).toBeGreaterThanOrEqual(e.observedPerWeek[9 + t]);
    const centre = planted.reduce((a, c) => (haversineMeters(...c.center, e.center.lon, e.center.lat) < haversineMeters(...a.center, e.center.lon, e.center.lat) ? c : a));
    expect(centre.category, `${centre.id} ${centre.counts}`).toBe('consecutive-hot');
    expect(centre.hotSteps).toBe(4);
    expect(centre.trend.Z).toBeGreaterThan(0);
    // Not everything is emerging: most locations have no pattern.
    expect(r.categories['no-pattern']!).toBeGreaterThan(r.cells.length * 0.7);
  }, 120_000);

  it('cube counts equal a recount from the calls table with the grid formula in JS', async () => {
    const spec = await fetchSquareGridSpec(city.db, params.hotspots.cellMeters);
    const cube = await fetchCube(city.db, { kind: 'square', spec }, 'week', { where });
    const rows = toRows(
      await city.db.query(sql`SELECT lon, lat, strftime(received_at, '%Y-%m-%d') AS d FROM calls WHERE ${where} AND lon IS NOT NULL AND lat IS NOT NULL`),
    ) as { lon: number; lat: number; d: string }[];
    const recount = new Map<string, number>();
    const last = Date.parse(`${cube.steps.lastDay}T00:00:00Z`);
    for (const r of rows) {
      const col = Math.floor(((r.lon - spec.originLon) * spec.metersPerDegreeLon) / spec.cellMeters);
      const row = Math.floor(((r.lat - spec.originLat) * spec.metersPerDegreeLat) / spec.cellMeters);
      const step = 12 - Math.floor((last - Date.parse(`${r.d}T00:00:00Z`)) / 86_400_000 / 7);
      const key = `${col}:${row}:${step}`;
      recount.set(key, (recount.get(key) ?? 0) + 1);
    }
    if (cube.grid !== 'square') throw new Error('expected a square-grid cube');
    const fromCube = new Map<string, number>();
    for (let i = 0; i < cube.counts.length; i++) fromCube.set(`${cube.col[i]}:${cube.row[i]}:${cube.step[i]}`, cube.counts[i]!);
    expect(fromCube).toEqual(recount);
  }, 120_000);

  it('runs on H3 and on daily steps, echoing the parameters', async () => {
    const cube = await fetchCube(city.db, { kind: 'h3' }, 'day', { where: sql`${where} AND received_at >= TIMESTAMP '2026-09-01'` });
    expect(cube.steps.nSteps).toBe(27);
    const r = await emergingPipeline({ cube, hotspots: { ...params.hotspots, grid: 'h3', cellMeters: 150 }, params: { ...params.emerging, step: 'day' } });
    expect(r.parameters).toMatchObject({ grid: 'h3', h3Resolution: 9, step: 'day', neighbourhoodTimeSteps: 1 });
    expect(r.cells.every((c) => c.counts.length === 27 && c.total > 0)).toBe(true);
  }, 120_000);
});
