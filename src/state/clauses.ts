import { hourWindow } from '../analysis/hour-windows';
import type { Tier, TierMap } from '../analysis/tiers';
import { tierCase } from '../data/queries/tiers';
import { inList, join, type Sql, sql } from '../data/sql';

/**
 * Typed filter clauses over the canonical `calls` columns. A clause carries its spec (plain
 * JSON: what the URL and saved views store), the SQL predicate (values are parameters) and a
 * sentence for the filter chips. Constructors validate, so a clause that exists is usable.
 */
export type ClauseSpec =
  /** Received time in [start, end): 'YYYY-MM-DD' or 'YYYY-MM-DDTHH:MM' agency wall-clock. */
  | { kind: 'time'; start: string; end: string }
  /** Hour of day in [startHour, endHour); wraps past midnight when endHour ≤ startHour (20→02). */
  | { kind: 'hours'; startHour: number; endHour: number }
  /** 0 = Monday … 6 = Sunday, as `calls.dow`. */
  | { kind: 'weekdays'; days: number[] }
  /** Hour-of-week cells, dow * 24 + hour. */
  | { kind: 'hourOfWeek'; cells: number[] }
  /** Final type codes; null selects calls without a type. */
  | { kind: 'types'; codes: (string | null)[] }
  /** Final tiers; null selects calls the tier map leaves unknown. */
  | { kind: 'tiers'; tiers: (Tier | null)[] }
  /** Area ids; null selects calls outside every area (or without a location). */
  | { kind: 'areas'; ids: (string | null)[] }
  /** WGS 84 box; west > east crosses the antimeridian. */
  | { kind: 'bbox'; west: number; south: number; east: number; north: number }
  /** Lasso ring [lon, lat][] (closed or not). */
  | { kind: 'polygon'; ring: [number, number][] }
  /** Calls picked by id (e.g. the calls in selected H3 cells, computed beside the map). */
  | { kind: 'callIds'; ids: string[]; label: string };

export type ClauseKind = ClauseSpec['kind'];

export interface Clause {
  /** Slot in the selection; a new clause with the same id replaces the old one. */
  id: string;
  /** Client that made it: its own queries ignore it (cross-filtering). */
  source: string;
  spec: ClauseSpec;
  predicate: Sql;
  label: string;
}

/** Context some clauses need: tier assignment is a CASE over the dataset's tier map. */
export interface ClauseContext {
  tierMap?: TierMap;
}

export const LIMITS = { listItems: 500, polygonVertices: 500, callIds: 20_000, textChars: 200 } as const;
export const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/;

/** Checked wall-clock text → the literal DuckDB casts to TIMESTAMP. */
export function parseWallClock(text: string): string {
  const m = DATE_TIME.exec(text);
  if (!m) throw new RangeError(`"${text.slice(0, 40)}" is not a date; write YYYY-MM-DD or YYYY-MM-DDTHH:MM.`);
  const [y, mo, d, h = '00', mi = '00'] = m.slice(1) as string[];
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi));
  const back = new Date(ms).toISOString();
  if (back.slice(0, 16) !== `${y}-${mo}-${d}T${h}:${mi}`) throw new RangeError(`"${text}" is not a real calendar date or time.`);
  return `${y}-${mo}-${d} ${h}:${mi}:00`;
}

function checkList<T>(what: string, values: readonly T[], max: number = LIMITS.listItems): void {
  if (values.length === 0) throw new RangeError(`Pick at least one ${what}; an empty filter would hide every call.`);
  if (values.length > max) throw new RangeError(`Too many ${what}s (${values.length}); at most ${max} can be filtered at once.`);
}

function intIn(what: string, v: number, lo: number, hi: number): void {
  if (!Number.isInteger(v) || v < lo || v > hi) throw new RangeError(`${what} must be a whole number from ${lo} to ${hi} (got ${v}).`);
}

function text(v: string): void {
  if (typeof v !== 'string' || v.length > LIMITS.textChars) throw new RangeError(`A filter value must be text of at most ${LIMITS.textChars} characters.`);
}

/** `col IN (...)` that also matches NULL when the list holds null. */
function inWithNull(column: Sql, values: readonly (string | number | null)[]): Sql {
  const present = values.filter((v): v is string | number => v !== null);
  const parts: Sql[] = [];
  if (present.length > 0) parts.push(sql`${column} IN ${inList(present)}`);
  if (values.includes(null)) parts.push(sql`${column} IS NULL`);
  return sql`(${join(parts, ' OR ')})`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Predicate and label for a spec; throws RangeError (analyst-readable) when the spec is invalid. */
export function compileClause(spec: ClauseSpec, ctx: ClauseContext = {}): { predicate: Sql; label: string } {
  switch (spec.kind) {
    case 'time': {
      const start = parseWallClock(spec.start);
      const end = parseWallClock(spec.end);
      if (end <= start) throw new RangeError(`The period ends (${spec.end}) before it starts (${spec.start}).`);
      return {
        predicate: sql`(received_at >= CAST(${start} AS TIMESTAMP) AND received_at < CAST(${end} AS TIMESTAMP))`,
        label: `${spec.start.replace('T', ' ')} to ${spec.end.replace('T', ' ')}`,
      };
    }
    case 'hours': {
      const w = hourWindow(spec.startHour, spec.endHour);
      if (w.startHour === 0 && w.endHour === 24) return { predicate: sql`(hour IS NOT NULL)`, label: 'all hours' };
      const predicate = w.crossesMidnight
        ? sql`(hour >= ${w.startHour} OR hour < ${w.endHour})`
        : sql`(hour >= ${w.startHour} AND hour < ${w.endHour})`;
      return { predicate, label: `${w.label}` };
    }
    case 'weekdays': {
      checkList('weekday', spec.days, 7);
      for (const d of spec.days) intIn('A weekday', d, 0, 6);
      const days = [...new Set(spec.days)].sort((a, b) => a - b);
      return { predicate: sql`(dow IN ${inList(days)})`, label: days.map((d) => WEEKDAY_NAMES[d]!.slice(0, 3)).join(', ') };
    }
    case 'hourOfWeek': {
      checkList('hour-of-week cell', spec.cells, 168);
      for (const c of spec.cells) intIn('An hour-of-week cell', c, 0, 167);
      const cells = [...new Set(spec.cells)].sort((a, b) => a - b);
      return { predicate: sql`(dow * 24 + hour IN ${inList(cells)})`, label: `${cells.length} hour-of-week cell${cells.length === 1 ? '' : 's'}` };
    }
    case 'types': {
      checkList('call type', spec.codes);
      for (const c of spec.codes) if (c !== null) text(c);
      const shown = spec.codes.slice(0, 3).map((c) => c ?? '(no type)');
      return { predicate: inWithNull(sql`type_code`, spec.codes), label: `type ${shown.join(', ')}${spec.codes.length > 3 ? ` +${spec.codes.length - 3}` : ''}` };
    }
    case 'tiers': {
      checkList('tier', spec.tiers, 4);
      for (const t of spec.tiers) if (t !== null) intIn('A tier', t, 1, 3);
      if (!ctx.tierMap) throw new RangeError('Tiers cannot be filtered before a tier map is confirmed; open the tiers panel first.');
      return { predicate: inWithNull(tierCase(ctx.tierMap, 'final'), spec.tiers), label: `tier ${spec.tiers.map((t) => t ?? 'unknown').join(', ')}` };
    }
    case 'areas': {
      checkList('area', spec.ids);
      for (const c of spec.ids) if (c !== null) text(c);
      return { predicate: inWithNull(sql`area_id`, spec.ids), label: `${spec.ids.length} area${spec.ids.length === 1 ? '' : 's'}` };
    }
    case 'bbox':
      return { predicate: bboxPredicate(spec), label: 'map extent' };
    case 'polygon':
      return { predicate: polygonPredicate(spec.ring), label: 'drawn area' };
    case 'callIds': {
      checkList('call', spec.ids, LIMITS.callIds);
      for (const c of spec.ids) text(c);
      text(spec.label);
      return { predicate: sql`(call_id IN ${inList(spec.ids)})`, label: spec.label };
    }
  }
}

function bboxPredicate(b: { west: number; south: number; east: number; north: number }): Sql {
  for (const [name, v, lim] of [
    ['west', b.west, 180],
    ['east', b.east, 180],
    ['south', b.south, 90],
    ['north', b.north, 90],
  ] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) > lim) throw new RangeError(`The map box ${name} edge must be a number within ±${lim}° (got ${v}).`);
  }
  if (b.south > b.north) throw new RangeError('The map box has its south edge above its north edge.');
  const lat = sql`lat BETWEEN ${b.south} AND ${b.north}`;
  // A box drawn across the antimeridian has west > east: two lon ranges.
  const lon = b.west <= b.east ? sql`lon BETWEEN ${b.west} AND ${b.east}` : sql`(lon >= ${b.west} OR lon <= ${b.east})`;
  return sql`(${lat} AND ${lon})`;
}

/**
 * Even–odd ray casting (W. R. Franklin's PNPOLY) as one SQL expression: count the edges a
 * ray from the point towards +lon crosses. The bbox test in front lets DuckDB skip the sum
 * for most rows. Horizontal edges never satisfy the straddle test, so the slope is finite.
 */
function polygonPredicate(input: readonly [number, number][]): Sql {
  const ring = input.slice();
  const [f, l] = [ring[0], ring[ring.length - 1]];
  if (f && l && f[0] === l[0] && f[1] === l[1]) ring.pop();
  if (ring.length < 3) throw new RangeError('A drawn area needs at least three corners.');
  if (ring.length > LIMITS.polygonVertices) throw new RangeError(`The drawn area has ${ring.length} corners; simplify it to at most ${LIMITS.polygonVertices}.`);
  for (const p of ring) {
    if (!Array.isArray(p) || p.length !== 2 || !p.every((v) => typeof v === 'number' && Number.isFinite(v)) || Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90) {
      throw new RangeError('A drawn area corner is not a [lon, lat] pair in degrees.');
    }
  }
  const lons = ring.map((p) => p[0]);
  const lats = ring.map((p) => p[1]);
  const box = bboxPredicate({ west: Math.min(...lons), east: Math.max(...lons), south: Math.min(...lats), north: Math.max(...lats) });
  const crossings: Sql[] = [];
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi === yj) continue;
    const slope = (xj - xi) / (yj - yi);
    crossings.push(sql`CASE WHEN (lat < ${yi}) <> (lat < ${yj}) AND lon < ${xi} + (lat - ${yi}) * ${slope} THEN 1 ELSE 0 END`);
  }
  return sql`(${box} AND (${join(crossings, ' + ')}) % 2 = 1)`;
}

/** Build a clause. `id` defaults to the kind: one clause per kind unless the caller says otherwise. */
export function clause(source: string, spec: ClauseSpec, ctx: ClauseContext = {}, id: string = spec.kind): Clause {
  const { predicate, label } = compileClause(spec, ctx);
  return { id, source, spec, predicate, label };
}

export const timeClause = (source: string, start: string, end: string) => clause(source, { kind: 'time', start, end });
export const hoursClause = (source: string, startHour: number, endHour: number) => clause(source, { kind: 'hours', startHour, endHour });
export const weekdaysClause = (source: string, days: number[]) => clause(source, { kind: 'weekdays', days });
export const hourOfWeekClause = (source: string, cells: { dow: number; hour: number }[]) =>
  clause(source, { kind: 'hourOfWeek', cells: cells.map((c) => c.dow * 24 + c.hour) });
export const typesClause = (source: string, codes: (string | null)[]) => clause(source, { kind: 'types', codes });
export const tiersClause = (source: string, tiers: (Tier | null)[], tierMap: TierMap) => clause(source, { kind: 'tiers', tiers }, { tierMap });
export const areasClause = (source: string, ids: (string | null)[]) => clause(source, { kind: 'areas', ids });
export const bboxClause = (source: string, b: { west: number; south: number; east: number; north: number }) => clause(source, { kind: 'bbox', ...b });
export const polygonClause = (source: string, ring: [number, number][]) => clause(source, { kind: 'polygon', ring });
export const callIdsClause = (source: string, ids: string[], label: string) => clause(source, { kind: 'callIds', ids, label });

/** "20:00–02:00"-style label for an hour pair, shared with the charts. */
export function hourRangeLabel(startHour: number, endHour: number): string {
  return `${pad(startHour)}:00–${pad(endHour % 24)}:00`;
}
