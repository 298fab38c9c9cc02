/**
 * Issue acceptance: "The demo city's planted loitering-near-a-hub pattern is reported as a
 * cluster near that hub in the night window" (data/demo/truth.json, patterns.loiteringNearHub).
 * Hubs are inferred from the demo GTFS shapes (it has no stop_times, on purpose).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { parseHourWindow } from '../../src/analysis/hour-windows';
import { findHubs } from '../../src/analysis/hubs';
import { haversineMeters } from '../../src/analysis/local-projection';
import { type ClusterCall, findRepeatClusters } from '../../src/analysis/repeat-clusters';
import { getParquetWasm } from '../../src/data/parquet-wasm';
import { readNorta } from './norta-gtfs';

const demoDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../data/demo');
const ready = existsSync(path.join(demoDir, 'truth.json')) && existsSync(path.join(demoDir, 'calls.parquet'));
if (!ready) console.warn('data/demo not generated yet (npm run make-demo-data); skipping the demo acceptance test.');

describe.skipIf(!ready)('demo city acceptance', () => {
  it('reports the planted night-time loitering cluster near the downtown hub', async () => {
    const truth = JSON.parse(readFileSync(path.join(demoDir, 'truth.json'), 'utf8'));
    const planted = truth.patterns.loiteringNearHub;
    const wasm = await getParquetWasm();
    const table = tableFromIPC(wasm.readParquet(readFileSync(path.join(demoDir, 'calls.parquet'))).intoIPCStream());
    const rows = table.toArray().map((r) => r.toJSON() as Record<string, unknown>);
    const seen = new Set<string>();
    const calls: ClusterCall[] = [];
    const firstNightMs = Date.parse(`${planted.firstNight}T12:00:00Z`);
    for (const r of rows) {
      const id = String(r.incident_number);
      const lon = Number(r.longitude);
      const lat = Number(r.latitude);
      const t = Number(r.call_received);
      if (seen.has(id) || !Number.isFinite(lon) || !Number.isFinite(lat) || (lon === 0 && lat === 0) || r.longitude === null) continue;
      seen.add(id);
      if (t < firstNightMs) continue; // the analyst's period filter: the last weeks
      calls.push({
        id,
        lon,
        lat,
        receivedAtMs: t,
        typeText: String(r.call_type_code),
        areaId: String(r.district),
        blockAddress: r.block_address === null ? null : String(r.block_address),
        selfInitiated: r.officer_initiated === null ? null : r.officer_initiated === 'Y',
      });
    }
    const gtfs = readNorta(demoDir, 'gtfs');
    const { hubs } = findHubs(gtfs);
    const downtown = hubs.find((h) => haversineMeters(h.lon, h.lat, planted.center.lon, planted.center.lat) < 100);
    expect(downtown, 'the downtown transit center is inferred as a hub').toBeDefined();
    const { clusters } = findRepeatClusters(calls, {
      windows: [parseHourWindow(`${planted.startHour}-${planted.endHour}`)],
      radiusMeters: 75,
      minCalls: 6,
      typeTexts: new Set(planted.types as string[]),
      stops: gtfs.stops,
      hubs,
    });
    const match = clusters.find((c) => c.nearestHub?.id === downtown!.id && c.nearHub);
    expect(match, 'a night cluster near the downtown hub').toBeDefined();
    expect(match!.windowId).toBe('20-02');
    expect(haversineMeters(...match!.centroid, planted.center.lon, planted.center.lat)).toBeLessThan(planted.radiusMeters);
    // Most of the planted nights are recovered (DBSCAN leaves the sparsest scatter as noise).
    expect(match!.distinctNights).toBeGreaterThanOrEqual(Math.floor(planted.observed.distinctNights * 0.7));
    expect(match!.distinctNights).toBeLessThanOrEqual(planted.observed.distinctNights + 2);
    console.log(`demo hub cluster: ${match!.calls} calls, ${match!.distinctNights} nights (truth ${planted.observed.calls} / ${planted.observed.distinctNights}), ${match!.nearestHub!.distanceMeters.toFixed(0)} m from ${downtown!.name}`);
  });
});
