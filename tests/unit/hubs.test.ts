import { describe, expect, it } from 'vitest';
import { findHubs, routesServingStops, type TransitFeed } from '../../src/analysis/hubs';
import { haversineMeters, localProjection } from '../../src/analysis/local-projection';
import type { TransitStop } from '../../src/data/types';
import { newOrleansDir, skipReason } from '../engine';
import { readNorta } from './norta-gtfs';

const dir = newOrleansDir();
skipReason('New Orleans data pack', dir);
const projection = localProjection(-90.07, 29.95);

function stop(id: string, lon: number, lat: number, extra: Partial<TransitStop> = {}): TransitStop {
  return { id, name: `Stop ${id}`, lon, lat, locationType: 0, parentStation: null, ...extra };
}

// 0.001° of latitude ≈ 111 m; of longitude at 30° N ≈ 96 m.
const routes = ['1', '2', '3', '4', '5'].map((id) => ({ id, shortName: `R${id}`, longName: `Route ${id}`, type: 3 }));

describe('routes serving stops', () => {
  it('uses stop_times when present and says so', () => {
    const feed: TransitFeed = {
      stops: [stop('a', -90.07, 29.95), stop('b', -90.07, 29.96)],
      routes,
      trips: [],
      shapes: new Map(),
      stopRoutes: new Map([
        ['a', ['2', '1', '1']],
        ['b', ['3']],
      ]),
    };
    const service = routesServingStops(feed, { projection });
    expect(service.inferredFromShapes).toBe(false);
    expect(service.stopRoutes.get('a')).toEqual(['1', '2']);
  });

  it('infers from shapes within the tolerance of a segment (not just its vertices)', () => {
    const feed: TransitFeed = {
      // a: 20 m off the middle of a 2 km segment; b: 45 m off; c: beyond the segment's end
      stops: [stop('a', -90.07, 29.95 + 20 / 111_000), stop('b', -90.07, 29.95 + 45 / 111_000), stop('c', -90.05, 29.95)],
      routes,
      trips: [{ routeId: '1', shapeId: 's1' }],
      shapes: new Map([
        [
          's1',
          [
            [-90.08, 29.95],
            [-90.06, 29.95],
          ],
        ],
      ]),
    };
    const service = routesServingStops(feed, { projection, shapeToleranceMeters: 30 });
    expect(service.inferredFromShapes).toBe(true);
    expect(service.stopRoutes.get('a')).toEqual(['1']);
    expect(service.stopRoutes.get('b')).toEqual([]);
    expect(service.stopRoutes.get('c')).toEqual([]);
  });
});

describe('hubs', () => {
  it('merges a corner within 150 m, counts distinct routes, keeps far stops apart and collapses platforms to stations', () => {
    const feed: TransitFeed = {
      stops: [
        stop('n', -90.07, 29.95),
        stop('s', -90.07, 29.9508), // ~89 m away: same corner
        stop('far', -90.06, 29.95), // ~965 m
        { ...stop('st', -90.05, 29.95), locationType: 1, name: 'Central Station' },
        stop('p1', -90.0502, 29.9501, { parentStation: 'st' }),
        stop('p2', -90.0498, 29.9499, { parentStation: 'st' }),
      ],
      routes,
      trips: [],
      shapes: new Map(),
      stopRoutes: new Map([
        ['n', ['1', '2']],
        ['s', ['2', '3', '4']],
        ['far', ['1', '2', '3']],
        ['p1', ['1', '2', '5']],
        ['p2', ['3', '4']],
      ]),
    };
    const { hubs } = findHubs(feed, { projection, minRoutes: 4 });
    expect(hubs.map((h) => [h.id, h.routeCount, h.stopIds])).toEqual([
      ['hub:st', 5, ['p1', 'p2']],
      ['hub:s', 4, ['n', 's']], // s seeds: more routes of its own than n
    ]);
    expect(hubs[0]!.name).toBe('Central Station');
    expect(hubs[0]!.inferredFromShapes).toBe(false);
    expect(findHubs(feed, { projection, minRoutes: 6 }).hubs).toEqual([]);
  });

  it.skipIf(!dir)('finds the downtown New Orleans hubs from the real NORTA feed (shapes only)', () => {
    const feed = readNorta(dir!);
    expect(feed.stops.length).toBe(2356);
    const t = performance.now();
    const { hubs, service } = findHubs(feed, { minRoutes: 4 });
    console.log(`NORTA: ${hubs.length} hubs (≥ 4 routes) from ${feed.stops.length} stops in ${(performance.now() - t).toFixed(0)} ms`);
    expect(service.inferredFromShapes).toBe(true);
    expect(hubs.every((h) => h.inferredFromShapes && h.routeCount >= 4)).toBe(true);
    // Each stop in at most one hub, and every member within 150 m of its hub's seed.
    const all = hubs.flatMap((h) => h.stopIds);
    expect(new Set(all).size).toBe(all.length);
    const byId = new Map(feed.stops.map((s) => [s.id, s]));
    for (const h of hubs) {
      const seed = byId.get(h.id.slice(4))!;
      for (const id of h.stopIds) expect(haversineMeters(seed.lon, seed.lat, byId.get(id)!.lon, byId.get(id)!.lat)).toBeLessThan(151);
    }
    // The CBD interchange (Loyola / Poydras / Tulane, next to the Union Passenger Terminal) tops the list,
    // and Canal Street corners are hubs.
    const top = hubs[0]!;
    expect(haversineMeters(top.lon, top.lat, -90.0756, 29.9527)).toBeLessThan(500);
    expect(top.routeCount).toBeGreaterThanOrEqual(15);
    const names = hubs.map((h) => h.name);
    expect(names.some((n) => /Loyola/i.test(n))).toBe(true);
    expect(names.filter((n) => /^Canal at/i.test(n)).length).toBeGreaterThanOrEqual(2);
    // Kenner Loop-only stops in Jefferson Parish are not hubs; a far-east residential stop is not either.
    expect(hubs.every((h) => h.lon > -90.25)).toBe(true);
  });
});
