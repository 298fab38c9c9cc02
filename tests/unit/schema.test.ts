import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/data/db-types';
import { parsePreset } from '../../src/data/presets';
import nopdPreset from '../../src/data/presets/nopd.json';
import { scalar, toRows } from '../../src/data/rows';
import { buildCalls } from '../../src/data/schema';
import type { ColumnMapping } from '../../src/data/types';
import { newOrleansDir, openTestDb, skipReason } from '../engine';
import { readNolaAreas, stageCsvForTest } from '../test-areas';

const dir = newOrleansDir();
skipReason('New Orleans data pack', dir);
const enc = (s: string) => new TextEncoder().encode(s);

const MAPPING: ColumnMapping = {
  columns: { call_id: 'id', received_at: 'created', closed_at: 'closed', type_code: 'code', self_initiated: 'oi' },
  location: { kind: 'lonlat', lon: 'lon', lat: 'lat' },
  timestampFormats: { received_at: '%m/%d/%Y %H:%M', closed_at: '%m/%d/%Y %H:%M' },
  timeZone: 'America/Chicago',
  selfInitiatedTrue: ['Y'],
};

describe('buildCalls on edge cases', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb();
  });
  afterAll(async () => db.close());

  it('rejects unusable received times with line and reason, keeps the rest, deduplicates on the first row', async () => {
    const a = [
      'id,created,closed,code,oi,lon,lat',
      'A1,1/5/2022 7:03,1/5/2022 8:00,21,Y,-90.07,29.95', // line 2
      'A2,24/13/2022 7:03,,21,N,-90.07,29.95', // line 3: rejected
      'A1,1/6/2022 9:00,,99,N,-90.08,29.96', // line 4: duplicate of A1 (second)
      ',1/7/2022 10:00,not a date,20,,0,0', // line 5: synthetic id, zero point, bad optional time
      'A4,,,20,N,,', // line 6: empty received → rejected
      'A5,1/8/1900 10:00,,20,N,29.95,-90.07', // line 7: out of range year → rejected
    ].join('\n');
    const b = ['id,created,closed,code,oi,lon,lat', 'A6,2/1/2022 0:15,,20,N,29.95,-90.07', 'A1,2/2/2022 0:15,,20,N,-90.07,29.95'].join('\n');
    await stageCsvForTest(db, { name: 'a.csv', bytes: enc(a) }, { table: 'st', append: false });
    await stageCsvForTest(db, { name: 'b.csv', bytes: enc(b) }, { table: 'st', append: true });
    const r = await buildCalls(db, { staging: 'st', mapping: MAPPING });
    expect(r.rejected.map((x) => [x.file, x.line])).toEqual([['a.csv', 3], ['a.csv', 6], ['a.csv', 7]]);
    expect(r.rejected[0]!.reason).toBe('Column `created` value `24/13/2022 7:03` is not a date in format M/D/YYYY H:MM');
    expect(r.rejected[1]!.reason).toMatch(/`created` is empty/);
    expect(r.rejected[2]!.reason).toMatch(/outside 1970–2099/);
    expect(r.rejected[0]!.raw).toContain('24/13/2022');
    expect(r.perFile).toEqual({ 'a.csv': { input: 6, loaded: 3, rejected: 3 }, 'b.csv': { input: 2, loaded: 2, rejected: 0 } });
    for (const f of Object.values(r.perFile)) expect(f.loaded + f.rejected).toBe(f.input);
    expect(r.rows).toEqual({ input: 8, loaded: 5, rejected: 3, duplicates: 2, calls: 3 });
    expect(r.syntheticIds).toBe(1);
    expect(r.unparseableOptional.closed_at).toBe(1);
    const calls = toRows(await db.query('SELECT call_id, type_code, self_initiated, geo_quality, lon, lat, hour, dow FROM calls ORDER BY call_id'));
    expect(calls).toEqual([
      { call_id: 'A1', type_code: '21', self_initiated: true, geo_quality: 'ok', lon: -90.07, lat: 29.95, hour: 7, dow: 2 },
      { call_id: 'A6', type_code: '20', self_initiated: false, geo_quality: 'swapped', lon: -90.07, lat: 29.95, hour: 0, dow: 1 },
      { call_id: 'a.csv:5', type_code: '20', self_initiated: null, geo_quality: 'zero', lon: null, lat: null, hour: 10, dow: 4 },
    ]);
  });

  it('names missing mapped columns instead of failing in SQL', async () => {
    await stageCsvForTest(db, { name: 'c.csv', bytes: enc('x,y\n1,2\n') }, { table: 'st2', append: false });
    await expect(buildCalls(db, { staging: 'st2', mapping: MAPPING })).rejects.toThrow(/does not have/);
  });

  it('refuses when no row has a usable time, with the first problem', async () => {
    await stageCsvForTest(db, { name: 'd.csv', bytes: enc('id,created,closed,code,oi,lon,lat\nA,2022-01-01 10:00,,1,N,1,1\n') }, { table: 'st3', append: false });
    await expect(buildCalls(db, { staging: 'st3', mapping: MAPPING })).rejects.toThrow(/No row has a usable received time.*not a date in format M\/D\/YYYY H:MM/);
  });
});

describe.skipIf(!dir)('buildCalls on the NOPD RTCC subset', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb();
    const bytes = readFileSync(path.join(dir!, 'nopd_cfs_2022_rtcc_subset.csv'));
    await stageCsvForTest(db, { name: 'nopd.csv', bytes }, { table: 'staging', append: false });
  });
  afterAll(async () => db.close());

  it('reproduces the documented counts (7,476 rows, 948 duplicates, 237/202 zero points, time range)', async () => {
    const mapping = parsePreset(nopdPreset, ['item_number', 'TimeCreate', 'Location']);
    const r = await buildCalls(db, { staging: 'staging', mapping, areas: readNolaAreas(dir!) });
    expect(r.rows).toEqual({ input: 7476, loaded: 7476, rejected: 0, duplicates: 948, calls: 6528 });
    const geoRaw = toRows(await db.query(`SELECT geo_quality AS q, count(*) AS n FROM raw_calls GROUP BY 1 ORDER BY 1`));
    expect(geoRaw).toEqual([{ q: 'ok', n: 7239 }, { q: 'zero', n: 237 }]);
    const geo = toRows(await db.query(`SELECT geo_quality AS q, count(*) AS n FROM calls GROUP BY 1 ORDER BY 1`));
    expect(geo).toEqual([{ q: 'ok', n: 6326 }, { q: 'zero', n: 202 }]);
    const [range] = toRows(await db.query(`SELECT strftime(min(received_at), '%Y-%m-%d %H:%M') AS a, strftime(max(received_at), '%Y-%m-%d %H:%M') AS b FROM calls`));
    expect(range).toEqual({ a: '2022-01-01 01:07', b: '2022-11-22 01:56' });
    // README: dispatch empty in 1,932 rows, arrival in 641; none of them is "unparseable"
    expect(scalar(await db.query('SELECT count(*) FROM raw_calls WHERE dispatched_at IS NULL'))).toBe(1932);
    expect(scalar(await db.query('SELECT count(*) FROM raw_calls WHERE arrived_at IS NULL'))).toBe(641);
    expect(r.unparseableOptional).toEqual({ dispatched_at: 0, arrived_at: 0, closed_at: 0 });
    expect(scalar(await db.query('SELECT count(*) FROM raw_calls WHERE self_initiated'))).toBe(836);
    // the first row of each duplicated item is the one kept
    const [first] = toRows(await db.query(`SELECT _source_line AS line FROM calls WHERE call_id = 'A0011722'`));
    expect(first?.line).toBe(2);
    expect(scalar(await db.query(`SELECT count(*) FROM calls WHERE area_id IS NULL AND geo_quality = 'ok'`))).toBe(0);
  });

  it('reprojects MapX/MapY (Louisiana South ftUS) to within 100 m of the WKT Location points', async () => {
    const wkt = parsePreset(nopdPreset, ['item_number']);
    await buildCalls(db, { staging: 'staging', mapping: wkt });
    await db.query('CREATE TABLE wkt_points AS SELECT _row, lon, lat, geo_quality FROM raw_calls');
    const projected = { ...wkt, location: { kind: 'projected', x: 'MapX', y: 'MapY', crs: 'EPSG:3452' } as const };
    const r = await buildCalls(db, { staging: 'staging', mapping: projected });
    expect(r.reprojection).toEqual({ projected: 7475, failed: 0 });
    const [d] = toRows(
      await db.query(`SELECT count(*) AS n, max(sqrt(power((p.lon - w.lon) * 111320 * cos(radians(w.lat)), 2) + power((p.lat - w.lat) * 110540, 2))) AS max_m
        FROM raw_calls p JOIN wkt_points w USING (_row) WHERE p.geo_quality = 'ok' AND w.geo_quality = 'ok'`),
    );
    expect(d?.n).toBe(7239);
    expect(Number(d?.max_m)).toBeLessThan(100);
    // NOPD's sentinel MapX=37369000/MapY=3513814 is the projection of 0/0: it must be flagged zero
    expect(scalar(await db.query(`SELECT count(*) FROM raw_calls WHERE geo_quality = 'zero'`))).toBe(237);
  });
});
