/**
 * The shell's import decisions on real data: a call log from another place than the loaded
 * areas is recognised as such, and the no-location figures come as rows and as calls.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/data/db-types';
import { importDataset } from '../../src/data/import-dataset';
import { loadAreas } from '../../src/data/load-geo';
import { areasMismatch, MISMATCH_OUTSIDE_SHARE, mismatchSentence } from '../../src/state/areas-mismatch';
import { newOrleansDir, openTestDb, skipReason } from '../engine';
import { readNolaAreas } from '../test-areas';

const dir = newOrleansDir();
skipReason('New Orleans data pack', dir);
const demoAreasPath = path.resolve(import.meta.dirname, '../../data/demo/areas.geojson');

describe('areas that belong to another place', () => {
  it('flags a log when more than 90 % of located calls fall outside every area', () => {
    const geo = { valid: 9, missing: 3, zero: 0, outside: 91, swapped: 0, outOfRange: 0 };
    expect(MISMATCH_OUTSIDE_SHARE).toBe(0.9);
    expect(areasMismatch(geo)).toBe(true);
    expect(areasMismatch({ ...geo, valid: 11, outside: 89 })).toBe(false);
    // unlocated calls say nothing about the areas
    expect(areasMismatch({ ...geo, valid: 0, outside: 0, missing: 500 })).toBe(false);
    expect(mismatchSentence('Demo city')).toBe('These calls are not inside the loaded areas (Demo city). Drop the matching area file, or continue without areas.');
  });

  describe.skipIf(!dir)('New Orleans calls (real DuckDB)', () => {
    let db: Db;
    let bytes: Uint8Array;
    beforeAll(async () => {
      db = await openTestDb();
      bytes = readFileSync(path.join(dir!, 'nopd_cfs_2022_rtcc_subset.csv'));
    });
    afterAll(async () => db.close());

    it('under the demo city areas: every located call is outside, so the mismatch is detected', async () => {
      const { areas } = loadAreas({ name: 'areas.geojson', bytes: readFileSync(demoAreasPath) });
      const { report } = await importDataset(db, [{ name: 'nopd.csv', bytes: bytes.slice() }], { areas });
      expect(report.geo.outside).toBe(6326);
      expect(areasMismatch(report.geo)).toBe(true);
    });

    it('under its own neighbourhoods: no mismatch, and no-location counts as 202 calls from 237 rows', async () => {
      const { report } = await importDataset(db, [{ name: 'nopd.csv', bytes: bytes.slice() }], { areas: readNolaAreas(dir!) });
      expect(areasMismatch(report.geo)).toBe(false);
      expect(report.geo.zero).toBe(202);
      // README of the data pack: 237 rows at POINT (0 0)
      expect(report.geoRows).toMatchObject({ missing: 0, zero: 237, outOfRange: 0 });
    });
  });
});
