/**
 * The typed-array views (src/state/call-columns.ts) equal the SQL views they replace in the
 * controller: total, hour-of-week cells, daily series and the map's located points, on the demo
 * city for random selections of every clause kind they take (fast-check), and on a small table
 * of NULL / NaN / unlocated edge rows. Clause kinds without a typed-array form give null.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/data/db-types';
import { hourOfWeekCounts, locatedPoints, timeSeries, totalCount } from '../../src/data/queries/views';
import { type Row, toRows } from '../../src/data/rows';
import { type CallColumns, columnViews, failBits, loadCallColumns, loadTierColumn, maskOf, selectionViews } from '../../src/state/call-columns';
import type { TierMap } from '../../src/analysis/tiers';
import { areasClause, bboxClause, type Clause, hourOfWeekClause, hoursClause, polygonClause, tiersClause, timeClause, typesClause, weekdaysClause } from '../../src/state/clauses';
import { Selection } from '../../src/state/selection';
import { VIEW_IDS, type ViewContext, viewQuery } from '../../src/state/view-clients';
import { openTestDb } from '../engine';
import { type DemoCity, demoReady, openDemoCity } from './demo-city';
import { DEMO_BOX, type DemoFilterValues, demoClauseArbitrary, demoFilterValues, hourOfWeekCells } from './demo-selections';

const cellsOf = hourOfWeekCells;
const BOX = DEMO_BOX;

function sortedPairs(positions: Float64Array): string[] {
  const out: string[] = [];
  for (let i = 0; i < positions.length; i += 2) out.push(`${positions[i]},${positions[i + 1]}`);
  return out.sort();
}

async function sqlViews(db: Db, s: Selection, table = 'calls', ctx: ViewContext = {}) {
  const heat = toRows(await db.query(hourOfWeekCounts({ where: s.predicate(VIEW_IDS.heatmap), table })));
  const pts = await db.query(locatedPoints({ where: s.predicate(VIEW_IDS.total), table }));
  const lon = pts.getChild('lon')?.toArray() as Float64Array;
  const lat = pts.getChild('lat')?.toArray() as Float64Array;
  const inter = new Float64Array(2 * pts.numRows);
  for (let i = 0; i < pts.numRows; i++) {
    inter[2 * i] = lon[i]!;
    inter[2 * i + 1] = lat[i]!;
  }
  return {
    count: Number(toRows(await db.query(totalCount({ where: s.predicate(VIEW_IDS.total), table })))[0]!.n),
    hourOfWeek: heat.filter((r: Row) => r.dow !== null && r.hour !== null).map((r) => ({ dow: Number(r.dow), hour: Number(r.hour), n: Number(r.n) })),
    series: toRows(await db.query(timeSeries({ where: s.predicate(VIEW_IDS.timeSeries), table }))).map((r) => ({ bucket: String(r.bucket), n: Number(r.n) })),
    points: sortedPairs(inter),
    types: toRows(await db.query(viewQuery(VIEW_IDS.typeBars, { ...ctx, table })(s.predicate(VIEW_IDS.typeBars), s))),
    areas: toRows(await db.query(viewQuery(VIEW_IDS.areaTable, { ...ctx, table })(s.predicate(VIEW_IDS.areaTable), s))),
  };
}

describe.skipIf(!demoReady)('typed-array views on the demo city = the SQL views', () => {
  let city: DemoCity;
  let db: Db;
  let cols: CallColumns;
  let codes: string[];
  let areaIds: string[];
  let tierMap: TierMap;
  let ctx: ViewContext;
  let values: DemoFilterValues;

  beforeAll(async () => {
    city = await openDemoCity();
    db = city.db;
    values = await demoFilterValues(city);
    ({ tierMap, ctx, codes, areaIds } = values);
    cols = await loadTierColumn(db, await loadCallColumns(db), tierMap);
  }, 180_000);
  afterAll(async () => db?.close());

  async function expectSame(s: Selection, what: string): Promise<number> {
    const got = selectionViews(cols, s, ctx);
    expect(got, what).not.toBeNull();
    const want = await sqlViews(db, s, 'calls', ctx);
    expect(got!.types, what).toEqual(want.types);
    expect(got!.areas, what).toEqual(want.areas);
    expect(got!.count, what).toBe(want.count);
    expect(got!.hourOfWeek, what).toEqual(want.hourOfWeek);
    expect(got!.series, what).toEqual(want.series);
    expect(sortedPairs(got!.positions.positions), what).toEqual(want.points);
    expect(got!.positions.length, what).toBe(want.points.length);
    return want.count;
  }

  it('loads every call once, with its codes as indexes', async () => {
    const n = Number(toRows(await db.query('SELECT count(*) AS n FROM calls'))[0]!.n);
    expect(cols.length).toBe(n);
    expect(cols.typeCodes).toContain(codes[0]);
    expect(cols.areaIds.length).toBeGreaterThan(areaIds.length - 1);
  });

  it('fixed clauses of every kind, each view leaving its own out', async () => {
    const s = new Selection();
    s.update(
      timeClause(VIEW_IDS.timeSeries, '2026-07-06T06:30', '2026-09-20T18:00'),
      hoursClause(VIEW_IDS.heatmap, 20, 4),
      weekdaysClause(VIEW_IDS.heatmap, [0, 1, 2, 4, 5]),
      typesClause(VIEW_IDS.typeBars, codes.slice(0, 9)),
      areasClause(VIEW_IDS.areaTable, [...areaIds.slice(0, 20), null]),
      bboxClause(VIEW_IDS.map, BOX),
    );
    const n = await expectSame(s, 'all kinds');
    s.update(tiersClause(VIEW_IDS.typeBars, [3, null], tierMap));
    await expectSame(s, 'tiers');
    // a tier clause compiled under another map is not the column's: SQL answers
    s.update(tiersClause(VIEW_IDS.typeBars, [1], { version: 1, rules: [], default: 1 }));
    expect(selectionViews(cols, s, ctx)).toBeNull();
    s.update(tiersClause(VIEW_IDS.typeBars, [3, null], tierMap));
    expect(n).toBeGreaterThan(20);
    s.update(hourOfWeekClause(VIEW_IDS.heatmap, cellsOf([0, 1, 30, 50, 100, 167])));
    await expectSame(s, 'hour-of-week cells');
    expect(await expectSame(new Selection(), 'no clause')).toBe(cols.length);
  }, 60_000);

  it('a lasso has no typed-array form: the SQL answers', () => {
    const s = new Selection();
    s.update(polygonClause(VIEW_IDS.map, [[-89.61, 35.44], [-89.59, 35.445], [-89.6, 35.46]]));
    expect(selectionViews(cols, s)).toBeNull();
  });

  it('random selections (fast-check): every view equals its SQL', async () => {
    const clauseArb = demoClauseArbitrary(values, { hourOfWeek: true });
    let matched = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(clauseArb, { minLength: 1, maxLength: 5 }), async (clauses: Clause[]) => {
        const s = new Selection();
        s.update(...clauses);
        matched += await expectSame(s, clauses.map((c) => c.label).join(' · '));
      }),
      { numRuns: 12, seed: 20261126 },
    );
    expect(matched).toBeGreaterThan(100);
  }, 120_000);
});

describe('typed-array views on NULL, NaN and unlocated rows = the SQL views', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb();
    await db.query(`CREATE TABLE edge AS SELECT * FROM (VALUES
      (-90.0, 30.0, TIMESTAMP '2026-01-05 10:00:00.999', 0, 10, 'A', 'x', 'Alarm', 'X name'),
      (-90.0, 30.0, TIMESTAMP '2026-01-06 00:00:00', 1, 0, NULL, 'x', NULL, 'X name'),
      (NULL, 30.0, TIMESTAMP '2026-01-06 23:59:59.5', 1, 23, 'B', NULL, 'Burglary', NULL),
      ('NaN'::DOUBLE, 30.1, TIMESTAMP '2026-01-07 08:00:00', 2, 8, 'B', 'y', 'Burglary res', 'Y name'),
      ('Infinity'::DOUBLE, 30.1, TIMESTAMP '2026-01-07 08:00:00', 2, 8, 'B', 'y', 'Burglary res', 'Y name'),
      (-90.1, 30.2, TIMESTAMP '2026-01-09 03:00:00', NULL, NULL, 'A', 'y', 'Alarm', 'Y name'),
      (-90.2, 30.3, TIMESTAMP '2026-01-09 03:00:00', 4, NULL, 'C', NULL, NULL, NULL),
      -- a tie between two texts of one code: the one seen first wins, as mode() picks
      (-90.2, 30.3, TIMESTAMP '2026-01-08 03:00:00', 3, 3, 'D', 'x', 'Disturbance 2', 'X name'),
      (-90.2, 30.3, TIMESTAMP '2026-01-08 04:00:00', 3, 4, 'D', 'x', 'Disturbance 1', 'X name')
    ) t(lon, lat, received_at, dow, hour, type_code, area_id, type_text, area_name)`);
  });
  afterAll(async () => db?.close());

  it('each clause kind fails NULLs as SQL WHERE does; no-location rows are counted, not drawn', async () => {
    const cols = await loadCallColumns(db, 'edge');
    expect(cols.length).toBe(9);
    expect(cols.hasNullTime).toBe(false);
    const cases: Clause[][] = [
      [],
      [hoursClause(VIEW_IDS.heatmap, 22, 9)],
      [hoursClause(VIEW_IDS.heatmap, 0, 24)],
      [hoursClause(VIEW_IDS.heatmap, 8, 11)],
      [weekdaysClause(VIEW_IDS.heatmap, [1, 4])],
      [hourOfWeekClause(VIEW_IDS.heatmap, cellsOf([10, 24]))],
      [typesClause(VIEW_IDS.typeBars, [null, 'B'])],
      [areasClause(VIEW_IDS.areaTable, [null])],
      [bboxClause(VIEW_IDS.map, { west: -90.15, south: 29, east: -89, north: 31 })],
      // the 10:00:00.999 call is inside [10:00, …) and the 23:59:59.5 call before the next midnight
      [timeClause(VIEW_IDS.timeSeries, '2026-01-05T10:00', '2026-01-07')],
      [timeClause(VIEW_IDS.timeSeries, '2026-01-05T10:01', '2026-01-09T03:00'), typesClause(VIEW_IDS.typeBars, ['B', 'C'])],
      // previous period from 2026-01-01: the data start after it, so it is not complete
      [timeClause(VIEW_IDS.timeSeries, '2026-01-05', '2026-01-09')],
      [timeClause(VIEW_IDS.timeSeries, '2026-01-07', '2026-01-09T04:00'), areasClause(VIEW_IDS.areaTable, ['y'])],
    ];
    for (const clauses of cases) {
      const s = new Selection();
      s.update(...clauses);
      const got = selectionViews(cols, s)!;
      const want = await sqlViews(db, s, 'edge');
      const what = clauses.map((c) => c.label).join(' · ') || 'none';
      expect({ count: got.count, hourOfWeek: got.hourOfWeek, series: got.series, points: sortedPairs(got.positions.positions), types: got.types, areas: got.areas }, what).toEqual(want);
    }
  });

  it('a NULL time leaves the series to SQL; the masks need every clause in the list', async () => {
    await db.query(`CREATE TABLE edge2 AS SELECT * FROM edge UNION ALL SELECT -90.0, 30.0, NULL::TIMESTAMP, 0, 1, 'A', 'x', 'Alarm', 'X name'`);
    const cols = await loadCallColumns(db, 'edge2');
    expect(cols.hasNullTime).toBe(true);
    const bits = failBits(cols, [])!;
    expect(columnViews(cols, bits, { total: 0, map: 0, heatmap: 0, series: 0 }).series).toBeNull();
    const c = hoursClause(VIEW_IDS.heatmap, 1, 2);
    expect(() => maskOf([], [c])).toThrow();
  });
});
