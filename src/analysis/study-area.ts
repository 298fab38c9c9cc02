/**
 * Which cells a hotspot run covers, empty ones included. Gi* compares every local sum with
 * the mean and variance over ALL n locations; leaving out the empty cells raises the mean,
 * shrinks the spread between busy and quiet places and removes zeros from the neighbourhoods
 * of edge cells, so z then measures "busier than other places that had calls" instead of
 * "busier than the city". The study region is the union of the loaded areas (the city the
 * analyst is responsible for); without areas it is the bounding box of the analysed calls,
 * which also counts rivers and parks, so it is a fallback, said so in the output.
 */
import type { MultiPolygon, Polygon } from 'geojson';
import { polygonToCells } from 'h3-js';
import { type SquareGridSpec, squareCellCenter } from './binning';

export type Region = readonly (Polygon | MultiPolygon)[];
export type BBox = [west: number, south: number, east: number, north: number];

interface PreparedPolygon {
  bbox: BBox;
  rings: number[][][];
}

function prepare(region: Region): PreparedPolygon[] {
  const out: PreparedPolygon[] = [];
  for (const g of region) {
    for (const rings of g.type === 'Polygon' ? [g.coordinates] : g.coordinates) {
      const bbox: BBox = [Infinity, Infinity, -Infinity, -Infinity];
      for (const [x, y] of rings[0] ?? []) {
        bbox[0] = Math.min(bbox[0], x!);
        bbox[1] = Math.min(bbox[1], y!);
        bbox[2] = Math.max(bbox[2], x!);
        bbox[3] = Math.max(bbox[3], y!);
      }
      out.push({ bbox, rings: rings as number[][][] });
    }
  }
  return out;
}

/** Even-odd rule over all rings of a polygon, so holes are outside. */
function inPolygon(p: PreparedPolygon, x: number, y: number): boolean {
  if (x < p.bbox[0] || x > p.bbox[2] || y < p.bbox[1] || y > p.bbox[3]) return false;
  let inside = false;
  for (const ring of p.rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]! as [number, number];
      const [xj, yj] = ring[j]! as [number, number];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

export function regionContains(region: Region): (lon: number, lat: number) => boolean {
  const polygons = prepare(region);
  return (lon, lat) => polygons.some((p) => inPolygon(p, lon, lat));
}

export function regionBBox(region: Region): BBox {
  const box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const p of prepare(region)) {
    box[0] = Math.min(box[0], p.bbox[0]);
    box[1] = Math.min(box[1], p.bbox[1]);
    box[2] = Math.max(box[2], p.bbox[2]);
    box[3] = Math.max(box[3], p.bbox[3]);
  }
  return box;
}

export function bboxPolygon([w, s, e, n]: BBox): Polygon {
  return { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] };
}

/** Square cells (col, row) whose centre lies in the region. */
export function squareCellsInRegion(spec: SquareGridSpec, region: Region, maxCells = 2_000_000): [col: number, row: number][] {
  const [w, s, e, n] = regionBBox(region);
  const c0 = Math.floor(((w - spec.originLon) * spec.metersPerDegreeLon) / spec.cellMeters);
  const c1 = Math.floor(((e - spec.originLon) * spec.metersPerDegreeLon) / spec.cellMeters);
  const r0 = Math.floor(((s - spec.originLat) * spec.metersPerDegreeLat) / spec.cellMeters);
  const r1 = Math.floor(((n - spec.originLat) * spec.metersPerDegreeLat) / spec.cellMeters);
  if ((c1 - c0 + 1) * (r1 - r0 + 1) > maxCells) {
    throw new RangeError(`The study area holds more than ${maxCells.toLocaleString('en-US')} cells of ${spec.cellMeters} m; choose larger cells or load areas that cover only the city.`);
  }
  const contains = regionContains(region);
  const out: [number, number][] = [];
  for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) if (contains(...squareCellCenter(spec, c, r))) out.push([c, r]);
  return out;
}

/** H3 cells whose centre lies in the region (h3 polygonToCells uses centre containment too). */
export function h3CellsInRegion(region: Region, resolution: number): string[] {
  const ids = new Set<string>();
  for (const g of region) {
    for (const rings of g.type === 'Polygon' ? [g.coordinates] : g.coordinates) {
      for (const id of polygonToCells(rings as number[][][], resolution, true)) ids.add(id);
    }
  }
  return [...ids];
}
