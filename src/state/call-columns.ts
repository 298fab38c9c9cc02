import { hourWindow } from '../analysis/hour-windows';
import type { HourCount } from '../charts/hour-of-week-heatmap';
import type { SeriesPoint } from '../charts/time-series';
import type { Db } from '../data/db-types';
import { type Row, toRows } from '../data/rows';
import { ident, sql } from '../data/sql';
import { tierCase } from '../data/queries/tiers';
import type { TierMap } from '../analysis/tiers';
import { type Clause, compileClause, parseWallClock } from './clauses';
import { areaTableRows, typeBarsRows } from './column-tables';
import { clausesFor } from './interaction-cache';
import type { Selection } from './selection';
import type { CallPoints } from './session-store';
import { VIEW_IDS } from './view-clients';

/**
 * The columns the simple views and the map filter on, held in the tab as typed arrays, read
 * ONCE per dataset (crossfilter.js / Falcon style). A brush, type pick, area pick, rectangle
 * or period change then counts the total, the hour-of-week cells, the daily series and the
 * map's points in one pass over the arrays: no statement, no copy of every matching point out
 * of the database worker. Exact, not approximate: each clause kind below evaluates its SQL
 * predicate (src/state/clauses.ts) on the same values, NULLs failing as in SQL's WHERE;
 * tests/unit/call-columns.test.ts holds the results equal to the SQL views on random selections.
 * A selection with any other clause kind (tiers, lasso, call ids) returns null: the caller
 * runs the SQL.
 */
export interface CallColumns {
  length: number;
  lon: Float64Array;
  lat: Float64Array;
  /** received_at as epoch ms (truncated from µs: exact against whole-second bounds); NaN = NULL */
  receivedMs: Float64Array;
  /** 0–6, 255 = NULL */
  dow: Uint8Array;
  /** 0–23, 255 = NULL */
  hour: Uint8Array;
  /** index into typeCodes */
  typeIndex: Uint32Array;
  typeCodes: (string | null)[];
  /** index of the call's (type_code, type_text) pair: the type bars count pairs, then pick each code's most frequent text */
  pairIndex: Uint32Array;
  /** per pair: its code (index into typeCodes) and its text */
  pairCode: Uint32Array;
  pairText: (string | null)[];
  /** final tier 1–3 under the tier map of `tierKey`, 255 = NULL (unknown, or no map) */
  tier: Uint8Array;
  tierKey: string;
  tierMap?: TierMap;
  /** index into areaIds */
  areaIndex: Uint32Array;
  areaIds: (string | null)[];
  /** each area's name (by area index); null when an area's calls carry several names or some none (SQL answers the table) */
  areaNames: (string | null)[] | null;
  /** first and last day (UTC day number) over the whole table, null when no row has a time */
  dayRange: [number, number] | null;
  /** a row without received_at makes the series' NULL bucket: left to SQL */
  hasNullTime: boolean;
}

const NULL_SMALL = 255;
const DAY_MS = 86_400_000;

/** Reads the columns of `table` (default calls), in rowid order (the SQL's scan order, for first-seen ties). ~45 bytes a call. */
export async function loadCallColumns(db: Db, table = 'calls'): Promise<CallColumns> {
  const t = ident(table);
  // Codes as dense indexes through small dictionary joins: reading 1M strings out of Arrow costs
  // more than the query. Dictionaries in DuckDB's own ORDER BY, so index order is its sort order.
  const dictionary = (column: string) =>
    sql`SELECT ${ident(column)} AS v, (row_number() OVER (ORDER BY ${ident(column)} NULLS LAST) - 1)::UINTEGER AS i FROM (SELECT DISTINCT ${ident(column)} FROM ${t})`;
  const pairs = sql`SELECT p.type_code, p.type_text, (row_number() OVER (ORDER BY p.type_code NULLS LAST, p.type_text NULLS LAST) - 1)::UINTEGER AS i, ty.i AS ti
    FROM (SELECT DISTINCT type_code, type_text FROM ${t}) p JOIN ty ON p.type_code IS NOT DISTINCT FROM ty.v`;
  const r = await db.query(sql`WITH ty AS (${dictionary('type_code')}), tp AS (${pairs}), ar AS (${dictionary('area_id')})
    SELECT coalesce(c.lon, 'NaN'::DOUBLE)::DOUBLE AS lon, coalesce(c.lat, 'NaN'::DOUBLE)::DOUBLE AS lat,
      coalesce(epoch_ms(c.received_at)::DOUBLE, 'NaN'::DOUBLE) AS ms,
      coalesce(c.dow, ${NULL_SMALL})::UTINYINT AS dow, coalesce(c.hour, ${NULL_SMALL})::UTINYINT AS hour, tp.ti, tp.i AS pi, ar.i AS ai
    FROM ${t} c JOIN tp ON c.type_code IS NOT DISTINCT FROM tp.type_code AND c.type_text IS NOT DISTINCT FROM tp.type_text
      JOIN ar ON c.area_id IS NOT DISTINCT FROM ar.v
    ORDER BY c.rowid`);
  const pairRows = await db.query(sql`WITH ty AS (${dictionary('type_code')}) SELECT ti, type_text FROM (${pairs}) ORDER BY i`);
  const strings = async (column: string) => {
    const d = await db.query(sql`SELECT v FROM (${dictionary(column)}) ORDER BY i`);
    const c = d.getChild('v');
    return Array.from({ length: d.numRows }, (_, i) => {
      const v = c?.get(i);
      return v === null || v === undefined ? null : String(v);
    });
  };
  // any_value(area_name) per area equals "the" name only when each area has one name on every call
  const names = toRows(
    await db.query(sql`SELECT area_id, min(area_name) AS name, count(DISTINCT area_name) = 1 AND count(area_name) = count(*) OR count(area_name) = 0 AS single
      FROM ${t} GROUP BY area_id ORDER BY area_id NULLS LAST`),
  );
  const col = <T>(name: string) => r.getChild(name)?.toArray() as T;
  const receivedMs = col<Float64Array>('ms');
  let lo = Infinity;
  let hi = -Infinity;
  let hasNullTime = false;
  for (let i = 0; i < receivedMs.length; i++) {
    const v = receivedMs[i]!;
    if (Number.isNaN(v)) hasNullTime = true;
    else {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  const n = r.numRows;
  return {
    length: n,
    lon: col<Float64Array>('lon'),
    lat: col<Float64Array>('lat'),
    receivedMs,
    dow: col<Uint8Array>('dow'),
    hour: col<Uint8Array>('hour'),
    typeIndex: col<Uint32Array>('ti'),
    typeCodes: await strings('type_code'),
    pairIndex: col<Uint32Array>('pi'),
    pairCode: Uint32Array.from(pairRows.getChild('ti')?.toArray() as Uint32Array),
    pairText: Array.from({ length: pairRows.numRows }, (_, i) => {
      const v = pairRows.getChild('type_text')?.get(i);
      return v === null || v === undefined ? null : String(v);
    }),
    areaIndex: col<Uint32Array>('ai'),
    areaIds: await strings('area_id'),
    areaNames: names.every((x) => x.single === true) ? names.map((x) => (x.name === null ? null : String(x.name))) : null,
    tier: new Uint8Array(n).fill(NULL_SMALL),
    tierKey: tierKeyOf(undefined),
    dayRange: lo <= hi ? [Math.floor(lo / DAY_MS), Math.floor(hi / DAY_MS)] : null,
    hasNullTime,
  };
}

/** What the tier column was computed for (the map's rules; none = every tier NULL). */
export const tierKeyOf = (tierMap: TierMap | undefined): string => JSON.stringify(tierMap ?? null);

/** The final tier of every call under `tierMap` (tierCase, as the type bars and the tiers clause read it), in the same rowid order. */
export async function loadTierColumn(db: Db, cols: CallColumns, tierMap: TierMap | undefined, table = 'calls'): Promise<CallColumns> {
  if (!tierMap) {
    const { tierMap: _old, ...rest } = cols;
    return { ...rest, tier: new Uint8Array(cols.length).fill(NULL_SMALL), tierKey: tierKeyOf(undefined) };
  }
  const r = await db.query(sql`SELECT coalesce(${tierCase(tierMap, 'final')}, ${NULL_SMALL})::UTINYINT AS tier FROM ${ident(table)} ORDER BY rowid`);
  const tier = r.getChild('tier')?.toArray() as Uint8Array;
  if (tier.length !== cols.length) throw new Error(`tier column has ${tier.length} rows, the columns ${cols.length}: the table changed`);
  return { ...cols, tier, tierKey: tierKeyOf(tierMap), tierMap };
}

/**
 * Sets `bit` on every call failing the clause; false when the clause kind has no typed-array
 * form. One tight loop per kind, not a per-row callback (a shared call site over every kind
 * stops being inlined).
 */
function markFailures(c: Clause, cols: CallColumns, bits: Uint32Array, bit: number): boolean {
  const s = c.spec;
  const n = cols.length;
  const { dow, hour, lon, lat } = cols;
  switch (s.kind) {
    case 'time': {
      const ms = (text: string) => Date.parse(`${parseWallClock(text).replace(' ', 'T')}Z`);
      const start = ms(s.start);
      const end = ms(s.end);
      if (!Number.isFinite(start) || !Number.isFinite(end) || start % 1000 !== 0 || end % 1000 !== 0) return false;
      const t = cols.receivedMs;
      // NaN (NULL) fails both comparisons, as NULL fails WHERE
      for (let i = 0; i < n; i++) if (!(t[i]! >= start && t[i]! < end)) bits[i]! |= bit;
      return true;
    }
    case 'hours': {
      const w = hourWindow(s.startHour, s.endHour);
      const a = w.startHour;
      const b = w.endHour;
      if (a === 0 && b === 24) {
        for (let i = 0; i < n; i++) if (hour[i] === NULL_SMALL) bits[i]! |= bit;
      } else if (w.crossesMidnight) {
        // NULL (255) is above every hour: it must fail by the explicit check
        for (let i = 0; i < n; i++) if (hour[i] === NULL_SMALL || (hour[i]! < a && hour[i]! >= b)) bits[i]! |= bit;
      } else for (let i = 0; i < n; i++) if (!(hour[i]! >= a && hour[i]! < b)) bits[i]! |= bit;
      return true;
    }
    case 'weekdays': {
      const ok = new Uint8Array(256);
      for (const d of s.days) ok[d] = 1;
      for (let i = 0; i < n; i++) if (ok[dow[i]!] === 0) bits[i]! |= bit;
      return true;
    }
    case 'hourOfWeek': {
      const cells = new Uint8Array(168);
      for (const x of s.cells) cells[x] = 1;
      for (let i = 0; i < n; i++) if (dow[i] === NULL_SMALL || hour[i] === NULL_SMALL || cells[dow[i]! * 24 + hour[i]!] !== 1) bits[i]! |= bit;
      return true;
    }
    case 'types':
    case 'areas': {
      const wanted = new Set<string | null>(s.kind === 'types' ? s.codes : s.ids);
      const dictionary = s.kind === 'types' ? cols.typeCodes : cols.areaIds;
      const ok = Uint8Array.from(dictionary, (v) => (wanted.has(v) ? 1 : 0));
      const index = s.kind === 'types' ? cols.typeIndex : cols.areaIndex;
      for (let i = 0; i < n; i++) if (ok[index[i]!] === 0) bits[i]! |= bit;
      return true;
    }
    case 'tiers': {
      // only when the tier column was computed under the map this clause was compiled with
      if (!cols.tierMap) return false;
      let mine: string;
      try {
        const p = compileClause(s, { tierMap: cols.tierMap }).predicate;
        mine = `${p.text}\u0000${JSON.stringify(p.params)}`;
      } catch {
        return false;
      }
      if (mine !== `${c.predicate.text}\u0000${JSON.stringify(c.predicate.params)}`) return false;
      const ok = new Uint8Array(256);
      for (const t of s.tiers) ok[t === null ? NULL_SMALL : t] = 1;
      const tier = cols.tier;
      for (let i = 0; i < n; i++) if (ok[tier[i]!] === 0) bits[i]! |= bit;
      return true;
    }
    case 'bbox': {
      const { west, east, south, north } = s;
      if (west <= east) {
        for (let i = 0; i < n; i++) if (!(lat[i]! >= south && lat[i]! <= north && lon[i]! >= west && lon[i]! <= east)) bits[i]! |= bit;
      } else for (let i = 0; i < n; i++) if (!(lat[i]! >= south && lat[i]! <= north && (lon[i]! >= west || lon[i]! <= east))) bits[i]! |= bit;
      return true;
    }
    default:
      return false;
  }
}

/** Per call, one bit per clause it fails (bit k = clauses[k]); null when a clause has no typed-array form or there are more than 30. */
export function failBits(cols: CallColumns, clauses: readonly Clause[]): Uint32Array | null {
  if (clauses.length > 30) return null;
  const bits = new Uint32Array(cols.length);
  for (let k = 0; k < clauses.length; k++) if (!markFailures(clauses[k]!, cols, bits, 1 << k)) return null;
  return bits;
}

/** Mask of the clauses (by position in `all`) a view is filtered by. */
export function maskOf(all: readonly Clause[], used: readonly Clause[]): number {
  let m = 0;
  for (const c of used) {
    const k = all.indexOf(c);
    if (k < 0) throw new Error('maskOf: a clause is not in the list the bits were computed for');
    m |= 1 << k;
  }
  return m;
}

export interface ColumnViews {
  /** calls passing the total's clauses */
  count: number;
  /** located calls (finite lon/lat) passing the map's clauses, interleaved lon/lat */
  positions: CallPoints;
  /** non-empty hour-of-week cells (NULL dow/hour left out, as the dashboard shows them), dow then hour */
  hourOfWeek: HourCount[];
  /** every day of the table's span, zero-filled; null when the table has NULL times (SQL answers) */
  series: SeriesPoint[] | null;
}

/**
 * One pass: the total, the map's points, the heatmap and the daily series, each over the
 * calls passing its own clause mask (`bits & mask === 0`).
 */
export function columnViews(cols: CallColumns, bits: Uint32Array, masks: { total: number; map: number; heatmap: number; series: number }): ColumnViews {
  const n = cols.length;
  const { lon, lat, dow, hour, receivedMs } = cols;
  const cells = new Uint32Array(168);
  const range = cols.dayRange;
  const days = range ? new Uint32Array(range[1] - range[0] + 1) : new Uint32Array(0);
  const firstDay = range ? range[0] : 0;
  let count = 0;
  let located = 0;
  // two passes over the map mask: count, then fill an exactly sized array (no 16 MB over-allocation)
  for (let i = 0; i < n; i++) {
    const b = bits[i]!;
    if ((b & masks.total) === 0) count++;
    if ((b & masks.map) === 0 && Number.isFinite(lon[i]!) && Number.isFinite(lat[i]!)) located++;
    if ((b & masks.heatmap) === 0 && dow[i] !== NULL_SMALL && hour[i] !== NULL_SMALL) cells[dow[i]! * 24 + hour[i]!]!++;
    if ((b & masks.series) === 0) {
      const t = receivedMs[i]!;
      if (!Number.isNaN(t)) days[Math.floor(t / DAY_MS) - firstDay]!++;
    }
  }
  const positions = new Float64Array(2 * located);
  let j = 0;
  for (let i = 0; i < n && j < positions.length; i++) {
    if ((bits[i]! & masks.map) === 0 && Number.isFinite(lon[i]!) && Number.isFinite(lat[i]!)) {
      positions[j++] = lon[i]!;
      positions[j++] = lat[i]!;
    }
  }
  const hourOfWeek: HourCount[] = [];
  for (let c = 0; c < 168; c++) if (cells[c]! > 0) hourOfWeek.push({ dow: Math.floor(c / 24), hour: c % 24, n: cells[c]! });
  const series = cols.hasNullTime ? null : Array.from(days, (v, d): SeriesPoint => ({ bucket: new Date((firstDay + d) * DAY_MS).toISOString().slice(0, 10), n: v }));
  return { count, positions: { positions, length: located }, hourOfWeek, series };
}

/** The typed-array answers for every dashboard view; a null view is left to the SQL. */
export interface SelectionViews extends ColumnViews {
  /** type bars rows (typeCounts); null when the tier column is for another tier map */
  types: Row[] | null;
  /** area table rows (areaRanking); null when an area's calls carry several names */
  areas: Row[] | null;
}

/**
 * Every dashboard view for a selection (each over every clause but its own, as
 * selection.predicate(id); the map as the total); null when a clause has no typed-array form
 * or a view's clauses cannot be recovered: then the SQL views answer.
 */
export function selectionViews(cols: CallColumns, selection: Selection, ctx: { tierMap?: TierMap; population?: Readonly<Record<string, number>> } = {}): SelectionViews | null {
  const all = selection.clauses();
  const bits = failBits(cols, all);
  if (!bits) return null;
  const total = clausesFor(selection, VIEW_IDS.total);
  const heatmap = clausesFor(selection, VIEW_IDS.heatmap);
  const series = clausesFor(selection, VIEW_IDS.timeSeries);
  if (!total || !heatmap || !series) return null;
  const totalMask = maskOf(all, total);
  const simple = columnViews(cols, bits, { total: totalMask, map: totalMask, heatmap: maskOf(all, heatmap), series: maskOf(all, series) });
  const typeClauses = cols.tierKey === tierKeyOf(ctx.tierMap) ? clausesFor(selection, VIEW_IDS.typeBars) : null;
  // the area table counts the period itself and the one before (areaTableQuery)
  const time = all.find((c) => c.spec.kind === 'time' && c.source !== VIEW_IDS.areaTable);
  const spec = time?.spec.kind === 'time' ? time.spec : null;
  const areaClauses = clausesFor(selection, VIEW_IDS.areaTable, spec ? ['time'] : []);
  const ms = (text: string) => Date.parse(`${parseWallClock(text).replace(' ', 'T')}Z`);
  return {
    ...simple,
    types: typeClauses ? typeBarsRows(cols, bits, maskOf(all, typeClauses)) : null,
    areas: areaClauses ? areaTableRows(cols, bits, maskOf(all, areaClauses), spec ? { startMs: ms(spec.start), endMs: ms(spec.end) } : null, ctx.population) : null,
  };
}
