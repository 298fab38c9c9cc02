import type { TierMap } from '../../analysis/tiers';
import { ident, join, type Sql, sql, unsafeRaw } from '../sql';
import { tierCase } from './tiers';
import type { SeriesInterval } from './views';

/**
 * Data cubes for the dashboard views (Mosaic, Heer & Moritz, IEEE VIS 2023; imMens, Liu et al.
 * 2013): while one clause source moves, each view reads a temp table grouped by (the moving
 * clauses' columns × the view's own group keys) with every fixed clause applied at build time.
 * Cube columns keep the `calls` column names, so the moving clauses' own predicates run on the
 * cube unchanged. Every read mirrors the SQL in views.ts (same columns, types, order, NULL
 * handling) with count(*) → sum(n); tests/unit/interaction-cache.test.ts holds them equal.
 */
export type CubeColumn = 'received_at' | 'dow' | 'hour' | 'type_code' | 'type_text' | 'priority' | 'area_id';
export type CubeViewKind = 'total' | 'heatmap' | 'time-series' | 'type-bars' | 'area-table';

/**
 * received_at is kept as its day: exact for the time series (day and week buckets) and for any
 * period whose bounds fall on midnight, the only time clauses a cube may answer.
 */
const COLUMN_SQL: Record<CubeColumn, Sql> = {
  received_at: sql`date_trunc('day', received_at)::TIMESTAMP`,
  dow: sql`dow`,
  hour: sql`hour`,
  type_code: sql`type_code`,
  type_text: sql`type_text`,
  priority: sql`priority`,
  area_id: sql`area_id`,
};

/** Wall-clock TIMESTAMP literals 'YYYY-MM-DD HH:MM:SS', [start, end), as areaRanking's period. */
export interface Period {
  start: string;
  end: string;
}

export interface CubeSpec {
  view: CubeViewKind;
  /** temp table name */
  name: string;
  /** columns the moving clauses read */
  moving: readonly CubeColumn[];
  /** the fixed clauses over the source table */
  fixedWhere: Sql;
  /** a base table (rowid is read for tie-breaks), not a view; default `calls` */
  table?: string;
  tierMap?: TierMap;
  /**
   * Area table only: a fixed period is counted into n/p at build time (any bounds); 'moving'
   * keeps received_at as a key so a dragged period (whole days) is counted at read time.
   */
  period?: Period | 'moving' | null;
}

const source = (s: { table?: string }) => ident(s.table ?? 'calls');

function periodSql(p: Period) {
  const start = sql`CAST(${p.start} AS TIMESTAMP)`;
  const end = sql`CAST(${p.end} AS TIMESTAMP)`;
  const prevStart = sql`(${start} - (${end} - ${start}))`;
  return {
    current: sql`received_at >= ${start} AND received_at < ${end}`,
    previous: sql`received_at >= ${prevStart} AND received_at < ${start}`,
    scope: sql`AND received_at >= ${prevStart} AND received_at < ${end}`,
    prevStart,
  };
}

/** Key columns of a view's cube (moving columns first, no duplicates). */
export function cubeColumns(spec: CubeSpec): CubeColumn[] {
  const own: Record<CubeViewKind, CubeColumn[]> = {
    total: [],
    heatmap: ['dow', 'hour'],
    'time-series': ['received_at'],
    'type-bars': ['type_code', 'type_text'],
    'area-table': ['area_id', ...(spec.period === 'moving' ? (['received_at'] as const) : [])],
  };
  return [...new Set([...spec.moving, ...own[spec.view]])];
}

export function cubeBuildSql(spec: CubeSpec): Sql {
  const keys = cubeColumns(spec).map((c) => sql`${COLUMN_SQL[c]} AS ${ident(c)}`);
  // min(rowid): where the group's first row sits in scan order, to break mode()/any_value() ties as the raw query does.
  const measures: Sql[] = [];
  let scope = sql``;
  if (spec.view === 'type-bars') {
    keys.push(sql`${spec.tierMap ? tierCase(spec.tierMap, 'final') : sql`CAST(NULL AS INTEGER)`} AS tier`);
    measures.push(sql`count(*)::INTEGER AS n`, sql`min(rowid) AS f`);
  } else if (spec.view === 'area-table') {
    keys.push(sql`area_name`);
    const p = spec.period && spec.period !== 'moving' ? periodSql(spec.period) : null;
    if (p) {
      measures.push(sql`count(*) FILTER (WHERE ${p.current})::INTEGER AS n`, sql`count(*) FILTER (WHERE ${p.previous})::INTEGER AS p`);
      scope = p.scope;
    } else measures.push(sql`count(*)::INTEGER AS n`);
    measures.push(sql`min(rowid) AS f`);
  } else measures.push(sql`count(*)::INTEGER AS n`);
  return sql`CREATE OR REPLACE TEMP TABLE ${ident(spec.name)} AS
    SELECT ${join([...keys, ...measures], ', ')} FROM ${source(spec)} WHERE ${spec.fixedWhere} ${scope} GROUP BY ALL`;
}

/** Whole-table facts the views read besides the counts (the series axis, "previous period complete"). */
export function cubeStatsSql(name: string, table?: string): Sql {
  return sql`CREATE OR REPLACE TEMP TABLE ${ident(name)} AS SELECT min(received_at) AS lo, max(received_at) AS hi FROM ${source({ ...(table ? { table } : {}) })}`;
}

export interface CubeReadOptions {
  /** the moving clauses, over the cube's columns */
  movingWhere: Sql;
  /** table made by cubeStatsSql */
  stats: string;
  interval?: SeriesInterval;
  population?: Readonly<Record<string, number>>;
  /** area table with a moving period: the current one (null = no time clause) */
  period?: Period | null;
}

export function cubeReadSql(spec: CubeSpec, o: CubeReadOptions): Sql {
  const cube = ident(spec.name);
  const w = o.movingWhere;
  switch (spec.view) {
    case 'total':
      return sql`SELECT coalesce(sum(n), 0)::INTEGER AS n FROM ${cube} WHERE ${w}`;
    case 'heatmap':
      return sql`SELECT dow, hour, sum(n)::INTEGER AS n FROM ${cube} WHERE ${w}
        GROUP BY dow, hour ORDER BY dow, hour`;
    case 'time-series':
      return seriesRead(cube, w, o);
    case 'type-bars':
      // mode(type_text) by weight: the most frequent text, ties to the one seen first.
      return sql`SELECT type_code, first(type_text ORDER BY w DESC, f) FILTER (WHERE type_text IS NOT NULL) AS type_text, tier, sum(w)::INTEGER AS n
        FROM (SELECT type_code, type_text, tier, sum(n) AS w, min(f) AS f FROM ${cube} WHERE ${w} GROUP BY ALL)
        GROUP BY type_code, tier ORDER BY n DESC, type_code NULLS LAST, tier NULLS LAST`;
    case 'area-table':
      return areaRead(spec, cube, o);
  }
}

function seriesRead(cube: ReturnType<typeof ident>, w: Sql, o: CubeReadOptions): Sql {
  const week = o.interval === 'week';
  const u = unsafeRaw(week ? `'week'` : `'day'`);
  const step = unsafeRaw(week ? 'INTERVAL 7 DAY' : 'INTERVAL 1 DAY');
  return sql`WITH counts AS (
      SELECT date_trunc(${u}, received_at)::TIMESTAMP AS bucket, sum(n)::INTEGER AS n
      FROM ${cube} WHERE ${w} GROUP BY 1),
    span AS (SELECT date_trunc(${u}, lo)::TIMESTAMP AS lo, date_trunc(${u}, hi)::TIMESTAMP AS hi FROM ${ident(o.stats)}),
    grid AS (SELECT unnest(generate_series(lo, hi, ${step})) AS bucket FROM span WHERE lo IS NOT NULL
      UNION SELECT bucket FROM counts)
    SELECT strftime(grid.bucket, '%Y-%m-%d') AS bucket, coalesce(counts.n, 0)::INTEGER AS n
    FROM grid LEFT JOIN counts USING (bucket) ORDER BY grid.bucket`;
}

function areaRead(spec: CubeSpec, cube: ReturnType<typeof ident>, o: CubeReadOptions): Sql {
  const fixed = spec.period && spec.period !== 'moving' ? spec.period : null;
  const moving = spec.period === 'moving' ? (o.period ?? null) : null;
  const p = fixed ?? moving;
  const pp = p ? periodSql(p) : null;
  let n: Sql;
  let prev: Sql;
  let scope = sql``;
  if (fixed) {
    n = sql`sum(n)::INTEGER`;
    prev = sql`sum(p)::INTEGER`;
  } else if (moving && pp) {
    n = sql`coalesce(sum(n) FILTER (WHERE ${pp.current}), 0)::INTEGER`;
    prev = sql`coalesce(sum(n) FILTER (WHERE ${pp.previous}), 0)::INTEGER`;
    scope = pp.scope;
  } else {
    n = sql`sum(n)::INTEGER`;
    prev = sql`CAST(NULL AS INTEGER)`;
  }
  const pops = Object.entries(o.population ?? {}).filter(([, v]) => Number.isFinite(v) && v > 0);
  const popRows = pops.length > 0 ? join(pops.map(([id, v]) => sql`(${id}, ${v}::DOUBLE)`), ', ') : sql`(NULL::VARCHAR, NULL::DOUBLE)`;
  return sql`WITH pop(area_id, population) AS (VALUES ${popRows}),
    g AS (
      SELECT area_id, first(area_name ORDER BY area_name IS NULL, f) AS area_name, ${n} AS n, ${prev} AS previous_n
      FROM ${cube} WHERE ${o.movingWhere} ${scope} GROUP BY area_id)
    SELECT g.area_id, g.area_name, g.n, g.previous_n, g.n - g.previous_n AS change,
      CASE WHEN g.previous_n > 0 THEN 100.0 * (g.n - g.previous_n) / g.previous_n END AS change_pct,
      ${pp ? sql`(SELECT lo FROM ${ident(o.stats)}) <= ${pp.prevStart}` : sql`CAST(NULL AS BOOLEAN)`} AS previous_complete,
      pop.population, CASE WHEN pop.population > 0 THEN 1000.0 * g.n / pop.population END AS per_1000
    FROM g LEFT JOIN pop ON pop.area_id = g.area_id
    WHERE g.n > 0 OR coalesce(g.previous_n, 0) > 0
    ORDER BY g.n DESC, g.area_id NULLS LAST`;
}
