import type { Db } from '../db-types';
import { toRows } from '../rows';
import { inList, type Sql, sql } from '../sql';

/** What the detail panel shows for one place: the filtered calls inside it, broken down. */
export interface PlaceDetail {
  total: number;
  byHour: number[];
  byDow: number[];
  types: { label: string; n: number }[];
  blocks: { label: string; n: number }[];
  weeks: { week: string; n: number }[];
  nights: number;
}

export type PlaceClause = { kind: 'area'; id: string } | { kind: 'bounds'; bounds: [number, number, number, number] } | { kind: 'calls'; ids: string[] };

export function placeWhere(p: PlaceClause): Sql {
  if (p.kind === 'area') return sql`area_id = ${p.id}`;
  if (p.kind === 'calls') return sql`call_id IN ${inList(p.ids)}`;
  // half-open like the grid's floor(), so a call on an edge belongs to one cell only
  const [w, s, e, n] = p.bounds;
  return sql`lon >= ${w} AND lon < ${e} AND lat >= ${s} AND lat < ${n}`;
}

/** `filtered` is the selection's predicate over `calls`; the place narrows it further. */
export async function placeDetail(db: Db, filtered: Sql, place: PlaceClause): Promise<PlaceDetail> {
  const where = sql`(${filtered}) AND ${placeWhere(place)}`;
  const byHour = new Array<number>(24).fill(0);
  const byDow = new Array<number>(7).fill(0);
  for (const r of toRows(await db.query(sql`SELECT hour, count(*) AS n FROM calls WHERE ${where} AND hour IS NOT NULL GROUP BY ALL`))) byHour[Number(r.hour)] = Number(r.n);
  for (const r of toRows(await db.query(sql`SELECT dow, count(*) AS n FROM calls WHERE ${where} AND dow IS NOT NULL GROUP BY ALL`))) byDow[Number(r.dow)] = Number(r.n);
  const top = async (column: Sql, fallback: string) =>
    toRows(await db.query(sql`SELECT COALESCE(${column}, ${fallback}) AS label, count(*) AS n FROM calls WHERE ${where} GROUP BY ALL ORDER BY n DESC, label LIMIT 8`)).map((r) => ({
      label: String(r.label),
      n: Number(r.n),
    }));
  const types = await top(sql`type_text`, '(no type)');
  const blocks = await top(sql`block_address`, '(no address)');
  const weeks = toRows(
    await db.query(sql`SELECT strftime(date_trunc('week', received_at), '%Y-%m-%d') AS week, count(*) AS n FROM calls WHERE ${where} GROUP BY ALL ORDER BY week`),
  ).map((r) => ({ week: String(r.week), n: Number(r.n) }));
  // "distinct nights": a call at 01:00 belongs to the night that began the evening before
  const [nights] = toRows(await db.query(sql`SELECT count(DISTINCT CAST(received_at - INTERVAL 6 HOUR AS DATE)) AS k FROM calls WHERE ${where}`));
  return { total: byHour.reduce((a, b) => a + b, 0), byHour, byDow, types, blocks, weeks, nights: Number(nights?.k ?? 0) };
}
