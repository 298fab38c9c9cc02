import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/data/db-types';
import { isImportError } from '../../src/data/errors';
import { loadGtfs, storeStops } from '../../src/data/load-gtfs';
import { toRows } from '../../src/data/rows';
import { newOrleansDir, openTestDb, skipReason } from '../engine';

const enc = (text: string) => new TextEncoder().encode(text);
const file = (name: string, text: string) => ({ name, bytes: enc(text) });

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('loadGtfs on small feeds', () => {
  it('handles BOM, CRLF and quoted fields, drops station parts, sorts shapes, links stops to routes', () => {
    const feed = loadGtfs([
      file('feed/stops.txt', '\uFEFFstop_id,stop_name,stop_lat,stop_lon,location_type,parent_station\r\n' +
        'S1,"Canal St, at ""Rampart""",29.95,-90.07,1,\r\nS2,Platform A,29.951,-90.071,0,S1\r\nE1,Entrance,29.952,-90.072,2,S1\r\n' +
        'N1,Node,29.95,-90.07,3,S1\r\nB1,Boarding,29.95,-90.07,4,S1\r\nX1,Broken,,-90,,\r\nS3,"Multi\r\nline",30.0,-90.0,,\r\n'),
      file('routes.txt', 'route_id,route_short_name,route_long_name,route_type\nR1,12,St. Charles,0\nR2,,Airport Express,3\n'),
      file('shapes.txt', 'shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence\nA,29.0,-90.2,3\nA,29.0,-90.0,1\nA,29.0,-90.1,2\n'),
      file('trips.txt', 'route_id,service_id,trip_id,shape_id\nR1,wk,t1,A\nR1,wk,t2,A\nR2,wk,t3,\n'),
      file('stop_times.txt', 'trip_id,arrival_time,departure_time,stop_id,stop_sequence\nt1,08:00:00,08:00:00,S2,1\nt3,08:10:00,08:10:00,S2,1\nt2,09:00:00,09:00:00,S3,2\nghost,09:00:00,09:00:00,S3,3\n'),
    ]);
    expect(feed.stops.map((s) => s.id)).toEqual(['S1', 'S2', 'S3']);
    expect(feed.stops[0]).toEqual({ id: 'S1', name: 'Canal St, at "Rampart"', lon: -90.07, lat: 29.95, locationType: 1, parentStation: null });
    expect(feed.stops[1]!.parentStation).toBe('S1');
    expect(feed.stops[2]!.name).toBe('Multi\r\nline');
    expect(feed.routes).toEqual([
      { id: 'R1', shortName: '12', longName: 'St. Charles', type: 0 },
      { id: 'R2', shortName: '', longName: 'Airport Express', type: 3 },
    ]);
    expect(feed.shapes.get('A')).toEqual([[-90.0, 29.0], [-90.1, 29.0], [-90.2, 29.0]]);
    expect(feed.trips).toEqual([{ routeId: 'R1', shapeId: 'A' }]);
    expect(feed.hasStopTimes).toBe(true);
    expect(Object.fromEntries(feed.stopRoutes!)).toEqual({ S2: ['R1', 'R2'], S3: ['R1'] });
    const w = feed.warnings.join('\n');
    expect(w).toMatch(/3 entrances, station nodes or boarding areas/);
    expect(w).toMatch(/1 stop\(s\) in feed\/stops\.txt .*skipped \(first at line 7\)/);
    expect(w).toMatch(/1 stop_times\.txt row\(s\) refer to trips missing/);
  });

  it('names the file and the column when a required column is missing', () => {
    const e = thrown(() => loadGtfs([file('stops.txt', 'stop_id,stop_name,stop_lat\n1,A,29.9\n')]));
    expect(isImportError(e)).toBe(true);
    expect(e.message).toMatch(/^stops\.txt: is missing the required column `stop_lon`/);
    const r = thrown(() => loadGtfs([file('stops.txt', 'stop_id,stop_lat,stop_lon\n1,29.9,-90\n'), file('routes.txt', 'route_id,route_short_name\n1,A\n')]));
    expect(r.message).toMatch(/^routes\.txt: .*`route_type`/);
    expect(thrown(() => loadGtfs([file('routes.txt', 'route_id,route_type\n1,3\n')])).message).toMatch(/no stops\.txt/);
    expect(thrown(() => loadGtfs([{ name: 'gtfs.zip', bytes: new Uint8Array([0x50, 0x4b, 3, 4]) }])).message).toMatch(/zipped GTFS.*Unzip/);
  });

  it('decodes a non-UTF-8 feed as Windows-1252 and says so', () => {
    const bytes = new Uint8Array([...enc('stop_id,stop_name,stop_lat,stop_lon\n1,Caf'), 0xe9, ...enc(',29.9,-90.1\n')]);
    const feed = loadGtfs([{ name: 'stops.txt', bytes }]);
    expect(feed.stops[0]!.name).toBe('Café');
    expect(feed.warnings.join(' ')).toMatch(/not valid UTF-8.*Windows-1252/);
  });
});

const dir = newOrleansDir();
describe.skipIf(!dir)('NORTA GTFS 2020 (real feed)', () => {
  skipReason('New Orleans data pack', dir);
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb();
  });
  afterAll(async () => db?.close());

  it('loads 2,356 stops, 42 routes and 109 shapes without stop_times', async () => {
    const gtfsDir = path.join(dir!, 'norta_gtfs_2020');
    const files = readdirSync(gtfsDir).map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(path.join(gtfsDir, f))) }));
    const t0 = performance.now();
    const feed = loadGtfs(files);
    console.info(`NORTA GTFS parsed in ${(performance.now() - t0).toFixed(0)} ms`);
    expect(feed.stops).toHaveLength(2356);
    expect(feed.routes).toHaveLength(42);
    expect(feed.shapes.size).toBe(109);
    expect(feed.hasStopTimes).toBe(false);
    expect(feed.stopRoutes).toBeUndefined();
    expect([...feed.shapes.values()].reduce((n, s) => n + s.length, 0)).toBe(21524);
    const types: Record<number, number> = {};
    for (const r of feed.routes) types[r.type] = (types[r.type] ?? 0) + 1;
    expect(types).toEqual({ 0: 6, 3: 34, 4: 2 });
    // Routes 49 and 106 have no trips, so 40 routes carry shapes.
    expect(new Set(feed.trips.map((t) => t.routeId)).size).toBe(40);
    expect(feed.stops[0]).toEqual({ id: '4', name: 'Canal Street Station', lon: -90.063341, lat: 29.950002, locationType: 0, parentStation: null });
    expect(Math.min(...feed.stops.map((s) => s.lon))).toBeCloseTo(-90.2736, 4);

    await storeStops(db, feed.stops);
    const rows = toRows(await db.query('SELECT count(*) AS n, count(DISTINCT stop_id) AS d, min(lon) AS w, count(parent_station) AS p FROM stops'));
    expect(rows[0]).toEqual({ n: 2356, d: 2356, w: Math.min(...feed.stops.map((s) => s.lon)), p: 0 });
  });
});
