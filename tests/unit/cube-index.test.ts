/**
 * The bench's scripted filter shape (cube-index CubeFilters) means on DuckDB what the app's
 * clauses made from it mean (scripts/bench/crossfilter-clauses.ts): for random filters, the
 * total and every view's cross-filter predicate (its own filter left out) count the same calls
 * of a generated table. The in-tab bench filters with cubeFiltersWhere and the Node bench with
 * the clauses, so both time the work the dashboard does.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clausesOfCubeFilters } from '../../scripts/bench/crossfilter-clauses';
import type { Db } from '../../src/data/db-types';
import { type CubeFilterKey, type CubeFilters, cubeFiltersWhere, NO_CUBE_FILTERS } from '../../src/data/queries/cube-index';
import { scalar } from '../../src/data/rows';
import { type Sql, sql } from '../../src/data/sql';
import { Selection } from '../../src/state/selection';
import { VIEW_IDS, type ViewId } from '../../src/state/view-clients';
import { openTestDb } from '../engine';

/** Which view leaves which filter out of its own predicate. */
const OWN: [ViewId, CubeFilterKey | null][] = [
  [VIEW_IDS.total, null],
  [VIEW_IDS.heatmap, 'hourOfWeek'],
  [VIEW_IDS.timeSeries, 'dates'],
  [VIEW_IDS.typeBars, 'types'],
  [VIEW_IDS.areaTable, 'areas'],
  [VIEW_IDS.map, 'bbox'],
];

describe('bench filters (CubeFilters) = the clauses made from them', () => {
  let db: Db;
  const count = async (where: Sql) => scalar(await db.query(sql`SELECT count(*) FROM calls_cf WHERE ${where}`));
  beforeAll(async () => {
    db = await openTestDb();
    // 6,000 calls over 2026 at scattered minutes; type code = text (the bench picks codes), some without area or place
    await db.query(`CREATE TABLE calls_cf AS
      WITH t AS (SELECT i, TIMESTAMP '2026-01-01' + to_minutes(CAST((i * 7919) % (365 * 1440) AS INTEGER)) AS received_at FROM range(6000) r(i))
      SELECT received_at, CAST(hour(received_at) AS INTEGER) AS hour, CAST(isodow(received_at) - 1 AS INTEGER) AS dow,
        'T' || (i % 13)::VARCHAR AS type_code, 'T' || (i % 13)::VARCHAR AS type_text,
        CASE WHEN i % 17 = 0 THEN NULL ELSE 'A' || (i % 9)::VARCHAR END AS area_id,
        CASE WHEN i % 23 = 0 THEN NULL ELSE -90 + ((i * 31) % 1000) / 1000.0 END AS lon,
        CASE WHEN i % 23 = 0 THEN NULL ELSE 35 + ((i * 17) % 1000) / 1000.0 END AS lat
      FROM t`);
  });
  afterAll(async () => db?.close());

  it('for random filters every view counts the same calls either way', async () => {
    const day = fc.integer({ min: 0, max: 364 }).map((d) => new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10));
    const filters: fc.Arbitrary<CubeFilters> = fc.record({
      dates: fc.option(fc.tuple(day, day).filter(([a, b]) => a < b), { nil: null }),
      hourOfWeek: fc.option(
        fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 23 })).map(([a, b, hourFrom, hourTo]) => ({
          dowFrom: Math.min(a, b),
          dowTo: Math.max(a, b),
          hourFrom,
          hourTo,
        })),
        { nil: null },
      ),
      types: fc.uniqueArray(fc.integer({ min: 0, max: 14 }).map((i) => `T${i}`), { maxLength: 4 }),
      areas: fc.uniqueArray(fc.integer({ min: 0, max: 10 }).map((i) => `A${i}`), { maxLength: 3 }),
      bbox: fc.option(
        fc.tuple(fc.double({ min: -90, max: -89.5, noNaN: true }), fc.double({ min: 35, max: 35.5, noNaN: true })).map(([w, s]): [number, number, number, number] => [w, s, w + 0.4, s + 0.4]),
        { nil: null },
      ),
    });
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(filters, async (f) => {
        const s = new Selection();
        s.update(...clausesOfCubeFilters(f));
        for (const [view, own] of OWN) {
          const want = await count(cubeFiltersWhere(f, own));
          expect(await count(s.predicate(view)), `${view} ${JSON.stringify(f)}`).toBe(want);
          if (want > 0 && want < 6000) nonEmpty++;
        }
      }),
      { numRuns: 25, seed: 20261126, examples: [[{ ...NO_CUBE_FILTERS, hourOfWeek: { dowFrom: 0, dowTo: 6, hourFrom: 5, hourTo: 4 } }], [{ ...NO_CUBE_FILTERS, hourOfWeek: { dowFrom: 2, dowTo: 2, hourFrom: 22, hourTo: 3 } }]] },
    );
    expect(nonEmpty).toBeGreaterThan(40);
  }, 60_000);
});
