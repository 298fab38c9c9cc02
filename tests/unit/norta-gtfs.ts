/**
 * Test-only reader for the real NORTA feed in the New Orleans data pack (the app's GTFS loader
 * is a teammate's module; these tests must not depend on it). CSV parsing by d3-dsv.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { csvParse } from 'd3';
import type { TransitStop } from '../../src/data/types';

export interface NortaFeed {
  stops: TransitStop[];
  routes: { id: string; shortName: string; longName: string; type: number }[];
  trips: { routeId: string; shapeId: string }[];
  shapes: Map<string, [number, number][]>;
}

/** `feedDir` defaults to the NORTA folder of the data pack; the demo city's gtfs/ has the same layout. */
export function readNorta(dataDir: string, feedDir = 'norta_gtfs_2020'): NortaFeed {
  const dir = path.join(dataDir, feedDir);
  const read = (name: string) => csvParse(readFileSync(path.join(dir, name), 'utf8').replace(/\r\n/g, '\n'));
  const stops = read('stops.txt').map((r) => ({
    id: r.stop_id!,
    name: r.stop_name!,
    lon: Number(r.stop_lon),
    lat: Number(r.stop_lat),
    locationType: r.location_type ? Number(r.location_type) : 0,
    parentStation: r.parent_station ? r.parent_station : null,
  }));
  const routes = read('routes.txt').map((r) => ({
    id: r.route_id!,
    shortName: r.route_short_name!,
    longName: r.route_long_name!,
    type: Number(r.route_type),
  }));
  const trips = read('trips.txt').map((r) => ({ routeId: r.route_id!, shapeId: r.shape_id! }));
  const points = read('shapes.txt')
    .map((r) => ({ id: r.shape_id!, seq: Number(r.shape_pt_sequence), lon: Number(r.shape_pt_lon), lat: Number(r.shape_pt_lat) }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.seq - b.seq));
  const shapes = new Map<string, [number, number][]>();
  for (const p of points) {
    const list = shapes.get(p.id) ?? [];
    if (list.length === 0) shapes.set(p.id, list);
    list.push([p.lon, p.lat]);
  }
  return { stops, routes, trips, shapes };
}
