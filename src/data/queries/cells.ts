import { type SquareGridSpec, squareGridSpec } from '../../analysis/binning';
import type { Db } from '../db-types';
import { toRows } from '../rows';
import { ident, type Sql, sql } from '../sql';
import { analysedCalls, type QueryScope } from './analysed-calls';

/**
 * Counts per grid cell after the current filters and the exclusion mask. Square cells are
 * computed in DuckDB with binning.ts's arithmetic (subtract, multiply, divide, floor on DOUBLE
 * parameters), so JS only sees one row per non-empty cell. H3 needs h3-js (duckdb-wasm has no
 * h3 extension): DuckDB first collapses calls to distinct points, which geocoding to block
 * centres makes far fewer than calls, and JS bins those.
 */
const dbl = (v: number) => sql`CAST(${v} AS DOUBLE)`;

export function squareColSql(spec: SquareGridSpec): Sql {
  return sql`CAST(floor((lon - ${dbl(spec.originLon)}) * ${dbl(spec.metersPerDegreeLon)} / ${dbl(spec.cellMeters)}) AS INTEGER)`;
}

export function squareRowSql(spec: SquareGridSpec): Sql {
  return sql`CAST(floor((lat - ${dbl(spec.originLat)}) * ${dbl(spec.metersPerDegreeLat)} / ${dbl(spec.cellMeters)}) AS INTEGER)`;
}

/**
 * Grid origin from the median point of the WHOLE table, not the filtered calls: every filter
 * of one dataset then shares one grid and one set of cell ids (cross-filter, briefings).
 */
export function gridCentreSql(table = 'calls'): Sql {
  return sql`SELECT median(lon)::DOUBLE AS lon, median(lat)::DOUBLE AS lat, count(*)::INTEGER AS n
    FROM ${ident(table)} WHERE lon IS NOT NULL AND lat IS NOT NULL AND isfinite(lon) AND isfinite(lat)`;
}

export async function fetchSquareGridSpec(db: Db, cellMeters: number, table = 'calls'): Promise<SquareGridSpec> {
  const row = toRows(await db.query(gridCentreSql(table)))[0];
  if (!row || !Number(row.n)) {
    throw new RangeError(`No call in \`${table}\` has a usable location, so there is nothing to map. Check the longitude/latitude columns in the mapping.`);
  }
  return squareGridSpec(Number(row.lon), Number(row.lat), cellMeters);
}

export function squareCellCountsSql(spec: SquareGridSpec, scope: QueryScope = {}): Sql {
  return sql`SELECT ${squareColSql(spec)} AS col, ${squareRowSql(spec)} AS row, count(*)::INTEGER AS n
    FROM ${analysedCalls(scope)} GROUP BY ALL ORDER BY row, col`;
}

/** Distinct analysed points with their call counts (input to H3 binning, Gi* fixtures). */
export function pointCountsSql(scope: QueryScope = {}): Sql {
  return sql`SELECT lon, lat, count(*)::INTEGER AS n FROM ${analysedCalls(scope)} GROUP BY lon, lat ORDER BY lat, lon`;
}

export interface SquareCellCounts {
  grid: 'square';
  spec: SquareGridSpec;
  col: Int32Array;
  row: Int32Array;
  counts: Float64Array;
}

export interface PointCounts {
  lon: Float64Array;
  lat: Float64Array;
  counts: Float64Array;
}

function column<T extends ArrayLike<number>>(table: Awaited<ReturnType<Db['query']>>, name: string, make: (v: ArrayLike<number>) => T): T {
  const v = table.getChild(name)?.toArray() as ArrayLike<number> | undefined;
  return make(v ?? []);
}

export async function fetchSquareCellCounts(db: Db, spec: SquareGridSpec, scope: QueryScope = {}): Promise<SquareCellCounts> {
  const t = await db.query(squareCellCountsSql(spec, scope));
  return {
    grid: 'square',
    spec,
    col: column(t, 'col', (v) => Int32Array.from(v)),
    row: column(t, 'row', (v) => Int32Array.from(v)),
    counts: column(t, 'n', (v) => Float64Array.from(v)),
  };
}

export async function fetchPointCounts(db: Db, scope: QueryScope = {}): Promise<PointCounts> {
  const t = await db.query(pointCountsSql(scope));
  return {
    lon: column(t, 'lon', (v) => Float64Array.from(v)),
    lat: column(t, 'lat', (v) => Float64Array.from(v)),
    counts: column(t, 'n', (v) => Float64Array.from(v)),
  };
}
