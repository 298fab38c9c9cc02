import { booleanPointInPolygon } from '@turf/turf';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { randomLcg } from 'd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignAreas, buildAreaIndex } from '../../src/data/assign-areas';
import type { Db } from '../../src/data/db-types';
import { scalar, toRows } from '../../src/data/rows';
import type { AreaFeature } from '../../src/data/types';
import { newOrleansDir, openTestDb, skipReason } from '../engine';
import { readNolaAreas } from '../test-areas';

const dir = newOrleansDir();
skipReason('New Orleans data pack', dir);

describe.skipIf(!dir)('assignAreas on the New Orleans neighbourhoods', () => {
  let db: Db;
  let areas: AreaFeature[];
  beforeAll(async () => {
    db = await openTestDb();
    areas = readNolaAreas(dir!);
  });
  afterAll(async () => db.close());

  it('matches a brute-force Turf scan over every polygon for random points', () => {
    const index = buildAreaIndex(areas);
    const rnd = randomLcg(3);
    for (let i = 0; i < 3000; i++) {
      const p: [number, number] = [-90.16 + rnd() * 0.56, 29.85 + rnd() * 0.35];
      const brute = areas.findIndex((a) => booleanPointInPolygon(p, a.geometry));
      expect(index.locate(p[0], p[1])).toBe(brute);
    }
  });

  it('assigns 1M points in bulk and flags those outside every area (timed)', async () => {
    const n = 1_000_000;
    const rnd = randomLcg(42);
    const lon = new Float64Array(n);
    const lat = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      lon[i] = -90.16 + rnd() * 0.56;
      lat[i] = 29.85 + rnd() * 0.35;
    }
    const _row = Int32Array.from({ length: n }, (_, i) => i);
    await db.insertArrowIpc('pts', tableToIPC(tableFromArrays({ _row, lon, lat }), 'stream'), true);
    await db.query(`ALTER TABLE pts ADD COLUMN geo_quality VARCHAR DEFAULT 'ok'`);
    await db.query('ALTER TABLE pts ADD COLUMN area_id VARCHAR');
    await db.query('ALTER TABLE pts ADD COLUMN area_name VARCHAR');
    const r = await assignAreas(db, areas, { table: 'pts' });
    console.info(`assignAreas: ${n.toLocaleString('en')} points, 72 polygons, ${Math.round(r.ms)} ms (${r.assigned} inside)`);
    expect(r.located).toBe(n);
    expect(r.assigned + r.outside).toBe(n);
    expect(scalar(await db.query(`SELECT count(*) FROM pts WHERE geo_quality = 'outside_areas'`))).toBe(r.outside);
    expect(scalar(await db.query('SELECT count(*) FROM pts WHERE area_id IS NOT NULL'))).toBe(r.assigned);
    // spot-check 200 rows against Turf directly
    const sample = toRows(await db.query('SELECT lon, lat, area_id FROM pts USING SAMPLE 200 ROWS (reservoir, 1)'));
    for (const s of sample) {
      const hit = areas.find((a) => booleanPointInPolygon([Number(s.lon), Number(s.lat)], a.geometry));
      expect(s.area_id ?? null).toBe(hit?.id ?? null);
    }
  }, 120_000);
});
