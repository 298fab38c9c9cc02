import KDBush from 'kdbush';
import type { TransitStop } from '../data/types';
import { type LocalProjection, projectionForPoints } from './local-projection';

export interface GtfsRoute {
  id: string;
  shortName: string;
  longName: string;
  /** GTFS route_type: 0 tram/streetcar, 3 bus, 4 ferry, … */
  type: number;
}

export interface GtfsTrip {
  routeId: string;
  shapeId: string;
}

export interface TransitFeed {
  stops: readonly TransitStop[];
  routes: readonly GtfsRoute[];
  trips: readonly GtfsTrip[];
  /** shape_id → [lon, lat] in shape_pt_sequence order */
  shapes: ReadonlyMap<string, readonly (readonly [number, number])[]>;
  /** stop_id → route_ids, from stop_times + trips when the feed has stop_times */
  stopRoutes?: ReadonlyMap<string, readonly string[]>;
}

export interface HubOptions {
  /** Distinct routes a stop group needs to count as a hub. */
  minRoutes?: number;
  /** Stops whose centre is within this of the group's seed stop are one hub (a corner, both sides of a street). */
  mergeMeters?: number;
  /** A route serves a stop when one of its shapes passes within this distance (only without stop_times). */
  shapeToleranceMeters?: number;
  projection?: LocalProjection;
}

export interface Hub {
  id: string;
  name: string;
  lon: number;
  lat: number;
  stopIds: string[];
  routeIds: string[];
  /** route short names, e.g. ["12", "45", "47"], sorted naturally */
  routeNames: string[];
  routeCount: number;
  /** true when routes came from shapes passing nearby, not from stop_times (say so in the UI) */
  inferredFromShapes: boolean;
}

export interface StopService {
  stopRoutes: Map<string, string[]>;
  inferredFromShapes: boolean;
}

const DEFAULTS = { minRoutes: 4, mergeMeters: 150, shapeToleranceMeters: 30 };

/** Boarding points: GTFS location_type 0 or empty (methods.md §10); entrances, nodes, boarding areas are not. */
function boardingStops(stops: readonly TransitStop[]): TransitStop[] {
  return stops.filter((s) => (s.locationType === 0 || Number.isNaN(s.locationType)) && Number.isFinite(s.lon) && Number.isFinite(s.lat));
}

/**
 * Which routes serve each stop: from stop_times when the feed has them; otherwise every route with
 * a shape passing within `shapeToleranceMeters`. The fallback over-counts where a route crosses a
 * stop's street without stopping there, so hubs built from it are marked `inferredFromShapes`.
 */
export function routesServingStops(feed: TransitFeed, options: HubOptions = {}): StopService {
  const stops = boardingStops(feed.stops);
  if (feed.stopRoutes && feed.stopRoutes.size > 0) {
    const stopRoutes = new Map<string, string[]>();
    for (const s of stops) stopRoutes.set(s.id, [...new Set(feed.stopRoutes.get(s.id) ?? [])].sort());
    return { stopRoutes, inferredFromShapes: false };
  }
  const tolerance = options.shapeToleranceMeters ?? DEFAULTS.shapeToleranceMeters;
  const projection = options.projection ?? projectionForPoints(
    stops.map((s) => s.lon),
    stops.map((s) => s.lat),
  );
  const served = new Map<string, Set<string>>(stops.map((s) => [s.id, new Set<string>()]));
  if (stops.length === 0) return { stopRoutes: new Map(), inferredFromShapes: true };
  const tree = new KDBush(stops.length);
  const xy = stops.map((s) => projection.forward(s.lon, s.lat));
  for (const [x, y] of xy) tree.add(x, y);
  tree.finish();
  const routesByShape = new Map<string, Set<string>>();
  for (const t of feed.trips) {
    const set = routesByShape.get(t.shapeId) ?? new Set<string>();
    set.add(t.routeId);
    routesByShape.set(t.shapeId, set);
  }
  for (const [shapeId, routeIds] of routesByShape) {
    const line = feed.shapes.get(shapeId);
    if (!line || line.length === 0) continue;
    const pts = line.map(([lon, lat]) => projection.forward(lon, lat));
    for (let k = 0; k < pts.length; k++) {
      const [ax, ay] = pts[k]!;
      const [bx, by] = pts[Math.min(k + 1, pts.length - 1)]!;
      const found = tree.range(Math.min(ax, bx) - tolerance, Math.min(ay, by) - tolerance, Math.max(ax, bx) + tolerance, Math.max(ay, by) + tolerance);
      for (const i of found) {
        const [px, py] = xy[i]!;
        if (pointSegmentDistance(px, py, ax, ay, bx, by) <= tolerance) {
          for (const r of routeIds) served.get(stops[i]!.id)!.add(r);
        }
      }
    }
  }
  const stopRoutes = new Map<string, string[]>();
  for (const [id, set] of served) stopRoutes.set(id, [...set].sort());
  return { stopRoutes, inferredFromShapes: true };
}

export function pointSegmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

interface Unit {
  id: string;
  name: string;
  stopIds: string[];
  x: number;
  y: number;
  routes: Set<string>;
}

/**
 * Hubs = stop groups served by ≥ minRoutes distinct routes. Platforms with a parent station are
 * one unit first (methods.md §10). Then a greedy grouping: the unit with the most routes within
 * mergeMeters seeds a hub and takes every unassigned unit within mergeMeters of it. Unlike
 * single-linkage this cannot chain a whole avenue of stops into one "hub".
 */
export function findHubs(feed: TransitFeed, options: HubOptions = {}): { hubs: Hub[]; service: StopService } {
  const minRoutes = options.minRoutes ?? DEFAULTS.minRoutes;
  const mergeMeters = options.mergeMeters ?? DEFAULTS.mergeMeters;
  const stops = boardingStops(feed.stops);
  if (stops.length === 0) return { hubs: [], service: { stopRoutes: new Map(), inferredFromShapes: false } };
  const projection = options.projection ?? projectionForPoints(
    stops.map((s) => s.lon),
    stops.map((s) => s.lat),
  );
  const service = routesServingStops(feed, { ...options, projection });
  const units = buildUnits(feed.stops, stops, service, projection);
  const tree = new KDBush(units.length);
  for (const u of units) tree.add(u.x, u.y);
  tree.finish();
  const reach = units.map((u) => {
    const routes = new Set<string>();
    for (const j of tree.within(u.x, u.y, mergeMeters)) for (const r of units[j]!.routes) routes.add(r);
    return routes.size;
  });
  const order = units.map((_, i) => i).sort((a, b) => reach[b]! - reach[a]! || units[b]!.routes.size - units[a]!.routes.size || compareIds(units[a]!.id, units[b]!.id));
  const assigned = new Uint8Array(units.length);
  const routeById = new Map(feed.routes.map((r) => [r.id, r]));
  const hubs: Hub[] = [];
  for (const seed of order) {
    if (assigned[seed] || reach[seed]! < minRoutes) continue;
    const s = units[seed]!;
    const members = tree.within(s.x, s.y, mergeMeters).filter((j) => !assigned[j]);
    const routes = new Set<string>();
    for (const j of members) for (const r of units[j]!.routes) routes.add(r);
    if (routes.size < minRoutes) continue;
    for (const j of members) assigned[j] = 1;
    const mx = members.reduce((a, j) => a + units[j]!.x, 0) / members.length;
    const my = members.reduce((a, j) => a + units[j]!.y, 0) / members.length;
    const [lon, lat] = projection.inverse(mx, my);
    const routeIds = [...routes].sort(compareIds);
    hubs.push({
      id: `hub:${s.id}`,
      name: s.name,
      lon,
      lat,
      stopIds: members.flatMap((j) => units[j]!.stopIds).sort(compareIds),
      routeIds,
      routeNames: routeIds.map((r) => routeById.get(r)?.shortName ?? r).sort(compareIds),
      routeCount: routes.size,
      inferredFromShapes: service.inferredFromShapes,
    });
  }
  return { hubs, service };
}

function buildUnits(all: readonly TransitStop[], boarding: TransitStop[], service: StopService, projection: LocalProjection): Unit[] {
  const stations = new Map(all.filter((s) => s.locationType === 1).map((s) => [s.id, s]));
  const units = new Map<string, Unit>();
  for (const stop of boarding) {
    const station = stop.parentStation ? stations.get(stop.parentStation) : undefined;
    const key = station ? `station:${station.id}` : stop.id;
    let unit = units.get(key);
    if (!unit) {
      const anchor = station ?? stop;
      const [x, y] = projection.forward(anchor.lon, anchor.lat);
      unit = { id: station ? station.id : stop.id, name: anchor.name, stopIds: [], x, y, routes: new Set() };
      units.set(key, unit);
    }
    unit.stopIds.push(stop.id);
    for (const r of service.stopRoutes.get(stop.id) ?? []) unit.routes.add(r);
  }
  return [...units.values()];
}

const collator = new Intl.Collator('en', { numeric: true });
function compareIds(a: string, b: string): number {
  return collator.compare(a, b);
}
