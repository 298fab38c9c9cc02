import type { SquareGridSpec } from '../../analysis/binning';
import type { ClusterCall } from '../../analysis/repeat-clusters';
import type { EvidenceRow } from '../../analysis/rotation-candidates';
import type { TierMap } from '../../analysis/tiers';
import type { Row } from '../rows';
import { ident, inList, type Sql, sql } from '../sql';
import { categoryCase, referralCase, tierCase } from './tiers';

/**
 * SQL for the patrol-rotation planner and its backtest, over the canonical `calls` table.
 * Everything is aggregated here; the planner (src/analysis/rotation*.ts) only sees counts per
 * grid cell. Times are the naive agency wall-clock TIMESTAMPs (no ICU in duckdb-wasm).
 */
export interface RotationQueryOptions {
  /** Square grid of the analysis (binning.ts): ids are computed in SQL with the same arithmetic. */
  grid: SquareGridSpec;
  /** Table or view of canonical calls (default `calls`). */
  table?: string;
  /**
   * Officer-initiated calls are left out of the targeting evidence by default: patrol creates
   * its own calls where it already is, so counting them feeds the plan back into itself.
   */
  includeSelfInitiated?: boolean;
  /** Call-type codes in scope (case-insensitive); absent = every type. */
  typeCodes?: readonly string[];
  /** Extra filter from the selection. */
  where?: Sql;
}

export interface EvidenceQueryOptions extends RotationQueryOptions {
  /** Evidence window [start, end), 'YYYY-MM-DD HH:MM:SS' agency wall-clock. */
  start: string;
  end: string;
  /** Exponential recency weight 0.5^(age / halfLifeDays), age measured back from `end`. */
  halfLifeDays: number;
  /** Calls in the last `recentDays` before `end` are also counted on their own ("last period"). */
  recentDays: number;
  /** Tier map for the referral rule; without it no call counts as referral-suited. */
  tierMap?: TierMap;
  /** Tier-1 categories that count as referral-suited even when the rule has no referral flag. */
  referralCategories?: readonly string[];
}

/** `col`, `row` of the square grid cell of each call (NULL without a location). */
export function cellColumns(grid: SquareGridSpec): Sql {
  // Same operation order as binning.ts squareCellOf (subtract, multiply, divide, floor) with DOUBLE
  // parameters, so SQL and TypeScript put a point on a cell boundary into the same cell.
  return sql`CAST(floor((lon - ${grid.originLon}::DOUBLE) * ${grid.metersPerDegreeLon}::DOUBLE / ${grid.cellMeters}::DOUBLE) AS INTEGER) AS col,
    CAST(floor((lat - ${grid.originLat}::DOUBLE) * ${grid.metersPerDegreeLat}::DOUBLE / ${grid.cellMeters}::DOUBLE) AS INTEGER) AS row`;
}

/** The planner's call filter (located, timed, officer-initiated and type scope, extra WHERE); the backtest queries reuse it. */
export function scope(o: RotationQueryOptions): Sql {
  const self = o.includeSelfInitiated ? sql`TRUE` : sql`coalesce(self_initiated, false) = false`;
  const types = o.typeCodes ? sql`upper(trim(type_code)) IN ${inList(o.typeCodes.map((t) => t.trim().toUpperCase()))}` : sql`TRUE`;
  return sql`lon IS NOT NULL AND lat IS NOT NULL AND received_at IS NOT NULL AND ${self} AND ${types} AND (${o.where ?? sql`TRUE`})`;
}

/**
 * Evidence per cell × hour of day × call type in the window: raw calls, recency-weighted calls,
 * calls in the last period, referral-suited calls, officer-initiated calls, and the area that
 * most of them carry. At most one row per call, so the result stays small.
 */
export function cellHourEvidence(o: EvidenceQueryOptions): Sql {
  const referral = o.tierMap
    ? sql`(${tierCase(o.tierMap, 'final')} = 1 AND (${referralCase(o.tierMap, 'final')} OR lower(${categoryCase(o.tierMap, 'final')}) IN ${inList((o.referralCategories ?? []).map((c) => c.toLowerCase()))}))`
    : sql`false`;
  const end = sql`CAST(${o.end} AS TIMESTAMP)`;
  return sql`
    WITH c AS (
      SELECT ${cellColumns(o.grid)}, CAST(hour(received_at) AS INTEGER) AS hour, coalesce(type_code, '') AS type_code,
        coalesce(type_text, '') AS type_text, area_id, district, block_address, self_initiated,
        (epoch(${end}) - epoch(received_at)) / 86400.0 AS age_days, coalesce(${referral}, false) AS referral
      FROM ${ident(o.table ?? 'calls')}
      WHERE ${scope(o)} AND received_at >= CAST(${o.start} AS TIMESTAMP) AND received_at < ${end})
    SELECT col, row, hour, type_code, any_value(type_text) AS type_text, mode(area_id) AS area_id, mode(district) AS district, mode(block_address) AS block_address,
      count(*)::INTEGER AS calls,
      sum(pow(0.5, age_days / ${o.halfLifeDays}::DOUBLE)) AS weighted,
      (count(*) FILTER (WHERE age_days <= ${o.recentDays}::DOUBLE))::INTEGER AS recent,
      (count(*) FILTER (WHERE referral))::INTEGER AS referral,
      (count(*) FILTER (WHERE self_initiated))::INTEGER AS self_initiated
    FROM c GROUP BY col, row, hour, type_code ORDER BY col, row, hour, type_code`;
}

export interface DailyQueryOptions extends RotationQueryOptions {
  /** Day 0 starts at this wall-clock midnight, 'YYYY-MM-DD'. */
  startDate: string;
  /** Days counted (calls on or after startDate + days are left out). */
  days: number;
}

/** Calls per cell per day since `startDate`: the backtest builds every origin's window from these. */
export function dailyCellCounts(o: DailyQueryOptions): Sql {
  const start = sql`CAST(${o.startDate} AS DATE)`;
  return sql`
    SELECT col, row, day, count(*)::INTEGER AS calls FROM (
      SELECT ${cellColumns(o.grid)}, CAST(date_diff('day', ${start}, CAST(received_at AS DATE)) AS INTEGER) AS day
      FROM ${ident(o.table ?? 'calls')} WHERE ${scope(o)})
    WHERE day >= 0 AND day < ${o.days}::INTEGER
    GROUP BY col, row, day ORDER BY day, col, row`;
}

/** First and last received time, and the lon/lat medians that fix the grid origin. */
export function dataExtent(o: { table?: string; where?: Sql } = {}): Sql {
  return sql`SELECT strftime(min(received_at), '%Y-%m-%d %H:%M:%S') AS first, strftime(max(received_at), '%Y-%m-%d %H:%M:%S') AS last,
    median(lon) AS lon, median(lat) AS lat, count(*)::INTEGER AS calls
    FROM ${ident(o.table ?? 'calls')} WHERE received_at IS NOT NULL AND (${o.where ?? sql`TRUE`})`;
}

/** Calls in the evidence window, as repeat-clusters.ts takes them (wall-clock ms stored as if UTC). */
export function evidenceCalls(o: RotationQueryOptions & { start: string; end: string }): Sql {
  return sql`SELECT call_id, lon, lat, epoch_ms(received_at)::DOUBLE AS t, coalesce(type_text, type_code, '') AS type_text,
      area_id, block_address, self_initiated
    FROM ${ident(o.table ?? 'calls')}
    WHERE ${scope(o)} AND received_at >= CAST(${o.start} AS TIMESTAMP) AND received_at < CAST(${o.end} AS TIMESTAMP)
    ORDER BY received_at, call_id`;
}

const textOrNull = (v: unknown) => (v == null ? null : String(v));

/** Rows of `cellHourEvidence` as the planner takes them (one reader for the app, the CLI and the briefing). */
export function evidenceRowsFrom(rows: readonly Row[]): EvidenceRow[] {
  return rows.map((r) => ({
    col: Number(r.col),
    row: Number(r.row),
    hour: Number(r.hour),
    typeCode: String(r.type_code),
    typeText: String(r.type_text),
    areaId: textOrNull(r.area_id),
    district: textOrNull(r.district),
    blockAddress: textOrNull(r.block_address),
    calls: Number(r.calls),
    weighted: Number(r.weighted),
    recent: Number(r.recent),
    referral: Number(r.referral),
    selfInitiated: Number(r.self_initiated),
  }));
}

/** Rows of `evidenceCalls` as repeat-clusters.ts takes them. */
export function evidenceCallsFrom(rows: readonly Row[]): ClusterCall[] {
  return rows.map((r) => ({
    id: String(r.call_id),
    lon: Number(r.lon),
    lat: Number(r.lat),
    receivedAtMs: Number(r.t),
    typeText: String(r.type_text),
    areaId: textOrNull(r.area_id),
    blockAddress: textOrNull(r.block_address),
    selfInitiated: r.self_initiated == null ? null : Boolean(r.self_initiated),
  }));
}
