/**
 * 1M-call measurement of the analysis pipeline, from the DuckDB queries to results, in Node
 * (duckdb-wasm's node build: the browser's engine). The demo city's calls are replicated 20×
 * with a seeded jitter computed in SQL (hash of seed, copy and call id), so the spatial and
 * temporal structure stays realistic and the run is reproducible.
 *
 *   npx tsx scripts/bench/analysis-1m.ts         (or CALLSIGHT_BENCH=1 npx vitest run tests/unit/analysis-bench.test.ts)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { MessageChannel } from 'node:worker_threads';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { clustersPipeline } from '../../src/analysis/clusters-pipeline';
import { hotspotsPipeline } from '../../src/analysis/hotspots';
import { parseHourWindows } from '../../src/analysis/hour-windows';
import { findHubs } from '../../src/analysis/hubs';
import { resolveParams } from '../../src/analysis/params';
import { openNodeDb } from '../../src/data/db-node';
import type { Db } from '../../src/data/db-types';
import { importDataset } from '../../src/data/import-dataset';
import { loadAreas } from '../../src/data/load-geo';
import { loadGtfs } from '../../src/data/load-gtfs';
import { fetchCandidates, fetchMatchedTypes } from '../../src/data/queries/candidates';
import { fetchPointCounts, fetchSquareCellCounts, fetchSquareGridSpec } from '../../src/data/queries/cells';
import { scalar } from '../../src/data/rows';
import { sql } from '../../src/data/sql';
import { hotspotCells } from '../../src/state/hotspot-cells';
import { repeatClusters } from '../../src/state/repeat-clusters-run';
import { createAnalysisClient, type PortLike } from '../../src/workers/analysis-client';
import { serveAnalysis } from '../../src/workers/analysis.worker';

const demo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../data/demo');

export interface BenchResult {
  calls: number;
  buildMs: number;
  hotspotsSquareMs: { query: number; pipeline: number; cells: number };
  hotspotsH3Ms: { query: number; pipeline: number; cells: number; distinctPoints: number };
  clustersMs: { query: number; pipeline: number; candidates: number; clusters: number };
  /** the app's own path (hotspotCells + repeatClusters, started together as the dashboard does), worker protocol in-process */
  appPathMs: { both: number; reopen: number };
}

/** Replaces `calls` with `copies` jittered copies of the demo calls (±jitterMeters, seeded). */
export async function replicateCalls(db: Db, copies: number, seed: number, jitterMeters = 40): Promise<number> {
  const dLat = jitterMeters / 111_195;
  const dLon = dLat / Math.cos((35.45 * Math.PI) / 180);
  await db.query(sql`CREATE OR REPLACE TABLE calls_base AS SELECT * FROM calls`);
  await db.query(sql`CREATE OR REPLACE TABLE calls AS
    SELECT * REPLACE (
        call_id || '#' || k AS call_id,
        CASE WHEN k = 0 THEN lon ELSE lon + ((hash(${seed}, k, call_id, 'x') % 20001)::DOUBLE / 10000 - 1) * ${dLon} END AS lon,
        CASE WHEN k = 0 THEN lat ELSE lat + ((hash(${seed}, k, call_id, 'y') % 20001)::DOUBLE / 10000 - 1) * ${dLat} END AS lat)
    FROM calls_base, range(CAST(${copies} AS BIGINT)) r(k)`);
  return scalar(await db.query('SELECT count(*) FROM calls'));
}

export async function benchAnalysis1M(copies = 20): Promise<BenchResult> {
  const db = await openNodeDb({ memoryLimit: '3GB' });
  try {
    const config = JSON.parse(readFileSync(path.join(demo, 'config.json'), 'utf8'));
    const areas = loadAreas({ name: 'areas.geojson', bytes: new Uint8Array(readFileSync(path.join(demo, 'areas.geojson'))) }, { idProperty: 'area_id', nameProperty: 'name' }).areas;
    const gtfsDir = path.join(demo, 'gtfs');
    const feed = loadGtfs(readdirSync(gtfsDir).map((name) => ({ name, bytes: new Uint8Array(readFileSync(path.join(gtfsDir, name))) })));
    await importDataset(db, [{ name: 'calls.parquet', bytes: new Uint8Array(readFileSync(path.join(demo, 'calls.parquet'))) }], { mapping: config.expectedMapping, areas });
    let t = performance.now();
    const calls = await replicateCalls(db, copies, 20260629);
    const buildMs = performance.now() - t;
    const params = resolveParams();
    const region = areas.map((a) => a.geometry);

    t = performance.now();
    const spec = await fetchSquareGridSpec(db, params.hotspots.cellMeters);
    const square = await fetchSquareCellCounts(db, spec);
    const sq = performance.now() - t;
    t = performance.now();
    const hs = await hotspotsPipeline({ source: square, params: params.hotspots, region });
    const sqPipe = performance.now() - t;

    t = performance.now();
    const points = await fetchPointCounts(db);
    const h3q = performance.now() - t;
    t = performance.now();
    const h3 = await hotspotsPipeline({ source: { grid: 'h3', ...points }, params: { ...params.hotspots, grid: 'h3', cellMeters: 150 }, region });
    const h3Pipe = performance.now() - t;

    const { hubs } = findHubs(feed);
    t = performance.now();
    const windows = parseHourWindows(params.clusters.windows.join(','));
    const matchedTypes = await fetchMatchedTypes(db, params.clusters.types);
    const candidates = await fetchCandidates(db, params.clusters.types, windows, {}, matchedTypes);
    const cq = performance.now() - t;
    t = performance.now();
    const cl = await clustersPipeline({ candidates, params: params.clusters, matchedTypes, stops: feed.stops, hubs, nearHubMeters: params.transit.nearHubMeters });
    const cPipe = performance.now() - t;
    const channel = new MessageChannel();
    serveAnalysis(channel.port2 as unknown as PortLike);
    const client = createAnalysisClient(channel.port1 as unknown as PortLike);
    const sites = { hubs: hubs.map((h) => ({ id: h.id, name: h.name, lon: h.lon, lat: h.lat })), stops: feed.stops.map((s) => ({ id: s.id, name: s.name, lon: s.lon, lat: s.lat })) };
    const appPath = () => Promise.all([hotspotCells(db, sql`TRUE`, { client, region }), repeatClusters(db, sql`TRUE`, sites, { client })]);
    t = performance.now();
    await appPath();
    const both = performance.now() - t;
    t = performance.now();
    await appPath();
    const reopen = performance.now() - t;
    client.dispose();
    channel.port1.close();
    channel.port2.close();
    return {
      calls,
      buildMs: Math.round(buildMs),
      hotspotsSquareMs: { query: Math.round(sq), pipeline: Math.round(sqPipe), cells: hs.cells.length },
      hotspotsH3Ms: { query: Math.round(h3q), pipeline: Math.round(h3Pipe), cells: h3.cells.length, distinctPoints: points.lon.length },
      clustersMs: { query: Math.round(cq), pipeline: Math.round(cPipe), candidates: cl.candidates, clusters: cl.clusters.length },
      appPathMs: { both: Math.round(both), reopen: Math.round(reopen) },
    };
  } finally {
    await db.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  benchAnalysis1M().then((r) => console.log(JSON.stringify(r, null, 2)));
}
