/**
 * Runs the selected analyses on the loaded `calls` table: DuckDB queries from
 * src/data/queries, then the pure pipelines (in-process here; the app runs the same pipelines
 * in its Web Worker). Returns one JSON-able object with every parameter echoed.
 */
import type { ClustersPipelineResult } from '../../src/analysis/clusters-pipeline';
import { clustersPipeline } from '../../src/analysis/clusters-pipeline';
import type { ExclusionEntry } from '../../src/analysis/exclusions';
import { emergingPipeline } from '../../src/analysis/emerging-pipeline';
import { hotspotsPipeline, type HotspotResult } from '../../src/analysis/hotspots';
import { parseHourWindows } from '../../src/analysis/hour-windows';
import { findHubs, type TransitFeed } from '../../src/analysis/hubs';
import { knoxPipeline } from '../../src/analysis/knox-pipeline';
import { projectionForPoints } from '../../src/analysis/local-projection';
import type { AnalysisParams } from '../../src/analysis/params';
import { transitPipeline } from '../../src/analysis/transit-pipeline';
import type { Db } from '../../src/data/db-types';
import { fetchAnalysedPoints, fetchExclusionSummary, type QueryScope } from '../../src/data/queries/analysed-calls';
import { fetchCandidates, fetchMatchedTypes } from '../../src/data/queries/candidates';
import { fetchPointCounts, fetchSquareCellCounts, fetchSquareGridSpec } from '../../src/data/queries/cells';
import { fetchCube } from '../../src/data/queries/cube';
import { fetchKnoxEvents } from '../../src/data/queries/knox-events';
import { join, type Sql, sql } from '../../src/data/sql';
import type { AreaFeature } from '../../src/data/types';
import type { AnalysisSelection } from './analysis-flags';

export interface RunAnalysesOptions {
  selection: AnalysisSelection;
  params: AnalysisParams;
  areas?: AreaFeature[];
  feed?: TransitFeed;
  exclusions?: ExclusionEntry[];
  from?: string;
  to?: string;
}

export interface AnalysesOutput {
  parameters: AnalysisParams & { filters: { from: string | null; to: string | null }; exclusions: ExclusionEntry[] };
  exclusions?: Awaited<ReturnType<typeof fetchExclusionSummary>>;
  hotspots?: HotspotResult & { transit?: unknown };
  emerging?: Awaited<ReturnType<typeof emergingPipeline>>;
  clusters?: ClustersPipelineResult;
  knox?: Awaited<ReturnType<typeof knoxPipeline>>;
  transit?: Awaited<ReturnType<typeof transitPipeline>>;
  timingsMs: Record<string, number>;
}

export function periodWhere(from?: string, to?: string): Sql {
  const parts: Sql[] = [sql`TRUE`];
  if (from) parts.push(sql`received_at >= CAST(${from} AS DATE)`);
  if (to) parts.push(sql`received_at < CAST(${to} AS DATE) + INTERVAL 1 DAY`);
  return join(parts, ' AND ');
}

export async function runAnalyses(db: Db, o: RunAnalysesOptions): Promise<AnalysesOutput> {
  const { params, selection } = o;
  const scope: QueryScope = { where: periodWhere(o.from, o.to), exclusions: o.exclusions ?? [] };
  const region = o.areas?.length ? o.areas.map((a) => a.geometry) : undefined;
  const timingsMs: Record<string, number> = {};
  const timed = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await f();
    } finally {
      timingsMs[name] = Math.round(performance.now() - t0);
    }
  };
  const out: AnalysesOutput = {
    parameters: { ...params, filters: { from: o.from ?? null, to: o.to ?? null }, exclusions: o.exclusions ?? [] },
    timingsMs,
  };
  const exclusions = await fetchExclusionSummary(db, scope);
  out.exclusions = exclusions;
  if (selection.transit && !o.feed) throw new RangeError('--transit needs a GTFS feed: add --stops <folder with stops.txt, routes.txt, trips.txt, shapes.txt>.');
  const hubs = o.feed ? findHubs(o.feed, { minRoutes: params.transit.minRoutes, projection: projectionForPoints(o.feed.stops.map((s) => s.lon), o.feed.stops.map((s) => s.lat)) }).hubs : [];

  if (selection.hotspots) {
    out.hotspots = await timed('hotspots', async () => {
      const hp = params.hotspots;
      const source = hp.grid === 'square' ? await fetchSquareCellCounts(db, await fetchSquareGridSpec(db, hp.cellMeters), scope) : { grid: 'h3' as const, ...(await fetchPointCounts(db, scope)) };
      return hotspotsPipeline({ source, params: hp, ...(region ? { region } : {}), exclusions });
    });
  }
  if (selection.emerging) {
    out.emerging = await timed('emerging', async () => {
      const hp = params.hotspots;
      const grid = hp.grid === 'square' ? { kind: 'square' as const, spec: await fetchSquareGridSpec(db, hp.cellMeters) } : { kind: 'h3' as const };
      const cube = await fetchCube(db, grid, params.emerging.step, scope);
      return emergingPipeline({ cube, hotspots: hp, params: params.emerging });
    });
  }
  if (selection.clusters) {
    out.clusters = await timed('clusters', async () => {
      const windows = parseHourWindows(params.clusters.windows.join(','));
      const candidates = await fetchCandidates(db, params.clusters.types, windows, scope);
      const matchedTypes = await fetchMatchedTypes(db, params.clusters.types, scope);
      return clustersPipeline({
        candidates,
        params: params.clusters,
        matchedTypes,
        ...(o.feed ? { stops: o.feed.stops, hubs, nearHubMeters: params.transit.nearHubMeters } : {}),
      });
    });
  }
  if (selection.knox) {
    out.knox = await timed('knox', async () => {
      const events = await fetchKnoxEvents(db, params.knox.types, params.knox.maxEvents, scope);
      return knoxPipeline({ events, params: params.knox, iterations: params.iterations, seed: params.seed });
    });
  }
  if (selection.transit && o.feed) {
    out.transit = await timed('transit', async () =>
      transitPipeline({
        feed: o.feed!,
        params: params.transit,
        seed: params.seed,
        iterations: params.iterations,
        points: await fetchAnalysedPoints(db, scope),
        ...(region ? { region } : {}),
        ...(out.hotspots ? { cells: out.hotspots.cells.filter((c) => c.bin !== 0) } : {}),
        ...(out.clusters ? { clusters: out.clusters.clusters } : {}),
      }),
    );
  }
  return out;
}

/** The CLI entry: reads the exclusion file named by --exclude, then runs the selected analyses. */
export async function runAnalysisFlags(
  db: Db,
  flags: import('./analysis-flags').AnalysisFlags,
  context: { areas?: AreaFeature[]; feed?: TransitFeed; readText: (file: string) => Promise<string> },
): Promise<AnalysesOutput> {
  const { parseExclusions } = await import('./analysis-flags');
  const exclusions = flags.excludeFile ? parseExclusions(flags.excludeFile, await context.readText(flags.excludeFile)) : [];
  return runAnalyses(db, {
    selection: flags.selection,
    params: flags.params,
    exclusions,
    ...(context.areas ? { areas: context.areas } : {}),
    ...(context.feed ? { feed: context.feed } : {}),
    ...(flags.from ? { from: flags.from } : {}),
    ...(flags.to ? { to: flags.to } : {}),
  });
}
