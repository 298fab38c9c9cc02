import { inList, join, type Sql, sql } from '../sql';

/**
 * The bench's filter shape. The cubes themselves now work on the app's clauses: per-view cube
 * SQL in cube-views.ts, driven by the Selection in src/state/interaction-cache.ts (which
 * replaced this module's CubeFilters-keyed activeCubes/activeViewSql). What stays is the filter
 * state the scripted interaction bench generates (scripts/bench/interactions.ts) and hands the
 * in-tab store, with its SQL meaning; scripts/bench/crossfilter-clauses.ts turns it into
 * clauses and tests/unit/cube-index.test.ts holds the two meanings equal.
 *
 * The dashboard's pre-Selection shape, one slot per view. Dates are ISO days
 * [start, end); the hour-of-week brush holds inclusive days and hours (hourFrom > hourTo wraps
 * past midnight); types are type texts; bbox is [west, south, east, north] in degrees.
 */
export interface CubeFilters {
  dates: [string, string] | null;
  hourOfWeek: { dowFrom: number; dowTo: number; hourFrom: number; hourTo: number } | null;
  types: string[];
  areas: string[];
  bbox: [number, number, number, number] | null;
}
export type CubeFilterKey = keyof CubeFilters;
export const NO_CUBE_FILTERS: CubeFilters = { dates: null, hourOfWeek: null, types: [], areas: [], bbox: null };

/** The same filters over the `calls` table (the raw path and the cubes' fixed clauses), leaving out `except`. */
export function cubeFiltersWhere(f: CubeFilters, except: CubeFilterKey | null = null): Sql {
  const parts: Sql[] = [sql`TRUE`];
  if (f.dates && except !== 'dates') {
    parts.push(sql`received_at >= CAST(${f.dates[0]} AS TIMESTAMP) AND received_at < CAST(${f.dates[1]} AS TIMESTAMP)`);
  }
  const b = f.hourOfWeek;
  if (b && except !== 'hourOfWeek') {
    parts.push(sql`dow BETWEEN ${b.dowFrom} AND ${b.dowTo}`);
    parts.push(b.hourFrom <= b.hourTo ? sql`hour BETWEEN ${b.hourFrom} AND ${b.hourTo}` : sql`(hour >= ${b.hourFrom} OR hour <= ${b.hourTo})`);
  }
  if (f.types.length && except !== 'types') parts.push(sql`type_text IN ${inList(f.types)}`);
  if (f.areas.length && except !== 'areas') parts.push(sql`area_id IN ${inList(f.areas)}`);
  if (f.bbox && except !== 'bbox') {
    const [w, s, e, n] = f.bbox;
    parts.push(sql`lon BETWEEN ${w} AND ${e} AND lat BETWEEN ${s} AND ${n}`);
  }
  return join(parts, ' AND ');
}
