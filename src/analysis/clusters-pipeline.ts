/**
 * Repeat-report clusters: candidate calls (type group × hour windows, already narrowed in
 * DuckDB) → repeat-clusters.ts per area × window → clusters with their nearest stop and hub.
 */
import { parseHourWindows } from './hour-windows';
import type { ClusterParams } from './params';
import { type PipelineHooks, step } from './pipeline-progress';
import type { Site } from './proximity';
import { type ClusterCall, findRepeatClusters, type RepeatClusterResult } from './repeat-clusters';

export interface ClusterCandidates {
  ids: string[];
  lon: Float64Array;
  lat: Float64Array;
  /** wall-clock time stored as if UTC, ms */
  receivedAtMs: Float64Array;
  typeText: string[];
  areaId: (string | null)[];
  blockAddress: (string | null)[];
  /** 1 officer-initiated, 0 resident, −1 unknown */
  selfInitiated: Int8Array;
}

export interface MatchedType {
  typeCode: string | null;
  typeText: string | null;
  calls: number;
}

export interface ClustersInput {
  candidates: ClusterCandidates;
  params: ClusterParams;
  stops?: readonly Site[];
  hubs?: readonly Site[];
  nearHubMeters?: number;
  /** what the type terms matched, echoed in the output */
  matchedTypes?: MatchedType[];
}

export interface ClustersPipelineResult extends RepeatClusterResult {
  candidates: number;
  matchedTypes: MatchedType[];
  parameters: ClusterParams & { nearHubMeters: number | null; hubs: number; stops: number };
}

export function candidateCalls(c: ClusterCandidates): ClusterCall[] {
  return c.ids.map((id, i) => ({
    id,
    lon: c.lon[i]!,
    lat: c.lat[i]!,
    receivedAtMs: c.receivedAtMs[i]!,
    typeText: c.typeText[i]!,
    areaId: c.areaId[i] ?? null,
    blockAddress: c.blockAddress[i] ?? null,
    selfInitiated: c.selfInitiated[i] === -1 ? null : c.selfInitiated[i] === 1,
  }));
}

export async function clustersPipeline(input: ClustersInput, hooks?: PipelineHooks): Promise<ClustersPipelineResult> {
  const { params } = input;
  const windows = parseHourWindows(params.windows.join(','));
  await step(hooks, 'candidates', 0);
  const calls = candidateCalls(input.candidates);
  await step(hooks, 'DBSCAN', 0.1);
  const result = findRepeatClusters(calls, {
    windows,
    radiusMeters: params.radiusMeters,
    minCalls: params.minCalls,
    ...(input.stops?.length ? { stops: input.stops } : {}),
    ...(input.hubs?.length ? { hubs: input.hubs } : {}),
    ...(input.nearHubMeters !== undefined ? { nearHubMeters: input.nearHubMeters } : {}),
  });
  await step(hooks, 'summaries', 1);
  return {
    ...result,
    candidates: calls.length,
    matchedTypes: input.matchedTypes ?? [],
    parameters: { ...params, nearHubMeters: input.hubs?.length ? (input.nearHubMeters ?? null) : null, hubs: input.hubs?.length ?? 0, stops: input.stops?.length ?? 0 },
  };
}
