import type { TierMap } from '../../analysis/tiers';
import { ident, type Sql, sql } from '../sql';
import { type CallsQueryOptions, tieredCalls } from './tiers';

/** Calls by final tier, area and disposition (NULL disposition kept as its own group). */
export function dispositionsByTierArea(map: TierMap, options: CallsQueryOptions = {}): Sql {
  return sql`SELECT final_tier AS tier, area_id, any_value(area_name) AS area_name,
      nullif(upper(trim(disposition)), '') AS disposition, count(*)::INTEGER AS n
    FROM ${tieredCalls(map, options)} GROUP BY ALL ORDER BY tier NULLS LAST, area_id NULLS LAST, n DESC`;
}

export interface RecurrenceQueryOptions extends CallsQueryOptions {
  /** Group the histogram by this (default: none, one city-wide group). */
  by?: 'tier' | 'type' | 'area' | 'none';
  /** Later calls within this many minutes are the same incident, not a recurrence (default 60). */
  sameIncidentMinutes?: number;
  /** Side of the grid cell used when a call has no block address (default 100 m). */
  cellMeters?: number;
  /** End of data coverage, 'YYYY-MM-DD HH:MM:SS'; default the latest received_at in the table. */
  dataEnd?: string;
  /** Longest horizon in days (default 90); longer follow-up and later recurrences share one bin. */
  maxDays?: number;
}

const GROUP_KEYS = {
  tier: sql`final_tier::VARCHAR`,
  type: sql`upper(trim(type_code))`,
  area: sql`area_id::VARCHAR`,
  none: sql`'all'`,
} as const;

/**
 * Recurrence histogram. For every call (the index call) at a place — its block address,
 * else a ~100 m grid cell — find the next call of the same problem (tier-map category, else
 * type code) at that place received at least `sameIncidentMinutes` later. Follow-up calls
 * are searched in the whole table, not just the filtered calls, so a time filter does not
 * hide a recurrence that happened after the window.
 *
 * Returns counts by (key, follow_bin, recur_bin): follow_bin = whole days of data after the
 * call (capped at maxDays + 1), recur_bin = days to the next call rounded up (NULL = none
 * seen; capped at maxDays + 1). `has_place = false` rows are calls with neither address nor
 * usable point; they cannot be judged. `recurrenceFromHistogram` turns this into rates.
 */
export function recurrenceHistogram(map: TierMap, options: RecurrenceQueryOptions = {}): Sql {
  const table = ident(options.table ?? 'calls');
  const cap = (options.maxDays ?? 90) + 1;
  // Degrees of latitude per metre on the WGS 84 mean sphere; longitude cells are widened by 1/cos(lat).
  const cellDeg = (options.cellMeters ?? 100) / 111_195;
  const end = options.dataEnd !== undefined ? sql`${options.dataEnd}::TIMESTAMP` : sql`(SELECT max(received_at) FROM ${table})`;
  const key = GROUP_KEYS[options.by ?? 'none'];
  return sql`WITH placed AS (
      SELECT *, coalesce(nullif(upper(trim(block_address)), ''),
          CASE WHEN lon BETWEEN -180 AND 180 AND lat BETWEEN -90 AND 90 AND NOT (lon = 0 AND lat = 0)
            THEN 'cell:' || floor(lat / ${cellDeg})::BIGINT || ':' || floor(lon * cos(radians(lat)) / ${cellDeg})::BIGINT END) AS place,
        coalesce(category, 'type:' || upper(trim(type_code))) AS problem
      FROM ${tieredCalls(map, { table: options.table })} WHERE received_at IS NOT NULL),
    nexted AS (
      SELECT *, min(received_at) OVER (PARTITION BY place, problem ORDER BY received_at
          RANGE BETWEEN to_minutes(${Math.max(1, Math.round(options.sameIncidentMinutes ?? 60))}::BIGINT) FOLLOWING AND UNBOUNDED FOLLOWING) AS next_at
      FROM placed),
    judged AS (
      SELECT ${key} AS key, place IS NOT NULL AS has_place,
        date_diff('second', received_at, next_at) / 86400.0 AS days_to_next,
        date_diff('second', received_at, ${end}) / 86400.0 AS follow_days
      FROM nexted WHERE ${options.where ?? sql`TRUE`})
    SELECT key, has_place, least(floor(follow_days), ${cap})::INTEGER AS follow_bin,
      CASE WHEN has_place THEN least(ceil(days_to_next), ${cap})::INTEGER END AS recur_bin, count(*)::INTEGER AS n
    FROM judged GROUP BY ALL ORDER BY key NULLS LAST, has_place, follow_bin, recur_bin NULLS LAST`;
}
