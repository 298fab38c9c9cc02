/**
 * Clause predicates on the real engine against independent JS oracles: every hour window
 * (including ones crossing midnight) vs windowContainsHour, weekdays and hour-of-week cells,
 * periods, antimeridian boxes, null members, and analyst-readable refusals.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hourWindow, windowContainsHour } from '../../src/analysis/hour-windows';
import type { TierMap } from '../../src/analysis/tiers';
import type { Db } from '../../src/data/db-types';
import { toRows } from '../../src/data/rows';
import { sql } from '../../src/data/sql';
import {
  areasClause,
  bboxClause,
  clause,
  compileClause,
  hourOfWeekClause,
  hoursClause,
  parseWallClock,
  tiersClause,
  timeClause,
  typesClause,
  weekdaysClause,
} from '../../src/state/clauses';
import { openTestDb } from '../engine';

describe('filter clauses on DuckDB', () => {
  let db: Db;
  const ids = async (where: ReturnType<typeof hoursClause>['predicate']) =>
    toRows(await db.query(sql`SELECT call_id FROM calls WHERE ${where} ORDER BY call_id`)).map((r) => String(r.call_id));

  beforeAll(async () => {
    db = await openTestDb();
    // One call per hour of one week (168 rows), Monday 2024-01-01 onwards, with a few
    // type/area/location variations, in the canonical shape buildCalls produces.
    await db.query(`CREATE TABLE calls AS
      SELECT printf('c%03d', i) AS call_id, TIMESTAMP '2024-01-01' + to_hours(i) AS received_at,
        CAST(hour(TIMESTAMP '2024-01-01' + to_hours(i)) AS INTEGER) AS hour,
        CAST(isodow(TIMESTAMP '2024-01-01' + to_hours(i)) - 1 AS INTEGER) AS dow,
        CASE i % 4 WHEN 0 THEN 'THEFT' WHEN 1 THEN 'NOISE' WHEN 2 THEN NULL ELSE 'LOIT' END AS type_code,
        CASE i % 4 WHEN 0 THEN 'THEFT' WHEN 1 THEN 'NOISE' WHEN 2 THEN NULL ELSE 'LOITERING' END AS type_text,
        CAST(NULL AS VARCHAR) AS priority,
        CASE WHEN i % 3 = 0 THEN NULL ELSE 'A' || (i % 3) END AS area_id,
        CASE i % 3 WHEN 0 THEN 179.5 WHEN 1 THEN -179.5 ELSE 10.0 END AS lon,
        CASE WHEN i % 5 = 0 THEN NULL ELSE 1.0 END AS lat
      FROM range(168) t(i)`);
  });
  afterAll(async () => db?.close());

  it('selects hour windows, crossing midnight or not, exactly like windowContainsHour', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 24 }), async (start, end) => {
        let w: ReturnType<typeof hourWindow>;
        try {
          w = hourWindow(start, end);
        } catch {
          expect(() => hoursClause('heatmap', start, end)).toThrow(RangeError);
          return;
        }
        const got = await ids(hoursClause('heatmap', start, end).predicate);
        const want = Array.from({ length: 168 }, (_, i) => i).filter((i) => windowContainsHour(w, i % 24)).map((i) => `c${String(i).padStart(3, '0')}`);
        expect(got).toEqual(want);
      }),
      { numRuns: 60, seed: 20260629 },
    );
    const night = await ids(hoursClause('heatmap', 20, 2).predicate);
    expect(night).toHaveLength(6 * 7);
    expect(hoursClause('heatmap', 20, 2).label).toBe('20:00–02:00');
  });

  it('selects weekdays and hour-of-week cells by their calendar position', async () => {
    const weekend = await ids(weekdaysClause('heatmap', [5, 6]).predicate);
    expect(weekend[0]).toBe('c120'); // Saturday 2024-01-06 00:00 is hour 120 of the week
    expect(weekend).toHaveLength(48);
    const cells = await ids(hourOfWeekClause('heatmap', [{ dow: 0, hour: 0 }, { dow: 6, hour: 23 }, { dow: 2, hour: 13 }]).predicate);
    expect(cells).toEqual(['c000', 'c061', 'c167']);
  });

  it('takes a half-open period in wall-clock time', async () => {
    const got = await ids(timeClause('time-series', '2024-01-01T22:00', '2024-01-02').predicate);
    expect(got).toEqual(['c022', 'c023']);
    expect(parseWallClock('2024-02-29')).toBe('2024-02-29 00:00:00');
    expect(() => parseWallClock('2023-02-29')).toThrow(/not a real calendar date/);
    expect(() => parseWallClock("2024-01-01'; DROP TABLE calls; --")).toThrow(/is not a date/);
    expect(() => timeClause('t', '2024-01-02', '2024-01-01')).toThrow(/ends .* before it starts/);
  });

  it('matches null members for "no type" and "outside every area"', async () => {
    expect(await ids(typesClause('type-bars', [null]).predicate)).toHaveLength(42);
    expect(await ids(typesClause('type-bars', ['LOIT', null]).predicate)).toHaveLength(84);
    expect(await ids(areasClause('area-table', [null, 'A1']).predicate)).toHaveLength(56 + 56);
  });

  it('filters tiers through the tier map CASE, unknown included', async () => {
    const map: TierMap = { version: 1, rules: [{ typeCode: 'theft', tier: 2 }, { typePattern: '^LOIT', tier: 1 }] };
    expect(await ids(tiersClause('type-bars', [2], map).predicate)).toHaveLength(42);
    expect(await ids(tiersClause('type-bars', [1, 2], map).predicate)).toHaveLength(84);
    // NOISE matches no rule (default null) and the NULL type has no tier: both "unknown".
    expect(await ids(tiersClause('type-bars', [null], map).predicate)).toHaveLength(84);
    expect(() => clause('type-bars', { kind: 'tiers', tiers: [1] })).toThrow(/tier map/);
  });

  it('handles boxes across the antimeridian and drops unlocated calls', async () => {
    const across = await ids(bboxClause('map', { west: 179, south: 0, east: -179, north: 2 }).predicate);
    const oracle = Array.from({ length: 168 }, (_, i) => i).filter((i) => i % 3 !== 2 && i % 5 !== 0);
    expect(across).toEqual(oracle.map((i) => `c${String(i).padStart(3, '0')}`));
    const plain = await ids(bboxClause('map', { west: 9, south: 0, east: 11, north: 2 }).predicate);
    expect(plain).toHaveLength(Array.from({ length: 168 }, (_, i) => i).filter((i) => i % 3 === 2 && i % 5 !== 0).length);
  });

  it('refuses bad values with sentences an analyst can act on', () => {
    expect(() => weekdaysClause('h', [])).toThrow(/Pick at least one weekday/);
    expect(() => weekdaysClause('h', [7])).toThrow(/from 0 to 6/);
    expect(() => hoursClause('h', 5, 5)).toThrow(/no length/);
    expect(() => typesClause('t', ['x'.repeat(201)])).toThrow(/at most 200 characters/);
    expect(() => bboxClause('m', { west: Number.NaN, south: 0, east: 1, north: 1 })).toThrow(/west edge/);
    expect(() => bboxClause('m', { west: 0, south: 2, east: 1, north: 1 })).toThrow(/south edge above/);
    expect(() => compileClause({ kind: 'polygon', ring: [[0, 0], [1, 1]] })).toThrow(/three corners/);
    expect(() => compileClause({ kind: 'polygon', ring: [[0, 0], [1, 1], [Number.POSITIVE_INFINITY, 0]] })).toThrow(/\[lon, lat\]/);
  });
});
