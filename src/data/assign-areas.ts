import { booleanPointInPolygon } from '@turf/turf';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import type { Db } from './db-types';
import { ident, join, type Sql, sql } from './sql';
import type { AreaFeature } from './types';

/**
 * Point-in-polygon for every located call, done in JS: the wasm build has no spatial
 * extension. A uniform grid over the areas' bounding boxes keeps the exact Turf test to the
 * one or two polygons near each point; results go back to DuckDB as one Arrow stream.
 */
export interface AreaAssignment {
  located: number;
  assigned: number;
  outside: number;
  ms: number;
}

const GRID_CELLS = 256;

export interface AreaIndex {
  /** index into `areas` of the first area containing the point, or -1 */
  locate(lon: number, lat: number): number;
}

export function buildAreaIndex(areas: readonly AreaFeature[]): AreaIndex {
  const boxes = areas.map((a) => bboxOf(a));
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const b of boxes) {
    w = Math.min(w, b[0]);
    s = Math.min(s, b[1]);
    e = Math.max(e, b[2]);
    n = Math.max(n, b[3]);
  }
  const cw = (e - w) / GRID_CELLS || 1;
  const ch = (n - s) / GRID_CELLS || 1;
  const cells: number[][] = Array.from({ length: GRID_CELLS * GRID_CELLS }, () => []);
  const clamp = (v: number) => Math.max(0, Math.min(GRID_CELLS - 1, v));
  const gx = (lon: number) => clamp(Math.floor((lon - w) / cw));
  const gy = (lat: number) => clamp(Math.floor((lat - s) / ch));
  boxes.forEach((b, i) => {
    for (let x = gx(b[0]); x <= gx(b[2]); x++) for (let y = gy(b[1]); y <= gy(b[3]); y++) cells[y * GRID_CELLS + x]!.push(i);
  });
  // A cell no polygon edge touches lies wholly inside one area or none, so its answer is
  // computed once (Turf on the cell centre) instead of per point. Edge cells are marked
  // conservatively: every cell in each segment's bbox.
  const onEdge = new Uint8Array(GRID_CELLS * GRID_CELLS);
  for (const a of areas) {
    const polys = a.geometry.type === 'Polygon' ? [a.geometry.coordinates] : a.geometry.coordinates;
    for (const ring of polys.flat()) {
      for (let k = 1; k < ring.length; k++) {
        const [x0, y0] = ring[k - 1] as [number, number];
        const [x1, y1] = ring[k] as [number, number];
        for (let x = gx(Math.min(x0, x1)); x <= gx(Math.max(x0, x1)); x++) {
          for (let y = gy(Math.min(y0, y1)); y <= gy(Math.max(y0, y1)); y++) onEdge[y * GRID_CELLS + x] = 1;
        }
      }
    }
  }
  const pt: [number, number] = [0, 0];
  const exact = (cell: number[], lon: number, lat: number): number => {
    pt[0] = lon;
    pt[1] = lat;
    for (const i of cell) {
      const b = boxes[i]!;
      if (lon < b[0] || lon > b[2] || lat < b[1] || lat > b[3]) continue;
      if (booleanPointInPolygon(pt, areas[i]!.geometry)) return i;
    }
    return -1;
  };
  const fixed = new Int32Array(GRID_CELLS * GRID_CELLS).fill(-1);
  for (let y = 0; y < GRID_CELLS; y++) {
    for (let x = 0; x < GRID_CELLS; x++) {
      const c = y * GRID_CELLS + x;
      if (!onEdge[c] && cells[c]!.length > 0) fixed[c] = exact(cells[c]!, w + (x + 0.5) * cw, s + (y + 0.5) * ch);
    }
  }
  return {
    locate(lon, lat) {
      if (!(lon >= w && lon <= e && lat >= s && lat <= n)) return -1;
      const c = gy(lat) * GRID_CELLS + gx(lon);
      return onEdge[c] ? exact(cells[c]!, lon, lat) : fixed[c]!;
    },
  };
}

/**
 * Fill `area_id`/`area_name` of `table` (default `calls`) and flag located points that fall
 * in no area as `outside_areas`. Rows are matched on `_row`.
 */
export async function assignAreas(db: Db, areas: readonly AreaFeature[], o: { table?: string } = {}): Promise<AreaAssignment> {
  const table = o.table ?? 'calls';
  const target = ident(table);
  const located = await locateAreaHits(db, areas, { table, where: sql`lon IS NOT NULL AND lat IS NOT NULL` });
  await db.query(sql`UPDATE ${target} SET area_id = l.area_id, area_name = l.area_name,
      geo_quality = CASE WHEN h.area_idx < 0 AND ${target}.geo_quality = 'ok' THEN 'outside_areas' ELSE ${target}.geo_quality END
    FROM ${ident(AREA_HITS)} h LEFT JOIN ${ident(AREA_LOOKUP)} l ON l.area_idx = h.area_idx
    WHERE ${target}._row = h.row_id`);
  await dropAreaHits(db);
  return { ...located, ms: performance.now() - located.t0 };
}

/** Tables `locateAreaHits` leaves for the caller to join: (row_id, area_idx) and (area_idx, area_id, area_name). */
export const AREA_HITS = '_area_hits';
export const AREA_LOOKUP = '_area_lookup';

/**
 * Locates the `lon`/`lat` of the rows of `table` matching `where` and leaves the outcome in
 * `_area_hits` (row_id = `_row`, area_idx = index into `areas`, -1 outside every area) and
 * the areas in `_area_lookup`, so a build can join them into a table it is creating anyway
 * instead of UPDATE-ing every row afterwards. Drop them with `dropAreaHits`.
 */
export async function locateAreaHits(
  db: Db,
  areas: readonly AreaFeature[],
  o: { table: string; where: Sql },
): Promise<{ located: number; assigned: number; outside: number; t0: number }> {
  const t0 = performance.now();
  const res = await db.query(sql`SELECT _row, lon, lat FROM ${ident(o.table)} WHERE ${o.where}`);
  const ids = Int32Array.from(res.getChild('_row')?.toArray() ?? []);
  const lons = res.getChild('lon')?.toArray() as Float64Array;
  const lats = res.getChild('lat')?.toArray() as Float64Array;
  const index = buildAreaIndex(areas);
  const hit = new Int32Array(ids.length);
  let outside = 0;
  for (let i = 0; i < ids.length; i++) {
    hit[i] = index.locate(lons[i]!, lats[i]!);
    if (hit[i]! < 0) outside++;
  }
  await dropAreaHits(db);
  await db.insertArrowIpc(AREA_HITS, tableToIPC(tableFromArrays({ row_id: ids, area_idx: hit }), 'stream'), true);
  await db.query(sql`CREATE TABLE ${ident(AREA_LOOKUP)} (area_idx INTEGER, area_id VARCHAR, area_name VARCHAR)`);
  for (let start = 0; start < areas.length; start += 500) {
    const values = areas.slice(start, start + 500).map((a, k) => sql`(${start + k}, ${a.id}, ${a.name})`);
    await db.query(sql`INSERT INTO ${ident(AREA_LOOKUP)} VALUES ${join(values, ', ')}`);
  }
  return { located: ids.length, assigned: ids.length - outside, outside, t0 };
}

export async function dropAreaHits(db: Db): Promise<void> {
  await db.query(sql`DROP TABLE IF EXISTS ${ident(AREA_HITS)}`);
  await db.query(sql`DROP TABLE IF EXISTS ${ident(AREA_LOOKUP)}`);
}

function bboxOf(a: AreaFeature): [number, number, number, number] {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  const rings = a.geometry.type === 'Polygon' ? [a.geometry.coordinates] : a.geometry.coordinates;
  for (const poly of rings) {
    for (const p of poly[0] ?? []) {
      w = Math.min(w, p[0]!);
      e = Math.max(e, p[0]!);
      s = Math.min(s, p[1]!);
      n = Math.max(n, p[1]!);
    }
  }
  return [w, s, e, n];
}
