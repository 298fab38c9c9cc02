import type { KnoxEventColumns } from '../../analysis/knox-pipeline';
import type { Db } from '../db-types';

export type { KnoxEventColumns };
import { scalar } from '../rows';
import { type Sql, sql } from '../sql';
import { analysedCalls, type QueryScope } from './analysed-calls';
import { inMatchedKinds, matchedKindsCte } from './candidates';

/**
 * Events for the Knox test: analysed calls of the chosen types with their agency-local
 * calendar day (received_at is wall-clock time, so its DATE is the local date; the Near
 * Repeat Calculator counts whole days the same way).
 */
export function knoxEventsSql(types: readonly string[], scope: QueryScope = {}): Sql {
  return sql`WITH ${matchedKindsCte(types, scope.table)}
    SELECT lon, lat, date_diff('day', DATE '1970-01-01', received_at::DATE)::INTEGER AS day
    FROM ${analysedCalls(scope)} WHERE received_at IS NOT NULL AND ${inMatchedKinds()} ORDER BY received_at, call_id`;
}


/** Refuses (with a sentence) above maxEvents: the pair count grows with the square of local density. */
export async function fetchKnoxEvents(db: Db, types: readonly string[], maxEvents: number, scope: QueryScope = {}): Promise<KnoxEventColumns> {
  const n = scalar(await db.query(sql`WITH ${matchedKindsCte(types, scope.table)} SELECT count(*) FROM ${analysedCalls(scope)} WHERE received_at IS NOT NULL AND ${inMatchedKinds()}`));
  if (n > maxEvents) {
    throw new RangeError(
      `The Knox test would compare ${n.toLocaleString('en-US')} calls (limit ${maxEvents.toLocaleString('en-US')}). Choose one crime type (for example --knox-types burglary) or a shorter period.`,
    );
  }
  const t = await db.query(knoxEventsSql(types, scope));
  return {
    lon: Float64Array.from((t.getChild('lon')?.toArray() ?? []) as ArrayLike<number>),
    lat: Float64Array.from((t.getChild('lat')?.toArray() ?? []) as ArrayLike<number>),
    day: Int32Array.from((t.getChild('day')?.toArray() ?? []) as ArrayLike<number>),
  };
}
