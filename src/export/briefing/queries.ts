import type { SquareGridSpec } from '../../analysis/binning';
import type { TierMap } from '../../analysis/tiers';
import type { Db } from '../../data/db-types';
import { squareColSql, squareRowSql } from '../../data/queries/cells';
import { tierCase } from '../../data/queries/tiers';
import { toRows } from '../../data/rows';
import { ident, join, type Sql, sql } from '../../data/sql';
import { type SensitiveCategory, sensitiveMatcher } from '../sensitive-types';
import type { Period } from './types';

/**
 * The briefing's aggregate SQL. Every count comes from `briefing_calls`: the canonical calls
 * with the sensitive category of each call attached (matched in TypeScript by sensitive-types.ts
 * over the distinct type combinations, then joined back in SQL, so the matcher's word rules are
 * the single definition). JS only ever sees grouped counts.
 */
export const BRIEFING_VIEW = 'briefing_calls';
const COMBOS = 'briefing_sensitive_types';

export interface SensitiveScope {
  /** calls per category (first matching category in list order), whole table */
  byCategory: Record<string, number>;
}

export async function prepareBriefingCalls(db: Db, categories: readonly SensitiveCategory[], table = 'calls'): Promise<SensitiveScope> {
  const combos = toRows(
    await db.query(sql`SELECT type_code, type_text, initial_type_text, count(*)::INTEGER AS n FROM ${ident(table)} GROUP BY ALL`),
  );
  const match = sensitiveMatcher(categories);
  const order = categories.map((c) => c.id);
  const hits: Sql[] = [];
  const byCategory: Record<string, number> = Object.fromEntries(order.map((id) => [id, 0]));
  for (const r of combos) {
    const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
    const ids = match({ code: str(r.type_code), text: str(r.type_text), initialText: str(r.initial_type_text) });
    if (ids.length === 0) continue;
    // One category per call (list order), so the categories add up to the total removed.
    const first = order.find((id) => ids.includes(id))!;
    byCategory[first] = (byCategory[first] ?? 0) + Number(r.n);
    hits.push(sql`(${str(r.type_code)}::VARCHAR, ${str(r.type_text)}::VARCHAR, ${str(r.initial_type_text)}::VARCHAR, ${first}::VARCHAR)`);
  }
  const values = hits.length > 0 ? join(hits, ', ') : sql`(NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR)`;
  await db.query(sql`CREATE OR REPLACE TABLE ${ident(COMBOS)} AS SELECT * FROM (VALUES ${values}) v(type_code, type_text, initial_type_text, category) WHERE category IS NOT NULL`);
  await db.query(sql`CREATE OR REPLACE VIEW ${ident(BRIEFING_VIEW)} AS SELECT c.*, s.category AS sensitive_category
    FROM ${ident(table)} c LEFT JOIN ${ident(COMBOS)} s
      ON c.type_code IS NOT DISTINCT FROM s.type_code AND c.type_text IS NOT DISTINCT FROM s.type_text
      AND c.initial_type_text IS NOT DISTINCT FROM s.initial_type_text`);
  return { byCategory };
}

const inPeriod = (p: Period): Sql => sql`received_at >= CAST(${p.start} AS TIMESTAMP) AND received_at < CAST(${p.end} AS TIMESTAMP)`;
const publicCalls = (p: Period): Sql => sql`(SELECT * FROM ${ident(BRIEFING_VIEW)} WHERE sensitive_category IS NULL AND ${inPeriod(p)})`;

export function areaTierSql(p: Period, map: TierMap): Sql {
  return sql`SELECT area_id, ${tierCase(map, 'final')} AS tier, count(*)::INTEGER AS n FROM ${publicCalls(p)} GROUP BY ALL`;
}

export function tierOutcomeSql(p: Period, map: TierMap): Sql {
  return sql`SELECT ${tierCase(map, 'final')} AS tier, nullif(upper(trim(disposition)), '') AS disposition, count(*)::INTEGER AS n
    FROM ${publicCalls(p)} GROUP BY ALL`;
}

export function hourOfWeekSql(p: Period): Sql {
  return sql`SELECT dow, hour, count(*)::INTEGER AS n FROM ${publicCalls(p)} GROUP BY ALL`;
}

/** 7-day bins counted from the period's first day (the last bin may be short; it is labelled so). */
export function weeksSql(p: Period): Sql {
  return sql`SELECT CAST(floor(date_diff('day', CAST(${p.start} AS DATE), CAST(received_at AS DATE)) / 7) AS INTEGER) AS week, count(*)::INTEGER AS n
    FROM ${publicCalls(p)} GROUP BY ALL`;
}

/** Square cells of the briefing grid; calls without a usable point come back with NULL col/row. */
export function cellsSql(p: Period, spec: SquareGridSpec): Sql {
  const located = sql`lon IS NOT NULL AND lat IS NOT NULL AND isfinite(lon) AND isfinite(lat)`;
  return sql`SELECT CASE WHEN ${located} THEN ${squareColSql(spec)} END AS col, CASE WHEN ${located} THEN ${squareRowSql(spec)} END AS row,
    count(*)::INTEGER AS n FROM ${publicCalls(p)} GROUP BY ALL`;
}

/** Sensitive calls per calendar month and category, inside [from, to). */
export function sensitiveMonthsSql(from: string, to: string): Sql {
  return sql`SELECT strftime(received_at, '%Y-%m') AS month, sensitive_category AS category, count(*)::INTEGER AS n
    FROM ${ident(BRIEFING_VIEW)} WHERE sensitive_category IS NOT NULL
      AND received_at >= CAST(${from} AS TIMESTAMP) AND received_at < CAST(${to} AS TIMESTAMP) GROUP BY ALL`;
}

export function dataDaysSql(): Sql {
  return sql`SELECT strftime(min(received_at), '%Y-%m-%d') AS first_day, strftime(max(received_at), '%Y-%m-%d') AS last_day
    FROM ${ident(BRIEFING_VIEW)} WHERE received_at IS NOT NULL`;
}

export async function rows(db: Db, q: Sql) {
  return toRows(await db.query(q));
}
