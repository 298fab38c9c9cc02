import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knoxPipeline } from '../../src/analysis/knox-pipeline';
import { localProjection } from '../../src/analysis/local-projection';
import { resolveParams } from '../../src/analysis/params';
import { fetchKnoxEvents } from '../../src/data/queries/knox-events';
import { sql } from '../../src/data/sql';
import { openTestDb } from '../engine';
import { type DemoCity, demoReady, openDemoCity } from './demo-city';

describe('Knox events', () => {
  it('use agency-local calendar days: 23:30 and 00:30 the next night are one day apart', async () => {
    const db = await openTestDb();
    try {
      await db.query(`CREATE TABLE k AS SELECT * FROM (VALUES
        ('a', TIMESTAMP '2026-07-01 23:30:00', -89.6, 35.45, 'BURGLARY REPORT', 'BURGR', NULL::VARCHAR, 23),
        ('b', TIMESTAMP '2026-07-02 00:30:00', -89.6, 35.45, 'BURGLARY REPORT', 'BURGR', NULL, 0),
        ('c', TIMESTAMP '2026-07-09 12:00:00', -89.601, 35.45, 'BURGLARY REPORT', 'BURGR', NULL, 12),
        ('d', TIMESTAMP '2026-07-09 12:00:00', -89.601, 35.45, 'THEFT REPORT', 'THEFT', NULL, 12)
      ) t(call_id, received_at, lon, lat, type_text, type_code, area_id, hour)`);
      const ev = await fetchKnoxEvents(db, ['burglary report'], 100, { table: 'k' });
      expect(Array.from(ev.day)).toEqual([20635, 20636, 20643]);
      await expect(fetchKnoxEvents(db, [], 3, { table: 'k' })).rejects.toThrow(/would compare 4 calls \(limit 3\)\. Choose one crime type/);
    } finally {
      await db.close();
    }
  });
});

describe.skipIf(!demoReady)('Knox pipeline on the demo city', () => {
  let city: DemoCity;
  beforeAll(async () => {
    city = await openDemoCity();
  }, 180_000);
  afterAll(async () => city?.db.close());

  it('observed counts equal a brute-force pair count; seeded p-values repeat; the table is complete', async () => {
    const params = { ...resolveParams().knox, types: ['BURGR'] };
    const events = await fetchKnoxEvents(city.db, params.types, params.maxEvents, { where: sql`area_id IN ('A01', 'A02', 'A03', 'A04')` });
    const n = events.day.length;
    expect(n).toBeGreaterThan(100);
    const r = await knoxPipeline({ events, params, iterations: 99, seed: 7 });
    expect(r.rows.length).toBe(5 * 4); // same location + 3 bands + beyond, × 3 bands + beyond
    expect(r.rows.reduce((a, row) => a + row.observed, 0)).toBe((n * (n - 1)) / 2);
    // Brute force: Manhattan metres in the same UTM zone, half-open bands.
    const utm = localProjection(-89.6, 35.45);
    const xy = Array.from(events.lon, (lon, i) => utm.forward(lon, events.lat[i]!));
    const sBand = (d: number) => (d === 0 ? 0 : d < 100 ? 1 : d < 200 ? 2 : d < 400 ? 3 : 4);
    const tBand = (d: number) => (d < 7 ? 0 : d < 14 ? 1 : d < 28 ? 2 : 3);
    const brute = Array.from({ length: 5 }, () => new Array(4).fill(0));
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const d = Math.abs(xy[i]![0] - xy[j]![0]) + Math.abs(xy[i]![1] - xy[j]![1]);
        brute[sBand(d)]![tBand(Math.abs(events.day[i]! - events.day[j]!))]++;
      }
    }
    expect(r.table.observed).toEqual(brute);
    for (const row of r.rows) expect(row.p).toBeGreaterThanOrEqual(1 / 100);
    const again = await knoxPipeline({ events, params, iterations: 99, seed: 7 });
    expect(again.rows).toEqual(r.rows);
    expect(r.parameters).toMatchObject({ iterations: 99, seed: 7, metric: 'manhattan', spaceBreaksMeters: [0, 100, 200, 400], projection: 'EPSG:32616' });
    expect(r.note).toMatch(/not adjusted for multiple comparisons/);
  }, 120_000);
});
