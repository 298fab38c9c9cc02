import { bboxClip, polygon as turfPolygon } from '@turf/turf';
import type { MultiPolygon, Polygon, Position } from 'geojson';

/**
 * Polygons that cross ±180° (Pacific agencies, Alaska, Fiji) are written two ways in the wild:
 * longitudes that jump from 179 to -179, or longitudes past 180. Both break planar area and
 * point-in-polygon. We unwrap each ring to continuous longitudes, then cut it at ±180° into
 * parts that each lie in [-180, 180] (what RFC 7946 §3.1.9 asks for, and what
 * gadomski/antimeridian's "flat" output contains). Rings that wind around a pole cannot be
 * unwrapped into a closed ring; they are reported, not guessed.
 */
export type SplitResult = { geometry: Polygon | MultiPolygon; split: boolean } | { enclosesPole: true };

export function splitAtAntimeridian(geometry: Polygon | MultiPolygon): SplitResult {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const out: Position[][][] = [];
  let split = false;
  for (const rings of polygons) {
    const unwrapped: Position[][] = [];
    for (const ring of rings) {
      const u = unwrapRing(ring);
      if (!u) return { enclosesPole: true };
      unwrapped.push(u);
    }
    const minLon = Math.min(...unwrapped[0]!.map((p) => p[0]!));
    const maxLon = Math.max(...unwrapped[0]!.map((p) => p[0]!));
    if (minLon >= -180 && maxLon <= 180) {
      out.push(unwrapped);
      continue;
    }
    split = true;
    // Each 360°-wide window that the unwrapped polygon touches becomes one part, shifted home.
    for (let k = Math.floor((minLon + 180) / 360); k <= Math.floor((maxLon + 180) / 360); k++) {
      const west = -180 + 360 * k;
      const clipped = bboxClip(turfPolygon(unwrapped), [west, -90, west + 360, 90]).geometry as Polygon | MultiPolygon;
      const parts: Position[][][] = clipped.type === 'Polygon' ? [clipped.coordinates] : clipped.coordinates;
      for (const part of parts) {
        const rings = part.filter((r) => r.length >= 4).map((r) => r.map((p) => [p[0]! - 360 * k, p[1]!]));
        if (rings.length > 0 && rings[0]!.length >= 4) out.push(rings);
      }
    }
  }
  const result: Polygon | MultiPolygon = out.length === 1 ? { type: 'Polygon', coordinates: out[0]! } : { type: 'MultiPolygon', coordinates: out };
  return { geometry: result, split };
}

/** Shift longitudes by multiples of 360 so no edge spans more than 180°; null if the ring does not close. */
function unwrapRing(ring: Position[]): Position[] | null {
  const out: Position[] = [];
  let offset = 0;
  let prev: number | undefined;
  for (const p of ring) {
    const lon = p[0]!;
    if (prev !== undefined) {
      const delta = lon + offset - prev;
      // An edge from -180 to 180 runs along the whole parallel: a band around a pole.
      if (Math.abs(delta) >= 360) return null;
      if (delta > 180) offset -= 360;
      else if (delta < -180) offset += 360;
    }
    prev = lon + offset;
    out.push([lon + offset, p[1]!]);
  }
  const first = out[0]!;
  const last = out.at(-1)!;
  // A closed ring that crossed ±180 an odd number of times ends 360° from where it started.
  if (Math.abs(first[0]! - last[0]!) > 1e-9) return null;
  // A ring spanning the whole globe in longitude is a latitude band around a pole.
  const lons = out.map((q) => q[0]!);
  if (Math.max(...lons) - Math.min(...lons) >= 360) return null;
  // Normalise so the ring starts in [-180, 180) (inputs like 190 → -170 land at home).
  const shift = Math.floor((Math.min(...out.map((q) => q[0]!)) + 180) / 360) * 360;
  return shift === 0 ? out : out.map((q) => [q[0]! - shift, q[1]!]);
}
