import { area as turfArea, booleanPointInPolygon, featureCollection, intersect, point, polygon, voronoi } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import { distXY, toLonLat, type XY } from './geo';
import type { Rng } from './rng';

/** One neighbourhood of the demo city. */
export interface DemoArea {
  id: string;
  name: string;
  population: number;
  district: string;
  beat: string;
  geometry: Polygon | MultiPolygon;
  /** seed point of its Voronoi cell, metres; used to place calls and patterns */
  site: XY;
  areaKm2: number;
  distanceFromCenterMeters: number;
}

export interface DemoCity {
  boundary: Feature<Polygon>;
  areas: DemoArea[];
  areaKm2: number;
}

const BOUNDARY_MEAN_RADIUS_METERS = 6300;
const SITE_SPACING_METERS = 2000;

const NAME_HEADS = [
  'Ash', 'Bell', 'Birch', 'Bright', 'Cedar', 'Clay', 'Copper', 'Deer', 'Elm', 'Fair', 'Fox', 'Glen', 'Green',
  'Hazel', 'High', 'Holly', 'Iron', 'Lark', 'Long', 'Maple', 'Mill', 'North', 'Oak', 'Pine', 'Quarry', 'Red',
  'Rose', 'Silver', 'Stone', 'Sun', 'Thorn', 'West', 'Willow', 'Wolf', 'Briar', 'Crown', 'Dover', 'Eagle',
  'Heron', 'King',
] as const;
const NAME_TAILS = [
  'brook', 'field', 'ford', 'gate', 'haven', 'hurst', 'land', 'mont', 'moor', 'ridge', 'stead', 'view', 'wood',
  ' Hollow', ' Heights', ' Park', ' Point', ' Crossing', ' Gardens', ' Terrace', ' Flats', ' Commons',
] as const;

/** Irregular, star-shaped outline: a sum of low harmonics keeps it plausible, never spiky. */
function makeBoundary(rng: Rng): Feature<Polygon> {
  const harmonics = [2, 3, 5].map((k, i) => ({ k, amp: [0.1, 0.07, 0.03][i]!, phase: rng.uniform(0, 2 * Math.PI) }));
  const ring: Position[] = [];
  const vertices = 96;
  for (let i = 0; i < vertices; i++) {
    const theta = (2 * Math.PI * i) / vertices;
    const r = BOUNDARY_MEAN_RADIUS_METERS * (1 + harmonics.reduce((s, h) => s + h.amp * Math.sin(h.k * theta + h.phase), 0));
    ring.push(toLonLat({ x: r * Math.cos(theta), y: r * Math.sin(theta) }));
  }
  ring.push(ring[0]!);
  return polygon([ring], { name: 'Demo city (synthetic)' });
}

/** One head per name, so no two neighbourhoods sound alike. */
function uniqueNames(count: number, rng: Rng): string[] {
  const heads = rng.shuffle([...NAME_HEADS]);
  if (count > heads.length + 1) throw new Error(`Only ${heads.length + 1} area names available, ${count} needed.`);
  return ['Downtown', ...heads.slice(0, count - 1).map((h) => `${h}${rng.pick(NAME_TAILS)}`)];
}

function roundGeometry(g: Polygon | MultiPolygon): Polygon | MultiPolygon {
  const r = (p: Position): Position => [Math.round(p[0]! * 1e6) / 1e6, Math.round(p[1]! * 1e6) / 1e6];
  return g.type === 'Polygon'
    ? { type: 'Polygon', coordinates: g.coordinates.map((ring) => ring.map(r)) }
    : { type: 'MultiPolygon', coordinates: g.coordinates.map((poly) => poly.map((ring) => ring.map(r))) };
}

/**
 * Neighbourhoods: a jittered-grid Voronoi clipped to the boundary, so the cells tile the
 * city with no gaps or overlaps (what an area join needs), with the cell around the centre
 * named Downtown. Population falls off with distance from the centre.
 */
export function makeCity(rng: Rng): DemoCity {
  const boundary = makeBoundary(rng);
  const sites: XY[] = [{ x: rng.uniform(-150, 150), y: rng.uniform(-150, 150) }];
  for (let gx = -4; gx <= 4; gx++) {
    for (let gy = -4; gy <= 4; gy++) {
      if (gx === 0 && gy === 0) continue;
      const s = {
        x: gx * SITE_SPACING_METERS + rng.uniform(-600, 600),
        y: gy * SITE_SPACING_METERS + rng.uniform(-600, 600) + (gx % 2 === 0 ? 0 : SITE_SPACING_METERS / 2),
      };
      if (booleanPointInPolygon(point(toLonLat(s)), boundary) && distXY(s, sites[0]!) > 1200) sites.push(s);
    }
  }
  const bbox: [number, number, number, number] = [...toLonLat({ x: -9000, y: -9000 }), ...toLonLat({ x: 9000, y: 9000 })] as [
    number,
    number,
    number,
    number,
  ];
  const cells = voronoi(featureCollection(sites.map((s) => point(toLonLat(s)))), { bbox });
  const names = uniqueNames(sites.length, rng);
  const raw = sites.map((site, i) => {
    const cell = cells.features[i];
    if (!cell) throw new Error(`Voronoi cell ${i} missing (duplicate site?)`);
    const clipped = intersect(featureCollection([cell as Feature<Polygon>, boundary]));
    if (!clipped) throw new Error(`Voronoi cell ${i} lies outside the boundary`);
    const geometry = roundGeometry(clipped.geometry);
    const areaKm2 = turfArea(geometry) / 1e6;
    return { site, geometry, areaKm2, distanceFromCenterMeters: Math.hypot(site.x, site.y) };
  });
  // Districts are angular sectors around a central district, like precinct maps drawn outward from HQ.
  const sectorOf = (s: XY) => Math.floor(((Math.atan2(s.y, s.x) + 2 * Math.PI) % (2 * Math.PI)) / ((2 * Math.PI) / 5));
  const districtOf = (r: (typeof raw)[number]) => (r.distanceFromCenterMeters < 2600 ? 1 : 2 + sectorOf(r.site));
  const order = raw
    .map((r, i) => ({ r, i, d: districtOf(r), angle: Math.atan2(r.site.y, r.site.x) }))
    .sort((a, b) => a.d - b.d || a.angle - b.angle);
  const letterCount = new Map<number, number>();
  const areas: DemoArea[] = new Array(raw.length);
  for (const { r, i, d } of order) {
    const n = letterCount.get(d) ?? 0;
    letterCount.set(d, n + 1);
    const densityPerKm2 = 5200 * Math.exp(-r.distanceFromCenterMeters / 3500) * rng.logNormal(1, 0.25);
    areas[i] = {
      id: `A${String(i + 1).padStart(2, '0')}`,
      name: names[i]!,
      population: Math.round((densityPerKm2 * r.areaKm2) / 10) * 10,
      district: String(d),
      beat: `${d}${String.fromCharCode(65 + n)}`,
      ...r,
    };
  }
  return { boundary, areas, areaKm2: turfArea(boundary) / 1e6 };
}
