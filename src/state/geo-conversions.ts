import type { Feature, FeatureCollection, LineString, MultiPolygon, Point, Polygon, Position } from 'geojson';
import type { AreaFeature, TransitStop } from '../data/types';

/** Loaded areas as the GeoJSON the map draws (name and id kept as properties). */
export function areasToCollection(areas: AreaFeature[]): FeatureCollection<Polygon | MultiPolygon> {
  return {
    type: 'FeatureCollection',
    features: areas.map((a) => ({ type: 'Feature', id: a.id, geometry: a.geometry, properties: { id: a.id, name: a.name, areaKm2: a.areaKm2 } })),
  };
}

export function stopsToCollection(stops: TransitStop[]): FeatureCollection<Point> {
  return {
    type: 'FeatureCollection',
    features: stops.map((s) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
      properties: { id: s.id, name: s.name },
    })),
  };
}

/**
 * Route lines from whatever shape representation the GTFS loader returns: a GeoJSON
 * collection, an array of {coordinates}, or a map of shape id → positions.
 */
export function shapesToCollection(shapes: unknown): FeatureCollection<LineString> {
  const features: Feature<LineString>[] = [];
  const push = (id: string, coords: unknown) => {
    if (Array.isArray(coords) && coords.length > 1) {
      features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: coords as Position[] }, properties: { id } });
    }
  };
  if (!shapes) return { type: 'FeatureCollection', features };
  if (typeof shapes === 'object' && (shapes as FeatureCollection).type === 'FeatureCollection') {
    return shapes as FeatureCollection<LineString>;
  }
  const entries: [string, unknown][] =
    shapes instanceof Map ? [...shapes.entries()] : Array.isArray(shapes) ? shapes.map((s, i) => [String(i), s]) : Object.entries(shapes as object);
  for (const [key, value] of entries) {
    if (Array.isArray(value)) push(key, value);
    else if (value && typeof value === 'object') {
      const v = value as { id?: string; shapeId?: string; coordinates?: unknown; geometry?: { coordinates?: unknown }; points?: unknown };
      const id = String(v.shapeId ?? v.id ?? key);
      const pts = v.coordinates ?? v.geometry?.coordinates ?? v.points;
      if (Array.isArray(pts) && pts.length && !Array.isArray(pts[0]) && typeof pts[0] === 'object') {
        push(id, (pts as { lon: number; lat: number }[]).map((p) => [p.lon, p.lat]));
      } else push(id, pts);
    }
  }
  return { type: 'FeatureCollection', features };
}
