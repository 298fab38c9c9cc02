import KDBush from 'kdbush';
import type { LocalProjection } from './local-projection';

/** A place calls are measured against: a stop, a hub, a station. */
export interface Site {
  id: string;
  name?: string;
  lon: number;
  lat: number;
}

export interface NearestSite {
  id: string;
  name?: string;
  /** position in the sites array */
  index: number;
  /** planar metres in the local UTM projection (< 0.1 % from the geodesic inside the zone) */
  distanceMeters: number;
}

/** "Near a hub" means within this many metres unless the analyst changes it (≈ one short block). */
export const NEAR_SITE_METERS = 150;

export interface ProximityIndex {
  readonly size: number;
  nearestXY(x: number, y: number): NearestSite | null;
  nearest(lon: number, lat: number): NearestSite | null;
  /** All sites within radiusMeters (inclusive), nearest first. */
  within(lon: number, lat: number, radiusMeters: number): NearestSite[];
}

/**
 * k-d tree (kdbush) over projected sites. kdbush has no k-nearest query, so `nearest` asks
 * ever larger radius queries (×4) until one is non-empty: the nearest site is then inside it.
 */
export function createProximityIndex(sites: readonly Site[], projection: LocalProjection): ProximityIndex {
  const xs = new Float64Array(sites.length);
  const ys = new Float64Array(sites.length);
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  sites.forEach((s, i) => {
    const [x, y] = projection.forward(s.lon, s.lat);
    xs[i] = x;
    ys[i] = y;
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  });
  const tree = sites.length > 0 ? new KDBush(sites.length) : null;
  if (tree) {
    for (let i = 0; i < sites.length; i++) tree.add(xs[i]!, ys[i]!);
    tree.finish();
  }
  const out: number[] = [];
  const hit = (i: number, x: number, y: number): NearestSite => {
    const site = sites[i]!;
    const result: NearestSite = { id: site.id, index: i, distanceMeters: Math.hypot(xs[i]! - x, ys[i]! - y) };
    if (site.name !== undefined) result.name = site.name;
    return result;
  };
  const nearestXY = (x: number, y: number): NearestSite | null => {
    if (!tree || !Number.isFinite(x) || !Number.isFinite(y)) return null;
    // Beyond this radius every site is inside the query circle, so the loop always ends.
    // (padded: a radius exactly equal to the distance can miss the site through rounding)
    const farthest = Math.hypot(Math.max(Math.abs(x - minX), Math.abs(x - maxX)), Math.max(Math.abs(y - minY), Math.abs(y - maxY))) * (1 + 1e-9) + 1e-6;
    for (let r = 64; ; r *= 4) {
      const count = tree.withinInto(x, y, Math.min(r, farthest), out);
      if (count > 0) {
        let best = out[0]!;
        let bestD = Infinity;
        for (let k = 0; k < count; k++) {
          const j = out[k]!;
          const d = (xs[j]! - x) ** 2 + (ys[j]! - y) ** 2;
          // Ties go to the lower index so results do not depend on the tree layout.
          if (d < bestD || (d === bestD && j < best)) {
            bestD = d;
            best = j;
          }
        }
        return hit(best, x, y);
      }
      if (r >= farthest) return null;
    }
  };
  return {
    size: sites.length,
    nearestXY,
    nearest: (lon, lat) => {
      if (!Number.isFinite(lon) || !Number.isFinite(lat)) return null;
      const [x, y] = projection.forward(lon, lat);
      return nearestXY(x, y);
    },
    within: (lon, lat, radiusMeters) => {
      if (!tree || !Number.isFinite(lon) || !Number.isFinite(lat)) return [];
      const [x, y] = projection.forward(lon, lat);
      return tree
        .within(x, y, radiusMeters)
        .map((i) => hit(i, x, y))
        .sort((a, b) => a.distanceMeters - b.distanceMeters || a.index - b.index);
    },
  };
}

export interface NearestColumns {
  /** site index per point, −1 when there are no sites or the point has no coordinates */
  siteIndex: Int32Array;
  distanceMeters: Float64Array;
}

/** Nearest site for many projected points at once (typed arrays: 100k calls without objects). */
export function nearestForPoints(index: ProximityIndex, x: ArrayLike<number>, y: ArrayLike<number>): NearestColumns {
  const siteIndex = new Int32Array(x.length).fill(-1);
  const distanceMeters = new Float64Array(x.length).fill(Number.NaN);
  for (let i = 0; i < x.length; i++) {
    const hit = index.nearestXY(x[i]!, y[i]!);
    if (hit) {
      siteIndex[i] = hit.index;
      distanceMeters[i] = hit.distanceMeters;
    }
  }
  return { siteIndex, distanceMeters };
}

/** 1 where the nearest site is within radiusMeters (inclusive). */
export function nearFlags(columns: NearestColumns, radiusMeters = NEAR_SITE_METERS): Uint8Array {
  return Uint8Array.from(columns.distanceMeters, (d) => (d <= radiusMeters ? 1 : 0));
}
