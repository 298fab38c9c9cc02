import { circle, convex, featureCollection, point } from '@turf/turf';
import type { Polygon } from 'geojson';
import { dbscanPlanar } from './dbscan';
import { type HourWindow, hourOfDay, isoDate, windowNightDate } from './hour-windows';
import { type LocalProjection, projectionForPoints } from './local-projection';
import { createProximityIndex, NEAR_SITE_METERS, type NearestSite, type Site } from './proximity';

/** One candidate call, as the query layer hands it over (wall-clock ms stored as if UTC). */
export interface ClusterCall {
  id: string;
  lon: number;
  lat: number;
  receivedAtMs: number;
  typeText: string;
  areaId: string | null;
  blockAddress: string | null;
  selfInitiated: boolean | null;
}

export interface RepeatClusterOptions {
  windows: readonly HourWindow[];
  radiusMeters: number;
  /** DBSCAN minPoints: a call with ≥ minCalls calls (itself included) within radiusMeters is a core call. */
  minCalls: number;
  /** The chosen call-type group; absent = every call given (already filtered upstream). */
  typeTexts?: ReadonlySet<string>;
  stops?: readonly Site[];
  hubs?: readonly Site[];
  /** "near a hub" threshold for the cluster centroid */
  nearHubMeters?: number;
  projection?: LocalProjection;
  /** how many entries the top-N lists keep (addresses keep all) */
  topN?: number;
}

export interface Counted<T> {
  value: T;
  calls: number;
}

export interface RepeatCluster {
  id: string;
  areaId: string | null;
  windowId: string;
  windowLabel: string;
  calls: number;
  coreCalls: number;
  /** convex hull; a circle around the centroid when the hull is degenerate (1–2 places, a line) */
  hull: Polygon;
  hullDegenerate: boolean;
  centroid: [lon: number, lat: number];
  /** largest member distance from the centroid, planar metres */
  spanMeters: number;
  /** nights counted by the window's START date (01:30 Tuesday counts for Monday night) */
  distinctNights: number;
  /** calendar dates of the calls themselves */
  distinctDays: number;
  firstDate: string;
  lastDate: string;
  /** block addresses by frequency, all of them (the detail panel lists them) */
  addresses: Counted<string>[];
  distinctAddresses: number;
  /** 24 counts by hour of day, and the top hours */
  hourCounts: number[];
  peakHours: Counted<number>[];
  /** 7 counts by weekday of the night start, 0 = Monday … 6 = Sunday */
  weekdayCounts: number[];
  peakWeekdays: Counted<number>[];
  topTypes: Counted<string>[];
  /** share among calls whose self-initiated flag is known; null when none is */
  selfInitiatedShare: number | null;
  nearestStop: NearestSite | null;
  nearestHub: NearestSite | null;
  nearHub: boolean;
  memberIds: string[];
}

export interface RepeatClusterResult {
  clusters: RepeatCluster[];
  /** candidate calls per window (after the type filter), and how many ended in a cluster */
  perWindow: { windowId: string; candidates: number; clustered: number; noise: number }[];
  /** calls skipped for missing/invalid coordinates or time */
  skippedCalls: number;
}

/**
 * Repeat-report clusters: candidate calls grouped by area × hour window, DBSCAN in metres within
 * each group, then one summary per cluster for the detail panel and the briefing.
 *
 * Calls are sorted by (receivedAtMs, id) before clustering so DBSCAN's seeding order, and with it
 * the home of a border call shared by two clusters (methods.md §5), does not depend on row order
 * from the database.
 */
export function findRepeatClusters(calls: readonly ClusterCall[], options: RepeatClusterOptions): RepeatClusterResult {
  if (!(options.radiusMeters > 0)) throw new RangeError(`Cluster radius must be a positive number of metres (got ${options.radiusMeters}).`);
  if (!Number.isInteger(options.minCalls) || options.minCalls < 2) {
    throw new RangeError(`A repeat cluster needs at least 2 calls (got minCalls = ${options.minCalls}).`);
  }
  const usable = calls.filter(
    (c) => Number.isFinite(c.lon) && Number.isFinite(c.lat) && Number.isFinite(c.receivedAtMs) && (!options.typeTexts || options.typeTexts.has(c.typeText)),
  );
  const skippedCalls = calls.filter((c) => !(Number.isFinite(c.lon) && Number.isFinite(c.lat) && Number.isFinite(c.receivedAtMs))).length;
  usable.sort((a, b) => a.receivedAtMs - b.receivedAtMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const perWindow: RepeatClusterResult['perWindow'] = [];
  if (usable.length === 0) {
    for (const w of options.windows) perWindow.push({ windowId: w.id, candidates: 0, clustered: 0, noise: 0 });
    return { clusters: [], perWindow, skippedCalls };
  }
  const projection = options.projection ?? projectionForPoints(
    usable.map((c) => c.lon),
    usable.map((c) => c.lat),
  );
  const xs = new Float64Array(usable.length);
  const ys = new Float64Array(usable.length);
  usable.forEach((c, i) => {
    [xs[i], ys[i]] = projection.forward(c.lon, c.lat);
  });
  const stopIndex = options.stops?.length ? createProximityIndex(options.stops, projection) : null;
  const hubIndex = options.hubs?.length ? createProximityIndex(options.hubs, projection) : null;
  const context: SummaryContext = {
    usable,
    xs,
    ys,
    projection,
    stopIndex,
    hubIndex,
    nearHubMeters: options.nearHubMeters ?? NEAR_SITE_METERS,
    topN: options.topN ?? 5,
    radiusMeters: options.radiusMeters,
  };
  const clusters: RepeatCluster[] = [];
  for (const window of options.windows) {
    const groups = new Map<string, { areaId: string | null; members: number[]; nights: string[] }>();
    let candidates = 0;
    usable.forEach((c, i) => {
      const night = windowNightDate(window, c.receivedAtMs);
      if (night === null) return;
      candidates++;
      const key = c.areaId ?? '\u0000none';
      const group = groups.get(key) ?? { areaId: c.areaId, members: [], nights: [] };
      group.members.push(i);
      group.nights.push(night);
      groups.set(key, group);
    });
    let clustered = 0;
    for (const group of groups.values()) {
      const gx = group.members.map((i) => xs[i]!);
      const gy = group.members.map((i) => ys[i]!);
      const result = dbscanPlanar(gx, gy, { epsMeters: options.radiusMeters, minPoints: options.minCalls });
      const byCluster: { members: number[]; nights: string[]; core: number }[] = Array.from({ length: result.clusterCount }, () => ({ members: [], nights: [], core: 0 }));
      group.members.forEach((callIndex, k) => {
        const label = result.labels[k]!;
        if (label < 0) return;
        const target = byCluster[label]!;
        target.members.push(callIndex);
        target.nights.push(group.nights[k]!);
        if (result.core[k]) target.core++;
      });
      byCluster.forEach((cluster, k) => {
        clustered += cluster.members.length;
        const id = `rc:${window.id}:${group.areaId ?? 'none'}:${k + 1}`;
        clusters.push(summarise(id, group.areaId, window, cluster, context));
      });
    }
    perWindow.push({ windowId: window.id, candidates, clustered, noise: candidates - clustered });
  }
  clusters.sort((a, b) => b.distinctNights - a.distinctNights || b.calls - a.calls || (a.id < b.id ? -1 : 1));
  return { clusters, perWindow, skippedCalls };
}

interface SummaryContext {
  usable: ClusterCall[];
  xs: Float64Array;
  ys: Float64Array;
  projection: LocalProjection;
  stopIndex: ReturnType<typeof createProximityIndex> | null;
  hubIndex: ReturnType<typeof createProximityIndex> | null;
  nearHubMeters: number;
  topN: number;
  radiusMeters: number;
}

function summarise(
  id: string,
  areaId: string | null,
  window: HourWindow,
  cluster: { members: number[]; nights: string[]; core: number },
  ctx: SummaryContext,
): RepeatCluster {
  const members = cluster.members;
  const calls = members.map((i) => ctx.usable[i]!);
  const mx = members.reduce((a, i) => a + ctx.xs[i]!, 0) / members.length;
  const my = members.reduce((a, i) => a + ctx.ys[i]!, 0) / members.length;
  const centroid = ctx.projection.inverse(mx, my);
  const spanMeters = members.reduce((a, i) => Math.max(a, Math.hypot(ctx.xs[i]! - mx, ctx.ys[i]! - my)), 0);
  const hullFeature = convex(featureCollection(calls.map((c) => point([c.lon, c.lat]))));
  // A degenerate hull (all calls at one or two block points, or on a line) still needs an outline
  // on the map: a circle of the cluster radius' half, or the span if that is larger.
  const hull: Polygon = hullFeature?.geometry ?? circle(centroid, Math.max(spanMeters, ctx.radiusMeters / 2) / 1000, { units: 'kilometers', steps: 32 }).geometry;
  const hourCounts = new Array<number>(24).fill(0);
  const weekdayCounts = new Array<number>(7).fill(0);
  const days = new Set<string>();
  for (const c of calls) {
    hourCounts[hourOfDay(c.receivedAtMs)]!++;
    days.add(isoDate(c.receivedAtMs));
  }
  for (const night of cluster.nights) weekdayCounts[mondayWeekday(night)]!++;
  const sortedDays = [...days].sort();
  const known = calls.filter((c) => c.selfInitiated !== null);
  const nearestStop = ctx.stopIndex?.nearestXY(mx, my) ?? null;
  const nearestHub = ctx.hubIndex?.nearestXY(mx, my) ?? null;
  const addresses = countBy(calls.map((c) => c.blockAddress).filter((a): a is string => a !== null && a.trim() !== ''));
  return {
    id,
    areaId,
    windowId: window.id,
    windowLabel: window.label,
    calls: calls.length,
    coreCalls: cluster.core,
    hull,
    hullDegenerate: !hullFeature,
    centroid,
    spanMeters,
    distinctNights: new Set(cluster.nights).size,
    distinctDays: days.size,
    firstDate: sortedDays[0]!,
    lastDate: sortedDays[sortedDays.length - 1]!,
    addresses,
    distinctAddresses: addresses.length,
    hourCounts,
    peakHours: topOf(hourCounts, ctx.topN),
    weekdayCounts,
    peakWeekdays: topOf(weekdayCounts, ctx.topN),
    topTypes: countBy(calls.map((c) => c.typeText)).slice(0, ctx.topN),
    selfInitiatedShare: known.length ? known.filter((c) => c.selfInitiated).length / known.length : null,
    nearestStop,
    nearestHub,
    nearHub: nearestHub !== null && nearestHub.distanceMeters <= ctx.nearHubMeters,
    memberIds: calls.map((c) => c.id),
  };
}

// Parsing a date string per clustered call was a hot spot on 1M-call runs; nights repeat a lot.
const weekdayByNight = new Map<string, number>();

/** 0 = Monday … 6 = Sunday for a YYYY-MM-DD night. */
function mondayWeekday(night: string): number {
  let day = weekdayByNight.get(night);
  if (day === undefined) {
    day = (new Date(`${night}T00:00:00Z`).getUTCDay() + 6) % 7;
    if (weekdayByNight.size >= 100_000) weekdayByNight.clear();
    weekdayByNight.set(night, day);
  }
  return day;
}

/** Frequency list, most frequent first, ties alphabetical so output is stable. */
function countBy(values: string[]): Counted<string>[] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .map(([value, calls]) => ({ value, calls }))
    .sort((a, b) => b.calls - a.calls || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

function topOf(counts: number[], n: number): Counted<number>[] {
  return counts
    .map((calls, value) => ({ value, calls }))
    .filter((c) => c.calls > 0)
    .sort((a, b) => b.calls - a.calls || a.value - b.value)
    .slice(0, n);
}
