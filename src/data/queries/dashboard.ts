import type { Db } from '../db-types';
import { scalar, toRows } from '../rows';
import type { Sql } from '../sql';
import { type CubeFilters, cubeFiltersWhere } from './cube-index';
import { areaRanking, dataSpan as spanQuery, hourOfWeekCounts as howQuery, locatedPoints, timeSeries, totalCount, typeCounts as typesQuery } from './views';

/**
 * BENCH-ONLY compatibility module. scripts/bench/browser.ts loads this file by URL inside the
 * page (tsc cannot see that) and times one query per view for the filter shape the bench
 * scripts use (CubeFilters). The app itself runs src/data/queries/views.ts through the
 * Selection (src/state/dashboard-controller.ts); these wrappers run those same view queries
 * with the bench's filters as the predicate, each leaving out its own filter. Delete this file
 * once the bench drives the Selection directly.
 */
export interface Comparison {
  current: [string, string];
  previous: [string, string];
}

const w = (f: CubeFilters, except: keyof CubeFilters | null = null): Sql => cubeFiltersWhere(f, except);

export async function matchingCount(db: Db, f: CubeFilters): Promise<number> {
  return scalar(await db.query(totalCount({ where: w(f) })));
}

export async function hourOfWeekCounts(db: Db, f: CubeFilters) {
  return toRows(await db.query(howQuery({ where: w(f, 'hourOfWeek') })));
}

export async function dailyCounts(db: Db, f: CubeFilters) {
  return toRows(await db.query(timeSeries({ where: w(f, 'dates') })));
}

export async function typeCounts(db: Db, f: CubeFilters) {
  return toRows(await db.query(typesQuery({ where: w(f, 'types') })));
}

export async function areaRows(db: Db, f: CubeFilters, _comparison: Comparison | null, _hasAreasTable: boolean) {
  const dates = f.dates;
  return toRows(
    await db.query(
      areaRanking({
        where: dates ? w({ ...f, dates: null }, 'areas') : w(f, 'areas'),
        ...(dates ? { period: { start: `${dates[0]} 00:00:00`, end: `${dates[1]} 00:00:00` } } : {}),
      }),
    ),
  );
}

export async function matchingPositions(db: Db, f: CubeFilters): Promise<{ length: number }> {
  return { length: (await db.query(locatedPoints({ where: w(f) }))).numRows };
}

export async function dataSpan(db: Db): Promise<{ start: string; end: string } | null> {
  const [r] = toRows(await db.query(spanQuery()));
  return r?.start ? { start: String(r.start), end: String(r.end) } : null;
}

export function defaultComparison(span: { start: string; end: string }, days = 28): Comparison {
  const shift = (iso: string, d: number) => {
    const t = new Date(`${iso}T00:00:00Z`);
    t.setUTCDate(t.getUTCDate() + d);
    return t.toISOString().slice(0, 10);
  };
  const mid = shift(span.end, -days);
  return { current: [mid, span.end], previous: [shift(mid, -days), mid] };
}
