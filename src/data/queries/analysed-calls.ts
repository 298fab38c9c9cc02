import type { ExclusionCount, ExclusionEntry } from '../../analysis/exclusions';
import { validateExclusions } from '../../analysis/exclusions';
import { EARTH_RADIUS_METERS } from '../../analysis/local-projection';
import type { Db } from '../db-types';
import { toRows } from '../rows';
import { ident, inList, join, type Sql, sql, unsafeRaw } from '../sql';

/**
 * The calls every statistic sees: the dashboard's current filters (`where`, the selection's
 * clause over canonical columns), a usable point, and none of the exclusion list. Every query
 * of the analysis pipeline starts here so hotspots, clusters, the cube and Knox agree on n.
 */
export interface QueryScope {
  /** filter clause over canonical columns, from the selection (cross-filter) */
  where?: Sql;
  /** places whose calls are not about the place (police station, jail): removed first */
  exclusions?: readonly ExclusionEntry[];
  /** table or view with canonical calls; default `calls` */
  table?: string;
}

const dbl = (v: number) => sql`CAST(${v} AS DOUBLE)`;

/**
 * Haversine on the sphere of radius EARTH_RADIUS_METERS, term for term as
 * `haversineMeters` so the SQL mask and `applyExclusions` agree on who is inside.
 */
export function haversineSql(lon: number, lat: number): Sql {
  const r = unsafeRaw('0.017453292519943295'); // π/180
  return sql`(2 * ${dbl(EARTH_RADIUS_METERS)} * atan2(sqrt(
      pow(sin((lat - ${dbl(lat)}) * ${r} / 2), 2) + cos(${dbl(lat)} * ${r}) * cos(lat * ${r}) * pow(sin((lon - ${dbl(lon)}) * ${r} / 2), 2)),
    sqrt(1 - (pow(sin((lat - ${dbl(lat)}) * ${r} / 2), 2) + cos(${dbl(lat)} * ${r}) * cos(lat * ${r}) * pow(sin((lon - ${dbl(lon)}) * ${r} / 2), 2)))))`;
}

/** TRUE for calls matched by this entry (inclusive radius, as exclusions.ts). */
export function exclusionHit(entry: ExclusionEntry): Sql {
  if (entry.kind === 'area') return sql`coalesce(area_id IN ${inList([...entry.areaIds])}, FALSE)`;
  return sql`coalesce(${haversineSql(entry.lon, entry.lat)} <= ${dbl(entry.radiusMeters)}, FALSE)`;
}

export function excludedSql(entries: readonly ExclusionEntry[]): Sql {
  if (entries.length === 0) return sql`FALSE`;
  return sql`(${join(entries.map(exclusionHit), ' OR ')})`;
}

/** Filtered calls with a usable point, before exclusions (for counting what the mask removes). */
export function locatedCalls(scope: QueryScope = {}): Sql {
  return sql`(SELECT * FROM ${ident(scope.table ?? 'calls')}
    WHERE (${scope.where ?? sql`TRUE`}) AND lon IS NOT NULL AND lat IS NOT NULL AND isfinite(lon) AND isfinite(lat))`;
}

/** The analysed calls: filtered, located, not excluded. */
export function analysedCalls(scope: QueryScope = {}): Sql {
  const entries = scope.exclusions ?? [];
  validateExclusions(entries);
  return sql`(SELECT * FROM ${locatedCalls(scope)} WHERE NOT ${excludedSql(entries)})`;
}

/** Per entry: calls charged to it (first match wins) and calls it matches at all, as applyExclusions. */
export function exclusionCountsSql(scope: QueryScope): Sql {
  const entries = scope.exclusions ?? [];
  const columns = entries.map((e, k) => {
    const earlier = entries.slice(0, k);
    const first = earlier.length ? sql`${exclusionHit(e)} AND NOT ${excludedSql(earlier)}` : exclusionHit(e);
    return sql`count(*) FILTER (WHERE ${first})::INTEGER AS ${ident(`x${k}`)}, count(*) FILTER (WHERE ${exclusionHit(e)})::INTEGER AS ${ident(`m${k}`)}`;
  });
  return sql`SELECT count(*)::INTEGER AS located${columns.length ? sql`, ${join(columns, ', ')}` : sql``} FROM ${locatedCalls(scope)}`;
}

export interface ExclusionSummary {
  /** filtered calls with a usable point, before the mask */
  located: number;
  /** calls left for the statistics */
  analysed: number;
  counts: ExclusionCount[];
}

export async function fetchExclusionSummary(db: Db, scope: QueryScope): Promise<ExclusionSummary> {
  const entries = scope.exclusions ?? [];
  validateExclusions(entries);
  const row = toRows(await db.query(exclusionCountsSql(scope)))[0] ?? {};
  const counts = entries.map((e, k) => ({ id: e.id, label: e.label, excluded: Number(row[`x${k}`] ?? 0), matched: Number(row[`m${k}`] ?? 0) }));
  const located = Number(row.located ?? 0);
  return { located, analysed: located - counts.reduce((a, c) => a + c.excluded, 0), counts };
}

/** Every analysed point (distance decay needs each call, not cell totals). */
export async function fetchAnalysedPoints(db: Db, scope: QueryScope = {}): Promise<{ lon: Float64Array; lat: Float64Array }> {
  const t = await db.query(sql`SELECT lon, lat FROM ${analysedCalls(scope)}`);
  return {
    lon: Float64Array.from((t.getChild('lon')?.toArray() ?? []) as ArrayLike<number>),
    lat: Float64Array.from((t.getChild('lat')?.toArray() ?? []) as ArrayLike<number>),
  };
}
