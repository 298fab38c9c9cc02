import { parseHourWindows } from '../analysis/hour-windows';
import { DEFAULT_PARAMS } from '../analysis/params';
import type { Site } from '../analysis/proximity';
import type { RepeatCluster } from '../analysis/repeat-clusters';
import type { Db } from '../data/db-types';
import { fetchCandidates, fetchMatchedTypes } from '../data/queries/candidates';
import type { Sql } from '../data/sql';
import { type AnalysisClient, createBrowserAnalysisClient } from '../workers/analysis-client';
import { createResultCache, sqlKey } from './analysis-cache';
import { getSession } from './session-store';

/**
 * Repeat-report clusters for the map: DuckDB narrows to the candidate calls (the default
 * disorder types in the 20–02 window, under the current filters); the analysis worker clusters
 * them, so the page never freezes. One client for the session, created on first use.
 */
let appClient: AnalysisClient | null = null;

export interface RepeatClustersResult {
  clusters: RepeatCluster[];
  description: string;
}

const results = createResultCache<RepeatClustersResult>();

const siteKey = (sites: readonly Site[]) => sites.map((s) => `${s.id}@${s.lon},${s.lat}`).join(';');

export async function repeatClusters(
  db: Db,
  /** the selection's predicate over `calls` */
  where: Sql,
  sites: { hubs: Site[]; stops: Site[] },
  o: { signal?: AbortSignal; onProgress?: (phase: string, fraction: number) => void; client?: AnalysisClient } = {},
): Promise<RepeatClustersResult> {
  const session = getSession();
  // the sites are rebuilt from the feed on every refresh, so they are keyed by content
  const key = `${sqlKey(where)}|${siteKey(sites.hubs)}|${siteKey(sites.stops)}`;
  return results.get({ db, epoch: session.datasetEpoch, areas: session.areaFeatures }, key, () => computeClusters(db, where, sites, o));
}

async function computeClusters(
  db: Db,
  where: Sql,
  sites: { hubs: Site[]; stops: Site[] },
  o: { signal?: AbortSignal; onProgress?: (phase: string, fraction: number) => void; client?: AnalysisClient },
): Promise<RepeatClustersResult> {
  const params = DEFAULT_PARAMS.clusters;
  const scope = { where };
  const windows = params.windows.flatMap((w) => parseHourWindows(w));
  // the worker starts (module fetch, compile) while DuckDB finds the candidates
  if (!o.client && !appClient) appClient = createBrowserAnalysisClient();
  const client = o.client ?? appClient!;
  // the matched kinds first: the candidate query filters by them (candidates.ts says why)
  const matchedTypes = await fetchMatchedTypes(db, params.types, scope);
  const candidates = await fetchCandidates(db, params.types, windows, scope, matchedTypes);
  const result = await client.run(
    'clusters',
    { candidates, params, hubs: sites.hubs, stops: sites.stops, matchedTypes },
    { ...(o.signal ? { signal: o.signal } : {}), ...(o.onProgress ? { onProgress: o.onProgress } : {}) },
  );
  return {
    clusters: result.clusters,
    description: `${params.types.join(', ')}; ${params.windows.join(', ')}; ≥ ${params.minCalls} calls within ${params.radiusMeters} m`,
  };
}
