import type { DashboardFilters } from '../../state/dashboard-filters';
import type { Db } from '../db-types';
import { scalar, toRows } from '../rows';
import { type Sql, sql } from '../sql';
import { dashboardWhere } from './dashboard-where';

/**
 * One query per dashboard view. Each leaves out its own clause (see dashboard-filters.ts);
 * all read the canonical `calls` table, so they agree by construction with the headline.
 */
export interface HourOfWeekCount {
  dow: number;
  hour: number;
  n: number;
}
export interface DayCount {
  day: string;
  n: number;
}
export interface TypeCount {
  type: string;
  n: number;
}
export interface AreaRow {
  areaId: string;
  name: string;
  n: number;
  /** calls per km² in the filtered period (null without areas' km²) */
  perKm2: number | null;
  /** calls in the comparison's current and previous periods (same filters, their dates) */
  current: number;
  previous: number;
}

export interface Comparison {
  current: [string, string];
  previous: [string, string];
}

export async function matchingCount(db: Db, f: DashboardFilters): Promise<number> {
  return scalar(await db.query(sql`SELECT count(*) FROM calls WHERE ${dashboardWhere(f)}`));
}

export async function hourOfWeekCounts(db: Db, f: DashboardFilters): Promise<HourOfWeekCount[]> {
  const rows = toRows(await db.query(sql`SELECT dow, hour, count(*) AS n FROM calls WHERE ${dashboardWhere(f, 'hourOfWeek')} AND hour IS NOT NULL GROUP BY ALL ORDER BY ALL`));
  return rows.map((r) => ({ dow: Number(r.dow), hour: Number(r.hour), n: Number(r.n) }));
}

export async function dailyCounts(db: Db, f: DashboardFilters): Promise<DayCount[]> {
  const rows = toRows(
    await db.query(sql`SELECT strftime(CAST(received_at AS DATE), '%Y-%m-%d') AS day, count(*) AS n FROM calls
      WHERE ${dashboardWhere(f, 'dates')} AND received_at IS NOT NULL GROUP BY ALL ORDER BY day`),
  );
  return rows.map((r) => ({ day: String(r.day), n: Number(r.n) }));
}

export async function typeCounts(db: Db, f: DashboardFilters, limit = 40): Promise<TypeCount[]> {
  const rows = toRows(
    await db.query(sql`SELECT COALESCE(type_text, '(no type)') AS type, count(*) AS n FROM calls WHERE ${dashboardWhere(f, 'types')}
      GROUP BY ALL ORDER BY n DESC, type LIMIT ${limit}`),
  );
  return rows.map((r) => ({ type: String(r.type), n: Number(r.n) }));
}

/**
 * Per-area counts with the filters except the area clause, a rate per km² when the `areas`
 * table exists, and counts in the two comparison periods (other filters kept) for "change".
 */
export async function areaRows(db: Db, f: DashboardFilters, comparison: Comparison | null, hasAreasTable: boolean): Promise<AreaRow[]> {
  const all = dashboardWhere(f, 'areas');
  const inPeriod = (dates: [string, string] | undefined): Sql => (dates ? dashboardWhere({ ...f, dates }, 'areas') : sql`FALSE`);
  const km2 = hasAreasTable ? sql`(SELECT area_km2 FROM areas a WHERE a.area_id = c.area_id)` : sql`CAST(NULL AS DOUBLE)`;
  const rows = toRows(
    await db.query(sql`SELECT area_id, any_value(area_name) AS name,
        count(*) FILTER (WHERE ${all}) AS n, count(*) FILTER (WHERE ${inPeriod(comparison?.current)}) AS cur,
        count(*) FILTER (WHERE ${inPeriod(comparison?.previous)}) AS prev, any_value(${km2}) AS km2
      FROM calls c WHERE area_id IS NOT NULL GROUP BY area_id ORDER BY n DESC, area_id`),
  );
  return rows.map((r) => {
    const n = Number(r.n);
    const k = r.km2 == null ? null : Number(r.km2);
    return { areaId: String(r.area_id), name: String(r.name ?? r.area_id), n, perKm2: k && k > 0 ? n / k : null, current: Number(r.cur), previous: Number(r.prev) };
  });
}

/** Located calls matching every filter, as interleaved lon/lat for the map. */
export async function matchingPositions(db: Db, f: DashboardFilters): Promise<{ positions: Float64Array; length: number }> {
  const result = await db.query(sql`SELECT lon::DOUBLE AS lon, lat::DOUBLE AS lat FROM calls
    WHERE ${dashboardWhere(f)} AND lon IS NOT NULL AND lat IS NOT NULL AND isfinite(lon) AND isfinite(lat)`);
  const lon = result.getChild('lon')?.toArray() as Float64Array | undefined;
  const lat = result.getChild('lat')?.toArray() as Float64Array | undefined;
  const n = result.numRows;
  const positions = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    positions[2 * i] = lon![i]!;
    positions[2 * i + 1] = lat![i]!;
  }
  return { positions, length: n };
}

export async function dataSpan(db: Db): Promise<{ start: string; end: string } | null> {
  const [r] = toRows(
    await db.query(`SELECT strftime(min(received_at), '%Y-%m-%d') AS s, strftime(CAST(max(received_at) AS DATE) + INTERVAL 1 DAY, '%Y-%m-%d') AS e FROM calls`),
  );
  return r?.s ? { start: String(r.s), end: String(r.e) } : null;
}

/** The last 28 days of data against the 28 before: "this month vs last" on whole weeks. */
export function defaultComparison(span: { start: string; end: string }, days = 28): { current: [string, string]; previous: [string, string] } {
  const shift = (iso: string, d: number) => {
    const t = new Date(`${iso}T00:00:00Z`);
    t.setUTCDate(t.getUTCDate() + d);
    return t.toISOString().slice(0, 10);
  };
  const end = span.end;
  const mid = shift(end, -days);
  return { current: [mid, end], previous: [shift(mid, -days), mid] };
}
