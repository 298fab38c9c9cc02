/**
 * geojsonhint-style checks on one geometry, phrased for analysts. Returns the first problem
 * that makes the geometry unusable, or null; fixable issues go to `notes`.
 */
export type Position = number[];

export function polygonProblem(type: string, coordinates: unknown, notes: Set<string>): string | null {
  if (type === 'Polygon') return polygonRings(coordinates, notes);
  if (!Array.isArray(coordinates) || coordinates.length === 0) return 'a MultiPolygon needs a non-empty array of polygons';
  for (const polygon of coordinates) {
    const problem = polygonRings(polygon, notes);
    if (problem) return problem;
  }
  return null;
}

function polygonRings(rings: unknown, notes: Set<string>): string | null {
  if (!Array.isArray(rings) || rings.length === 0) return 'a Polygon needs an array of rings (arrays of positions)';
  for (const ring of rings) {
    if (!Array.isArray(ring)) return 'a ring must be an array of positions';
    for (const p of ring) {
      const problem = positionProblem(p);
      if (problem) return problem;
    }
    const distinct = new Set(ring.map((p: Position) => `${p[0]},${p[1]}`)).size;
    if (distinct < 3) return `a ring needs at least 3 distinct corners (this one has ${distinct})`;
    const first = ring[0] as Position;
    const last = ring.at(-1) as Position;
    if (first[0] !== last[0] || first[1] !== last[1]) {
      ring.push([...first]);
      notes.add('unclosed');
    }
  }
  return null;
}

function positionProblem(p: unknown): string | null {
  if (!Array.isArray(p)) return `a position must be an array [longitude, latitude], found ${JSON.stringify(p)?.slice(0, 40)}`;
  if (p.length < 2) return 'a position needs both longitude and latitude';
  if (!p.every((v) => typeof v === 'number' && Number.isFinite(v))) return `each element of a position must be a number, found ${JSON.stringify(p).slice(0, 40)}`;
  return null;
}

/** Coordinates that cannot be WGS 84 longitude/latitude, with the likely reason. */
export function coordinateRangeProblem(positions: Iterable<Position>): string | null {
  let maxAbsX = 0;
  let maxAbsY = 0;
  let sample: Position | undefined;
  for (const p of positions) {
    const ax = Math.abs(p[0]!);
    const ay = Math.abs(p[1]!);
    if (ax > maxAbsX) maxAbsX = ax;
    if (ay > maxAbsY) {
      maxAbsY = ay;
      sample = p;
    }
    if (ax > 540 && !sample) sample = p;
  }
  if (maxAbsX > 540 || maxAbsY > 180) {
    const s = sample ? ` (e.g. ${sample[0]}, ${sample[1]})` : '';
    return `has coordinates far outside longitude/latitude${s}; they look projected (state plane feet or metres), but GeoJSON must be WGS 84 degrees.`;
  }
  if (maxAbsY > 90 && maxAbsX <= 90) return 'has latitudes beyond ±90 while all longitudes are within ±90: longitude and latitude look swapped.';
  if (maxAbsY > 90) return `has latitudes beyond ±90 (up to ${maxAbsY}), which is impossible in WGS 84.`;
  return null;
}
