import { randomLcg } from 'd3';
import { describe, expect, it } from 'vitest';
import { haversineMeters, localProjection, projectAll } from '../../src/analysis/local-projection';
import { createProximityIndex, nearestForPoints, nearFlags } from '../../src/analysis/proximity';
import { newOrleansDir, skipReason } from '../engine';
import { readNorta } from './norta-gtfs';

const dir = newOrleansDir();
skipReason('New Orleans data pack', dir);
const projection = localProjection(-90.07, 29.95);

describe('proximity index', () => {
  it('finds the nearest site, ties to the lower index, nothing when empty', () => {
    const sites = [
      { id: 'a', lon: -90.07, lat: 29.95 },
      { id: 'b', lon: -90.06, lat: 29.95 },
      { id: 'a-twin', lon: -90.07, lat: 29.95 },
    ];
    const index = createProximityIndex(sites, projection);
    expect(index.nearest(-90.0701, 29.9501)?.id).toBe('a');
    expect(index.nearest(-90.0601, 29.9501)?.id).toBe('b');
    // 50 km away still finds something (the expanding search has no hidden cap).
    expect(index.nearest(-89.6, 29.95)?.id).toBe('b');
    expect(index.within(-90.07, 29.95, 10).map((h) => h.id)).toEqual(['a', 'a-twin']);
    expect(createProximityIndex([], projection).nearest(-90, 30)).toBeNull();
    // One site: the search radius reaches exactly its distance, which rounding must not lose.
    const single = createProximityIndex([sites[1]!], projection);
    for (let k = 0; k < 200; k++) expect(single.nearest(-90.07 + k * 1e-4, 29.95 + k * 3e-5)?.id).toBe('b');
    expect(index.nearest(Number.NaN, 30)).toBeNull();
  });

  it.skipIf(!dir)('matches brute-force haversine nearest on the real NORTA stops', () => {
    const { stops } = readNorta(dir!);
    expect(stops.length).toBe(2356);
    const index = createProximityIndex(stops, projection);
    const rng = randomLcg(9);
    const n = 2000;
    const lons = Array.from({ length: n }, () => -90.14 + rng() * 0.2);
    const lats = Array.from({ length: n }, () => 29.9 + rng() * 0.15);
    const { x, y } = projectAll(projection, lons, lats);
    const t = performance.now();
    const columns = nearestForPoints(index, x, y);
    const ms = performance.now() - t;
    let mismatched = 0;
    for (let i = 0; i < n; i++) {
      let best = Infinity;
      let bestId = '';
      for (const s of stops) {
        const d = haversineMeters(lons[i]!, lats[i]!, s.lon, s.lat);
        if (d < best) {
          best = d;
          bestId = s.id;
        }
      }
      const d = columns.distanceMeters[i]!;
      // UTM scale vs the sphere differs by < 0.4 %; a different id is allowed only for such near-ties.
      expect(Math.abs(d - best) / Math.max(best, 1)).toBeLessThan(0.004);
      if (stops[columns.siteIndex[i]!]!.id !== bestId) mismatched++;
    }
    expect(mismatched).toBeLessThan(n * 0.01);
    console.log(`nearest stop for ${n} points among ${stops.length} stops: ${ms.toFixed(1)} ms, ${mismatched} near-tie id differences`);
    const flags = nearFlags(columns, 150);
    expect(flags.reduce((a, b) => a + b, 0)).toBe(Array.from(columns.distanceMeters).filter((d) => d <= 150).length);
  });
});
