import { randomLcg } from 'd3';
import { describe, expect, it } from 'vitest';
import { parseHourWindow, parseHourWindows } from '../../src/analysis/hour-windows';
import { haversineMeters, localProjection } from '../../src/analysis/local-projection';
import { type ClusterCall, findRepeatClusters } from '../../src/analysis/repeat-clusters';

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
