import type { Polygon } from 'geojson';
import { cellToBoundary, cellToLatLng, getHexagonEdgeLengthAvg, latLngToCell, UNITS } from 'h3-js';

export interface BinnedCell {
  id: string;
  count: number;
  center: [lon: number, lat: number];
  polygon: Polygon;
}

/**
 * H3 resolution whose average hexagon edge is closest to the target on a log scale
 * (edges shrink by ≈ √7 per level, so "closest" must be relative, not absolute).
 */
export function h3ResolutionForCellMeters(targetEdgeMeters: number): number {
  if (!(targetEdgeMeters > 0)) throw new RangeError(`Cell size must be a positive number of metres (got ${targetEdgeMeters}).`);
  let best = 0;
  let bestGap = Infinity;
  for (let res = 0; res <= 15; res++) {
    const gap = Math.abs(Math.log(getHexagonEdgeLengthAvg(res, UNITS.m) / targetEdgeMeters));
    if (gap < bestGap) {
      bestGap = gap;
      best = res;
    }
  }
  return best;
}

/** H3 ids per point (null where coordinates are missing), as DuckDB's h3 would give them. */
export function h3CellIds(lons: ArrayLike<number>, lats: ArrayLike<number>, resolution: number): (string | null)[] {
  const ids: (string | null)[] = [];
  for (let i = 0; i < lons.length; i++) {
    const lon = lons[i]!;
    const lat = lats[i]!;
    ids.push(Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lat) <= 90 ? latLngToCell(lat, lon, resolution) : null);
  }
  return ids;
}

export function binH3(lons: ArrayLike<number>, lats: ArrayLike<number>, resolution: number): BinnedCell[] {
  return countIds(h3CellIds(lons, lats, resolution)).map(([id, count]) => {
    const [lat, lon] = cellToLatLng(id);
    const ring = cellToBoundary(id, true) as [number, number][];
    return { id, count, center: [lon, lat], polygon: { type: 'Polygon', coordinates: [ring] } };
  });
}

/**
 * Square grid in metres, defined in a local equirectangular plane so that DuckDB can compute the
 * very same ids with plain arithmetic (duckdb-wasm has no spatial extension, so no UTM in SQL).
 * The plane uses the WGS 84 radii of curvature at the origin; across ±25 km of a city centre its
 * scale differs from UTM by < 0.5 %, far less than a cell.
 *
 *   col = floor((lon − originLon) · metersPerDegreeLon / cellMeters)
 *   row = floor((lat − originLat) · metersPerDegreeLat / cellMeters)
 *   id  = 'g:' || col || ':' || row
 *
 * Evaluate in exactly this order in SQL (subtract, multiply, divide, floor) so both sides round
 * identically: `floor((lon - ?) * ? / ?)` with the four constants as DOUBLE parameters and lon/lat
 * DOUBLE columns (a DECIMAL literal switches DuckDB to decimal arithmetic and ids drift).
 */
export interface SquareGridSpec {
  originLon: number;
  originLat: number;
  metersPerDegreeLon: number;
  metersPerDegreeLat: number;
  cellMeters: number;
}

const WGS84_A = 6_378_137;
const WGS84_E2 = 0.006_694_379_990_14;

/**
 * The origin is the data centre rounded to 0.1°, so every subset of one city's data (a month,
 * a district) gets the same grid and the same cell ids.
 */
export function squareGridSpec(centerLon: number, centerLat: number, cellMeters: number): SquareGridSpec {
  if (!(cellMeters > 0)) throw new RangeError(`Cell size must be a positive number of metres (got ${cellMeters}).`);
  if (!(Math.abs(centerLat) < 85) || !Number.isFinite(centerLon)) throw new RangeError(`No local grid for centre (${centerLon}, ${centerLat}).`);
  const originLon = Math.round(centerLon * 10) / 10;
  const originLat = Math.round(centerLat * 10) / 10;
  const phi = (originLat * Math.PI) / 180;
  const w = Math.sqrt(1 - WGS84_E2 * Math.sin(phi) ** 2);
  const meridional = (WGS84_A * (1 - WGS84_E2)) / w ** 3;
  const primeVertical = WGS84_A / w;
  return {
    originLon,
    originLat,
    metersPerDegreeLon: (primeVertical * Math.cos(phi) * Math.PI) / 180,
    metersPerDegreeLat: (meridional * Math.PI) / 180,
    cellMeters,
  };
}

export function squareCellOf(spec: SquareGridSpec, lon: number, lat: number): [col: number, row: number] {
  return [Math.floor(((lon - spec.originLon) * spec.metersPerDegreeLon) / spec.cellMeters), Math.floor(((lat - spec.originLat) * spec.metersPerDegreeLat) / spec.cellMeters)];
}

export function squareCellId(col: number, row: number): string {
  return `g:${col}:${row}`;
}

export function parseSquareCellId(id: string): [col: number, row: number] | null {
  const m = /^g:(-?\d+):(-?\d+)$/.exec(id);
  return m ? [Number(m[1]), Number(m[2])] : null;
}

/** Corners back in lon/lat; the polygon is exact in the grid's own plane (closed, counter-clockwise). */
export function squareCellPolygon(spec: SquareGridSpec, col: number, row: number): Polygon {
  const lonAt = (c: number) => spec.originLon + (c * spec.cellMeters) / spec.metersPerDegreeLon;
  const latAt = (r: number) => spec.originLat + (r * spec.cellMeters) / spec.metersPerDegreeLat;
  const [w, e, s, n] = [lonAt(col), lonAt(col + 1), latAt(row), latAt(row + 1)];
  return {
    type: 'Polygon',
    coordinates: [
      [
        [w, s],
        [e, s],
        [e, n],
        [w, n],
        [w, s],
      ],
    ],
  };
}

export function squareCellCenter(spec: SquareGridSpec, col: number, row: number): [lon: number, lat: number] {
  return [spec.originLon + ((col + 0.5) * spec.cellMeters) / spec.metersPerDegreeLon, spec.originLat + ((row + 0.5) * spec.cellMeters) / spec.metersPerDegreeLat];
}

export function binSquare(spec: SquareGridSpec, lons: ArrayLike<number>, lats: ArrayLike<number>): BinnedCell[] {
  const ids: (string | null)[] = [];
  for (let i = 0; i < lons.length; i++) {
    const lon = lons[i]!;
    const lat = lats[i]!;
    ids.push(Number.isFinite(lon) && Number.isFinite(lat) ? squareCellId(...squareCellOf(spec, lon, lat)) : null);
  }
  return countIds(ids).map(([id, count]) => {
    const [col, row] = parseSquareCellId(id)!;
    return { id, count, center: squareCellCenter(spec, col, row), polygon: squareCellPolygon(spec, col, row) };
  });
}

/** Counts by id, most calls first, ties by id: a stable order for tables and tests. */
function countIds(ids: (string | null)[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const id of ids) if (id !== null) counts.set(id, (counts.get(id) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}
