/**
 * Rows vs distinct calls in the quality report: `geo` counts calls (after de-duplication on
 * the call id), `geoRows` counts loaded rows, the way source READMEs and records units count.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatQualityReport, qualityJson } from '../../scripts/cli/report';
import type { Db } from '../../src/data/db-types';
import { importDataset } from '../../src/data/import-dataset';
import { scalar } from '../../src/data/rows';
import type { AreaFeature, ColumnMapping, QualityReport } from '../../src/data/types';
import { newOrleansDir, openTestDb, skipReason } from '../engine';
import { readNolaAreas } from '../test-areas';

const dir = newOrleansDir();
skipReason('New Orleans data pack', dir);

const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

/** One square area, 0..1 degrees, so inside/outside is obvious from the coordinates. */
const SQUARE: AreaFeature = {
  id: 'sq',
  name: 'Square',
  geometry: { type: 'Polygon', coordinates: [[[0.5, 0.5], [1.5, 0.5], [1.5, 1.5], [0.5, 1.5], [0.5, 0.5]]] },
  areaKm2: 12_300,
  properties: {},
};

const MAPPING: ColumnMapping = {
  columns: { call_id: 'id', received_at: 'received', type_code: 'type' },
  location: { kind: 'lonlat', lon: 'lon', lat: 'lat' },
  timestampFormats: { received_at: 'iso' },
  timeZone: 'UTC',
};

describe('geoRows on a small log with every location class and duplicates', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb();
  });
  afterAll(async () => db.close());

  it('counts rows per class, classing duplicate rows by their own point', async () => {
    // id, lon, lat; the first row of an id is the call that is kept.
    const rows: [string, string, string][] = [
      ['A', '1', '1'], ['A', '1', '1'], ['A', '1', '1'], // inside ×3
      ['B', '3', '3'], ['B', '3', '3'], // outside ×2
      ['C', '1.2', '1.2'], ['C', '7', '7'], // kept inside; duplicate at a point no call has, outside
      ['D', '4', '4'], ['D', '0.9', '0.9'], // kept outside; duplicate at E's point, inside
      ['E', '0.9', '0.9'],
      ['F', '0', '0'], ['F', '0', '0'], // 0,0 ×2
      ['G', '', ''], // missing
      ['H', '1', '-95'], ['H', '1', '-95'], // swapped ×2
      ['I', '200', '95'], // impossible
    ];
    const text = `id,received,type,lon,lat\n${rows.map(([id, x, y], i) => `${id},2024-05-01 10:${String(i).padStart(2, '0')}:00,T,${x},${y}`).join('\n')}\n`;
    const { report } = await importDataset(db, [{ name: 'classes.csv', bytes: new TextEncoder().encode(text) }], { mapping: MAPPING, areas: [SQUARE] });
    expect(report.rows).toEqual({ input: 16, loaded: 16, rejected: 0, duplicates: 7 });
    expect(report.geo).toEqual({ valid: 3, missing: 1, zero: 1, outside: 2, swapped: 1, outOfRange: 1 });
    expect(report.geoRows).toEqual({ valid: 6, missing: 1, zero: 2, outside: 4, swapped: 2, outOfRange: 1 });
    expect(sum(report.geo)).toBe(scalar(await db.query('SELECT count(*) FROM calls')));
    expect(sum(report.geoRows!)).toBe(report.rows.loaded);

    // Without areas nothing is outside, in calls or in rows.
    const plain = await importDataset(db, [{ name: 'classes.csv', bytes: new TextEncoder().encode(text) }], { mapping: MAPPING });
    expect(plain.report.geo).toMatchObject({ valid: 5, outside: 0 });
    expect(plain.report.geoRows).toMatchObject({ valid: 10, outside: 0 });
  });

  it('prints calls and rows side by side, and keeps the JSON fields while adding the row figures', () => {
    const report = {
      files: [],
      rows: { input: 16, loaded: 16, rejected: 0, duplicates: 7 },
      timeRange: { start: null, end: null },
      timeZone: 'UTC',
      geo: { valid: 3, missing: 1, zero: 1, outside: 2, swapped: 1, outOfRange: 0 },
      geoRows: { valid: 6, missing: 1, zero: 2, outside: 4, swapped: 2, outOfRange: 0 },
      timestamps: { unparseable: 0, outOfRange: 0 },
      mapping: MAPPING,
    } satisfies QualityReport;
    const line = formatQualityReport(report).split('\n').find((l) => l.trim().startsWith('locations'));
    expect(line).toBe('  locations      3 calls (6 rows) usable, 1 call (1 row) missing, 1 call (2 rows) at 0,0, 2 calls (4 rows) outside areas, 1 call (2 rows) swapped, 0 out of range');
    const { geoRows: _, ...withoutRows } = report;
    expect(formatQualityReport(withoutRows)).toMatch(/locations {6}3 usable, 1 missing, 1 at 0,0, 2 outside areas, 1 swapped, 0 out of range/);
    const json = qualityJson(report, { areas: 1, stops: 0 });
    expect(json.geo).toEqual({ ...report.geo, missing: 2, missingParts: { absent: 1, zero: 1 } });
    expect(json.geoRows).toEqual({ ...report.geoRows, missing: 3, missingParts: { absent: 1, zero: 2 } });
    expect(qualityJson(withoutRows, { areas: 1, stops: 0 })).not.toHaveProperty('geoRows');
  });
});

describe.skipIf(!dir)('geoRows on New Orleans (README: 237 rows, 202 distinct items at POINT (0 0))', () => {
  let db: Db;
  let report: QualityReport;
  beforeAll(async () => {
    db = await openTestDb();
    const bytes = new Uint8Array(readFileSync(path.join(dir!, 'nopd_cfs_2022_rtcc_subset.csv')));
    ({ report } = await importDataset(db, [{ name: 'nopd.csv', bytes }], { areas: readNolaAreas(dir!) }));
  }, 120_000);
  afterAll(async () => db.close());

  it('reports 237 rows and 202 calls at 0,0, everything else usable', () => {
    expect(report.rows).toEqual({ input: 7476, loaded: 7476, rejected: 0, duplicates: 948 });
    expect(report.geo).toEqual({ valid: 6528 - 202, missing: 0, zero: 202, outside: 0, swapped: 0, outOfRange: 0 });
    expect(report.geoRows).toEqual({ valid: 7476 - 237, missing: 0, zero: 237, outside: 0, swapped: 0, outOfRange: 0 });
  });

  it('matches an independent count of the file lines holding POINT (0 0)', () => {
    // A plain text count over the CSV, not DuckDB: rows whose Location is the 0,0 sentinel.
    const lines = readFileSync(path.join(dir!, 'nopd_cfs_2022_rtcc_subset.csv'), 'utf8').split('\n');
    const zeroLines = lines.filter((l) => /POINT \(0 0\)/.test(l));
    const zeroItems = new Set(zeroLines.map((l) => l.split(',')[0]));
    expect([zeroLines.length, zeroItems.size]).toEqual([report.geoRows!.zero, report.geo.zero]);
  });

  it('prints "202 calls (237 rows) at 0,0" and adds geoRows to the CLI JSON', () => {
    expect(formatQualityReport(report)).toContain('202 calls (237 rows) at 0,0');
    const json = qualityJson(report, { areas: 72, stops: 0 });
    expect(json.geo).toMatchObject({ missing: 202, missingParts: { absent: 0, zero: 202 } });
    expect(json.geoRows).toMatchObject({ zero: 237, missing: 237, missingParts: { absent: 0, zero: 237 } });
  });
});
