import type { SquareGridSpec } from '../../analysis/binning';
import type { CubeCounts, CubeSteps } from '../../analysis/emerging-pipeline';

export type { CubeSteps };
import type { Db } from '../db-types';
import { toRows } from '../rows';
import { type Sql, sql } from '../sql';
import { analysedCalls, type QueryScope } from './analysed-calls';
import { squareColSql, squareRowSql } from './cells';

/**
 * Space-time cube counts (cell × step) after filters and exclusions. Steps are counted
 * BACKWARDS from the last day with data, so the final step (the one "new" and "consecutive"
 * hot spots hinge on) is always complete; an incomplete first step is dropped instead, since
 * a short step would read as a drop in calls and fake a trend. Days are agency-local dates
 * (received_at is wall-clock time).
 */

export function cubeRangeSql(scope: QueryScope = {}): Sql {
  return sql`SELECT strftime(min(received_at)::DATE, '%Y-%m-%d') AS first_day, strftime(max(received_at)::DATE, '%Y-%m-%d') AS last_day
    FROM ${analysedCalls(scope)} WHERE received_at IS NOT NULL`;
}

const DAY_MS = 86_400_000;

export async function fetchCubeSteps(db: Db, step: 'week' | 'day', scope: QueryScope = {}): Promise<CubeSteps> {
  const row = toRows(await db.query(cubeRangeSql(scope)))[0];
  if (!row?.first_day) throw new RangeError('No call with a location and a time matches the filters, so there is no space-time cube. Widen the filters.');
  const stepDays = step === 'week' ? 7 : 1;
  const first = Date.parse(`${row.first_day}T00:00:00Z`);
  const last = Date.parse(`${row.last_day}T00:00:00Z`);
  const nSteps = Math.floor((last - first) / DAY_MS + 1) / stepDays;
  const whole = Math.floor(nSteps);
  if (whole < 3) throw new RangeError(`The filtered calls span ${Math.round((last - first) / DAY_MS) + 1} day(s): too short for a trend. Use at least 3 ${step}s (better 10 or more).`);
  const firstDay = new Date(last - (whole * stepDays - 1) * DAY_MS).toISOString().slice(0, 10);
  return { stepDays, nSteps: whole, firstDay, lastDay: String(row.last_day) };
}

function stepSql(steps: CubeSteps): Sql {
  return sql`(${steps.nSteps - 1} - floor(date_diff('day', received_at::DATE, CAST(${steps.lastDay} AS DATE)) / ${steps.stepDays}))::INTEGER`;
}

export function squareCubeSql(spec: SquareGridSpec, steps: CubeSteps, scope: QueryScope = {}): Sql {
  return sql`SELECT ${squareColSql(spec)} AS col, ${squareRowSql(spec)} AS row, ${stepSql(steps)} AS step, count(*)::INTEGER AS n
    FROM ${analysedCalls(scope)} WHERE received_at >= CAST(${steps.firstDay} AS DATE) AND received_at IS NOT NULL GROUP BY ALL`;
}

export function pointCubeSql(steps: CubeSteps, scope: QueryScope = {}): Sql {
  return sql`SELECT lon, lat, ${stepSql(steps)} AS step, count(*)::INTEGER AS n
    FROM ${analysedCalls(scope)} WHERE received_at >= CAST(${steps.firstDay} AS DATE) AND received_at IS NOT NULL GROUP BY ALL`;
}

export type CubeSource = CubeCounts;

const f64 = (t: Awaited<ReturnType<Db['query']>>, name: string) => Float64Array.from((t.getChild(name)?.toArray() ?? []) as ArrayLike<number>);
const i32 = (t: Awaited<ReturnType<Db['query']>>, name: string) => Int32Array.from((t.getChild(name)?.toArray() ?? []) as ArrayLike<number>);

export async function fetchCube(db: Db, grid: { kind: 'square'; spec: SquareGridSpec } | { kind: 'h3' }, step: 'week' | 'day', scope: QueryScope = {}): Promise<CubeSource> {
  const steps = await fetchCubeSteps(db, step, scope);
  if (grid.kind === 'square') {
    const t = await db.query(squareCubeSql(grid.spec, steps, scope));
    return { grid: 'square', spec: grid.spec, steps, col: i32(t, 'col'), row: i32(t, 'row'), step: i32(t, 'step'), counts: f64(t, 'n') };
  }
  const t = await db.query(pointCubeSql(steps, scope));
  return { grid: 'h3', steps, lon: f64(t, 'lon'), lat: f64(t, 'lat'), step: i32(t, 'step'), counts: f64(t, 'n') };
}
