import { randomLcg } from 'd3';
import type { MultiPolygon, Polygon } from 'geojson';
import KDBush from 'kdbush';
import { binomialTwoSidedP, clopperPearson } from './binomial-exact';
import type { LocalProjection } from './local-projection';
import { createProximityIndex, type Site } from './proximity';

/**
 * Distance decay around facilities (methods.md §10): calls and area by nearest-facility ring,
 * densities per km², and RR' = λ_k / λ_rest with an exact binomial test.
 *
 * Ring areas come from a raster of cell centres in the local UTM plane, not from Turf unions of
 * buffered circles: a city has thousands of stops, polygon unions of that many circles are slow
 * and fragile, while the raster costs one pass per facility and its error is bounded by the cell
 * size (tested against πr² and the two-disk lens formula). UTM is conformal, not equal-area; its
 * area scale k² stays within ±0.2 % inside the zone.
 */
export type StudyRegion = readonly (Polygon | MultiPolygon)[];

export interface RingAreaOptions {
  /** outer radii r_1 < … < r_K in metres; ring k is r_{k−1} ≤ d < r_k with r_0 = 0 */
  breaksMeters: readonly number[];
  projection: LocalProjection;
  /** raster cell; default breaks' smallest step / 20 (2.5 m for 50 m rings) */
  cellMeters?: number;
  /** memory guard: the cell grows until the raster fits */
  maxCells?: number;
}

export interface RingAreas {
  /** area of ring k inside the region, m² */
  ringAreasM2: number[];
  /** whole region, m² (exact polygon area in the plane) */
  regionAreaM2: number;
  cellMeters: number;
}

export function ringIndex(distanceMeters: number, breaksMeters: readonly number[]): number {
  for (let k = 0; k < breaksMeters.length; k++) if (distanceMeters < breaksMeters[k]!) return k;
  return -1;
}

function validateBreaks(breaks: readonly number[]): void {
  if (breaks.length === 0 || breaks.length > 250) throw new RangeError('Give between 1 and 250 ring radii, for example 50, 100, … 400 m.');
  breaks.forEach((r, k) => {
    if (!(r > (k === 0 ? 0 : breaks[k - 1]!))) throw new RangeError(`Ring radii must increase from above 0 m (got ${breaks.join(', ')}).`);
  });
}

type Ring = [number, number][];

function projectRegion(region: StudyRegion, projection: LocalProjection): Ring[][] {
  const polygons: Ring[][] = [];
  for (const g of region) {
    const list = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    for (const rings of list) polygons.push(rings.map((ring) => ring.map(([lon, lat]) => projection.forward(lon!, lat!))));
  }
  return polygons;
}

/** Shoelace area with holes (even-odd): exterior minus holes whatever their winding. */
function planarArea(polygons: Ring[][]): number {
  let total = 0;
  for (const rings of polygons) {
    rings.forEach((ring, i) => {
      let s = 0;
      for (let k = 0; k < ring.length - 1; k++) s += ring[k]![0] * ring[k + 1]![1] - ring[k + 1]![0] * ring[k]![1];
      total += (i === 0 ? 1 : -1) * Math.abs(s / 2);
    });
  }
  return total;
}

export function ringAreas(facilities: readonly Site[], region: StudyRegion, options: RingAreaOptions): RingAreas {
  const breaks = options.breaksMeters;
  validateBreaks(breaks);
  const polygons = projectRegion(region, options.projection);
  const regionAreaM2 = planarArea(polygons);
  const ringAreasM2 = new Array<number>(breaks.length).fill(0);
  const steps = breaks.map((r, k) => r - (k === 0 ? 0 : breaks[k - 1]!));
  let cell = options.cellMeters ?? Math.min(...steps) / 20;
  const rMax = breaks[breaks.length - 1]!;
  const fx = facilities.map((f) => options.projection.forward(f.lon, f.lat));
  if (fx.length === 0 || polygons.length === 0) return { ringAreasM2, regionAreaM2, cellMeters: cell };
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of fx) {
    minX = Math.min(minX, x - rMax);
    minY = Math.min(minY, y - rMax);
    maxX = Math.max(maxX, x + rMax);
    maxY = Math.max(maxY, y + rMax);
  }
  let [rMinX, rMinY, rMaxX, rMaxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const rings of polygons) {
    for (const [x, y] of rings[0]!) {
      rMinX = Math.min(rMinX, x);
      rMinY = Math.min(rMinY, y);
      rMaxX = Math.max(rMaxX, x);
      rMaxY = Math.max(rMaxY, y);
    }
  }
  minX = Math.max(minX, rMinX);
  minY = Math.max(minY, rMinY);
  maxX = Math.min(maxX, rMaxX);
  maxY = Math.min(maxY, rMaxY);
  if (!(maxX > minX && maxY > minY)) return { ringAreasM2, regionAreaM2, cellMeters: cell };
  const maxCells = options.maxCells ?? 40_000_000;
  while (Math.ceil((maxX - minX) / cell) * Math.ceil((maxY - minY) / cell) > maxCells) cell *= 1.25;
  const nx = Math.ceil((maxX - minX) / cell);
  const ny = Math.ceil((maxY - minY) / cell);
  const NONE = 255;
  const ringOf = new Uint8Array(nx * ny).fill(NONE);
  const breaks2 = breaks.map((r) => r * r);
  for (const [x, y] of fx) {
    const c0 = Math.max(0, Math.floor((x - rMax - minX) / cell));
    const c1 = Math.min(nx - 1, Math.floor((x + rMax - minX) / cell));
    const r0 = Math.max(0, Math.floor((y - rMax - minY) / cell));
    const r1 = Math.min(ny - 1, Math.floor((y + rMax - minY) / cell));
    for (let r = r0; r <= r1; r++) {
      const dy = minY + (r + 0.5) * cell - y;
      const base = r * nx;
      for (let c = c0; c <= c1; c++) {
        const dx = minX + (c + 0.5) * cell - x;
        const d2 = dx * dx + dy * dy;
        if (d2 >= breaks2[breaks2.length - 1]!) continue;
        let k = 0;
        while (d2 >= breaks2[k]!) k++;
        if (k < ringOf[base + c]!) ringOf[base + c] = k;
      }
    }
  }
  // Scanline fill of the region at cell-centre rows: even-odd within a polygon (holes), OR across polygons.
  const inside = new Uint8Array(nx);
  const crossings: number[] = [];
  for (let r = 0; r < ny; r++) {
    const yc = minY + (r + 0.5) * cell;
    inside.fill(0);
    for (const rings of polygons) {
      crossings.length = 0;
      for (const ring of rings) {
        for (let k = 0; k < ring.length - 1; k++) {
          const [ax, ay] = ring[k]!;
          const [bx, by] = ring[k + 1]!;
          if (ay > yc !== by > yc) crossings.push(ax + ((yc - ay) / (by - ay)) * (bx - ax));
        }
      }
      crossings.sort((a, b) => a - b);
      for (let k = 0; k + 1 < crossings.length; k += 2) {
        const c0 = Math.max(0, Math.ceil((crossings[k]! - minX) / cell - 0.5));
        const c1 = Math.min(nx - 1, Math.floor((crossings[k + 1]! - minX) / cell - 0.5));
        for (let c = c0; c <= c1; c++) inside[c] = 1;
      }
    }
    const base = r * nx;
    for (let c = 0; c < nx; c++) {
      const k = ringOf[base + c]!;
      if (k !== NONE && inside[c]) ringAreasM2[k]! += cell * cell;
    }
  }
  return { ringAreasM2, regionAreaM2, cellMeters: cell };
}

export interface RingRow {
  innerMeters: number;
  outerMeters: number;
  calls: number;
  areaKm2: number;
  densityPerKm2: number;
  /** λ_k / λ (city-wide): descriptive only, ring k is part of the city */
  rrCity: number;
  /** λ_k / λ_rest, the recommended ratio */
  rrRest: number;
  rrRestCi: [number, number];
  /** exact two-sided binomial test of equal density, ring vs rest */
  pValue: number;
}

export interface DistanceDecayResult {
  rings: RingRow[];
  beyond: { calls: number; areaKm2: number; densityPerKm2: number };
  totalCalls: number;
  regionAreaKm2: number;
  cellMeters: number;
  confidence: number;
}

export interface DistanceDecayOptions extends RingAreaOptions {
  confidence?: number;
}

/**
 * Calls are assumed to lie in the study region (filter them upstream); facilities outside it
 * still count as nearest (methods.md §10 edge cases).
 */
export function distanceDecay(
  calls: readonly { lon: number; lat: number }[],
  facilities: readonly Site[],
  region: StudyRegion,
  options: DistanceDecayOptions,
): DistanceDecayResult {
  const confidence = options.confidence ?? 0.95;
  const areas = ringAreas(facilities, region, options);
  const breaks = options.breaksMeters;
  const index = createProximityIndex(facilities, options.projection);
  const counts = new Array<number>(breaks.length).fill(0);
  let total = 0;
  for (const c of calls) {
    const hit = index.nearest(c.lon, c.lat);
    total++;
    if (!hit) continue;
    const k = ringIndex(hit.distanceMeters, breaks);
    if (k >= 0) counts[k]!++;
  }
  const A = areas.regionAreaM2;
  const lambda = total / A;
  const rings = breaks.map((outer, k): RingRow => {
    const ck = counts[k]!;
    const Ak = areas.ringAreasM2[k]!;
    const Arest = A - Ak;
    const rest = total - ck;
    const p0 = Ak / A;
    const odds = (pi: number) => (pi / (1 - pi)) * (Arest / Ak);
    const [lo, hi] = total > 0 ? clopperPearson(ck, total, confidence) : [0, 1];
    return {
      innerMeters: k === 0 ? 0 : breaks[k - 1]!,
      outerMeters: outer,
      calls: ck,
      areaKm2: Ak / 1e6,
      densityPerKm2: Ak > 0 ? ck / (Ak / 1e6) : Number.NaN,
      rrCity: Ak > 0 ? ck / Ak / lambda : Number.NaN,
      rrRest: Ak > 0 && rest > 0 ? ck / Ak / (rest / Arest) : Number.NaN,
      rrRestCi: Ak > 0 ? [odds(lo), hi >= 1 ? Infinity : odds(hi)] : [Number.NaN, Number.NaN],
      pValue: Ak > 0 && total > 0 ? binomialTwoSidedP(ck, total, p0) : Number.NaN,
    };
  });
  const inRings = counts.reduce((a, b) => a + b, 0);
  const ringArea = areas.ringAreasM2.reduce((a, b) => a + b, 0);
  const beyondArea = Math.max(0, A - ringArea);
  return {
    rings,
    beyond: { calls: total - inRings, areaKm2: beyondArea / 1e6, densityPerKm2: beyondArea > 0 ? (total - inRings) / (beyondArea / 1e6) : Number.NaN },
    totalCalls: total,
    regionAreaKm2: A / 1e6,
    cellMeters: areas.cellMeters,
    confidence,
  };
}

export interface RelocationTestResult {
  /** calls within ringMeters (d < ringMeters) of the real facilities */
  observed: number;
  /** the same statistic for each pseudo-facility set */
  simulated: number[];
  atLeastObserved: number;
  pValue: number;
  permutations: number;
  seed: number;
}

/**
 * Permutation test by relocation (methods.md §10 (b)): M sets of pseudo-facilities, the same
 * count as the real ones, drawn uniformly without replacement from candidate sites (e.g. every
 * stop). p = (1 + #{T_m ≥ T_obs}) / (M + 1) (Besag & Diggle 1977).
 */
export function relocationTest(
  calls: readonly { lon: number; lat: number }[],
  facilities: readonly Site[],
  candidates: readonly Site[],
  options: { ringMeters: number; permutations: number; seed: number; projection: LocalProjection },
): RelocationTestResult {
  if (candidates.length < facilities.length) throw new RangeError(`Need at least ${facilities.length} candidate sites to relocate ${facilities.length} facilities.`);
  if (!Number.isInteger(options.permutations) || options.permutations < 1) throw new RangeError('Permutations must be a whole number ≥ 1.');
  const pts = calls.map((c) => options.projection.forward(c.lon, c.lat));
  const tree = new KDBush(Math.max(1, pts.length));
  for (const [x, y] of pts) tree.add(x, y);
  if (pts.length === 0) tree.add(Infinity, Infinity);
  tree.finish();
  const stamp = new Int32Array(pts.length);
  let generation = 0;
  const statistic = (sites: readonly Site[]) => {
    generation++;
    let count = 0;
    for (const s of sites) {
      const [sx, sy] = options.projection.forward(s.lon, s.lat);
      for (const i of tree.within(sx, sy, options.ringMeters)) {
        if (i >= pts.length || stamp[i] === generation) continue;
        const [x, y] = pts[i]!;
        if (Math.hypot(x - sx, y - sy) >= options.ringMeters) continue; // ring is [0, r)
        stamp[i] = generation;
        count++;
      }
    }
    return count;
  };
  const observed = statistic(facilities);
  const rng = randomLcg(options.seed);
  const order = candidates.map((_, i) => i);
  const simulated: number[] = [];
  for (let m = 0; m < options.permutations; m++) {
    // Partial Fisher–Yates: the first H positions are a uniform H-subset.
    for (let i = 0; i < facilities.length; i++) {
      const j = i + Math.floor(rng() * (order.length - i));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    simulated.push(statistic(order.slice(0, facilities.length).map((i) => candidates[i]!)));
  }
  const atLeastObserved = simulated.filter((t) => t >= observed).length;
  return { observed, simulated, atLeastObserved, pValue: (1 + atLeastObserved) / (options.permutations + 1), permutations: options.permutations, seed: options.seed };
}
