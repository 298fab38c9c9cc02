import type { ClusterCandidates, MatchedType } from '../../analysis/clusters-pipeline';
import type { HourWindow } from '../../analysis/hour-windows';

export type { ClusterCandidates, MatchedType };
import { windowContainsHour } from '../../analysis/hour-windows';
import { stringColumn } from '../arrow-strings';
import type { Db } from '../db-types';
import { toRows } from '../rows';
import { ident, inList, join, type Sql, sql } from '../sql';
import { analysedCalls, type QueryScope } from './analysed-calls';

/**
 * Candidate calls for repeat-report clustering: the analysed calls of the chosen type group
 * inside the hour windows. DuckDB narrows 1M calls to the few thousand DBSCAN must see, and
 * returns them as columns (no per-call objects until the worker needs them).
 */

/**
 * A type term matches a call when it equals type_code or type_text, or appears in type_text
 * as a whole phrase, all case-insensitively: "disturbance" takes DISTURBANCE and DOMESTIC
 * DISTURBANCE, never "DISTURBANCES-X". Which types matched is reported next to the results.
 */
export function typeMatchSql(types: readonly string[]): Sql {
  const terms = types.map((t) => t.trim()).filter((t) => t.length > 0);
  if (terms.length === 0) return sql`TRUE`;
  const parts = terms.map((t) => {
    const phrase = `(^|[^a-z0-9])${t.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^a-z0-9])`;
    return sql`(lower(trim(type_code)) = ${t.toLowerCase()} OR lower(trim(type_text)) = ${t.toLowerCase()} OR coalesce(regexp_matches(lower(type_text), ${phrase}), FALSE))`;
  });
  return sql`(${join(parts, ' OR ')})`;
}

export function windowHoursSql(windows: readonly HourWindow[]): Sql {
  if (windows.length === 0) return sql`TRUE`;
  const hours = Array.from({ length: 24 }, (_, h) => h).filter((h) => windows.some((w) => windowContainsHour(w, h)));
  return sql`hour IN ${inList(hours)}`;
}

const typeKey = sql`coalesce(type_code, '') || chr(1) || coalesce(type_text, '')`;

/**
 * The type filter for large tables. The phrase regex runs on the few distinct (type_code,
 * type_text) pairs, materialised first, and calls are then kept by key: on 1M calls a
 * per-row regex took minutes in duckdb-wasm, the key lookup well under a second.
 */
export function matchedKindsCte(types: readonly string[], table = 'calls'): Sql {
  return sql`kinds AS MATERIALIZED (SELECT DISTINCT type_code, type_text FROM ${ident(table)}),
    matched AS (SELECT ${typeKey} AS k FROM kinds WHERE ${typeMatchSql(types)})`;
}

export function inMatchedKinds(): Sql {
  return sql`${typeKey} IN (SELECT k FROM matched)`;
}

/** The key `inMatchedKinds` compares, built the same way in JS for a matched type. */
export function matchedKindKey(t: Pick<MatchedType, 'typeCode' | 'typeText'>): string {
  return `${t.typeCode ?? ''}\u0001${t.typeText ?? ''}`;
}

/**
 * Candidates by the matched (type_code, type_text) pairs passed as parameters. The one-statement
 * form (`WITH matchedKindsCte ... IN (SELECT k FROM matched)`) took 2–10 s on 1M calls in
 * duckdb-wasm (the planner runs the subquery as a join on a computed string key, and without
 * the aggregate the phrase regex was pushed down to every row: minutes); the few matched kinds
 * are known already (`fetchMatchedTypes`, reported next to the clusters), and an IN list of
 * them costs one scan (~0.3 s). Same calls: a kind matched in the filtered calls is the only
 * kind a filtered candidate can have.
 */
export function candidateCallsSql(matched: readonly Pick<MatchedType, 'typeCode' | 'typeText'>[], windows: readonly HourWindow[], scope: QueryScope = {}): Sql {
  return sql`SELECT call_id, lon, lat, epoch_ms(received_at)::DOUBLE AS t, coalesce(type_text, type_code, '') AS type_text,
      area_id, block_address, CASE WHEN self_initiated IS NULL THEN -1 WHEN self_initiated THEN 1 ELSE 0 END::TINYINT AS self_initiated
    FROM ${analysedCalls(scope)} WHERE received_at IS NOT NULL AND ${typeKey} IN ${inList(matched.map(matchedKindKey))} AND ${windowHoursSql(windows)}
    ORDER BY received_at, call_id`;
}

/** Which call types the terms took, with counts, so the analyst sees what "disturbance" meant. */
export function matchedTypesSql(types: readonly string[], scope: QueryScope = {}): Sql {
  return sql`WITH kinds AS MATERIALIZED (SELECT type_code, type_text, count(*)::INTEGER AS n FROM ${analysedCalls(scope)} GROUP BY ALL)
    SELECT type_code, type_text, n FROM kinds WHERE ${typeMatchSql(types)} ORDER BY n DESC, type_text`;
}

export function emptyCandidates(): ClusterCandidates {
  return { ids: [], lon: new Float64Array(0), lat: new Float64Array(0), receivedAtMs: new Float64Array(0), typeText: [], areaId: [], blockAddress: [], selfInitiated: new Int8Array(0) };
}

/**
 * The candidate calls as columns. Pass `matched` when the caller has fetched it already (the
 * app and the CLI report it anyway); otherwise it is fetched first.
 */
export async function fetchCandidates(
  db: Db,
  types: readonly string[],
  windows: readonly HourWindow[],
  scope: QueryScope = {},
  matched?: readonly MatchedType[],
): Promise<ClusterCandidates> {
  const kinds = matched ?? (await fetchMatchedTypes(db, types, scope));
  if (kinds.length === 0) return emptyCandidates();
  const t = await db.query(candidateCallsSql(kinds, windows, scope));
  const f64 = (name: string) => Float64Array.from((t.getChild(name)?.toArray() ?? []) as ArrayLike<number>);
  return {
    ids: stringColumn(t, 'call_id').map((s) => s ?? ''),
    lon: f64('lon'),
    lat: f64('lat'),
    receivedAtMs: f64('t'),
    typeText: stringColumn(t, 'type_text').map((s) => s ?? ''),
    areaId: stringColumn(t, 'area_id'),
    blockAddress: stringColumn(t, 'block_address'),
    selfInitiated: Int8Array.from((t.getChild('self_initiated')?.toArray() ?? []) as ArrayLike<number>),
  };
}

export async function fetchMatchedTypes(db: Db, types: readonly string[], scope: QueryScope = {}): Promise<MatchedType[]> {
  return toRows(await db.query(matchedTypesSql(types, scope))).map((r) => ({
    typeCode: r.type_code == null ? null : String(r.type_code),
    typeText: r.type_text == null ? null : String(r.type_text),
    calls: Number(r.n),
  }));
}
