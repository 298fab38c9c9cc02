import type { Db } from '../db-types';
import { ident, inList, join, type Sql, sql } from '../sql';

/**
 * Pre-aggregated indexes for the active interaction, after Mosaic's data cubes (Heer &
 * Moritz, "Mosaic", IEEE VIS 2023; imMens, Liu et al. 2013). While the analyst drags one
 * brush, every other clause is fixed, so each other view can read a small table keyed by
 * (the brushed dimensions × its own group-by) with those fixed clauses already applied:
 * brushing hours over 5M calls then sums a few thousand rows instead of scanning 5M.
 *
 * A cube answers a clause only if the clause is a predicate on the cube's columns. Dates are
 * whole days (the dashboard's date filter is ISO days), hours and weekdays are columns, types
 * and areas are columns; a map rectangle is not (points inside a rectangle are not a set of
 * keys), so a bbox that is not fixed makes `cubeWhere` return null and the caller falls back
 * to the `calls` table.
 */
/**
 * The filter state the cubes answer: the dashboard's pre-Selection shape (one slot per view),
 * kept here because the cubes and the interaction bench are keyed by it. Dates are ISO days
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

export type CubeDimension = 'day' | 'dow' | 'hour' | 'type_text' | 'area_id';

const DIMENSION_SQL: Record<CubeDimension, Sql> = {
  // strftime keeps the day as the same 'YYYY-MM-DD' text the daily view returns
  day: sql`strftime(CAST(received_at AS DATE), '%Y-%m-%d')`,
  dow: sql`dow`,
  hour: sql`hour`,
  type_text: sql`COALESCE(type_text, '(no type)')`,
  area_id: sql`area_id`,
};

/** Which cube dimensions a filter needs to be answerable, and which a view groups by. */
export const FILTER_DIMENSIONS: Record<Exclude<CubeFilterKey, 'bbox'>, CubeDimension[]> = {
  dates: ['day'],
  hourOfWeek: ['dow', 'hour'],
  types: ['type_text'],
  areas: ['area_id'],
};

export interface CubeSpec {
  /** table name of the cube (a temp table; dropped with the session) */
  name: string;
  dims: CubeDimension[];
  /** the fixed clauses, applied once at build time (over the `calls` table) */
  where: Sql;
  table?: string;
}

export function createCubeSql(spec: CubeSpec): Sql {
  const dims = spec.dims.map((d) => sql`${DIMENSION_SQL[d]} AS ${ident(d)}`);
  return sql`CREATE OR REPLACE TEMP TABLE ${ident(spec.name)} AS
    SELECT ${join(dims, ', ')}, count(*)::INTEGER AS n FROM ${ident(spec.table ?? 'calls')}
    WHERE ${spec.where} GROUP BY ALL`;
}

export async function createCube(db: Db, spec: CubeSpec): Promise<void> {
  await db.query(createCubeSql(spec));
}

/**
 * The dashboard's filters as a predicate over a cube's columns (leaving out `except` and the
 * fixed ones the cube was built with), or null if an active filter needs a dimension the cube
 * lacks (then query `calls`).
 */
export function cubeWhere(f: CubeFilters, dims: readonly CubeDimension[], skip: readonly CubeFilterKey[] = []): Sql | null {
  const has = (d: CubeDimension) => dims.includes(d);
  const parts: Sql[] = [sql`TRUE`];
  if (f.bbox && !skip.includes('bbox')) return null;
  if (f.dates && !skip.includes('dates')) {
    if (!has('day')) return null;
    parts.push(sql`day >= ${f.dates[0]} AND day < ${f.dates[1]}`);
  }
  const b = f.hourOfWeek;
  if (b && !skip.includes('hourOfWeek')) {
    if (!has('dow') || !has('hour')) return null;
    parts.push(sql`dow BETWEEN ${b.dowFrom} AND ${b.dowTo}`);
    parts.push(b.hourFrom <= b.hourTo ? sql`hour BETWEEN ${b.hourFrom} AND ${b.hourTo}` : sql`(hour >= ${b.hourFrom} OR hour <= ${b.hourTo})`);
  }
  if (f.types.length && !skip.includes('types')) {
    if (!has('type_text')) return null;
    parts.push(sql`type_text IN ${inList(f.types)}`);
  }
  if (f.areas.length && !skip.includes('areas')) {
    if (!has('area_id')) return null;
    parts.push(sql`area_id IN ${inList(f.areas)}`);
  }
  return join(parts, ' AND ');
}

/** Counts grouped by `groupBy` from a cube: `sum(n)` of the matching keys. */
export function cubeCountsSql(cube: string, groupBy: readonly CubeDimension[], where: Sql): Sql {
  const keys = groupBy.map((d) => ident(d));
  const select = keys.length ? sql`${join(keys.map((k) => sql`${k}`), ', ')}, ` : sql``;
  const group = keys.length ? sql` GROUP BY ALL ORDER BY ALL` : sql``;
  return sql`SELECT ${select}sum(n)::INTEGER AS n FROM ${ident(cube)} WHERE ${where}${group}`;
}

/** The views of the dashboard and the dimension each groups by (count: none). */
export const VIEW_GROUP_BY = {
  count: [] as CubeDimension[],
  hourOfWeek: ['dow', 'hour'] as CubeDimension[],
  daily: ['day'] as CubeDimension[],
  types: ['type_text'] as CubeDimension[],
  areas: ['area_id'] as CubeDimension[],
} as const;
export type CubeView = keyof typeof VIEW_GROUP_BY;

/** The filter a view leaves out of its own predicate (crossfilter), as in dashboard.ts. */
const OWN_FILTER: Record<CubeView, CubeFilterKey | null> = { count: null, hourOfWeek: 'hourOfWeek', daily: 'dates', types: 'types', areas: 'areas' };

/**
 * The cubes for one active filter: per view, (active filter's dims ∪ the view's group-by),
 * built with every other filter fixed. Rebuilt when a non-active filter changes.
 */
export function activeCubes(f: CubeFilters, active: Exclude<CubeFilterKey, 'bbox'>, whereOf: (f: CubeFilters, except: CubeFilterKey | null) => Sql = cubeFiltersWhere, prefix = 'cube'): Record<CubeView, CubeSpec> {
  const out = {} as Record<CubeView, CubeSpec>;
  const free = { ...f, [active]: active === 'types' || active === 'areas' ? [] : null } as CubeFilters;
  for (const view of Object.keys(VIEW_GROUP_BY) as CubeView[]) {
    const own = OWN_FILTER[view];
    const dims = [...new Set([...FILTER_DIMENSIONS[active], ...VIEW_GROUP_BY[view]])];
    // Fixed clauses: all but the active one and the view's own (the view never sees its own).
    out[view] = { name: `${prefix}_${view}`, dims, where: whereOf(free, own) };
  }
  return out;
}

/** Counts for a view from its active cube, with the active filter's current value. */
export function activeViewSql(spec: CubeSpec, view: CubeView, f: CubeFilters, active: Exclude<CubeFilterKey, 'bbox'>): Sql {
  const own = OWN_FILTER[view];
  const others = (['dates', 'hourOfWeek', 'types', 'areas', 'bbox'] as CubeFilterKey[]).filter((k) => k !== active);
  const where = cubeWhere(f, spec.dims, own ? [...others, own] : others);
  if (!where) throw new Error(`cube ${spec.name} cannot answer the ${active} filter`);
  return own === active ? cubeCountsSql(spec.name, VIEW_GROUP_BY[view], sql`TRUE`) : cubeCountsSql(spec.name, VIEW_GROUP_BY[view], where);
}
