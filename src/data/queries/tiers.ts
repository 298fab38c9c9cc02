import type { TierMap, TierRule } from '../../analysis/tiers';
import { ident, join, type Sql, sql, unsafeRaw } from '../sql';

/**
 * Tier assignment and the triage audit, aggregated in DuckDB over the canonical `calls`
 * table. Rule values are parameters; the only SQL text comes from this file.
 */
export interface CallsQueryOptions {
  /** Filter clause over canonical columns (from the selection); applied to the calls analysed. */
  where?: Sql;
  /** Table or view holding canonical calls (default `calls`). */
  table?: string;
}

/** Which columns a rule is tested against: the type as it ended, or as first entered. */
export type TypeVersion = 'final' | 'initial';

const COLUMNS: Record<TypeVersion, { code: string; text: string; priority: string }> = {
  final: { code: 'type_code', text: 'type_text', priority: 'priority' },
  initial: { code: 'initial_type_code', text: 'initial_type_text', priority: 'initial_priority' },
};

function ruleCondition(rule: TierRule, which: TypeVersion): Sql {
  const c = COLUMNS[which];
  const parts: Sql[] = [];
  if (rule.typeCode !== undefined) parts.push(sql`upper(trim(${ident(c.code)})) = ${rule.typeCode.trim().toUpperCase()}`);
  if (rule.typePattern !== undefined) parts.push(sql`regexp_matches(${ident(c.text)}, ${rule.typePattern}, 'i')`);
  // A single NULL-safe prefix test, so "2" covers 2, 2A…2F and "2A" only 2A (tiers.ts matchRule).
  if (rule.priority !== undefined) parts.push(sql`starts_with(upper(trim(${ident(c.priority)})), ${rule.priority.trim().toUpperCase()})`);
  return join(parts, ' AND ');
}

function noType(which: TypeVersion): Sql {
  const c = COLUMNS[which];
  return sql`coalesce(trim(${ident(c.code)}), '') = '' AND coalesce(trim(${ident(c.text)}), '') = ''`;
}

// Every THEN/ELSE value is cast: an untyped NULL parameter (default: null) would otherwise make
// DuckDB refuse to mix the parameter types.
/**
 * CASE expression giving the tier (INTEGER 1–3, NULL = unknown) of each call, for its final
 * or initial type. First matching rule wins, as in `assignTier`.
 */
export function tierCase(map: TierMap, which: TypeVersion): Sql {
  const whens = map.rules.map((r) => sql` WHEN ${ruleCondition(r, which)} THEN ${r.tier}::INTEGER`);
  return sql`(CASE WHEN ${noType(which)} THEN NULL${join(whens, '')} ELSE ${map.default ?? null}::INTEGER END)::INTEGER`;
}

/** Category of the matching rule (VARCHAR NULL). */
export function categoryCase(map: TierMap, which: TypeVersion): Sql {
  const whens = map.rules.map((r) => sql` WHEN ${ruleCondition(r, which)} THEN ${r.category ?? null}::VARCHAR`);
  return sql`(CASE WHEN ${noType(which)} THEN NULL${join(whens, '')} ELSE NULL END)::VARCHAR`;
}

/** Whether the matching rule marks a referral opportunity (BOOLEAN, false when no rule). */
export function referralCase(map: TierMap, which: TypeVersion): Sql {
  const whens = map.rules.map((r) => sql` WHEN ${ruleCondition(r, which)} THEN ${r.referral === true}::BOOLEAN`);
  return sql`(CASE WHEN ${noType(which)} THEN false${join(whens, '')} ELSE false END)::BOOLEAN`;
}

/** Subquery: the calls selected by `where`, canonical columns only. */
export function filteredCalls(options: CallsQueryOptions = {}): Sql {
  return sql`(SELECT * FROM ${ident(options.table ?? 'calls')} WHERE ${options.where ?? sql`TRUE`})`;
}

/**
 * Subquery: every canonical column plus final_tier, initial_tier, category (final type)
 * and referral, filtered by `where`.
 */
export function tieredCalls(map: TierMap, options: CallsQueryOptions = {}): Sql {
  const where = options.where ?? sql`TRUE`;
  return sql`(SELECT *, ${tierCase(map, 'final')} AS final_tier, ${tierCase(map, 'initial')} AS initial_tier,
    ${categoryCase(map, 'final')} AS category, ${referralCase(map, 'final')} AS referral
    FROM ${ident(options.table ?? 'calls')} WHERE ${where})`;
}

/** Distinct call types (final and initial) with their priority counts: input to `suggestTiers`. */
export function typeCatalog(options: CallsQueryOptions = {}): Sql {
  const where = options.where ?? sql`TRUE`;
  const t = ident(options.table ?? 'calls');
  return sql`WITH f AS (SELECT * FROM ${t} WHERE ${where}),
    u AS (SELECT trim(type_code) AS code, type_text AS text, priority FROM f
          UNION ALL SELECT trim(initial_type_code), initial_type_text, initial_priority FROM f)
    SELECT code, any_value(text) AS text, coalesce(priority, '') AS priority, count(*)::INTEGER AS n
    FROM u WHERE code IS NOT NULL AND code <> '' GROUP BY code, coalesce(priority, '') ORDER BY code, priority`;
}

/** Calls by area and final tier (tier NULL = unknown). */
export function tierMixByArea(map: TierMap, options: CallsQueryOptions = {}): Sql {
  return sql`SELECT area_id, any_value(area_name) AS area_name, final_tier AS tier, count(*)::INTEGER AS n
    FROM ${tieredCalls(map, options)} GROUP BY area_id, final_tier ORDER BY area_id NULLS LAST, tier NULLS LAST`;
}

/** Calls by day of week (0 = Monday), hour and final tier: the hour-of-week heatmap per tier. */
export function tierMixByHourOfWeek(map: TierMap, options: CallsQueryOptions = {}): Sql {
  return sql`SELECT dow, hour, final_tier AS tier, count(*)::INTEGER AS n
    FROM ${tieredCalls(map, options)} GROUP BY dow, hour, final_tier ORDER BY dow, hour, tier NULLS LAST`;
}

/** Level 1 calls in a referral category, by area and type: what could go to outreach. */
export function referralOpportunities(map: TierMap, options: CallsQueryOptions = {}): Sql {
  return sql`SELECT area_id, any_value(area_name) AS area_name, category, trim(type_code) AS type_code,
      any_value(type_text) AS type_text, count(*)::INTEGER AS n
    FROM ${tieredCalls(map, options)} WHERE final_tier = 1 AND referral
    GROUP BY area_id, category, trim(type_code) ORDER BY n DESC, area_id, type_code`;
}

/** Initial tier × final tier counts (the confusion matrix input of `triageAudit`). */
export function triageConfusion(map: TierMap, options: CallsQueryOptions = {}): Sql {
  return sql`SELECT initial_tier, final_tier, count(*)::INTEGER AS n
    FROM ${tieredCalls(map, options)} GROUP BY ALL ORDER BY initial_tier NULLS LAST, final_tier NULLS LAST`;
}

const BREAKDOWN_KEYS = {
  type: 'trim(type_code)',
  initialType: 'trim(initial_type_code)',
  area: 'area_id',
  hour: 'hour',
  dow: 'dow',
  district: 'district',
} as const;
export type TriageBreakdown = keyof typeof BREAKDOWN_KEYS;

/**
 * Per group: calls with both tiers known (`total`), under- and over-triaged counts. The
 * group key is returned as text so every breakdown feeds `underTriageConcentration`.
 */
export function triageByGroup(map: TierMap, by: TriageBreakdown, options: CallsQueryOptions = {}): Sql {
  const key = unsafeRaw(BREAKDOWN_KEYS[by]);
  return sql`SELECT ${key}::VARCHAR AS key, count(*)::INTEGER AS total,
      count_if(initial_tier < final_tier)::INTEGER AS under,
      count_if(initial_tier > final_tier)::INTEGER AS over
    FROM ${tieredCalls(map, options)} WHERE initial_tier IS NOT NULL AND final_tier IS NOT NULL
    GROUP BY ALL ORDER BY key NULLS LAST`;
}

/** Under-triaged calls for case review, most severe (1 → 3) and most recent first. */
export function underTriagedCalls(map: TierMap, options: CallsQueryOptions & { limit?: number; severeOnly?: boolean } = {}): Sql {
  const severe = options.severeOnly ? sql`AND initial_tier = 1 AND final_tier = 3` : sql``;
  return sql`SELECT call_id, received_at, dispatched_at, arrived_at, closed_at,
      initial_type_code, initial_type_text, initial_priority, initial_tier,
      type_code, type_text, priority, final_tier, area_id, area_name, district, block_address
    FROM ${tieredCalls(map, options)} WHERE initial_tier < final_tier ${severe}
    ORDER BY final_tier - initial_tier DESC, received_at DESC, call_id LIMIT ${options.limit ?? 1000}`;
}
