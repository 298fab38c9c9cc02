import { tableFromArrays, tableToIPC } from 'apache-arrow';
import proj4 from 'proj4';
import { BUILT_IN_CRS, type CrsDefinition } from './crs-table';
import type { Db } from './db-types';
import { ident, sql } from './sql';

export type Bbox = readonly [west: number, south: number, east: number, north: number];

export interface CrsSuggestion {
  code: string;
  name: string;
  proj4: string;
  /** 0..1; share of sampled points that land where this CRS is used (and inside `within`, if given) */
  score: number;
  /** where the median sampled point lands, [lon, lat] */
  medianLonLat: [number, number];
  reason: string;
}

/** True when the values cannot be degrees (|x| > 180 or |y| > 90 for most of them). */
export function looksProjected(xs: ArrayLike<number>, ys: ArrayLike<number>): boolean {
  let far = 0;
  let n = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const y = ys[i]!;
    if (!Number.isFinite(x) || !Number.isFinite(y) || (x === 0 && y === 0)) continue;
    n++;
    if (Math.abs(x) > 360 || Math.abs(y) > 360) far++;
  }
  return n > 0 && far / n > 0.5;
}

const SAMPLE_LIMIT = 400;

/**
 * Rank built-in projected CRSs by how many sampled points each one places inside its own
 * area of use. A UTM easting/northing fits every zone equally (values repeat per zone), so
 * without `within` (the loaded areas' bbox, the strongest hint we have) several UTM zones tie
 * and the caller must ask the analyst; State Plane origins differ enough to single one out.
 */
export function suggestCrs(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  options: { within?: Bbox; limit?: number; candidates?: readonly CrsDefinition[] } = {},
): CrsSuggestion[] {
  const pts: [number, number][] = [];
  const step = Math.max(1, Math.floor(xs.length / SAMPLE_LIMIT));
  for (let i = 0; i < xs.length && pts.length < SAMPLE_LIMIT; i += step) {
    const x = xs[i]!;
    const y = ys[i]!;
    if (Number.isFinite(x) && Number.isFinite(y) && !(x === 0 && y === 0)) pts.push([x, y]);
  }
  if (pts.length === 0) return [];
  const out: (CrsSuggestion & { size: number })[] = [];
  for (const c of options.candidates ?? BUILT_IN_CRS) {
    const conv = proj4(c.proj4, 'EPSG:4326');
    let inUse = 0;
    let inHint = 0;
    const lons: number[] = [];
    const lats: number[] = [];
    for (const p of pts) {
      const [lon, lat] = conv.forward(p) as [number, number];
      if (!Number.isFinite(lon) || !Number.isFinite(lat)) continue;
      lons.push(lon);
      lats.push(lat);
      if (inside(lon, lat, c.bbox, 0.25)) inUse++;
      if (options.within && inside(lon, lat, options.within, 0.05)) inHint++;
    }
    const useFrac = inUse / pts.length;
    const hintFrac = inHint / pts.length;
    const score = options.within ? 0.7 * hintFrac + 0.3 * useFrac : useFrac;
    if (score <= 0) continue;
    const medianLonLat: [number, number] = [median(lons), median(lats)];
    const where = `${medianLonLat[1].toFixed(3)}, ${medianLonLat[0].toFixed(3)}`;
    const reason = options.within
      ? `${pct(hintFrac)} of sampled points fall inside the loaded areas and ${pct(useFrac)} inside the zone (median point ${where}).`
      : `${pct(useFrac)} of sampled points fall inside the zone's area of use (median point ${where}).`;
    const size = (c.bbox[2] - c.bbox[0]) * (c.bbox[3] - c.bbox[1]);
    out.push({ code: c.code, name: c.name, proj4: c.proj4, score, medianLonLat, reason, size });
  }
  // Equal scores: the smaller (more specific) zone first, then table order (stable sort).
  out.sort((a, b) => b.score - a.score || a.size - b.size);
  return out.slice(0, options.limit ?? 5).map(({ size: _size, ...s }) => s);
}

/** proj4 definition for a CRS given as a built-in EPSG code or a proj4 string. */
export function resolveCrs(crs: string): string {
  const known = BUILT_IN_CRS.find((c) => c.code.toUpperCase() === crs.trim().toUpperCase());
  if (known) return known.proj4;
  if (crs.trim().startsWith('+proj=')) return crs.trim();
  throw new Error(`Unknown coordinate system ${crs}: use one of the built-in EPSG codes or a proj4 string.`);
}

/**
 * Project x/y columns of `table` to WGS 84 lon/lat columns in bulk: DuckDB hands over typed
 * arrays, proj4 runs in JS (no spatial extension in the wasm build), and the result goes back
 * as one Arrow IPC stream joined on `rowId`. Rows whose x or y is NULL or 0/0 are skipped.
 */
export async function reprojectColumns(
  db: Db,
  o: { table: string; rowId: string; x: string; y: string; crs: string; lon: string; lat: string },
): Promise<{ projected: number; failed: number }> {
  const conv = proj4(resolveCrs(o.crs), 'EPSG:4326');
  const res = await db.query(
    sql`SELECT CAST(${ident(o.rowId)} AS INTEGER) AS id, CAST(${ident(o.x)} AS DOUBLE) AS x, CAST(${ident(o.y)} AS DOUBLE) AS y
        FROM ${ident(o.table)} WHERE ${ident(o.x)} IS NOT NULL AND ${ident(o.y)} IS NOT NULL AND NOT (${ident(o.x)} = 0 AND ${ident(o.y)} = 0)`,
  );
  const ids = Int32Array.from(res.getChild('id')?.toArray() ?? []);
  const xs = res.getChild('x')?.toArray() as Float64Array;
  const ys = res.getChild('y')?.toArray() as Float64Array;
  const lon = new Float64Array(ids.length);
  const lat = new Float64Array(ids.length);
  const p: [number, number] = [0, 0];
  let failed = 0;
  for (let i = 0; i < ids.length; i++) {
    p[0] = xs[i]!;
    p[1] = ys[i]!;
    const [a, b] = conv.forward(p) as [number, number];
    lon[i] = Number.isFinite(a) ? a : Number.NaN;
    lat[i] = Number.isFinite(b) ? b : Number.NaN;
    if (!Number.isFinite(a) || !Number.isFinite(b)) failed++;
  }
  const tmp = `_reproject_${o.table}`;
  await db.query(sql`DROP TABLE IF EXISTS ${ident(tmp)}`);
  await db.insertArrowIpc(tmp, tableToIPC(tableFromArrays({ id: ids, lon, lat }), 'stream'), true);
  await db.query(
    sql`UPDATE ${ident(o.table)} SET ${ident(o.lon)} = CASE WHEN isnan(t.lon) THEN NULL ELSE t.lon END,
        ${ident(o.lat)} = CASE WHEN isnan(t.lat) THEN NULL ELSE t.lat END
        FROM ${ident(tmp)} t WHERE ${ident(o.table)}.${ident(o.rowId)} = t.id`,
  );
  await db.query(sql`DROP TABLE ${ident(tmp)}`);
  return { projected: ids.length - failed, failed };
}

function inside(lon: number, lat: number, b: Bbox, padDeg: number): boolean {
  return lon >= b[0] - padDeg && lon <= b[2] + padDeg && lat >= b[1] - padDeg && lat <= b[3] + padDeg;
}

function median(v: number[]): number {
  if (v.length === 0) return Number.NaN;
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function pct(f: number): string {
  return `${Math.round(f * 100)}%`;
}
