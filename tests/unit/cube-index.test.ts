import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activeCubes,
  activeViewSql,
  createCube,
  type CubeFilterKey,
  type CubeFilters,
  type CubeView,
  cubeFiltersWhere,
  cubeWhere,
  VIEW_GROUP_BY,
} from '../../src/data/queries/cube-index';
import { toRows } from '../../src/data/rows';
import { type Sql, sql } from '../../src/data/sql';
import { type DemoCity, demoReady, openDemoCity } from './demo-city';

/** The raw-table truth for a view: the same GROUP BY over `calls` with cubeFiltersWhere. */
function rawSql(view: CubeView, f: CubeFilters): Sql {
  switch (view) {
    case 'count':
      return sql`SELECT count(*)::INTEGER AS n FROM calls WHERE ${cubeFiltersWhere(f)}`;
    case 'hourOfWeek':
      return sql`SELECT dow, hour, count(*)::INTEGER AS n FROM calls WHERE ${cubeFiltersWhere(f, 'hourOfWeek')} GROUP BY ALL ORDER BY ALL`;
    case 'daily':
      return sql`SELECT strftime(CAST(received_at AS DATE), '%Y-%m-%d') AS day, count(*)::INTEGER AS n FROM calls WHERE ${cubeFiltersWhere(f, 'dates')} GROUP BY ALL ORDER BY ALL`;
    case 'types':
      return sql`SELECT COALESCE(type_text, '(no type)') AS type_text, count(*)::INTEGER AS n FROM calls WHERE ${cubeFiltersWhere(f, 'types')} GROUP BY ALL ORDER BY ALL`;
    case 'areas':
      return sql`SELECT area_id, count(*)::INTEGER AS n FROM calls WHERE ${cubeFiltersWhere(f, 'areas')} GROUP BY ALL ORDER BY ALL`;
  }
}

const plain = (rows: Record<string, unknown>[]) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v == null ? null : typeof v === 'bigint' ? Number(v) : v])));

describe.skipIf(!demoReady)('cube index on the demo city: cube counts equal raw-table counts', () => {
  let city: DemoCity;
  let types: string[];
  let areas: string[];
  beforeAll(async () => {
    city = await openDemoCity();
    types = toRows(await city.db.query('SELECT type_text FROM calls GROUP BY 1 ORDER BY count(*) DESC LIMIT 4')).map((r) => String(r.type_text));
    areas = toRows(await city.db.query('SELECT area_id FROM calls WHERE area_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 3')).map((r) => String(r.area_id));
  }, 180_000);
  afterAll(async () => city?.db.close());

  const states = (): CubeFilters[] => [
    { dates: null, hourOfWeek: null, types: [], areas: [], bbox: null },
    // a night brush that wraps midnight, Friday to Sunday
    { dates: null, hourOfWeek: { dowFrom: 4, dowTo: 6, hourFrom: 20, hourTo: 2 }, types: [types[0]!, types[2]!], areas: [], bbox: null },
    { dates: ['2026-07-13', '2026-08-10'], hourOfWeek: { dowFrom: 0, dowTo: 4, hourFrom: 8, hourTo: 17 }, types: [types[1]!], areas: [areas[0]!, areas[2]!], bbox: null },
    { dates: ['2026-09-01', '2026-09-28'], hourOfWeek: null, types: [], areas: [areas[1]!], bbox: null },
  ];

  for (const active of ['hourOfWeek', 'types', 'dates', 'areas'] as const) {
    it(`while brushing ${active}: every view from its cube equals the raw GROUP BY`, async () => {
      let compared = 0;
      for (const f of states()) {
        const specs = activeCubes(f, active, cubeFiltersWhere, `t_${active}`);
        for (const view of Object.keys(VIEW_GROUP_BY) as CubeView[]) {
          await createCube(city.db, specs[view]);
          const fromCube = plain(toRows(await city.db.query(activeViewSql(specs[view], view, f, active))));
          const fromRaw = plain(toRows(await city.db.query(rawSql(view, f))));
          // sum(n) over no rows is NULL where count(*) is 0: the same answer
          const normalised = view === 'count' ? fromCube.map((r) => ({ n: r.n ?? 0 })) : fromCube;
          expect(normalised, `${view} with ${JSON.stringify(f)}`).toEqual(fromRaw);
          compared += fromRaw.length;
        }
      }
      expect(compared).toBeGreaterThan(500);
    }, 120_000);
  }

  it('the cube is much smaller than the calls table for a brush on hours', async () => {
    const f = states()[1]!;
    const specs = activeCubes(f, 'hourOfWeek', cubeFiltersWhere, 'size');
    await createCube(city.db, specs.types);
    const [cube] = toRows(await city.db.query('SELECT count(*)::INTEGER AS n FROM size_types'));
    const [calls] = toRows(await city.db.query('SELECT count(*)::INTEGER AS n FROM calls'));
    expect(Number(cube!.n) * 10).toBeLessThan(Number(calls!.n));
  });

  it('a map rectangle is not a cube key: the caller must fall back to the calls table', () => {
    const f: CubeFilters = { dates: null, hourOfWeek: null, types: [], areas: [], bbox: [-90, 35, -89, 36] };
    expect(cubeWhere(f, ['dow', 'hour', 'type_text'])).toBeNull();
    expect(cubeWhere(f, ['dow', 'hour'], ['bbox' as CubeFilterKey])).not.toBeNull();
    // a date filter needs the day column
    expect(cubeWhere({ ...f, bbox: null, dates: ['2026-07-01', '2026-08-01'] }, ['dow', 'hour'])).toBeNull();
  });
});
