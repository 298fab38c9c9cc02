import { ident, type Sql, sql } from '../sql';
import { cellColumns, type DailyQueryOptions, scope as rotationScope } from './rotation';

/**
 * Calls per grid cell, day and hour of day since `startDate`: the shift-aware backtest
 * (src/analysis/backtest.ts runShiftBacktest) scores each shift on the calls in its hours. Summed
 * over hours it equals dailyCellCounts, which the time-blind backtest takes.
 */
export function hourlyCellCounts(o: DailyQueryOptions): Sql {
  const start = sql`CAST(${o.startDate} AS DATE)`;
  return sql`
    SELECT col, row, day, hour, count(*)::INTEGER AS calls FROM (
      SELECT ${cellColumns(o.grid)}, CAST(date_diff('day', ${start}, CAST(received_at AS DATE)) AS INTEGER) AS day,
        CAST(hour(received_at) AS INTEGER) AS hour
      FROM ${ident(o.table ?? 'calls')} WHERE ${rotationScope(o)})
    WHERE day >= 0 AND day < ${o.days}::INTEGER
    GROUP BY col, row, day, hour ORDER BY day, hour, col, row`;
}
