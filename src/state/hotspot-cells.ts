import type { Polygon } from 'geojson';
import type { SquareGridSpec } from '../analysis/binning';
import { type CellSource, type HotspotResult, hotspotCellPolygon } from '../analysis/hotspots';
import { DEFAULT_PARAMS, type HotspotParams } from '../analysis/params';
import type { Region } from '../analysis/study-area';
import type { Db } from '../data/db-types';
import { locatedCalls } from '../data/queries/analysed-calls';
import { fetchSquareGridSpec, squareColSql, squareRowSql } from '../data/queries/cells';
import { type Sql, sql } from '../data/sql';
import { type AnalysisClient, createBrowserAnalysisClient } from '../workers/analysis-client';
import { type CacheScope, createResultCache, objectKey, sqlKey } from './analysis-cache';
import { getSession } from './session-store';

/**
 * The map's Gi* hot and cold spots (methods.md §1–2) for the calls matching `where` (the
 * selection's predicate over `calls`): DuckDB counts the
 * cells, the analysis worker runs the engine's `hotspotsPipeline` (the same code as the CLI
 * and the briefing), and this maps its cells to what the layer and the detail panel draw.
 */
export interface HotspotCell {
  id: string;
  polygon: Polygon;
  n: number;
  z: number;
  p: number;
  q: number;
  /** -3..3: sign = hot/cold, magnitude = confidence 90/95/99 % after FDR */
  bin: number;
  bounds: [number, number, number, number];
}

export interface HotspotOptions {
  cellMeters?: number;
  bandMeters?: number;
  /** study-area polygons; default: the areas loaded in this session (none → box around the calls) */
  region?: Region;
  /** where the pipeline runs; default: the app's analysis worker (tests pass an in-process one) */
  client?: AnalysisClient;
  signal?: AbortSignal;
}

let appClient: AnalysisClient | null = null;

export interface HotspotCellsResult {
  cells: HotspotCell[];
  cellMeters: number;
  bandMeters: number;
}

const results = createResultCache<HotspotCellsResult>();
// The grid origin is the median point of the whole table: one 1M-row scan per dataset, not per filter.
const specs = createResultCache<SquareGridSpec>(4);

export async function hotspotCells(db: Db, where: Sql, o: HotspotOptions = {}): Promise<HotspotCellsResult> {
  const session = getSession();
  const scope: CacheScope = { db, epoch: session.datasetEpoch, areas: session.areaFeatures };
  const key = `${sqlKey(where)}|${o.cellMeters ?? ''}|${o.bandMeters ?? ''}|${o.region ? objectKey(o.region) : 'session'}`;
  return results.get(scope, key, () => computeHotspotCells(db, where, scope, o));
}

async function computeHotspotCells(db: Db, where: Sql, scope: CacheScope, o: HotspotOptions): Promise<HotspotCellsResult> {
  const cellMeters = o.cellMeters ?? DEFAULT_PARAMS.hotspots.cellMeters;
  const region = o.region ?? getSession().areaFeatures?.map((a) => a.geometry);
  const params: HotspotParams = {
    ...DEFAULT_PARAMS.hotspots,
    grid: 'square',
    cellMeters,
    neighbours: o.bandMeters !== undefined ? { kind: 'band', bandMeters: o.bandMeters } : DEFAULT_PARAMS.hotspots.neighbours,
  };
  // the worker starts (module fetch, compile) while DuckDB counts the cells
  if (!o.client && !appClient) appClient = createBrowserAnalysisClient();
  const client = o.client ?? appClient!;
  const spec = await specs.get(scope, String(cellMeters), () => fetchSquareGridSpec(db, cellMeters));
  const source = await occupiedCells(db, where, spec);
  if (source.col.length === 0) return { cells: [], cellMeters, bandMeters: fallbackBand(params) };
  const result = await client.run('hotspots', { source, params, ...(region?.length ? { region } : {}) }, o.signal ? { signal: o.signal } : {});
  return { cells: result.cells.map((c) => toMapCell(spec, c)), cellMeters, bandMeters: bandOf(result) };
}

/**
 * Cells holding any located call of the WHOLE dataset, counted under the filters (zeros kept):
 * the study region (areas, or else the box around these cells) then never moves when a filter
 * is applied; only the counts change, so two filtered maps compare the same cells.
 */
async function occupiedCells(db: Db, where: Sql, spec: SquareGridSpec): Promise<Extract<CellSource, { grid: 'square' }>> {
  const t = await db.query(sql`SELECT ${squareColSql(spec)} AS col, ${squareRowSql(spec)} AS row,
      (count(*) FILTER (WHERE ${where}))::INTEGER AS n
    FROM ${locatedCalls()} GROUP BY ALL ORDER BY row, col`);
  const col = Int32Array.from((t.getChild('col')?.toArray() ?? []) as ArrayLike<number>);
  const row = Int32Array.from((t.getChild('row')?.toArray() ?? []) as ArrayLike<number>);
  const counts = Float64Array.from((t.getChild('n')?.toArray() ?? []) as ArrayLike<number>);
  return { grid: 'square', spec, col, row, counts };
}

function toMapCell(spec: SquareGridSpec, c: HotspotResult['cells'][number]): HotspotCell {
  const polygon = hotspotCellPolygon(c.id, 'square', spec);
  const ring = polygon.coordinates[0]!;
  return { id: c.id, polygon, n: c.count, z: c.z, p: c.p, q: c.q, bin: c.bin, bounds: [ring[0]![0]!, ring[0]![1]!, ring[2]![0]!, ring[2]![1]!] };
}

function bandOf(result: HotspotResult): number {
  const nb = result.parameters.neighboursUsed;
  return nb.kind === 'band' ? nb.bandMeters : Number.NaN;
}

function fallbackBand(params: HotspotParams): number {
  return params.neighbours.kind === 'band' ? (params.neighbours.bandMeters ?? 1.5 * params.cellMeters) : Number.NaN;
}
