import type { TierMap } from '../../analysis/tiers';
import { join, type Sql, sql } from '../sql';
import { type CallsQueryOptions, filteredCalls, tieredCalls } from './tiers';

/**
 * Equity measures in DuckDB: response-time distributions by tier and area, their relation to
 * distance, reporting channel and self-initiated shares. Medians and p90s use DuckDB's
 * `quantile_cont`, which is Hyndman & Fan type 7 like src/analysis/quantiles.ts.
 */
export type ResponseMeasure = 'dispatch' | 'arrive' | 'close';

/** Intervals longer than this are treated as data-entry errors and counted, not summarised. */
export const DEFAULT_MAX_MINUTES: Record<ResponseMeasure, number> = { dispatch: 24 * 60, arrive: 24 * 60, close: 3 * 24 * 60 };

const END_COLUMN: Record<ResponseMeasure, Sql> = {
  dispatch: sql`dispatched_at`,
  arrive: sql`arrived_at`,
  close: sql`closed_at`,
};

export interface ResponseOptions extends CallsQueryOptions {
  measures?: readonly ResponseMeasure[];
  maxMinutes?: Partial<Record<ResponseMeasure, number>>;
}

function measured(map: TierMap, options: ResponseOptions): Sql {
  const measures = options.measures ?? (['dispatch', 'arrive', 'close'] as const);
  const parts = measures.map(
    (m) => sql`SELECT ${m} AS measure, ${options.maxMinutes?.[m] ?? DEFAULT_MAX_MINUTES[m]}::DOUBLE AS max_minutes,
      final_tier, area_id, area_name, lon, lat, district,
      date_diff('second', received_at, ${END_COLUMN[m]}) / 60.0 AS minutes FROM t`,
  );
  return sql`WITH t AS (SELECT * FROM ${tieredCalls(map, options)} WHERE received_at IS NOT NULL) ${join(parts, ' UNION ALL ')}`;
}

/**
 * Received → dispatched / arrived / closed, in minutes, for every grouping at once:
 * `grouping` = 'tier-area', 'tier', 'area' or 'all' (city-wide). Per row: calls, missing end
 * time, negative intervals, implausibly long ones (> max_minutes), valid ones, and the
 * median, p90 and mean of the valid ones.
 */
export function responseTimes(map: TierMap, options: ResponseOptions = {}): Sql {
  return sql`WITH m AS (${measured(map, options)}),
    v AS (SELECT *, CASE WHEN minutes >= 0 AND minutes <= max_minutes THEN minutes END AS ok FROM m)
    SELECT measure,
      CASE grouping(final_tier, area_id) WHEN 0 THEN 'tier-area' WHEN 1 THEN 'tier' WHEN 2 THEN 'area' ELSE 'all' END AS grouping,
      final_tier AS tier, area_id, any_value(area_name) AS area_name,
      count(*)::INTEGER AS calls, count_if(minutes IS NULL)::INTEGER AS missing,
      count_if(minutes < 0)::INTEGER AS negative, count_if(minutes > max_minutes)::INTEGER AS implausible,
      count(ok)::INTEGER AS valid, quantile_cont(ok, 0.5)::DOUBLE AS median_minutes,
      quantile_cont(ok, 0.9)::DOUBLE AS p90_minutes, avg(ok)::DOUBLE AS mean_minutes
    FROM v GROUP BY GROUPING SETS ((measure, final_tier, area_id), (measure, final_tier), (measure, area_id), (measure))
    ORDER BY measure, grouping, tier NULLS LAST, area_id NULLS LAST`;
}

export interface Station {
  /** district value as it appears in calls.district */
  district: string;
  lon: number;
  lat: number;
}

export interface DistanceOptions extends ResponseOptions {
  /** District stations: each call is measured from its own district's station. */
  stations?: readonly Station[];
  /** Used when no stations are given; default the mean of the calls' points. */
  centre?: { lon: number; lat: number };
  /** Band edges in km, ascending; bands are [edge_i, edge_{i+1}) and the last is open (default 0,1,2,4,8). */
  bandEdgesKm?: readonly number[];
}

// Turf's earth radius (methods.md §0), so distances agree with the map's measurements.
const EARTH_RADIUS_KM = 6371.0088;

function withDistance(map: TierMap, options: DistanceOptions): Sql {
  const measure = options.measures?.[0] ?? 'arrive';
  const base = measured(map, { ...options, measures: [measure] });
  let origin: Sql;
  if (options.stations && options.stations.length > 0) {
    const rows = options.stations.map((s) => sql`(${s.district}, ${s.lon}::DOUBLE, ${s.lat}::DOUBLE)`);
    origin = sql`LEFT JOIN (VALUES ${join(rows, ', ')}) AS o(district, o_lon, o_lat) ON o.district = m.district`;
  } else if (options.centre) {
    origin = sql`CROSS JOIN (SELECT ${options.centre.lon}::DOUBLE AS o_lon, ${options.centre.lat}::DOUBLE AS o_lat) AS o`;
  } else {
    origin = sql`CROSS JOIN (SELECT avg(lon) AS o_lon, avg(lat) AS o_lat FROM m WHERE lon IS NOT NULL AND lat IS NOT NULL) AS o`;
  }
  return sql`WITH m AS (${base}),
    d AS (SELECT m.*, 2 * ${EARTH_RADIUS_KM} * asin(sqrt(pow(sin(radians(m.lat - o.o_lat) / 2), 2)
        + cos(radians(o.o_lat)) * cos(radians(m.lat)) * pow(sin(radians(m.lon - o.o_lon) / 2), 2))) AS km
      FROM m ${origin})
    SELECT *, CASE WHEN minutes >= 0 AND minutes <= max_minutes THEN minutes END AS ok FROM d`;
}

/**
 * Response time by distance band: calls with a valid interval and a distance, their median
 * and p90; plus calls with no distance (no point, or no station for their district).
 */
export function responseByDistanceBand(map: TierMap, options: DistanceOptions = {}): Sql {
  const edges = [...(options.bandEdgesKm ?? [0, 1, 2, 4, 8])].sort((a, b) => a - b);
  const cases = edges.map((e, i) => sql` WHEN km >= ${e} THEN ${i}`).reverse();
  return sql`WITH x AS (${withDistance(map, options)}),
    b AS (SELECT *, CASE${join(cases, '')} END::INTEGER AS band FROM x WHERE ok IS NOT NULL)
    SELECT band, count(*)::INTEGER AS calls, min(km)::DOUBLE AS min_km, max(km)::DOUBLE AS max_km,
      quantile_cont(ok, 0.5)::DOUBLE AS median_minutes, quantile_cont(ok, 0.9)::DOUBLE AS p90_minutes
    FROM b GROUP BY band ORDER BY band NULLS LAST`;
}

/**
 * Spearman's rho between distance and response minutes over calls with both, computed in SQL
 * as the Pearson correlation of mid-ranks (ties share their average rank, as in R).
 */
export function responseDistanceSpearman(map: TierMap, options: DistanceOptions = {}): Sql {
  return sql`WITH x AS (${withDistance(map, options)}),
    c AS (SELECT km, ok FROM x WHERE ok IS NOT NULL AND km IS NOT NULL),
    r AS (SELECT rank() OVER (ORDER BY km) + (count(*) OVER (PARTITION BY km) - 1) / 2.0 AS rk,
                 rank() OVER (ORDER BY ok) + (count(*) OVER (PARTITION BY ok) - 1) / 2.0 AS ro FROM c)
    SELECT count(*)::INTEGER AS n, corr(rk, ro)::DOUBLE AS rho FROM r`;
}

/** Calls by area and reporting channel (NULL channel = not recorded). */
export function channelMixByArea(options: CallsQueryOptions = {}): Sql {
  return sql`SELECT area_id, any_value(area_name) AS area_name, nullif(lower(trim(channel)), '') AS channel, count(*)::INTEGER AS n
    FROM ${filteredCalls(options)} GROUP BY ALL ORDER BY area_id NULLS LAST, n DESC`;
}

/** Officer-initiated vs resident-initiated calls by area. */
export function initiationByArea(options: CallsQueryOptions = {}): Sql {
  return sql`SELECT area_id, any_value(area_name) AS area_name, count(*)::INTEGER AS calls,
      count_if(self_initiated)::INTEGER AS self_initiated, count_if(NOT self_initiated)::INTEGER AS resident,
      count_if(self_initiated IS NULL)::INTEGER AS unknown
    FROM ${filteredCalls(options)} GROUP BY area_id ORDER BY area_id NULLS LAST`;
}
