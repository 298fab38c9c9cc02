import { readFileSync } from 'node:fs';
import path from 'node:path';
import { csvParse, randomLcg } from 'd3';
import { describe, expect, it } from 'vitest';
import { dbscanPlanar } from '../../src/analysis/dbscan';
import { parseHourWindow, parseHourWindows } from '../../src/analysis/hour-windows';
import { findHubs } from '../../src/analysis/hubs';
import { haversineMeters, localProjection, projectAll } from '../../src/analysis/local-projection';
import { type ClusterCall, findRepeatClusters } from '../../src/analysis/repeat-clusters';
import { newOrleansDir } from '../engine';
import { readNorta } from './norta-gtfs';

const projection = localProjection(-90.07, 29.95);
const [hx, hy] = projection.forward(-90.07, 29.95);
const hub = { id: 'hub:1', name: 'Canal at Elk', lon: -90.07, lat: 29.95 };
const stops = [hub, { id: 's2', name: 'Stop 2', lon: -90.0695, lat: 29.9502 }];
const MONDAY = Date.parse('2022-03-07T00:00:00Z');
const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Planted: loitering calls 80 m east of the hub on 12 distinct nights, at 3 block addresses. */
function planted(): ClusterCall[] {
  const rng = randomLcg(5);
  const calls: ClusterCall[] = [];
  const addresses = ['012XX Canal St', '012XX Canal St', '013XX Canal St', '001XX Elk Pl'];
  for (let night = 0; night < 12; night++) {
    for (let k = 0; k < 2; k++) {
      // 21:xx on the night, or 00:xx-01:xx the next morning (same night)
      const hour = k === 0 ? 21 + Math.floor(rng() * 3) : Math.floor(rng() * 2);
      const t = MONDAY + night * 2 * DAY + (k === 0 ? 0 : DAY) + hour * HOUR + Math.floor(rng() * 59) * 60_000;
      const [lon, lat] = projection.inverse(hx + 80 + (rng() - 0.5) * 40, hy + (rng() - 0.5) * 40);
      calls.push({
        id: `p${night}-${k}`,
        lon,
        lat,
        receivedAtMs: t,
        typeText: k === 0 ? 'LOITERING' : 'SUSPICIOUS PERSON',
        areaId: 'CBD',
        blockAddress: addresses[(night + k) % addresses.length]!,
        selfInitiated: night % 4 === 0 ? true : night % 4 === 1 ? null : false,
      });
    }
  }
  return calls;
}

function background(n: number, seed: number): ClusterCall[] {
  const rng = randomLcg(seed);
  return Array.from({ length: n }, (_, i) => {
    const [lon, lat] = projection.inverse(hx + 500 + rng() * 3000, hy - 1500 + rng() * 3000);
    return {
      id: `b${i}`,
      lon,
      lat,
      receivedAtMs: MONDAY + Math.floor(rng() * 28 * DAY),
      typeText: 'LOITERING',
      areaId: 'CBD',
      blockAddress: null,
      selfInitiated: false,
    };
  });
}

describe('repeat-report clusters', () => {
  const types = new Set(['LOITERING', 'SUSPICIOUS PERSON']);

  it('reports the planted night pattern near the hub with its details', () => {
    const calls = [...planted(), ...background(300, 11)];
    // Same spot in the daytime and a different type at night: neither belongs to the night cluster.
    calls.push({ ...planted()[0]!, id: 'day1', receivedAtMs: MONDAY + 10 * HOUR });
    calls.push({ ...planted()[0]!, id: 'other-type', typeText: 'THEFT' });
    const { clusters, perWindow } = findRepeatClusters(calls, {
      windows: parseHourWindows('06-14, 20-02'),
      radiusMeters: 60,
      minCalls: 5,
      typeTexts: types,
      stops,
      hubs: [hub],
      projection,
    });
    const night = clusters.filter((c) => c.windowId === '20-02');
    expect(night.length).toBeGreaterThanOrEqual(1);
    const top = night[0]!;
    const plantedIds = planted().map((c) => c.id);
    expect(top.memberIds.filter((id) => id.startsWith('p')).sort()).toEqual(plantedIds.sort());
    // the background starts 500 m east, so nothing else joins
    expect(top.calls).toBe(24);
    expect(top.distinctNights).toBe(12);
    expect(top.distinctDays).toBeGreaterThanOrEqual(12); // after-midnight calls fall on the next date
    expect(top.firstDate).toBe('2022-03-07');
    expect(top.nearestHub?.id).toBe('hub:1');
    expect(top.nearestHub!.distanceMeters).toBeGreaterThan(60);
    expect(top.nearestHub!.distanceMeters).toBeLessThan(100);
    expect(top.nearHub).toBe(true);
    expect(haversineMeters(top.centroid[0], top.centroid[1], hub.lon, hub.lat)).toBeCloseTo(top.nearestHub!.distanceMeters, -1);
    expect(top.addresses[0]).toEqual({ value: '012XX Canal St', calls: 12 });
    expect(top.distinctAddresses).toBe(3);
    expect(top.topTypes.map((t) => t.value)).toEqual(expect.arrayContaining(['LOITERING', 'SUSPICIOUS PERSON']));
    expect(top.topTypes.find((t) => t.value === 'THEFT')).toBeUndefined();
    // nights 0,4,8 are self-initiated (2 calls each), 1,5,9 unknown → 6 of the 18 known planted calls
    expect(top.selfInitiatedShare).toBeCloseTo(6 / 18, 12);
    expect(top.hourCounts.reduce((a, b) => a + b, 0)).toBe(top.calls);
    expect(top.hourCounts.slice(2, 20).every((c) => c === 0)).toBe(true);
    // planted nights are every other day from Monday: Mon, Wed, Fri, Sun, Tue, … each night start
    expect(top.weekdayCounts.reduce((a, b) => a + b, 0)).toBe(top.calls);
    expect(top.hull.type).toBe('Polygon');
    expect(top.hullDegenerate).toBe(false);
    expect(perWindow.find((w) => w.windowId === '20-02')!.clustered).toBeGreaterThanOrEqual(24);
    expect(clusters.some((c) => c.windowId === '06-14' && c.memberIds.includes('day1'))).toBe(false);
  });

  it('splits by area and gives degenerate clusters a circle outline', () => {
    const base: ClusterCall = {
      id: '',
      lon: -90.07,
      lat: 29.95,
      receivedAtMs: MONDAY + 22 * HOUR,
      typeText: 'LOITERING',
      areaId: 'A',
      blockAddress: '001XX Main St',
      selfInitiated: null,
    };
    const calls = Array.from({ length: 10 }, (_, i) => ({ ...base, id: `c${i}`, areaId: i < 5 ? 'A' : 'B', receivedAtMs: base.receivedAtMs + i * DAY }));
    const { clusters } = findRepeatClusters(calls, { windows: [parseHourWindow('20-02')], radiusMeters: 50, minCalls: 5, projection });
    expect(clusters.map((c) => [c.areaId, c.calls, c.distinctNights])).toEqual([
      ['A', 5, 5],
      ['B', 5, 5],
    ]);
    expect(clusters[0]!.hullDegenerate).toBe(true);
    expect(clusters[0]!.hull.coordinates[0]!.length).toBe(33);
    expect(clusters[0]!.selfInitiatedShare).toBeNull();
    expect(clusters[0]!.nearestHub).toBeNull();
  });

  it('does not depend on input row order', () => {
    const calls = [...planted(), ...background(400, 3)];
    const options = { windows: [parseHourWindow('20-02')], radiusMeters: 80, minCalls: 4, projection };
    const a = findRepeatClusters(calls, options).clusters.map((c) => c.memberIds.slice().sort());
    const b = findRepeatClusters(calls.slice().reverse(), options).clusters.map((c) => c.memberIds.slice().sort());
    expect(b).toEqual(a);
  });

  it('refuses settings that cannot describe a repeat pattern', () => {
    expect(() => findRepeatClusters([], { windows: [], radiusMeters: 0, minCalls: 5 })).toThrow(/positive/);
    expect(() => findRepeatClusters([], { windows: [], radiusMeters: 50, minCalls: 1 })).toThrow(/at least 2/);
  });
});

// Measurement, opt-in (CALLSIGHT_BENCH=1): 100k candidate calls built from the real 2022 NOPD
// locations (block-snapped, so heavy duplicate stacks: the worst case for DBSCAN neighbourhoods).
const benchDir = process.env.CALLSIGHT_BENCH ? newOrleansDir() : null;
describe.skipIf(!benchDir)('measure: 100k candidate calls', () => {
  it('DBSCAN and cluster summaries', () => {
    const rows = csvParse(readFileSync(path.join(benchDir!, 'nopd_cfs_2022_coordinates_to_2022-03-21.csv'), 'utf8'));
    const rng = randomLcg(1);
    const base = rows.map((r) => [Number(r.longitude), Number(r.latitude)] as const).filter(([lon, lat]) => lon > -90.3 && lon < -89.6 && lat > 29.8 && lat < 30.2);
    const calls: ClusterCall[] = Array.from({ length: 100_000 }, (_, i) => {
      const [lon, lat] = base[i % base.length]!;
      const jitter = i >= base.length ? 0.0002 : 0;
      return {
        id: `c${i}`,
        lon: lon + (rng() - 0.5) * jitter,
        lat: lat + (rng() - 0.5) * jitter,
        receivedAtMs: Date.UTC(2022, 0, 1) + Math.floor(rng() * 90 * DAY),
        typeText: 'DISTURBANCE',
        areaId: `d${Math.floor((lon + 90.3) / 0.05)}`,
        blockAddress: `${Math.floor(rng() * 50)}XX Main St`,
        selfInitiated: rng() < 0.1,
      };
    });
    const feed = readNorta(benchDir!);
    const { hubs } = findHubs(feed);
    const { x, y } = projectAll(projection, calls.map((c) => c.lon), calls.map((c) => c.lat));
    for (const [eps, minPoints] of [[50, 10], [100, 10], [100, 25]] as const) {
      const t = performance.now();
      const r = dbscanPlanar(x, y, { epsMeters: eps, minPoints });
      console.log(`dbscanPlanar 100k ε=${eps} m minPts=${minPoints}: ${(performance.now() - t).toFixed(0)} ms, ${r.clusterCount} clusters, ${r.noiseCount} noise`);
    }
    for (const [windows, eps, minCalls] of [['00-24', 100, 10], ['06-14, 14-20, 20-02, 02-06', 100, 10], ['00-24', 50, 10]] as const) {
      const t = performance.now();
      const res = findRepeatClusters(calls, { windows: parseHourWindows(windows), radiusMeters: eps, minCalls, stops: feed.stops, hubs, projection });
      const ms = performance.now() - t;
      console.log(`findRepeatClusters 100k windows=${windows} r=${eps} m min=${minCalls}: ${ms.toFixed(0)} ms, ${res.clusters.length} clusters, clustered ${res.perWindow.map((w) => w.clustered).join('/')}`);
      expect(res.perWindow.reduce((a, w) => a + w.candidates, 0)).toBe(100_000);
    }
  });
});
