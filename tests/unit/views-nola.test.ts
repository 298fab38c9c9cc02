/**
 * The shared view queries (src/data/queries/views.ts) driven by a Selection on the New Orleans
 * log, against a JS recount of the same 6,528 calls: every kind of clause alone and combined
 * gives the recount, and each view (leaving out its own clause) adds up to the headline.
 * Ported from the dashboard's former query tests when the dashboard moved onto these modules.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/data/db-types';
import { importDataset } from '../../src/data/import-dataset';
import { storeAreas } from '../../src/data/load-geo';
import { type Row, scalar, toRows } from '../../src/data/rows';
import type { Sql } from '../../src/data/sql';
import { areasClause, bboxClause, type Clause, hoursClause, timeClause, typesClause, weekdaysClause } from '../../src/state/clauses';
import { Selection } from '../../src/state/selection';
import { VIEW_IDS, viewQuery } from '../../src/state/view-clients';
import { newOrleansDir, openTestDb, skipReason } from '../engine';
import { readNolaAreas } from '../test-areas';

const dir = newOrleansDir();
skipReason('New Orleans data pack', dir);

interface Call {
  received_at: number;
  type_code: string | null;
  area_id: string | null;
  hour: number;
  dow: number;
  lon: number | null;
  lat: number | null;
}

/** The clauses' meaning, written again by hand over plain objects. */
function keep(c: Call, clause: Clause): boolean {
  const s = clause.spec;
  switch (s.kind) {
    case 'time':
      return c.received_at >= Date.parse(`${s.start}T00:00:00Z`) && c.received_at < Date.parse(`${s.end}T00:00:00Z`);
    case 'hours':
      return s.startHour < s.endHour ? c.hour >= s.startHour && c.hour < s.endHour : c.hour >= s.startHour || c.hour < s.endHour;
    case 'weekdays':
      return s.days.includes(c.dow);
    case 'types':
      return s.codes.includes(c.type_code);
    case 'areas':
      return s.ids.includes(c.area_id);
    case 'bbox':
      return c.lon !== null && c.lat !== null && c.lon >= s.west && c.lon <= s.east && c.lat >= s.south && c.lat <= s.north;
    default:
      throw new Error(`no recount for ${s.kind}`);
  }
}
const recount = (calls: Call[], clauses: Clause[]) => calls.filter((c) => clauses.every((k) => keep(c, k))).length;

describe.skipIf(!dir)('shared view queries on the New Orleans log', () => {
  let db: Db;
  let calls: Call[];
  const rows = async (q: Sql): Promise<Row[]> => toRows(await db.query(q));
  beforeAll(async () => {
    db = await openTestDb();
    const areas = readNolaAreas(dir!);
    await importDataset(db, [{ name: 'nopd.csv', bytes: readFileSync(path.join(dir!, 'nopd_cfs_2022_rtcc_subset.csv')) }], { areas });
    await storeAreas(db, areas);
    calls = toRows(await db.query('SELECT epoch_ms(received_at) AS received_at, type_code, area_id, hour, dow, lon, lat FROM calls')).map((r) => ({
      ...(r as unknown as Call),
      received_at: Number(r.received_at),
    }));
  });
  afterAll(async () => db?.close());

  const topCode = () => {
    const by = new Map<string | null, number>();
    for (const c of calls) by.set(c.type_code, (by.get(c.type_code) ?? 0) + 1);
    return [...by].sort((a, b) => b[1] - a[1])[0]![0];
  };
  const total = async (s: Selection) => scalar(await db.query(viewQuery(VIEW_IDS.total)(s.predicate(VIEW_IDS.total), s)));

  it('counts with every kind of clause, alone and combined, equal a JS recount', async () => {
    expect(calls.length).toBe(6528);
    const night = [weekdaysClause(VIEW_IDS.heatmap, [0, 1, 2, 3, 4]), hoursClause(VIEW_IDS.heatmap, 20, 2)];
    const cases: Clause[][] = [
      [],
      night,
      [timeClause(VIEW_IDS.timeSeries, '2022-03-01', '2022-04-01')],
      [typesClause(VIEW_IDS.typeBars, [topCode()])],
      [areasClause(VIEW_IDS.areaTable, [calls.find((c) => c.area_id)!.area_id!])],
      [bboxClause(VIEW_IDS.map, { west: -90.08, south: 29.94, east: -90.06, north: 29.96 })],
      [...night, typesClause(VIEW_IDS.typeBars, [topCode()]), timeClause(VIEW_IDS.timeSeries, '2022-01-01', '2022-07-01'), bboxClause(VIEW_IDS.map, { west: -90.1, south: 29.9, east: -90, north: 30 })],
    ];
    for (const clauses of cases) {
      const s = new Selection();
      s.replaceAll(clauses);
      expect(await total(s), clauses.map((c) => c.label).join(' & ')).toBe(recount(calls, clauses));
    }
    expect(recount(calls, night)).toBeGreaterThan(500);
  });

  it('each view leaves out only its own clause, and its cells sum to the headline', async () => {
    const s = new Selection();
    const weekend = weekdaysClause(VIEW_IDS.heatmap, [5, 6]);
    const type = typesClause(VIEW_IDS.typeBars, [topCode()]);
    s.replaceAll([weekend, type]);
    const headline = await total(s);
    expect(headline).toBe(recount(calls, [weekend, type]));
    const run = (id: (typeof VIEW_IDS)[keyof typeof VIEW_IDS]) => rows(viewQuery(id)(s.predicate(id), s));
    const how = await run(VIEW_IDS.heatmap);
    // The heatmap ignores its own brush: all 7 days present, brushed cells sum to the headline.
    expect(new Set(how.map((c) => c.dow)).size).toBe(7);
    expect(how.filter((c) => Number(c.dow) >= 5).reduce((sum, c) => sum + Number(c.n), 0)).toBe(headline);
    const types = await run(VIEW_IDS.typeBars);
    expect(types.filter((t) => t.type_code === topCode()).reduce((sum, t) => sum + Number(t.n), 0)).toBe(headline);
    expect(types.length).toBeGreaterThan(1);
    const days = await run(VIEW_IDS.timeSeries);
    expect(days.reduce((sum, d) => sum + Number(d.n), 0)).toBe(headline);
    const areas = await run(VIEW_IDS.areaTable);
    // Calls outside every area come back as one NULL row, so the column sums to the headline.
    expect(areas.reduce((sum, a) => sum + Number(a.n), 0)).toBe(headline);
    expect(areas.find((a) => a.area_id === null)?.n ?? 0).toBe(recount(calls.filter((c) => c.area_id === null), [weekend, type]));
  });

  it('compares each area with the previous period of equal length, recounted', async () => {
    const s = new Selection();
    const period = timeClause(VIEW_IDS.timeSeries, '2022-10-26', '2022-11-23');
    s.replaceAll([period]);
    const ranked = await rows(viewQuery(VIEW_IDS.areaTable)(s.predicate(VIEW_IDS.areaTable), s));
    const a = ranked[0]!;
    const mine = calls.filter((c) => c.area_id === a.area_id);
    expect(Number(a.n)).toBe(recount(mine, [period]));
    expect(Number(a.previous_n)).toBe(recount(mine, [timeClause(VIEW_IDS.timeSeries, '2022-09-28', '2022-10-26')]));
    expect(a.previous_complete).toBe(true);
  });
});
