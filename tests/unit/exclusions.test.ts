import { readFileSync } from 'node:fs';
import path from 'node:path';
import { csvParse } from 'd3';
import { describe, expect, it } from 'vitest';
import { applyExclusions, type ExclusionEntry } from '../../src/analysis/exclusions';
import { haversineMeters } from '../../src/analysis/local-projection';
import { newOrleansDir, skipReason } from '../engine';

const dir = newOrleansDir();
skipReason('New Orleans data pack', dir);

// NOPD buildings as listed in the data pack README (file 2), with the rows geocoded to each.
const NOPD_BUILDINGS: [label: string, lat: number, lon: number, rows: number][] = [
  ['028XX Perdido St (courthouse / jail / HQ)', 29.96012841, -90.09517715, 562],
  ['003XX Royal St (8th District)', 29.95538535, -90.06691051, 424],
  ['039XX N Claiborne Ave (5th District)', 29.97062974, -90.03445086, 399],
  ['024XX Sanctuary Dr (4th District)', 29.94972492, -90.03189701, 391],
  ['101XX Dwyer Rd (7th District)', 30.02749184, -89.96808617, 371],
  ['005XX N Rampart St (1st District)', 29.95935566, -90.06991538, 368],
  ['probably 6th District', 29.94132428, -90.08009571, 271],
  ['probably 3rd District', 30.00540813, -90.07471359, 227],
];

function entries(radiusMeters: number): ExclusionEntry[] {
  return NOPD_BUILDINGS.map(([label, lat, lon], i) => ({ kind: 'point', id: `nopd-${i + 1}`, label, lon, lat, radiusMeters }));
}

describe('exclusion zones', () => {
  it.skipIf(!dir)('removes the police-building artefacts from the 2022 NOPD locations with per-entry counts', () => {
    const rows = csvParse(readFileSync(path.join(dir!, 'nopd_cfs_2022_coordinates_to_2022-03-21.csv'), 'utf8'));
    const calls = rows.map((r) => ({ lon: Number(r.longitude), lat: Number(r.latitude) }));
    expect(calls.length).toBe(79_763);
    // Radius 0: exactly the rows geocoded to the building, as the README counted them.
    const exact = applyExclusions(calls, entries(0));
    expect(exact.counts.map((c) => c.excluded)).toEqual(NOPD_BUILDINGS.map((b) => b[3]));
    expect(exact.kept.length + exact.excluded.length).toBe(calls.length);
    // 50 m takes the building's block neighbours too; counts only grow, and agree with a direct count.
    const t = performance.now();
    const wide = applyExclusions(calls, entries(50));
    const ms = performance.now() - t;
    wide.counts.forEach((c, k) => {
      expect(c.excluded).toBeGreaterThanOrEqual(NOPD_BUILDINGS[k]![3]);
      const [, lat, lon] = NOPD_BUILDINGS[k]!;
      expect(c.matched).toBe(calls.filter((p) => haversineMeters(p.lon, p.lat, lon, lat) <= 50).length);
    });
    console.log(`exclusions: ${wide.excluded.length} of ${calls.length} calls within 50 m of 8 NOPD buildings (${ms.toFixed(0)} ms)`);
  });

  it('charges a call matching two entries to the first, counts both matches, and handles areas', () => {
    const calls = [
      { lon: -90.07, lat: 29.95, areaId: 'CBD' },
      { lon: -90.0701, lat: 29.95, areaId: 'CBD' }, // ~9.7 m west
      { lon: -90.05, lat: 29.95, areaId: 'MARIGNY' },
      { lon: -90.04, lat: 29.95, areaId: null },
    ];
    const result = applyExclusions(calls, [
      { kind: 'point', id: 'station', label: 'Station', lon: -90.07, lat: 29.95, radiusMeters: 10 },
      { kind: 'area', id: 'cbd', label: 'CBD', areaIds: ['CBD'] },
      { kind: 'point', id: 'tiny', label: 'Tiny', lon: -90.0701, lat: 29.95, radiusMeters: 5 },
    ]);
    expect(result.counts).toEqual([
      { id: 'station', label: 'Station', excluded: 2, matched: 2 },
      { id: 'cbd', label: 'CBD', excluded: 0, matched: 2 },
      { id: 'tiny', label: 'Tiny', excluded: 0, matched: 1 },
    ]);
    expect(result.kept.map((c) => c.areaId)).toEqual(['MARIGNY', null]);
  });

  it('refuses entries an analyst probably mistyped', () => {
    const e: ExclusionEntry = { kind: 'point', id: 'a', label: 'Jail', lon: -90, lat: 30, radiusMeters: 50 };
    expect(() => applyExclusions([], [e, e])).toThrow(/twice/);
    expect(() => applyExclusions([], [{ ...e, lat: 95 }])).toThrow(/valid longitude/);
    expect(() => applyExclusions([], [{ ...e, radiusMeters: 20_000 }])).toThrow(/area entry/);
    expect(() => applyExclusions([], [{ kind: 'area', id: 'x', label: 'Nowhere', areaIds: [] }])).toThrow(/no areas/);
  });
});
