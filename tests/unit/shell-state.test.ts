import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/data/db-types';
import { queryCallPoints } from '../../src/state/call-points';
import { fileRole, unsupportedMessage } from '../../src/state/classify-files';
import { shapesToCollection, stopsToCollection } from '../../src/state/geo-conversions';
import { normaliseProgress } from '../../src/state/progress';
import { validTileStyleUrl } from '../../src/state/settings';
import { openTestDb } from '../engine';

describe('dropped files are sorted by role', () => {
  it.each([
    ['nopd_cfs_2022.csv', 'calls'],
    ['calls.PARQUET', 'calls'],
    ['export.tsv', 'calls'],
    ['neighborhoods.geojson', 'areas'],
    ['beats.json', 'areas'],
    ['norta_gtfs_2020/stops.txt', 'gtfs'],
    ['Shapes.txt', 'gtfs'],
    ['calls_2023.txt', 'calls'],
    ['feed.zip', 'unsupported'],
    ['report.xlsx', 'unsupported'],
  ])('%s → %s', (name, role) => {
    expect(fileRole(name)).toBe(role);
  });

  it('tells the analyst what to do with an unsupported file', () => {
    expect(unsupportedMessage('feed.zip')).toMatch(/Unzip/);
    expect(unsupportedMessage('report.xlsx')).toMatch(/CSV or Parquet/);
  });
});

describe('progress from the import stages', () => {
  it('reads CSV ({bytesRead}) and Parquet ({rowsDone}) reports and never goes back', () => {
    const a = normaliseProgress({ bytesRead: 500, bytesTotal: 1000, rows: 20 }, null, 1000);
    expect(a).toMatchObject({ bytesDone: 500, bytesTotal: 1000, rows: 20 });
    const b = normaliseProgress({ rowsDone: 40, rowsTotal: 80 }, a, 1000);
    expect(b).toMatchObject({ bytesDone: 500, rows: 40 });
    expect(normaliseProgress('garbage', b, 1000)).toEqual(b);
  });
});

describe('GTFS shapes to route lines', () => {
  it('accepts the loader’s shape_id → [lon, lat][] map and drops one-point shapes', () => {
    const shapes = new Map<string, [number, number][]>([
      ['a', [[-90, 30], [-90.1, 30.1]]],
      ['b', [[-90, 30]]],
    ]);
    const fc = shapesToCollection(shapes);
    expect(fc.features).toHaveLength(1);
    expect(fc.features[0]!.properties).toEqual({ id: 'a' });
    expect(stopsToCollection([{ id: 's', name: 'S', lon: -90, lat: 30, locationType: 0, parentStation: null }]).features[0]!.geometry.coordinates).toEqual([-90, 30]);
  });
});

describe('tile style URL setting (validated at the edge)', () => {
  it('accepts https and local servers only', () => {
    expect(validTileStyleUrl(' https://tiles.example.gov/style.json ')).toBe('https://tiles.example.gov/style.json');
    expect(validTileStyleUrl('http://127.0.0.1:8080/style.json')).toBe('http://127.0.0.1:8080/style.json');
    expect(validTileStyleUrl('http://tiles.example.gov/style.json')).toBeNull();
    expect(validTileStyleUrl('javascript:alert(1)')).toBeNull();
    expect(validTileStyleUrl('')).toBeNull();
  });
});

describe('map points straight from DuckDB (real engine)', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb();
    await db.query(`CREATE TABLE calls AS SELECT * FROM (VALUES
      ('a', -90.07, 29.95), ('b', NULL, NULL), ('c', -90.10, 29.97), ('d', 0.0, 0.0), ('e', 'nan'::DOUBLE, 29.9)
    ) t(call_id, lon, lat)`);
  });
  afterAll(async () => db.close());

  it('returns interleaved Float64 lon/lat for usable rows and the total for "shown of N"', async () => {
    const { points, total } = await queryCallPoints(db);
    expect(total).toBe(5);
    expect(points.length).toBe(2);
    expect(points.positions).toBeInstanceOf(Float64Array);
    expect([...points.positions]).toEqual([-90.07, 29.95, -90.1, 29.97]);
  });
});
