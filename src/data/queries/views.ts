import type { TierMap } from '../../analysis/tiers';
import { ident, inList, join, type Sql, sql, unsafeRaw } from '../sql';
import { tierCase } from './tiers';

/**
 * The SQL behind each dashboard view. `where` is the selection's predicate for that view
 * (every active clause but its own); every view counts the same rows, so the heatmap, the
 * time series, the type bars, the area table and the total always add up to one number.
 */
export interface ViewQueryOptions {
  where?: Sql;
  /** Table or view with canonical calls (default `calls`). */
  table?: string;
}

const from = (o: ViewQueryOptions): Sql => sql`${ident(o.table ?? 'calls')}`;
const where = (o: ViewQueryOptions): Sql => o.where ?? sql`TRUE`;

/** One row `n`: calls matching the predicate. */
export function totalCount(o: ViewQueryOptions = {}): Sql {
  return sql`SELECT count(*)::INTEGER AS n FROM ${from(o)} WHERE ${where(o)}`;
}

/** Rows (dow 0 = Monday, hour, n) for the non-empty hour-of-week cells. */
export function hourOfWeekCounts(o: ViewQueryOptions = {}): Sql {
  return sql`SELECT dow, hour, count(*)::INTEGER AS n FROM ${from(o)} WHERE ${where(o)}
    GROUP BY dow, hour ORDER BY dow, hour`;
}

export type SeriesInterval = 'day' | 'week';
const INTERVALS: Record<SeriesInterval, { unit: string; step: string }> = {
  day: { unit: 'day', step: 'INTERVAL 1 DAY' },
  // DuckDB's date_trunc('week') starts weeks on Monday (ISO), like `dow`.
  week: { unit: 'week', step: 'INTERVAL 7 DAY' },
};

/**
 * Rows (bucket 'YYYY-MM-DD' = first day of the bucket, n). Zero-filled over the whole
 * table's span, not the filtered rows', so the axis stays put while filters change and a
 * quiet week shows as 0 instead of vanishing.
 */
export function timeSeries(o: ViewQueryOptions & { interval?: SeriesInterval } = {}): Sql {
  const { unit, step } = INTERVALS[o.interval ?? 'day'];
  const u = unsafeRaw(`'${unit}'`);
  return sql`WITH counts AS (
      SELECT date_trunc(${u}, received_at)::TIMESTAMP AS bucket, count(*)::INTEGER AS n
      FROM ${from(o)} WHERE ${where(o)} GROUP BY 1),
    span AS (SELECT date_trunc(${u}, min(received_at))::TIMESTAMP AS lo, date_trunc(${u}, max(received_at))::TIMESTAMP AS hi FROM ${from(o)}),
    grid AS (SELECT unnest(generate_series(lo, hi, ${unsafeRaw(step)})) AS bucket FROM span WHERE lo IS NOT NULL
      UNION SELECT bucket FROM counts)
    SELECT strftime(grid.bucket, '%Y-%m-%d') AS bucket, coalesce(counts.n, 0)::INTEGER AS n
    FROM grid LEFT JOIN counts USING (bucket) ORDER BY grid.bucket`;
}

/**
 * Rows (type_code, type_text, tier, n), largest first. `tier` is the final tier from the
 * tier map (NULL = unknown, or no map yet); a code whose priority decides its tier appears
 * once per tier, so the bars can stack or colour by tier and still sum to the total.
 */
export function typeCounts(o: ViewQueryOptions & { tierMap?: TierMap } = {}): Sql {
  const tier = o.tierMap ? tierCase(o.tierMap, 'final') : sql`CAST(NULL AS INTEGER)`;
  return sql`SELECT type_code, mode(type_text) AS type_text, ${tier} AS tier, count(*)::INTEGER AS n
    FROM ${from(o)} WHERE ${where(o)} GROUP BY 1, 3 ORDER BY n DESC, type_code NULLS LAST, tier NULLS LAST`;
}

export interface AreaRankingOptions extends ViewQueryOptions {
  /**
   * The period counted, as wall-clock TIMESTAMP literals 'YYYY-MM-DD HH:MM:SS' ([start, end)).
   * `where` must then NOT contain the time clause: the previous period of equal length
   * [start − (end − start), start) is counted from the same rows.
   */
  period?: { start: string; end: string };
  /** Residents per area id; areas missing here get a NULL rate, never a guess. */
  population?: Readonly<Record<string, number>>;
}

/**
 * Rows (area_id, area_name, n, previous_n, change, change_pct, previous_complete,
 * population, per_1000), most calls first. area_id NULL collects calls outside every area
 * (or unlocated), so the column still sums to the total. previous_complete is false when the
 * data start after the previous period begins: a change against half a period is not a change.
 * Judged by day: data starting at 00:07 on the day the previous period begins cover it.
 */
export function areaRanking(o: AreaRankingOptions = {}): Sql {
  const p = o.period;
  const start = p ? sql`CAST(${p.start} AS TIMESTAMP)` : null;
  const end = p ? sql`CAST(${p.end} AS TIMESTAMP)` : null;
  const current = start && end ? sql`received_at >= ${start} AND received_at < ${end}` : sql`TRUE`;
  const prevStart = start && end ? sql`(${start} - (${end} - ${start}))` : null;
  const previous = start && prevStart ? sql`received_at >= ${prevStart} AND received_at < ${start}` : sql`FALSE`;
  const pops = Object.entries(o.population ?? {}).filter(([, v]) => Number.isFinite(v) && v > 0);
  const popRows = pops.length > 0 ? join(pops.map(([id, v]) => sql`(${id}, ${v}::DOUBLE)`), ', ') : sql`(NULL::VARCHAR, NULL::DOUBLE)`;
  const timeScope = start && prevStart && end ? sql`AND received_at >= ${prevStart} AND received_at < ${end}` : sql``;
  return sql`WITH pop(area_id, population) AS (VALUES ${popRows}),
    g AS (
      SELECT area_id, any_value(area_name) AS area_name,
        count(*) FILTER (WHERE ${current})::INTEGER AS n,
        ${p ? sql`count(*) FILTER (WHERE ${previous})::INTEGER` : sql`CAST(NULL AS INTEGER)`} AS previous_n
      FROM ${from(o)} WHERE ${where(o)} ${timeScope} GROUP BY area_id)
    SELECT g.area_id, g.area_name, g.n, g.previous_n, g.n - g.previous_n AS change,
      CASE WHEN g.previous_n > 0 THEN 100.0 * (g.n - g.previous_n) / g.previous_n END AS change_pct,
      ${prevStart ? sql`(SELECT date_trunc('day', min(received_at)) FROM ${from(o)}) <= ${prevStart}` : sql`CAST(NULL AS BOOLEAN)`} AS previous_complete,
      pop.population, CASE WHEN pop.population > 0 THEN 1000.0 * g.n / pop.population END AS per_1000
    FROM g LEFT JOIN pop ON pop.area_id = g.area_id
    WHERE g.n > 0 OR coalesce(g.previous_n, 0) > 0
    ORDER BY g.n DESC, g.area_id NULLS LAST`;
}

/**
 * Rows (type_code) of the codes whose calls carry one of these type texts: links and saved
 * views from before the filters used codes name types by text (see `withTypeCodes` in
 * src/state/url.ts). A code whose calls show several texts is found by any of them.
 */
export function typeCodesForTexts(texts: readonly string[], o: Pick<ViewQueryOptions, 'table'> = {}): Sql {
  if (texts.length === 0) return sql`SELECT NULL::VARCHAR AS type_code WHERE FALSE`;
  return sql`SELECT DISTINCT type_code FROM ${from(o)} WHERE type_text IN ${inList([...texts])} ORDER BY type_code NULLS LAST`;
}

/** Rows (lon, lat) of the located calls matching the predicate: what the map draws. */
export function locatedPoints(o: ViewQueryOptions = {}): Sql {
  return sql`SELECT lon::DOUBLE AS lon, lat::DOUBLE AS lat FROM ${from(o)}
    WHERE ${where(o)} AND lon IS NOT NULL AND lat IS NOT NULL AND isfinite(lon) AND isfinite(lat)`;
}

/** Rows (type_code, type_text): each code's most common text over the whole table, for filter chips. */
export function typeNames(o: Pick<ViewQueryOptions, 'table'> = {}): Sql {
  return sql`SELECT type_code, mode(type_text) AS type_text FROM ${from(o)} WHERE type_code IS NOT NULL GROUP BY 1 ORDER BY 1`;
}

/** One row (start, end): the first day of data and the day after the last, ISO days; NULLs when empty. */
export function dataSpan(o: Pick<ViewQueryOptions, 'table'> = {}): Sql {
  return sql`SELECT strftime(min(received_at), '%Y-%m-%d') AS start,
    strftime(CAST(max(received_at) AS DATE) + INTERVAL 1 DAY, '%Y-%m-%d') AS "end" FROM ${from(o)}`;
}
