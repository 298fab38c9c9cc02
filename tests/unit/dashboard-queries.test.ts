/**
 * The dashboard's queries on real DuckDB against a JS recount of the same rows: every view
 * agrees with the headline count, each view leaves out only its own clause, and user text
 * (a hostile type name) stays a parameter.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/data/db-types';
import { importDataset } from '../../src/data/import-dataset';
import { storeAreas } from '../../src/data/load-geo';
import { areaRows, dailyCounts, dataSpan, defaultComparison, hourOfWeekCounts, matchingCount, matchingPositions, typeCounts } from '../../src/data/queries/dashboard';
import { toRows } from '../../src/data/rows';
import { type DashboardFilters, describeFilter, NO_FILTERS } from '../../src/state/dashboard-filters';
import { newOrleansDir, openTestDb, skipReason } from '../engine';
import { readNolaAreas } from '../test-areas';

const dir = newOrleansDir();
skipReason('New Orleans data pack', dir);

interface Call {
  received_at: number;
  type_text: string | null;
  area_id: string | null;
  hour: number;
  dow: number;
  lon: number | null;
  lat: number | null;
}

function recount(calls: Call[], f: DashboardFilters): number {
  return calls.filter((c) => {
    const day = new Date(c.received_at).toISOString().slice(0, 10);
    if (f.dates && !(day >= f.dates[0] && day < f.dates[1])) return false;
    const b = f.hourOfWeek;
    if (b) {
      const inHours = b.hourFrom <= b.hourTo ? c.hour >= b.hourFrom && c.hour <= b.hourTo : c.hour >= b.hourFrom || c.hour <= b.hourTo;
      if (!(c.dow >= b.dowFrom && c.dow <= b.dowTo && inHours)) return false;
    }
    if (f.types.length && !f.types.includes(c.type_text ?? '')) return false;
    if (f.areas.length && !f.areas.includes(c.area_id ?? '')) return false;
    if (f.bbox) {
      const [w, s, e, n] = f.bbox;
      if (c.lon === null || c.lat === null || c.lon < w || c.lon > e || c.lat < s || c.lat > n) return false;
    }
    return true;
  }).length;
}

describe.skipIf(!dir)('dashboard queries on the New Orleans log', () => {
  let db: Db;
  let calls: Call[];
  beforeAll(async () => {
    db = await openTestDb();
    const areas = readNolaAreas(dir!);
    await importDataset(db, [{ name: 'nopd.csv', bytes: readFileSync(path.join(dir!, 'nopd_cfs_2022_rtcc_subset.csv')) }], { areas });
    await storeAreas(db, areas);
    calls = toRows(await db.query('SELECT received_at, type_text, area_id, hour, dow, lon, lat FROM calls')) as unknown as Call[];
  });
  afterAll(async () => db.close());

  const top = () => {
    const byType = new Map<string, number>();
    for (const c of calls) byType.set(c.type_text ?? '', (byType.get(c.type_text ?? '') ?? 0) + 1);
    return [...byType].sort((a, b) => b[1] - a[1])[0]![0];
  };

  it('counts with every kind of filter, alone and combined, equal a JS recount', async () => {
    expect(calls.length).toBe(6528);
    const night: DashboardFilters = { ...NO_FILTERS, hourOfWeek: { dowFrom: 0, dowTo: 4, hourFrom: 20, hourTo: 1 } };
    const cases: DashboardFilters[] = [
      NO_FILTERS,
      night,
      { ...NO_FILTERS, dates: ['2022-03-01', '2022-04-01'] },
      { ...NO_FILTERS, types: [top()] },
      { ...NO_FILTERS, areas: [calls.find((c) => c.area_id)!.area_id!] },
      { ...NO_FILTERS, bbox: [-90.08, 29.94, -90.06, 29.96] },
      { ...night, types: [top()], dates: ['2022-01-01', '2022-07-01'], bbox: [-90.1, 29.9, -90.0, 30.0] },
    ];
    for (const f of cases) expect(await matchingCount(db, f), JSON.stringify(f)).toBe(recount(calls, f));
    expect(recount(calls, night)).toBeGreaterThan(500);
  });

  it('each view leaves out only its own clause, and its cells sum to the headline', async () => {
    const f: DashboardFilters = { ...NO_FILTERS, types: [top()], hourOfWeek: { dowFrom: 5, dowTo: 6, hourFrom: 0, hourTo: 23 } };
    const total = await matchingCount(db, f);
    const how = await hourOfWeekCounts(db, f);
    // the heatmap ignores its own brush: all 7 days present, brushed cells sum to the headline
    expect(new Set(how.map((c) => c.dow)).size).toBe(7);
    expect(how.filter((c) => c.dow >= 5).reduce((s, c) => s + c.n, 0)).toBe(total);
    const types = await typeCounts(db, f, 1000);
    expect(types.find((t) => t.type === top())!.n).toBe(total);
    expect(types.length).toBeGreaterThan(1);
    const days = await dailyCounts(db, f);
    expect(days.reduce((s, d) => s + d.n, 0)).toBe(total);
    const areas = await areaRows(db, f, null, true);
    const unassigned = recount(calls.filter((c) => c.area_id === null), f);
    expect(areas.reduce((s, a) => s + a.n, 0) + unassigned).toBe(total);
    const pos = await matchingPositions(db, f);
    expect(pos.length).toBe(recount(calls.filter((c) => c.lon !== null), f));
  });

  it('area rows carry a rate per km² and the comparison periods', async () => {
    const span = (await dataSpan(db))!;
    expect(span).toEqual({ start: '2022-01-01', end: '2022-11-23' });
    const cmp = defaultComparison(span);
    expect(cmp).toEqual({ current: ['2022-10-26', '2022-11-23'], previous: ['2022-09-28', '2022-10-26'] });
    const rows = await areaRows(db, NO_FILTERS, cmp, true);
    const a = rows[0]!;
    const mine = calls.filter((c) => c.area_id === a.areaId);
    expect(a.n).toBe(mine.length);
    expect(a.current).toBe(recount(mine, { ...NO_FILTERS, dates: cmp.current }));
    expect(a.previous).toBe(recount(mine, { ...NO_FILTERS, dates: cmp.previous }));
    const km2 = readNolaAreas(dir!).find((x) => x.id === a.areaId)!.areaKm2;
    expect(a.perKm2!).toBeCloseTo(a.n / km2, 6);
  });

  it('keeps a hostile type name a parameter', async () => {
    const hostile = `<img src=x onerror=alert(1)>' OR 1=1 --`;
    expect(await matchingCount(db, { ...NO_FILTERS, types: [hostile] })).toBe(0);
    expect(describeFilter({ ...NO_FILTERS, types: [hostile] }, 'types')).toBe(hostile);
    expect(describeFilter({ ...NO_FILTERS, hourOfWeek: { dowFrom: 0, dowTo: 4, hourFrom: 20, hourTo: 1 } }, 'hourOfWeek')).toBe('Mon–Fri, 20:00–02:00');
  });
});
