/**
 * The map's hot-spot cells, run as the app runs them: DuckDB counts the cells, the analysis
 * worker protocol (a real MessageChannel to serveAnalysis, as analysis-worker.test.ts) runs
 * the engine's hotspotsPipeline. Checks: SQL binning equals binning.ts, the worker result
 * equals the pipeline in-process, the study region does not move under a filter, classes
 * follow z and BH q over all cells.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binSquare } from '../../src/analysis/binning';
import { bhAdjust } from '../../src/analysis/fdr';
import { giBin } from '../../src/analysis/gi-star';
import { hotspotsPipeline } from '../../src/analysis/hotspots';
import { DEFAULT_PARAMS } from '../../src/analysis/params';
import type { Db } from '../../src/data/db-types';
import { importDataset } from '../../src/data/import-dataset';
import { fetchSquareGridSpec, fetchSquareCellCounts } from '../../src/data/queries/cells';
import { toRows } from '../../src/data/rows';
import { type Sql, sql } from '../../src/data/sql';
import { hoursClause } from '../../src/state/clauses';
import { hotspotCells } from '../../src/state/hotspot-cells';
import type { AnalysisClient } from '../../src/workers/analysis-client';
import { newOrleansDir, openTestDb, skipReason } from '../engine';
import { type InProcessAnalysis, inProcessAnalysis } from './analysis-channel';

const dir = newOrleansDir();
skipReason('New Orleans data pack', dir);

describe.skipIf(!dir)('hot-spot cells on the New Orleans log (through the worker protocol)', () => {
  let db: Db;
  let analysis: InProcessAnalysis;
  let client: AnalysisClient;
  beforeAll(async () => {
    db = await openTestDb();
    await importDataset(db, [{ name: 'nopd.csv', bytes: readFileSync(path.join(dir!, 'nopd_cfs_2022_rtcc_subset.csv')) }]);
    analysis = inProcessAnalysis();
    client = analysis.client;
  });
  afterAll(async () => {
    analysis?.close();
    await db?.close();
  });
  // No areas: the New Orleans pack has none loaded here, so the engine's box fallback applies.
  const run = (where: Sql = sql`TRUE`) => hotspotCells(db, where, { client, region: [] });

  it('bins exactly like binSquare around the median point and classes by Gi* z with BH q', async () => {
    const { cells, cellMeters, bandMeters } = await run();
    expect(cellMeters).toBe(250);
    expect(bandMeters).toBe(375);
    const spec = await fetchSquareGridSpec(db, cellMeters);
    const rows = toRows(await db.query('SELECT lon, lat FROM calls WHERE lon IS NOT NULL AND lat IS NOT NULL'));
    const reference = binSquare(spec, rows.map((r) => Number(r.lon)), rows.map((r) => Number(r.lat)));
    const occupied = new Map(cells.filter((c) => c.n > 0).map((c) => [c.id, c.n]));
    expect(occupied.size).toBe(reference.length);
    for (const r of reference) expect(occupied.get(r.id), r.id).toBe(r.count);
    expect(cells.reduce((s, c) => s + c.n, 0)).toBe(6326);
    // the box fallback adds empty cells: the region is more than the occupied cells
    expect(cells.length).toBeGreaterThan(reference.length);
    const q = bhAdjust(Float64Array.from(cells, (c) => c.p));
    cells.forEach((c, i) => {
      expect(c.q).toBeCloseTo(q[i]!, 12);
      expect(c.bin).toBe(giBin(c.z, c.q));
      // the polygon is the cell the id names, and bounds are its corners
      const ring = c.polygon.coordinates[0]!;
      expect(c.bounds).toEqual([ring[0]![0], ring[0]![1], ring[2]![0], ring[2]![1]]);
    });
    // the French Quarter / CBD concentration of this subset is a significant hot spot
    expect(cells.filter((c) => c.bin === 3).length).toBeGreaterThan(0);
    const top = cells.reduce((a, b) => (b.n > a.n ? b : a));
    expect(top.bin).toBeGreaterThan(0);
  });

  it('gives what hotspotsPipeline gives in-process on the same DuckDB cells', async () => {
    const { cells } = await run();
    const spec = await fetchSquareGridSpec(db, 250);
    const direct = await hotspotsPipeline({ source: await fetchSquareCellCounts(db, spec), params: DEFAULT_PARAMS.hotspots });
    expect(cells.map((c) => c.id)).toEqual(direct.cells.map((c) => c.id));
    expect(cells.map((c) => [c.n, c.z, c.q, c.bin])).toEqual(direct.cells.map((c) => [c.count, c.z, c.q, c.bin]));
  });

  it('keeps the same study region under a filter (zeros count), only counts change', async () => {
    const all = await run();
    const nights = await run(hoursClause('heatmap', 22, 4).predicate);
    expect(nights.cells.map((c) => c.id)).toEqual(all.cells.map((c) => c.id));
    const [{ n }] = toRows(await db.query('SELECT count(*) AS n FROM calls WHERE lon IS NOT NULL AND (hour >= 22 OR hour <= 3)')) as [{ n: number }];
    expect(nights.cells.reduce((s, c) => s + c.n, 0)).toBe(n);
    // cells with calls in the whole log but none at night are in the region with 0
    const occupiedAll = new Set(all.cells.filter((c) => c.n > 0).map((c) => c.id));
    expect(nights.cells.some((c) => c.n === 0 && occupiedAll.has(c.id))).toBe(true);
    expect(nights.cells.map((c) => c.z)).not.toEqual(all.cells.map((c) => c.z));
  });

  it('with study-area polygons, the region is the cells inside them plus the occupied ones', async () => {
    // a 2 km box over the French Quarter: every 250 m cell centred inside it joins, empty or not
    const box = { type: 'Polygon' as const, coordinates: [[[-90.075, 29.95], [-90.055, 29.95], [-90.055, 29.965], [-90.075, 29.965], [-90.075, 29.95]]] };
    const { cells } = await hotspotCells(db, sql`TRUE`, { client, region: [box] });
    const noAreas = await run();
    expect(cells.length).toBeLessThan(noAreas.cells.length);
    const occupied = noAreas.cells.filter((c) => c.n > 0).map((c) => c.id).sort();
    expect(cells.filter((c) => c.n > 0).map((c) => c.id).sort()).toEqual(occupied);
    const inside = cells.filter((c) => {
      const cx = (c.bounds[0] + c.bounds[2]) / 2;
      const cy = (c.bounds[1] + c.bounds[3]) / 2;
      return cx > -90.075 && cx < -90.055 && cy > 29.95 && cy < 29.965;
    });
    expect(inside.length).toBeGreaterThan(20);
    expect(cells.reduce((s, c) => s + c.n, 0)).toBe(6326);
  });
});
