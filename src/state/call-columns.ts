import { hourWindow } from '../analysis/hour-windows';
import type { HourCount } from '../charts/hour-of-week-heatmap';
import type { SeriesPoint } from '../charts/time-series';
import type { Db } from '../data/db-types';
import { ident, sql } from '../data/sql';
import { type Clause, parseWallClock } from './clauses';
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
  /** index into areaIds */
  areaIndex: Uint32Array;
  areaIds: (string | null)[];
  /** first and last day (UTC day number) over the whole table, null when no row has a time */
  dayRange: [number, number] | null;
  /** a row without received_at makes the series' NULL bucket: left to SQL */
  hasNullTime: boolean;
}

const NULL_SMALL = 255;
const DAY_MS = 86_400_000;

/** Reads the columns of `table` (default calls). ~40 bytes a call. */
export async function loadCallColumns(db: Db, table = 'calls'): Promise<CallColumns> {
  const t = ident(table);
  // Codes as dense indexes through a small dictionary join: reading 1M strings out of Arrow costs more than the query.
  const r = await db.query(sql`WITH ty AS (SELECT type_code, (row_number() OVER (ORDER BY type_code NULLS LAST) - 1)::UINTEGER AS ti FROM (SELECT DISTINCT type_code FROM ${t})),
      ar AS (SELECT area_id, (row_number() OVER (ORDER BY area_id NULLS LAST) - 1)::UINTEGER AS ai FROM (SELECT DISTINCT area_id FROM ${t}))
    SELECT coalesce(c.lon, 'NaN'::DOUBLE)::DOUBLE AS lon, coalesce(c.lat, 'NaN'::DOUBLE)::DOUBLE AS lat,
      coalesce(epoch_ms(c.received_at)::DOUBLE, 'NaN'::DOUBLE) AS ms,
      coalesce(c.dow, ${NULL_SMALL})::UTINYINT AS dow, coalesce(c.hour, ${NULL_SMALL})::UTINYINT AS hour, ty.ti, ar.ai
    FROM ${t} c JOIN ty ON c.type_code IS NOT DISTINCT FROM ty.type_code JOIN ar ON c.area_id IS NOT DISTINCT FROM ar.area_id`);
  const dict = await db.query(sql`SELECT 'type' AS k, type_code AS v FROM (SELECT DISTINCT type_code FROM ${t}) ORDER BY type_code NULLS LAST`);
  const areas = await db.query(sql`SELECT area_id AS v FROM (SELECT DISTINCT area_id FROM ${t}) ORDER BY area_id NULLS LAST`);
  const col = <T>(name: string) => r.getChild(name)?.toArray() as T;
  const strings = (tbl: typeof dict) => {
    const c = tbl.getChild('v');
    return Array.from({ length: tbl.numRows }, (_, i) => {
      const v = c?.get(i);
      return v === null || v === undefined ? null : String(v);
    });
  };
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
  return {
    length: r.numRows,
    lon: col<Float64Array>('lon'),
    lat: col<Float64Array>('lat'),
    receivedMs,
    dow: col<Uint8Array>('dow'),
    hour: col<Uint8Array>('hour'),
    typeIndex: col<Uint32Array>('ti'),
    typeCodes: strings(dict),
    areaIndex: col<Uint32Array>('ai'),
    areaIds: strings(areas),
    dayRange: lo <= hi ? [Math.floor(lo / DAY_MS), Math.floor(hi / DAY_MS)] : null,
    hasNullTime,
  };
}

/** Row test for one clause, or null when the clause kind has no typed-array form. */
function rowTest(c: Clause, cols: CallColumns): ((i: number) => boolean) | null {
  const s = c.spec;
  const { dow, hour, lon, lat } = cols;
  switch (s.kind) {
    case 'time': {
      const ms = (text: string) => Date.parse(`${parseWallClock(text).replace(' ', 'T')}Z`);
      const start = ms(s.start);
      const end = ms(s.end);
      if (!Number.isFinite(start) || !Number.isFinite(end) || start % 1000 !== 0 || end % 1000 !== 0) return null;
      const t = cols.receivedMs;
      return (i) => t[i]! >= start && t[i]! < end;
    }
    case 'hours': {
      const w = hourWindow(s.startHour, s.endHour);
      const a = w.startHour;
      const b = w.endHour;
      if (a === 0 && b === 24) return (i) => hour[i] !== NULL_SMALL;
      // NULL (255) fails `hour >= a` only by the explicit check: 255 is above every hour
      if (w.crossesMidnight) return (i) => hour[i] !== NULL_SMALL && (hour[i]! >= a || hour[i]! < b);
      return (i) => hour[i]! >= a && hour[i]! < b;
    }
    case 'weekdays': {
      const days = new Set(s.days);
      return (i) => dow[i] !== NULL_SMALL && days.has(dow[i]!);
    }
    case 'hourOfWeek': {
      const cells = new Uint8Array(168);
      for (const x of s.cells) cells[x] = 1;
      return (i) => dow[i] !== NULL_SMALL && hour[i] !== NULL_SMALL && cells[dow[i]! * 24 + hour[i]!] === 1;
    }
    case 'types':
    case 'areas': {
      const wanted = new Set<string | null>(s.kind === 'types' ? s.codes : s.ids);
      const dictionary = s.kind === 'types' ? cols.typeCodes : cols.areaIds;
      const ok = Uint8Array.from(dictionary, (v) => (wanted.has(v) ? 1 : 0));
      const index = s.kind === 'types' ? cols.typeIndex : cols.areaIndex;
      return (i) => ok[index[i]!] === 1;
    }
    case 'bbox': {
      const { west, east, south, north } = s;
      const inLat = (i: number) => lat[i]! >= south && lat[i]! <= north;
      if (west <= east) return (i) => inLat(i) && lon[i]! >= west && lon[i]! <= east;
      return (i) => inLat(i) && (lon[i]! >= west || lon[i]! <= east);
    }
    default:
      return null;
  }
}

/** Per call, one bit per clause it fails (bit k = clauses[k]); null when a clause has no typed-array form or there are more than 30. */
export function failBits(cols: CallColumns, clauses: readonly Clause[]): Uint32Array | null {
  if (clauses.length > 30) return null;
  const tests = clauses.map((c) => rowTest(c, cols));
  if (tests.some((t) => !t)) return null;
  const bits = new Uint32Array(cols.length);
  tests.forEach((test, k) => {
    const bit = 1 << k;
    for (let i = 0; i < cols.length; i++) if (!test!(i)) bits[i]! |= bit;
  });
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

/**
 * The total, map points, heatmap and series for a selection (each view over every clause but
 * its own, as selection.predicate(id)); null when a clause has no typed-array form or a view's
 * clauses cannot be recovered: then the SQL views answer.
 */
export function selectionViews(cols: CallColumns, selection: Selection): ColumnViews | null {
  const all = selection.clauses();
  const bits = failBits(cols, all);
  if (!bits) return null;
  const total = clausesFor(selection, VIEW_IDS.total);
  const heatmap = clausesFor(selection, VIEW_IDS.heatmap);
  const series = clausesFor(selection, VIEW_IDS.timeSeries);
  if (!total || !heatmap || !series) return null;
  const totalMask = maskOf(all, total);
  return columnViews(cols, bits, { total: totalMask, map: totalMask, heatmap: maskOf(all, heatmap), series: maskOf(all, series) });
}
