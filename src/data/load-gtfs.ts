import { Float64, Int32, Table as ArrowTable, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import { csvParseRows } from 'd3';
import type { Db } from './db-types';
import { ImportError } from './errors';
import { ident, sql } from './sql';
import type { TransitStop } from './types';

/**
 * GTFS static feed → stops, routes and route shapes for the transit-hub analyses.
 *
 * Parsed with d3-dsv rather than DuckDB: GTFS is strict RFC 4180 CSV (quotes, CRLF) with a
 * fixed header, so DuckDB's sniffer buys nothing, and a synchronous parse keeps this loader
 * usable without a database (map overlays show before DuckDB has started). TextDecoder
 * drops a UTF-8 BOM, which many feed exporters write.
 */
export interface GtfsRoute {
  id: string;
  shortName: string;
  longName: string;
  /** GTFS route_type: 0 tram/streetcar, 1 subway, 2 rail, 3 bus, 4 ferry, … */
  type: number;
}

export interface GtfsFeed {
  stops: TransitStop[];
  routes: GtfsRoute[];
  /** shape_id → [lon, lat] points in shape_pt_sequence order */
  shapes: Map<string, [number, number][]>;
  /** one entry per distinct (route, shape) pair; trips repeat them thousands of times */
  trips: { routeId: string; shapeId: string }[];
  hasStopTimes: boolean;
  /** stop_id → route ids serving it, only when stop_times.txt is present */
  stopRoutes?: Map<string, string[]>;
  warnings: string[];
}

interface Table {
  file: string;
  header: string[];
  rows: string[][];
}

export function loadGtfs(files: { name: string; bytes: Uint8Array }[]): GtfsFeed {
  const warnings: string[] = [];
  const byName = new Map(files.map((f) => [basename(f.name).toLowerCase(), f]));
  if (files.some((f) => f.name.toLowerCase().endsWith('.zip')) && !byName.has('stops.txt')) {
    throw new ImportError(files[0]!.name, 'is a zipped GTFS feed; Callsight reads the unzipped .txt files.', 'Unzip the feed and select its .txt files (at least stops.txt).');
  }
  const read = (name: string): Table | null => {
    const f = byName.get(name);
    return f ? parseTable(f.name, f.bytes, warnings) : null;
  };
  const stopsTable = read('stops.txt');
  if (!stopsTable) {
    throw new ImportError('GTFS feed', 'has no stops.txt among the selected files.', 'Select all .txt files of the unzipped feed, including stops.txt.');
  }
  const stops = parseStops(stopsTable, warnings);
  const routesTable = read('routes.txt');
  if (!routesTable) warnings.push('routes.txt is missing: stops load, but route names and types are unknown.');
  const routes = routesTable ? parseRoutes(routesTable) : [];
  const shapesTable = read('shapes.txt');
  const shapes = shapesTable ? parseShapes(shapesTable, warnings) : new Map<string, [number, number][]>();
  const tripsTable = read('trips.txt');
  const tripRoute = tripsTable ? tripRoutes(tripsTable) : new Map<string, { routeId: string; shapeId: string }>();
  const trips = distinctPairs([...tripRoute.values()].filter((t) => t.shapeId !== ''));
  const stopTimes = read('stop_times.txt');
  const feed: GtfsFeed = { stops, routes, shapes, trips, hasStopTimes: stopTimes !== null, warnings };
  if (stopTimes) feed.stopRoutes = stopRoutesFrom(stopTimes, tripRoute, warnings);
  else warnings.push('stop_times.txt is not in the feed: which routes serve a stop is estimated from distance to route shapes instead.');
  return feed;
}

function parseTable(name: string, bytes: Uint8Array, warnings: string[]): Table {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('windows-1252').decode(bytes);
    warnings.push(`${name} is not valid UTF-8 (GTFS requires UTF-8); it was decoded as Windows-1252, so check accented stop names.`);
  }
  const [header = [], ...rows] = csvParseRows(text);
  // Trailing blank lines are common in hand-edited feeds and are not records.
  const records = rows.filter((r) => !(r.length === 1 && r[0] === ''));
  return { file: name, header: header.map((h) => h.trim()), rows: records };
}

function columns<K extends string>(t: Table, required: readonly K[], optional: readonly string[] = []): Record<string, number> {
  const index: Record<string, number> = {};
  for (const name of [...required, ...optional]) index[name] = t.header.indexOf(name);
  const missing = required.filter((name) => index[name] === -1);
  if (missing.length > 0) {
    throw new ImportError(
      t.file,
      `is missing the required column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `\`${m}\``).join(', ')} (found: ${t.header.join(', ') || 'no header'}).`,
      'Check that this is the GTFS file it is named after and that its first line is the header.',
    );
  }
  return index;
}

function parseStops(t: Table, warnings: string[]): TransitStop[] {
  const c = columns(t, ['stop_id', 'stop_lat', 'stop_lon'], ['stop_name', 'location_type', 'parent_station']);
  const stops: TransitStop[] = [];
  let nodes = 0;
  const bad: string[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  t.rows.forEach((r, i) => {
    const locationType = Number(r[c.location_type!] || 0);
    // Entrances (2), generic nodes (3) and boarding areas (4) are parts of a station, not places people are picked up.
    if (locationType >= 2) {
      nodes++;
      return;
    }
    const id = r[c.stop_id!] ?? '';
    const lat = Number(r[c.stop_lat!]);
    const lon = Number(r[c.stop_lon!]);
    const invalid = id === '' || r[c.stop_lat!] === '' || !Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180 || (lat === 0 && lon === 0);
    if (invalid) {
      bad.push(`line ${i + 2}`);
      return;
    }
    if (seen.has(id)) {
      duplicates++;
      return;
    }
    seen.add(id);
    stops.push({ id, name: r[c.stop_name!] ?? '', lon, lat, locationType, parentStation: r[c.parent_station!] || null });
  });
  if (nodes > 0) warnings.push(`${nodes} entrances, station nodes or boarding areas in stops.txt were left out (only stops and stations count).`);
  if (bad.length > 0) warnings.push(`${bad.length} stop(s) in ${t.file} have a missing id or unusable coordinates and were skipped (first at ${bad[0]}).`);
  if (duplicates > 0) warnings.push(`${duplicates} repeated stop_id(s) in ${t.file}; the first occurrence of each was kept.`);
  return stops;
}

function parseRoutes(t: Table): GtfsRoute[] {
  const c = columns(t, ['route_id', 'route_type'], ['route_short_name', 'route_long_name']);
  return t.rows.map((r) => ({
    id: r[c.route_id!] ?? '',
    shortName: r[c.route_short_name!] ?? '',
    longName: r[c.route_long_name!] ?? '',
    type: Number(r[c.route_type!]),
  }));
}

function parseShapes(t: Table, warnings: string[]): Map<string, [number, number][]> {
  const c = columns(t, ['shape_id', 'shape_pt_lat', 'shape_pt_lon', 'shape_pt_sequence']);
  const points = new Map<string, { seq: number; lon: number; lat: number }[]>();
  let bad = 0;
  for (const r of t.rows) {
    const lat = Number(r[c.shape_pt_lat!]);
    const lon = Number(r[c.shape_pt_lon!]);
    const seq = Number(r[c.shape_pt_sequence!]);
    if (!Number.isFinite(lat) || !Number.isFinite(lon) || !Number.isFinite(seq) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
      bad++;
      continue;
    }
    const id = r[c.shape_id!] ?? '';
    const list = points.get(id) ?? [];
    if (list.length === 0) points.set(id, list);
    list.push({ seq, lon, lat });
  }
  if (bad > 0) warnings.push(`${bad} shape point(s) in ${t.file} have unusable coordinates or sequence numbers and were skipped.`);
  const shapes = new Map<string, [number, number][]>();
  for (const [id, list] of points) shapes.set(id, list.sort((a, b) => a.seq - b.seq).map((p) => [p.lon, p.lat]));
  return shapes;
}

function tripRoutes(t: Table): Map<string, { routeId: string; shapeId: string }> {
  const c = columns(t, ['route_id', 'trip_id'], ['shape_id']);
  const trips = new Map<string, { routeId: string; shapeId: string }>();
  for (const r of t.rows) trips.set(r[c.trip_id!] ?? '', { routeId: r[c.route_id!] ?? '', shapeId: r[c.shape_id!] ?? '' });
  return trips;
}

function distinctPairs(pairs: { routeId: string; shapeId: string }[]): { routeId: string; shapeId: string }[] {
  const seen = new Map<string, { routeId: string; shapeId: string }>();
  for (const p of pairs) seen.set(`${p.routeId}\u0000${p.shapeId}`, p);
  return [...seen.values()];
}

function stopRoutesFrom(t: Table, trips: Map<string, { routeId: string }>, warnings: string[]): Map<string, string[]> {
  const c = columns(t, ['trip_id', 'stop_id']);
  const sets = new Map<string, Set<string>>();
  let unknownTrips = 0;
  for (const r of t.rows) {
    const route = trips.get(r[c.trip_id!] ?? '')?.routeId;
    if (!route) {
      unknownTrips++;
      continue;
    }
    const stop = r[c.stop_id!] ?? '';
    const set = sets.get(stop) ?? new Set<string>();
    if (set.size === 0) sets.set(stop, set);
    set.add(route);
  }
  if (unknownTrips > 0) warnings.push(`${unknownTrips} stop_times.txt row(s) refer to trips missing from trips.txt and were ignored.`);
  return new Map([...sets].map(([stop, set]) => [stop, [...set].sort()]));
}

function basename(name: string): string {
  return name.split(/[\\/]/).pop() ?? name;
}

/** Table `stops` for proximity queries in SQL. Arrow IPC keeps 10k+ stops to one insert. */
export async function storeStops(db: Db, stops: TransitStop[], table = 'stops'): Promise<void> {
  // Explicit types: inferred ones would be dictionaries, or Null for an all-empty column.
  const arrow = new ArrowTable({
    stop_id: vectorFromArray(stops.map((s) => s.id), new Utf8()),
    name: vectorFromArray(stops.map((s) => s.name), new Utf8()),
    lon: vectorFromArray(stops.map((s) => s.lon), new Float64()),
    lat: vectorFromArray(stops.map((s) => s.lat), new Float64()),
    location_type: vectorFromArray(stops.map((s) => s.locationType), new Int32()),
    parent_station: vectorFromArray(stops.map((s) => s.parentStation), new Utf8()),
  });
  await db.query(sql`DROP TABLE IF EXISTS ${ident(table)}`);
  await db.query(
    sql`CREATE TABLE ${ident(table)} (stop_id VARCHAR PRIMARY KEY, name VARCHAR, lon DOUBLE, lat DOUBLE, location_type INTEGER, parent_station VARCHAR)`,
  );
  const staging = `_callsight_${table}_load`;
  await db.insertArrowIpc(staging, tableToIPC(arrow, 'stream'), true);
  try {
    await db.query(sql`INSERT INTO ${ident(table)} SELECT * FROM ${ident(staging)}`);
  } finally {
    await db.query(sql`DROP TABLE IF EXISTS ${ident(staging)}`);
  }
}
