import type { TierMap } from '../analysis/tiers';
import { areaRanking, hourOfWeekCounts, type SeriesInterval, timeSeries, totalCount, typeCounts } from '../data/queries/views';
import type { Sql } from '../data/sql';
import { type ClauseKind, parseWallClock } from './clauses';
import type { Selection } from './selection';

/**
 * The dashboard's views as selection clients: one id per view (also the `source` of the
 * clauses it makes) and the query it runs for the current selection. Panels mount a chart,
 * then `connectQueryClient(selection, { id, query: viewQuery[id](ctx), run, onResult })`.
 */
export const VIEW_IDS = {
  map: 'map',
  heatmap: 'heatmap',
  timeSeries: 'time-series',
  typeBars: 'type-bars',
  areaTable: 'area-table',
  total: 'total',
} as const;
export type ViewId = (typeof VIEW_IDS)[keyof typeof VIEW_IDS];

/** Which view owns each clause kind by default (URL and saved views restore clauses with these sources). */
export const SOURCE_OF_KIND: Record<ClauseKind, ViewId> = {
  time: 'time-series',
  hours: 'heatmap',
  weekdays: 'heatmap',
  hourOfWeek: 'heatmap',
  types: 'type-bars',
  tiers: 'type-bars',
  areas: 'area-table',
  bbox: 'map',
  polygon: 'map',
  callIds: 'map',
};

export interface ViewContext {
  table?: string;
  tierMap?: TierMap;
  population?: Readonly<Record<string, number>>;
  interval?: SeriesInterval;
}

type Builder = (where: Sql, selection: Selection) => Sql;

export function viewQuery(id: ViewId, ctx: ViewContext = {}): Builder {
  const base = ctx.table ? { table: ctx.table } : {};
  switch (id) {
    case 'heatmap':
      return (where) => hourOfWeekCounts({ ...base, where });
    case 'time-series':
      return (where) => timeSeries({ ...base, where, interval: ctx.interval ?? 'day' });
    case 'type-bars':
      return (where) => typeCounts({ ...base, where, ...(ctx.tierMap ? { tierMap: ctx.tierMap } : {}) });
    case 'area-table':
      return (_where, selection) => areaTableQuery(selection, ctx);
    case 'map':
    case 'total':
      return (where) => totalCount({ ...base, where });
  }
}

/**
 * The area table compares the selected period with the one before it, so it takes the time
 * clause out of its predicate and counts both periods itself; without a time clause it
 * shows counts only.
 */
export function areaTableQuery(selection: Selection, ctx: ViewContext = {}): Sql {
  const time = selection.clauses().find((c) => c.spec.kind === 'time' && c.source !== VIEW_IDS.areaTable);
  const spec = time?.spec.kind === 'time' ? time.spec : null;
  return areaRanking({
    ...(ctx.table ? { table: ctx.table } : {}),
    where: selection.predicate(VIEW_IDS.areaTable, spec ? ['time'] : []),
    ...(spec ? { period: { start: parseWallClock(spec.start), end: parseWallClock(spec.end) } } : {}),
    ...(ctx.population ? { population: ctx.population } : {}),
  });
}
