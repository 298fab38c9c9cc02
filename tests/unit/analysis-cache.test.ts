import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/data/db-types';
import { sql } from '../../src/data/sql';
import { createResultCache } from '../../src/state/analysis-cache';
import { hotspotCells } from '../../src/state/hotspot-cells';
import { repeatClusters } from '../../src/state/repeat-clusters-run';
import { getSession, updateSession } from '../../src/state/session-store';
import type { AnalysisClient } from '../../src/workers/analysis-client';
import { openTestDb } from '../engine';
import { type InProcessAnalysis, inProcessAnalysis } from './analysis-channel';

// Re-opening the hot-spot or cluster layer on the same selection must not run the SQL again;
// a new dataset must. The database is real; the wrapper only counts the statements it passes on.
describe('hot-spot and cluster results are cached per dataset, areas and selection', () => {
  let real: Db;
  let statements = 0;
  let db: Db;
  let analysis: InProcessAnalysis;
  let client: AnalysisClient;
  beforeAll(async () => {
    real = await openTestDb();
    // 3,000 calls on a 6 × 5 block grid ~300 m apart; a dense night-time loitering spot at block (2, 2)
    await real.query(`CREATE TABLE calls AS SELECT 'c' || i AS call_id,
        TIMESTAMP '2026-01-05 21:00:00' + INTERVAL (i % 97) DAY + INTERVAL (i % 3) HOUR AS received_at,
        (-90.07 + (i % 6) * 0.003)::DOUBLE AS lon, (29.95 + ((i // 6) % 5) * 0.0027)::DOUBLE AS lat,
        CASE WHEN (i % 6) = 2 AND ((i // 6) % 5) = 2 THEN 'LOIT' ELSE 'THEFT' END AS type_code,
        CASE WHEN (i % 6) = 2 AND ((i // 6) % 5) = 2 THEN 'LOITERING' ELSE 'THEFT' END AS type_text,
        21 + (i % 3) AS hour, 'A1' AS area_id, '100 BLOCK MAIN ST' AS block_address, FALSE AS self_initiated
      FROM range(3000) r(i)`);
    db = {
      ...real,
      query: (s) => {
        statements++;
        return real.query(s);
      },
    };
    analysis = inProcessAnalysis();
    client = analysis.client;
  });
  afterAll(async () => {
    analysis?.close();
    await real?.close();
  });

  it('hot spots: a repeated selection runs no statement; another selection reuses the grid; a new dataset recomputes', async () => {
    statements = 0;
    const first = await hotspotCells(db, sql`TRUE`, { client });
    expect(statements).toBe(2); // grid origin + cell counts
    expect(first.cells.length).toBeGreaterThanOrEqual(30);
    expect(await hotspotCells(db, sql`TRUE`, { client })).toBe(first);
    expect(statements).toBe(2);
    const night = await hotspotCells(db, sql`hour = ${22}`, { client });
    expect(statements).toBe(3); // cell counts only
    expect(night.cells.reduce((n, c) => n + c.n, 0)).toBe(1000);
    updateSession({ datasetEpoch: getSession().datasetEpoch + 1 });
    const again = await hotspotCells(db, sql`TRUE`, { client });
    expect(statements).toBe(5);
    expect(again).not.toBe(first);
    expect(again.cells.map((c) => [c.id, c.n, c.z])).toEqual(first.cells.map((c) => [c.id, c.n, c.z]));
  });

  it('clusters: the same selection and sites run nothing; other sites recompute', async () => {
    statements = 0;
    const sites = { hubs: [], stops: [{ id: 's1', name: 'Stop', lon: -90.064, lat: 29.9554 }] };
    const first = await repeatClusters(db, sql`TRUE`, sites, { client });
    expect(statements).toBe(2); // matched kinds + candidates
    expect(first.clusters.length).toBe(1);
    expect(first.clusters[0]!.calls).toBe(100);
    expect(await repeatClusters(db, sql`TRUE`, { hubs: [], stops: [...sites.stops] }, { client })).toBe(first);
    expect(statements).toBe(2);
    await repeatClusters(db, sql`TRUE`, { hubs: [], stops: [] }, { client });
    expect(statements).toBe(4);
  });

  it('a failed run is not kept', async () => {
    const cache = createResultCache<number>();
    const scope = { db: {}, epoch: 1, areas: null };
    await expect(cache.get(scope, 'k', () => Promise.reject(new Error('cancelled')))).rejects.toThrow('cancelled');
    expect(await cache.get(scope, 'k', async () => 7)).toBe(7);
    expect(await cache.get(scope, 'k', async () => 8)).toBe(7);
    expect(await cache.get({ ...scope, epoch: 2 }, 'k', async () => 9)).toBe(9);
  });
});
