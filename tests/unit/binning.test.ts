import { area, booleanPointInPolygon, point } from '@turf/turf';
import { getHexagonEdgeLengthAvg, UNITS } from 'h3-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  binH3,
  binSquare,
  h3ResolutionForCellMeters,
  parseSquareCellId,
  squareCellId,
  squareCellOf,
  squareGridSpec,
} from '../../src/analysis/binning';
import { haversineMeters } from '../../src/analysis/local-projection';
import type { Db } from '../../src/data/db-types';
import { toRows } from '../../src/data/rows';
import { sql } from '../../src/data/sql';
import { openTestDb } from '../engine';

describe('H3 binning', () => {
  it('chooses the resolution by relative edge length', () => {
    expect(h3ResolutionForCellMeters(getHexagonEdgeLengthAvg(9, UNITS.m))).toBe(9);
    // average edges: res 8 ≈ 531 m, res 9 ≈ 201 m, res 10 ≈ 76 m
    expect(h3ResolutionForCellMeters(200)).toBe(9);
    expect(h3ResolutionForCellMeters(450)).toBe(8);
    expect(h3ResolutionForCellMeters(100)).toBe(10);
    expect(h3ResolutionForCellMeters(1e9)).toBe(0);
    expect(h3ResolutionForCellMeters(0.1)).toBe(15);
    expect(() => h3ResolutionForCellMeters(0)).toThrow(/positive/);
  });

  it('counts points per cell; every point lies in its cell polygon', () => {
    const lons = [-90.07, -90.07001, -90.06, Number.NaN];
    const lats = [29.95, 29.95001, 29.96, 29.95];
    const cells = binH3(lons, lats, 9);
    expect(cells.map((c) => c.count)).toEqual([2, 1]);
    expect(booleanPointInPolygon(point([-90.07, 29.95]), cells[0]!.polygon)).toBe(true);
    expect(haversineMeters(...cells[0]!.center, -90.07, 29.95)).toBeLessThan(250);
  });
});

describe('square metric grid', () => {
  const spec = squareGridSpec(-90.0712, 29.9533, 250);
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('is anchored on the rounded centre so subsets share ids, and cells are cellMeters wide', () => {
    expect(squareGridSpec(-90.08, 29.97, 250)).toEqual(spec);
    expect(spec.originLon).toBe(-90.1);
    expect(spec.originLat).toBe(30);
    const cells = binSquare(spec, [-90.07, -90.0701, -90.05], [29.95, 29.9501, 29.95]);
    expect(cells[0]!.count).toBe(2);
    // planar cell area within 0.5 % of 250² m² (the plane is tangent at the origin)
    expect(area(cells[0]!.polygon)).toBeGreaterThan(250 * 250 * 0.995);
    expect(area(cells[0]!.polygon)).toBeLessThan(250 * 250 * 1.005);
    expect(booleanPointInPolygon(point([-90.07, 29.95]), cells[0]!.polygon)).toBe(true);
    expect(parseSquareCellId(squareCellId(-3, 12))).toEqual([-3, 12]);
    expect(parseSquareCellId('h3:abc')).toBeNull();
  });

  it('gives the same ids as DuckDB evaluating the published formula', async () => {
    const table = await db.query(sql`
      WITH pts AS (
        SELECT -90.14 + ((i * 0.6180339887498949::DOUBLE) % 1) * 0.3::DOUBLE AS lon,
               29.86 + ((i * 0.7548776662466927::DOUBLE) % 1) * 0.3::DOUBLE AS lat
        FROM range(20000) t(i)
      )
      SELECT lon, lat,
        'g:' || CAST(floor((lon - ${spec.originLon}) * ${spec.metersPerDegreeLon} / ${spec.cellMeters}) AS BIGINT)
          || ':' || CAST(floor((lat - ${spec.originLat}) * ${spec.metersPerDegreeLat} / ${spec.cellMeters}) AS BIGINT) AS cell
      FROM pts`);
    const rows = toRows(table) as { lon: number; lat: number; cell: string }[];
    expect(rows.length).toBe(20_000);
    const mismatches = rows.filter((r) => squareCellId(...squareCellOf(spec, r.lon, r.lat)) !== r.cell);
    expect(mismatches.slice(0, 3)).toEqual([]);
    expect(new Set(rows.map((r) => r.cell)).size).toBeGreaterThan(1000);
  });
});
