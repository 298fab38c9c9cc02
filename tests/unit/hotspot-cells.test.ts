/**
 * The map's hot-spot cells: the SQL grid puts every call in the cell binning.ts assigns in
 * JS, the study region does not move when a filter is applied, and classes follow z and q.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binSquare, squareGridSpec } from '../../src/analysis/binning';
import { bhAdjust } from '../../src/analysis/fdr';
import { giBin } from '../../src/analysis/gi-star';
import type { Db } from '../../src/data/db-types';
import { importDataset } from '../../src/data/import-dataset';
import { toRows } from '../../src/data/rows';
import { NO_FILTERS } from '../../src/state/dashboard-filters';
import { hotspotCells } from '../../src/state/hotspot-cells';
import { newOrleansDir, openTestDb, skipReason } from '../engine';

const dir = newOrleansDir();
skipReason('New Orleans data pack', dir);

describe.skipIf(!dir)('hot-spot cells on the New Orleans log', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb();
    await importDataset(db, [{ name: 'nopd.csv', bytes: readFileSync(path.join(dir!, 'nopd_cfs_2022_rtcc_subset.csv')) }]);
  });
  afterAll(async () => db.close());

  it('bins exactly like binSquare and classes by Gi* z with BH q', async () => {
    const { cells, cellMeters } = await hotspotCells(db, NO_FILTERS);
    const rows = toRows(await db.query('SELECT lon, lat FROM calls WHERE lon IS NOT NULL'));
    const lons = rows.map((r) => Number(r.lon));
    const lats = rows.map((r) => Number(r.lat));
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    const reference = binSquare(squareGridSpec(mean(lons), mean(lats), cellMeters), lons, lats);
    const counts = new Map(cells.map((c) => [c.id, c.n]));
    expect(counts.size).toBe(reference.length);
    for (const r of reference) expect(counts.get(r.id), r.id).toBe(r.count);
    expect(cells.reduce((s, c) => s + c.n, 0)).toBe(6326);
    const q = bhAdjust(cells.map((c) => c.p));
    cells.forEach((c, i) => {
      expect(c.q).toBeCloseTo(q[i]!, 12);
      expect(c.bin).toBe(giBin(c.z, c.q));
    });
    // the French Quarter / CBD concentration of this subset is a significant hot spot
    expect(cells.filter((c) => c.bin === 3).length).toBeGreaterThan(0);
    const top = cells.reduce((a, b) => (b.n > a.n ? b : a));
    expect(top.bin).toBeGreaterThan(0);
  });

  it('keeps the same study region under a filter (zeros count), only counts change', async () => {
    const all = await hotspotCells(db, NO_FILTERS);
    const nights = await hotspotCells(db, { ...NO_FILTERS, hourOfWeek: { dowFrom: 0, dowTo: 6, hourFrom: 22, hourTo: 3 } });
    expect(nights.cells.map((c) => c.id)).toEqual(all.cells.map((c) => c.id));
    const [{ n }] = toRows(await db.query('SELECT count(*) AS n FROM calls WHERE lon IS NOT NULL AND (hour >= 22 OR hour <= 3)')) as [{ n: number }];
    expect(nights.cells.reduce((s, c) => s + c.n, 0)).toBe(n);
    expect(nights.cells.some((c) => c.n === 0)).toBe(true);
  });
});
