/**
 * Transit context: hubs from the GTFS feed (hubs.ts), every hotspot cell and cluster labelled
 * with its nearest stop and hub, and the distance-decay profile of the analysed calls around
 * the hubs with the seeded relocation test (methods.md §10). When the feed has no stop_times,
 * routes per stop are inferred from shapes, and the output says so.
 */
import { type DistanceDecayResult, distanceDecay, type RelocationTestResult, relocationTest } from './distance-decay';
import { findHubs, type Hub, type TransitFeed } from './hubs';
import { type LocalProjection, projectionForPoints } from './local-projection';
import type { TransitParams } from './params';
import { type PipelineHooks, step } from './pipeline-progress';
import { createProximityIndex, type NearestSite, type Site } from './proximity';
import { bboxPolygon, type Region } from './study-area';

export interface TransitInput {
  feed: TransitFeed;
  params: TransitParams;
  seed: number;
  iterations: number;
  /** analysed calls for the distance-decay profile (absent: no profile) */
  points?: { lon: Float64Array; lat: Float64Array };
  /** study region for ring areas; absent → bounding box of the points */
  region?: Region;
  cells?: readonly { id: string; center: readonly [number, number] }[];
  clusters?: readonly { id: string; centroid: readonly [number, number] }[];
}

export interface PlaceLabel {
  id: string;
  nearestStop: NearestSite | null;
  nearestHub: NearestSite | null;
  nearHub: boolean;
}

export interface TransitPipelineResult {
  hubs: Hub[];
  boardingStops: number;
  routesInferredFromShapes: boolean;
  notes: string[];
  cells: PlaceLabel[];
  clusters: PlaceLabel[];
  decay: DistanceDecayResult | null;
  relocation: RelocationTestResult | null;
  parameters: TransitParams & { seed: number; iterations: number; projection: string };
}

export async function transitPipeline(input: TransitInput, hooks?: PipelineHooks): Promise<TransitPipelineResult> {
  const { feed, params } = input;
  const boarding: Site[] = feed.stops
    .filter((s) => (s.locationType === 0 || Number.isNaN(s.locationType)) && Number.isFinite(s.lon) && Number.isFinite(s.lat))
    .map((s) => ({ id: s.id, name: s.name, lon: s.lon, lat: s.lat }));
  if (boarding.length === 0) throw new RangeError('The GTFS feed has no boarding stops (location_type 0) with coordinates; check stops.txt.');
  await step(hooks, 'hubs', 0);
  const projection: LocalProjection = projectionForPoints(
    boarding.map((s) => s.lon),
    boarding.map((s) => s.lat),
  );
  const { hubs, service } = findHubs(feed, { minRoutes: params.minRoutes, projection });
  const notes: string[] = [];
  if (service.inferredFromShapes) notes.push('Routes inferred from shapes: the feed has no stop_times.txt, so a route counts at a stop when its shape passes within 30 m.');
  if (hubs.length === 0) notes.push(`No stop group is served by ${params.minRoutes} or more routes; lower the hub threshold to see hubs.`);
  const stopIndex = createProximityIndex(boarding, projection);
  const hubSites: Site[] = hubs.map((h) => ({ id: h.id, name: h.name, lon: h.lon, lat: h.lat }));
  const hubIndex = createProximityIndex(hubSites, projection);
  const label = (id: string, [lon, lat]: readonly [number, number]): PlaceLabel => {
    const nearestHub = hubIndex.nearest(lon, lat);
    return { id, nearestStop: stopIndex.nearest(lon, lat), nearestHub, nearHub: nearestHub !== null && nearestHub.distanceMeters <= params.nearHubMeters };
  };
  await step(hooks, 'labels', 0.2);
  const cells = (input.cells ?? []).map((c) => label(c.id, c.center));
  const clusters = (input.clusters ?? []).map((c) => label(c.id, c.centroid));
  let decay: DistanceDecayResult | null = null;
  let relocation: RelocationTestResult | null = null;
  if (input.points && input.points.lon.length > 0 && hubSites.length > 0) {
    await step(hooks, 'distance decay', 0.4);
    const calls = Array.from(input.points.lon, (lon, i) => ({ lon, lat: input.points!.lat[i]! }));
    let region = input.region;
    if (!region?.length) {
      let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
      for (const c of calls) [w, s, e, n] = [Math.min(w, c.lon), Math.min(s, c.lat), Math.max(e, c.lon), Math.max(n, c.lat)];
      region = [bboxPolygon([w, s, e, n])];
      notes.push('No areas loaded: ring areas are clipped to the bounding box of the calls.');
    }
    decay = distanceDecay(calls, hubSites, region, { breaksMeters: params.ringBreaksMeters, projection });
    await step(hooks, 'relocation test', 0.7);
    // Pseudo-hubs are drawn from real stops: they sit on the same busy streets, which is the
    // exposure control area ratios lack (methods.md §10 (b)).
    relocation = relocationTest(calls, hubSites, boarding, { ringMeters: params.nearHubMeters, permutations: input.iterations, seed: input.seed, projection });
  }
  return {
    hubs,
    boardingStops: boarding.length,
    routesInferredFromShapes: service.inferredFromShapes,
    notes,
    cells,
    clusters,
    decay,
    relocation,
    parameters: { ...params, seed: input.seed, iterations: input.iterations, projection: `EPSG:${projection.epsg}` },
  };
}
