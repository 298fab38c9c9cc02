import { areaRows, dailyCounts, dataSpan, defaultComparison, hourOfWeekCounts, matchingCount, matchingPositions, typeCounts } from '../data/queries/dashboard';
import { scalar } from '../data/rows';
import { dashboardWhere } from '../data/queries/dashboard-where';
import { sql } from '../data/sql';
import { getDb } from './db';
import { type DashboardState, getDashboard, subscribeDashboard, updateDashboard } from './dashboard-store';
import { findHubs } from '../analysis/hubs';
import { hotspotCells } from './hotspot-cells';
import { repeatClusters } from './repeat-clusters-run';
import { setReadiness } from './readiness';
import { getSession, subscribeSession } from './session-store';

/**
 * Re-queries every view when the filters or the dataset change. Each run takes a generation
 * number; a result that arrives after a newer run started is dropped, so a slow query can
 * never paint over a faster, newer one (brushing fires many runs in a row).
 */
let generation = 0;
let hotspotGeneration = 0;
let lastFilters: unknown = null;
let lastEpoch = -1;
let queuedEpoch = -1;
let lastComparisonDays = -1;
let lastHotspotKey: unknown = null;

export async function refreshViews(): Promise<void> {
  const mine = ++generation;
  const started = performance.now();
  const { filters } = getDashboard();
  setReadiness({ viewsSettled: false });
  updateDashboard({ loading: true });
  try {
    const db = await getDb();
    const epochChanged = getSession().datasetEpoch !== lastEpoch;
    let { span } = getDashboard();
    if (epochChanged || !span) {
      lastEpoch = getSession().datasetEpoch;
      span = await dataSpan(db);
    }
    const comparison = span ? defaultComparison(span, getDashboard().comparisonDays) : null;
    const hasAreas = scalar(await db.query(sql`SELECT count(*) FROM duckdb_tables() WHERE table_name = ${'areas'}`)) > 0;
    // Sequential on purpose: duckdb-wasm runs one query at a time per connection anyway.
    const count = await matchingCount(db, filters);
    const hourOfWeek = await hourOfWeekCounts(db, filters);
    const daily = await dailyCounts(db, filters);
    const types = await typeCounts(db, filters);
    const areas = await areaRows(db, filters, comparison, hasAreas);
    const positions = await matchingPositions(db, filters);
    if (mine !== generation) return;
    updateDashboard({ results: { count, hourOfWeek, daily, types, areas, positions }, generation: mine, loading: false, span, comparison, error: null });
    setReadiness({ viewsSettled: true, viewGeneration: mine, matching: count, viewsMs: Math.round(performance.now() - started) });
  } catch (e) {
    if (mine !== generation) return;
    updateDashboard({ loading: false, error: `The charts could not be updated: ${e instanceof Error ? e.message : String(e)}. Remove the last filter and try again.` });
    setReadiness({ viewsSettled: true });
  }
}

export async function refreshHotspots(): Promise<void> {
  const mine = ++hotspotGeneration;
  updateDashboard({ hotspotsLoading: true });
  try {
    const db = await getDb();
    const result = await hotspotCells(db, dashboardWhere(getDashboard().filters));
    if (mine !== hotspotGeneration) return;
    updateDashboard({ hotspots: result, hotspotsLoading: false });
  } catch (e) {
    if (mine !== hotspotGeneration) return;
    updateDashboard({ hotspotsLoading: false, error: `Hot spots could not be computed: ${e instanceof Error ? e.message : String(e)}.` });
  }
}

let clusterGeneration = 0;
let clusterAbort: AbortController | null = null;

export async function refreshClusters(): Promise<void> {
  const mine = ++clusterGeneration;
  clusterAbort?.abort();
  const abort = new AbortController();
  clusterAbort = abort;
  updateDashboard({ clustersLoading: 'Finding candidate calls…' });
  try {
    const db = await getDb();
    const feed = getSession().transit;
    const hubs = feed ? findHubs(feed).hubs.map((h) => ({ id: h.id, name: h.name, lon: h.lon, lat: h.lat })) : [];
    const stops = (feed?.stops ?? []).map((s) => ({ id: s.id, name: s.name, lon: s.lon, lat: s.lat }));
    const result = await repeatClusters(db, dashboardWhere(getDashboard().filters), { hubs, stops }, {
      signal: abort.signal,
      onProgress: (phase, fraction) => mine === clusterGeneration && updateDashboard({ clustersLoading: `${phase} ${Math.round(100 * fraction)} %` }),
    });
    if (mine !== clusterGeneration) return;
    updateDashboard({ clusters: { list: result.clusters, description: result.description }, clustersLoading: null });
  } catch (e) {
    if (mine !== clusterGeneration) return;
    updateDashboard({ clustersLoading: null, error: `Repeat-report clusters could not be computed: ${e instanceof Error ? e.message : String(e)}.` });
  }
}

let lastClusterKey: unknown = null;
let lastClusterFilters: unknown = null;

function onChange(s: DashboardState): void {
  const session = getSession();
  if (session.phase !== 'ready' || !session.report) return;
  if (s.filters !== lastFilters || session.datasetEpoch !== queuedEpoch || s.comparisonDays !== lastComparisonDays) {
    // recorded before the run starts: refreshViews notifies listeners, which call back here
    lastFilters = s.filters;
    lastComparisonDays = s.comparisonDays;
    queuedEpoch = session.datasetEpoch;
    void refreshViews();
  }
  const hotspotKey = s.layers.hotspots.visible ? `${session.datasetEpoch}` : null;
  if (hotspotKey && (hotspotKey !== lastHotspotKey || s.filters !== lastHotspotFilters)) {
    lastHotspotKey = hotspotKey;
    lastHotspotFilters = s.filters;
    void refreshHotspots();
  }
  const clusterKey = s.layers.clusters.visible ? `${session.datasetEpoch}` : null;
  if (clusterKey && (clusterKey !== lastClusterKey || s.filters !== lastClusterFilters)) {
    lastClusterKey = clusterKey;
    lastClusterFilters = s.filters;
    void refreshClusters();
  }
}
let lastHotspotFilters: unknown = null;

let started = false;
export function startDashboard(): void {
  if (started) return;
  started = true;
  subscribeDashboard(() => onChange(getDashboard()));
  subscribeSession(() => {
    const session = getSession();
    if (session.datasetEpoch !== queuedEpoch && session.phase === 'ready') {
      // a new dataset: filters from the old one (types, areas) may not exist in it
      updateDashboard({ focus: null, hotspots: null, clusters: null });
      lastHotspotKey = null;
      lastClusterKey = null;
      onChange(getDashboard());
    }
  });
  onChange(getDashboard());
}
