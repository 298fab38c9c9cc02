import { parseHourWindows } from '../analysis/hour-windows';
import { DEFAULT_PARAMS } from '../analysis/params';
import type { Site } from '../analysis/proximity';
import type { RepeatCluster } from '../analysis/repeat-clusters';
import type { Db } from '../data/db-types';
import type { Sql } from '../data/sql';
import { fetchCandidates, fetchMatchedTypes } from '../data/queries/candidates';
import { type AnalysisClient, createBrowserAnalysisClient } from '../workers/analysis-client';

/**
 * Repeat-report clusters for the map: DuckDB narrows to the candidate calls (the default
 * disorder types in the 20–02 window, under the current filters); the analysis worker clusters
 * them, so the page never freezes. One client for the session, created on first use.
 */
let client: AnalysisClient | null = null;

export async function repeatClusters(
  db: Db,
  /** the selection's predicate over `calls` */
  where: Sql,
  sites: { hubs: Site[]; stops: Site[] },
  o: { signal?: AbortSignal; onProgress?: (phase: string, fraction: number) => void } = {},
): Promise<{ clusters: RepeatCluster[]; description: string }> {
  const params = DEFAULT_PARAMS.clusters;
  const scope = { where };
  const windows = params.windows.flatMap((w) => parseHourWindows(w));
  const matchedTypes = await fetchMatchedTypes(db, params.types, scope);
  const candidates = await fetchCandidates(db, params.types, windows, scope, matchedTypes);
  client ??= createBrowserAnalysisClient();
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
