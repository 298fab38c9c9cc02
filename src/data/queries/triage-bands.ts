import type { TierMap } from '../../analysis/tiers';
import { type Sql, sql } from '../sql';
import { type CallsQueryOptions, tieredCalls } from './tiers';

/**
 * Per initial type and hour: calls with both tiers known, under-triaged ones, and those
 * under-triaged to Level 3 (the ones that needed rapid response). Input to `typeHourBands`.
 */
export function triageByTypeHour(map: TierMap, options: CallsQueryOptions = {}): Sql {
  return sql`SELECT upper(trim(initial_type_code)) AS type, hour, count(*)::INTEGER AS total,
      count_if(initial_tier < final_tier)::INTEGER AS under,
      count_if(initial_tier < final_tier AND final_tier = 3)::INTEGER AS to_level3
    FROM ${tieredCalls(map, options)}
    WHERE initial_tier IS NOT NULL AND final_tier IS NOT NULL AND coalesce(trim(initial_type_code), '') <> '' AND hour IS NOT NULL
    GROUP BY ALL ORDER BY type, hour`;
}

/** Under-triaged calls by (initial type → final type), most frequent first. */
export function underTriageTransitions(map: TierMap, options: CallsQueryOptions & { limit?: number } = {}): Sql {
  return sql`SELECT upper(trim(initial_type_code)) AS initial_type, any_value(initial_type_text) AS initial_text, initial_tier,
      upper(trim(type_code)) AS final_type, any_value(type_text) AS final_text, final_tier, count(*)::INTEGER AS n
    FROM ${tieredCalls(map, options)} WHERE initial_tier < final_tier
    GROUP BY upper(trim(initial_type_code)), initial_tier, upper(trim(type_code)), final_tier
    ORDER BY n DESC, initial_type, final_type LIMIT ${options.limit ?? 50}`;
}

/**
 * Per area: valid received → arrival intervals, and how many exceed the city-wide p90 of the
 * same filtered calls (the input of `longWaitAreas`). Same validity rule as `responseTimes`.
 */
export function arrivalsAboveCityP90(map: TierMap, options: CallsQueryOptions & { maxMinutes?: number } = {}): Sql {
  return sql`WITH m AS (SELECT area_id, area_name, date_diff('second', received_at, arrived_at) / 60.0 AS minutes
        FROM ${tieredCalls(map, options)} WHERE received_at IS NOT NULL),
      v AS (SELECT * FROM m WHERE minutes >= 0 AND minutes <= ${options.maxMinutes ?? 24 * 60}),
      c AS (SELECT quantile_cont(minutes, 0.9)::DOUBLE AS city_p90 FROM v)
    SELECT area_id, any_value(area_name) AS area_name, count(*)::INTEGER AS valid,
      count_if(minutes > c.city_p90)::INTEGER AS above, any_value(c.city_p90) AS city_p90
    FROM v CROSS JOIN c GROUP BY area_id ORDER BY area_id NULLS LAST`;
}
