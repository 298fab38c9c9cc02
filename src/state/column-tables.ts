import type { Row } from '../data/rows';
import type { CallColumns } from './call-columns';

/**
 * The type bars and the area table from the typed-array columns (call-columns.ts), row for row
 * what typeCounts and areaRanking in src/data/queries/views.ts return: same columns, NULLs,
 * order and tie-breaks. tests/unit/call-columns.test.ts holds them equal to the SQL.
 */
const NULL_SMALL = 255;

/**
 * Rows (type_code, type_text, tier, n) over the calls passing `mask`: per (code, tier) the most
 * frequent non-NULL text, ties to the text seen first in scan order (rowid), as DuckDB's mode().
 */
export function typeBarsRows(cols: CallColumns, bits: Uint32Array, mask: number): Row[] {
  const pairs = cols.pairCode.length;
  // per (pair, tier slot): calls and the first call seen; tiers 1–3 in slots 1–3, NULL in 0
  const count = new Uint32Array(pairs * 4);
  const first = new Int32Array(pairs * 4).fill(-1);
  const { pairIndex, tier } = cols;
  for (let i = 0; i < cols.length; i++) {
    if ((bits[i]! & mask) !== 0) continue;
    const t = tier[i]!;
    const k = pairIndex[i]! * 4 + (t === NULL_SMALL ? 0 : t);
    if (count[k]!++ === 0) first[k] = i;
  }
  const groups = new Map<number, { code: number; tier: number; n: number; text: string | null; textN: number; textFirst: number }>();
  for (let k = 0; k < count.length; k++) {
    const c = count[k]!;
    if (c === 0) continue;
    const pair = Math.floor(k / 4);
    const slot = k % 4;
    const code = cols.pairCode[pair]!;
    const key = code * 4 + slot;
    let g = groups.get(key);
    if (!g) {
      g = { code, tier: slot === 0 ? NULL_SMALL : slot, n: 0, text: null, textN: 0, textFirst: Infinity };
      groups.set(key, g);
    }
    g.n += c;
    const text = cols.pairText[pair] ?? null;
    if (text !== null && (c > g.textN || (c === g.textN && first[k]! < g.textFirst))) {
      g.text = text;
      g.textN = c;
      g.textFirst = first[k]!;
    }
  }
  const rows = [...groups.values()];
  // ORDER BY n DESC, type_code NULLS LAST, tier NULLS LAST: dictionary indexes are DuckDB's own order, NULL last
  rows.sort((a, b) => b.n - a.n || a.code - b.code || a.tier - b.tier);
  return rows.map((r) => ({ type_code: cols.typeCodes[r.code] ?? null, type_text: r.text, tier: r.tier === NULL_SMALL ? null : r.tier, n: r.n }));
}

/** Wall-clock [start, end) as epoch ms, as areaRanking's period. */
export interface PeriodMs {
  startMs: number;
  endMs: number;
}

/**
 * Rows (area_id, area_name, n, previous_n, change, change_pct, previous_complete, population,
 * per_1000) over the calls passing `mask`, most calls first; with a period, n counts it and
 * previous_n the period of equal length before it. Null when the areas' names are not one per
 * area (cols.areaNames): then any_value() is the SQL's to pick.
 */
export function areaTableRows(cols: CallColumns, bits: Uint32Array, mask: number, period: PeriodMs | null, population: Readonly<Record<string, number>> = {}): Row[] | null {
  const names = cols.areaNames;
  if (!names) return null;
  const areas = cols.areaIds.length;
  const n = new Uint32Array(areas);
  const prev = new Uint32Array(areas);
  const { areaIndex, receivedMs } = cols;
  const prevStart = period ? period.startMs - (period.endMs - period.startMs) : 0;
  for (let i = 0; i < cols.length; i++) {
    if ((bits[i]! & mask) !== 0) continue;
    if (!period) n[areaIndex[i]!]!++;
    else {
      const t = receivedMs[i]!;
      if (t >= period.startMs && t < period.endMs) n[areaIndex[i]!]!++;
      else if (t >= prevStart && t < period.startMs) prev[areaIndex[i]!]!++;
    }
  }
  let previousComplete: boolean | null = null;
  if (period) {
    const first = cols.dayRange ? cols.dayRange[0] * 86_400_000 : null;
    previousComplete = first === null ? null : first <= prevStart;
  }
  const pops = new Map(Object.entries(population).filter(([, v]) => Number.isFinite(v) && v > 0));
  const rows: Row[] = [];
  const order: number[] = [];
  for (let a = 0; a < areas; a++) if (n[a]! > 0 || prev[a]! > 0) order.push(a);
  // ORDER BY n DESC, area_id NULLS LAST: dictionary order is DuckDB's, NULL last
  order.sort((x, y) => n[y]! - n[x]! || x - y);
  for (const a of order) {
    const id = cols.areaIds[a] ?? null;
    const count = n[a]!;
    const p = period ? prev[a]! : null;
    const pop = id === null ? null : (pops.get(id) ?? null);
    rows.push({
      area_id: id,
      area_name: names[a] ?? null,
      n: count,
      previous_n: p,
      change: p === null ? null : count - p,
      change_pct: p !== null && p > 0 ? (100 * (count - p)) / p : null,
      previous_complete: previousComplete,
      population: pop,
      per_1000: pop !== null && pop > 0 ? (1000 * count) / pop : null,
    });
  }
  return rows;
}
