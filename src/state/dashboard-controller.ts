import { findHubs } from '../analysis/hubs';
import type { AreaRow } from '../charts/area-table';
import type { HourCount } from '../charts/hour-of-week-heatmap';
import type { SeriesPoint } from '../charts/time-series';
import type { TypeCount } from '../charts/type-bars';
import type { TierMap } from '../analysis/tiers';
import type { Db } from '../data/db-types';
import { areaRanking, dataSpan, locatedPoints, typeNames } from '../data/queries/views';
import { type Row, toRows } from '../data/rows';
import type { Sql } from '../data/sql';
import { type CallColumns, loadCallColumns, loadTierColumn, selectionViews, tierKeyOf } from './call-columns';
import { parseWallClock } from './clauses';
import { type Comparison, type DashboardState, getDashboard, getSelection, subscribeDashboard, updateDashboard } from './dashboard-store';
import { getDb } from './db';
import { hotspotCells } from './hotspot-cells';
import { createInteractionCache, type InteractionCache } from './interaction-cache';
import { setReadiness } from './readiness';
import { repeatClusters } from './repeat-clusters-run';
import { getSession, subscribeSession } from './session-store';
import { populationOf } from './triage-report';
import { VIEW_IDS, type ViewId } from './view-clients';

/**
 * Runs the dashboard's view clients against the one Selection. Each view asks
 * `viewQuery(id)(selection.predicate(id), selection)`: every clause but its own. The views go
 * through src/state/interaction-cache.ts: one batched statement per change, answered from data
 * cubes while the same view keeps brushing, and a view whose inputs did not move is not
 * re-queried (Mosaic's "only affected clients"). Each run takes a generation; a result that
 * arrives after a newer run started is dropped (the cache also resolves superseded runs to
 * null), so a slow query can never paint over a newer one.
 */
const VIEWS: readonly ViewId[] = [VIEW_IDS.total, VIEW_IDS.heatmap, VIEW_IDS.timeSeries, VIEW_IDS.typeBars, VIEW_IDS.areaTable];

let generation = 0;
let hotspotGeneration = 0;
let lastClauses: unknown = null;
let queuedEpoch = -1;
let spanEpoch = -1;
let spanFetch: Promise<{ span: { start: string; end: string } | null; names: Map<string, string> }> | null = null;
let lastComparisonDays = -1;
let lastTierMap: unknown = null;
let lastChoropleth: unknown = null;
let lastHotspotKey: unknown = null;
let lastHotspotClauses: unknown = null;

const cache = new Map<string, { key: string; rows: unknown }>();
let views: InteractionCache | null = null;
let viewsEpoch = -1;
let viewsContextKey = '';

function statementKey(s: Sql): string {
  return `${getSession().datasetEpoch}\u0000${s.text}\u0000${JSON.stringify(s.params, (_k, v) => (typeof v === 'bigint' ? String(v) : v))}`;
}

async function cached<T>(db: Db, slot: string, s: Sql, convert: (r: Awaited<ReturnType<Db['query']>>) => T): Promise<T> {
  const key = statementKey(s);
  const hit = cache.get(slot);
  if (hit && hit.key === key) return hit.rows as T;
  const rows = convert(await db.query(s));
  cache.set(slot, { key, rows });
  return rows;
}

const shift = (iso: string, days: number) => {
  const t = new Date(`${iso}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
};

/** The last `days` of data against the `days` before ("this month vs last" on whole weeks). */
export function defaultComparison(span: { start: string; end: string }, days = 28): Comparison {
  const mid = shift(span.end, -days);
  return { current: [mid, span.end], previous: [shift(mid, -days), mid] };
}

/** The period the change layer compares: the time filter when there is one (vs the same length before), else the default. */
function comparisonNow(span: { start: string; end: string } | null, days: number): Comparison | null {
  const time = getSelection()
    .clauses()
    .find((c) => c.spec.kind === 'time');
  if (time?.spec.kind === 'time') {
    const { start, end } = time.spec;
    const day = (t: string) => t.slice(0, 10);
    const length = Math.round((Date.parse(`${day(end)}T00:00:00Z`) - Date.parse(`${day(start)}T00:00:00Z`)) / 86_400_000);
    return { current: [start, end], previous: [shift(day(start), -Math.max(1, length)), start] };
  }
  return span ? defaultComparison(span, days) : null;
}

/**
 * The typed-array columns (call-columns.ts) of the current dataset: the total, heatmap, series
 * and map points come from them with no statement. Read in the background after a dataset's
 * first refresh (the first map must not wait for them); until then the SQL views answer.
 * Above this many calls the arrays (~40 bytes a call) would eat into the tab's memory budget
 * for the big loads, so SQL answers there.
 */
const COLUMNS_MAX_CALLS = 3_000_000;
let columns: { epoch: number; cols: CallColumns | null; loading?: Promise<unknown> } = { epoch: -1, cols: null };

/** Where the last applied refresh spent its time (the bench's per-interaction breakdown). */
export interface RefreshTimings {
  generation: number;
  /** performance.now() when the refresh started (before waiting for the data span) */
  startMs: number;
  /** the typed-array pass; null when the SQL answered those views */
  columnsMs: number | null;
  /** views sent to the interaction cache, and the time it took for them */
  sqlViews: number;
  sqlMs: number;
  /** the map positions query (≈0 when the columns answered) */
  positionsMs: number;
}
let lastTimings: RefreshTimings | null = null;
export const lastRefreshTimings = (): RefreshTimings | null => lastTimings;

function loadColumnsInBackground(db: Db, epoch: number, calls: number): void {
  if (columns.epoch === epoch) return;
  columns = { epoch, cols: null };
  if (calls > COLUMNS_MAX_CALLS) return;
  const loading = loadCallColumns(db)
    .then((cols) => loadTierColumn(db, cols, getDashboard().tierMap ?? undefined))
    .then((cols) => {
      if (columns.epoch === epoch) columns = { epoch, cols };
    })
    .catch((e) => {
      console.warn('dashboard columns (the SQL views answer instead)', e);
      if (columns.epoch === epoch) columns = { epoch, cols: null };
    });
  columns.loading = loading;
}

let tiersLoading: string | null = null;
/** A new tier map: the type bars (and a tiers clause) use SQL until its tier column is read. */
function reloadTiersInBackground(db: Db, epoch: number, cols: CallColumns, tierMap: TierMap | undefined): void {
  const key = `${epoch}\u0000${tierKeyOf(tierMap)}`;
  if (tiersLoading === key) return;
  tiersLoading = key;
  void loadTierColumn(db, cols, tierMap)
    .then((next) => {
      if (columns.epoch === epoch && columns.cols === cols) columns = { epoch, cols: next };
    })
    .catch((e) => console.warn('dashboard tier column (the type bars use SQL instead)', e))
    .finally(() => {
      if (tiersLoading === key) tiersLoading = null;
    });
}

function points(r: Awaited<ReturnType<Db['query']>>) {
  const lon = r.getChild('lon')?.toArray() as Float64Array | undefined;
  const lat = r.getChild('lat')?.toArray() as Float64Array | undefined;
  const n = r.numRows;
  const positions = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    positions[2 * i] = lon![i]!;
    positions[2 * i + 1] = lat![i]!;
  }
  return { positions, length: n };
}

const num = (v: unknown) => Number(v);

export async function refreshViews(): Promise<void> {
  const mine = ++generation;
  const started = performance.now();
  setReadiness({ viewsSettled: false });
  updateDashboard({ loading: true });
  try {
    const db = await getDb();
    const session = getSession();
    // One fetch per dataset, shared: a newer refresh that starts while an older one is still
    // reading the span must wait for it, not run on the previous dataset's span and names.
    if (session.datasetEpoch !== spanEpoch || !spanFetch) {
      spanEpoch = session.datasetEpoch;
      spanFetch = (async () => {
        const [s] = toRows(await db.query(dataSpan()));
        return {
          span: s?.start ? { start: String(s.start), end: String(s.end) } : null,
          names: new Map(toRows(await db.query(typeNames())).map((r) => [String(r.type_code), r.type_text === null ? String(r.type_code) : String(r.type_text)])),
        };
      })();
      spanFetch.catch(() => {
        spanFetch = null;
      });
    }
    const { span, names } = await spanFetch;
    if (mine !== generation) return;
    const { tierMap, comparisonDays, layers } = getDashboard();
    const selection = getSelection();
    const population = populationOf(session.areaFeatures ?? []);
    const ctx = { ...(tierMap ? { tierMap } : {}), ...(Object.keys(population).length > 0 ? { population } : {}) };
    views ??= createInteractionCache(db, { context: ctx });
    if (session.datasetEpoch !== viewsEpoch) {
      viewsEpoch = session.datasetEpoch;
      views.invalidate();
    }
    const contextKey = JSON.stringify(ctx);
    if (contextKey !== viewsContextKey) {
      viewsContextKey = contextKey;
      views.setContext(ctx);
    }
    // The cache serves runs in the order they were submitted, which is not always generation
    // order (an older refresh may submit after a newer one, e.g. when it waited for the span):
    // then the newest refresh is the one told "superseded" and must ask again, or nobody paints.
    // Columns being read: the SQL views would queue behind that read on the one connection
    // anyway, so wait for it and answer from the columns.
    if (columns.epoch === session.datasetEpoch && !columns.cols && columns.loading) {
      await columns.loading;
      if (mine !== generation) return;
    }
    const cols = columns.epoch === session.datasetEpoch ? columns.cols : null;
    const t0 = performance.now();
    const fromColumns = cols ? selectionViews(cols, selection, ctx) : null;
    const t1 = performance.now();
    const left: Partial<Record<ViewId, boolean>> = {
      [VIEW_IDS.timeSeries]: !fromColumns?.series,
      [VIEW_IDS.typeBars]: !fromColumns?.types,
      [VIEW_IDS.areaTable]: !fromColumns?.areas,
    };
    const sqlViews = fromColumns ? VIEWS.filter((id) => left[id]) : VIEWS;
    if (cols && cols.tierKey !== tierKeyOf(tierMap ?? undefined)) reloadTiersInBackground(db, session.datasetEpoch, cols, tierMap ?? undefined);
    // nothing left for SQL: skip the cache (its run would still queue behind a running statement)
    let answered = sqlViews.length === 0 ? new Map<ViewId, Row[]>() : await views.run(sqlViews, selection);
    while (!answered && mine === generation) answered = await views.run(sqlViews, selection);
    if (!answered || mine !== generation) return;
    const t2 = performance.now();
    const rows: Partial<Record<ViewId, Row[]>> = Object.fromEntries(answered);
    const positions = fromColumns ? fromColumns.positions : await cached(db, 'positions', locatedPoints({ where: selection.predicate(VIEW_IDS.total) }), points);
    lastTimings = { generation: mine, startMs: started, columnsMs: fromColumns ? t1 - t0 : null, sqlViews: sqlViews.length, sqlMs: t2 - t1, positionsMs: performance.now() - t2 };
    const comparison = comparisonNow(span, comparisonDays);
    let areaChange: Map<string, number | null> = new Map();
    if (layers.areas.choropleth === 'change' && comparison) {
      const change = await cached(
        db,
        'area-change',
        areaRanking({
          where: selection.predicate(VIEW_IDS.areaTable, ['time']),
          period: { start: parseWallClock(comparison.current[0]), end: parseWallClock(comparison.current[1]) },
        }),
        toRows,
      );
      areaChange = new Map(change.filter((r) => r.area_id !== null).map((r) => [String(r.area_id), r.previous_complete === false || r.change_pct === null ? null : num(r.change_pct)]));
    }
    if (mine !== generation) return;
    const count = fromColumns ? fromColumns.count : num(rows.total?.[0]?.n ?? 0);
    const built = {
      count,
      hourOfWeek:
        fromColumns?.hourOfWeek ??
        (rows.heatmap ?? []).filter((r) => r.dow !== null && r.hour !== null).map((r): HourCount => ({ dow: num(r.dow), hour: num(r.hour), n: num(r.n) })),
      series: fromColumns?.series ?? (rows['time-series'] ?? []).map((r): SeriesPoint => ({ bucket: String(r.bucket), n: num(r.n) })),
      types: (fromColumns?.types ?? rows['type-bars'] ?? []).map(
        (r): TypeCount => ({ type_code: r.type_code === null ? null : String(r.type_code), type_text: r.type_text === null ? null : String(r.type_text), tier: r.tier === null ? null : num(r.tier), n: num(r.n) }),
      ),
      areas: (fromColumns?.areas ?? rows['area-table'] ?? []) as unknown as AreaRow[],
      positions,
    };
    // A view whose rows did not change keeps its array, so its chart skips the redraw (the
    // charts redraw on a new data reference): the view whose own brush moved, typically.
    const previous = getDashboard().results;
    const same = <T>(next: T, prev: T | undefined): T => (prev !== undefined && JSON.stringify(prev) === JSON.stringify(next) ? prev : next);
    const results = {
      ...built,
      hourOfWeek: same(built.hourOfWeek, previous?.hourOfWeek),
      series: same(built.series, previous?.series),
      types: same(built.types, previous?.types),
      areas: same(built.areas, previous?.areas),
    };
    updateDashboard({ results, generation: mine, loading: false, span, typeNames: names, comparison, areaChange, error: null });
    setReadiness({ viewsSettled: true, viewGeneration: mine, matching: count, viewsMs: Math.round(performance.now() - started) });
    if (!fromColumns) loadColumnsInBackground(db, session.datasetEpoch, session.report?.rows.loaded ?? 0);
  } catch (e) {
    if (mine !== generation) return;
    console.error('dashboard views', e);
    updateDashboard({ loading: false, error: `The charts could not be updated: ${e instanceof Error ? e.message : String(e)}. Remove the last filter and try again.` });
    setReadiness({ viewsSettled: true });
  }
}

export async function refreshHotspots(): Promise<void> {
  const mine = ++hotspotGeneration;
  updateDashboard({ hotspotsLoading: true });
  try {
    const db = await getDb();
    const result = await hotspotCells(db, getSelection().predicate(null));
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
    const result = await repeatClusters(db, getSelection().predicate(null), { hubs, stops }, {
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
let lastClusterClauses: unknown = null;

function onChange(s: DashboardState): void {
  const session = getSession();
  if (session.phase !== 'ready' || !session.report) return;
  if (
    s.clauses !== lastClauses ||
    session.datasetEpoch !== queuedEpoch ||
    s.comparisonDays !== lastComparisonDays ||
    s.tierMap !== lastTierMap ||
    s.layers.areas.choropleth !== lastChoropleth
  ) {
    // recorded before the run starts: refreshViews notifies listeners, which call back here
    lastClauses = s.clauses;
    lastComparisonDays = s.comparisonDays;
    lastTierMap = s.tierMap;
    lastChoropleth = s.layers.areas.choropleth;
    queuedEpoch = session.datasetEpoch;
    void refreshViews();
  }
  // Clusters first: their statements then run first on DuckDB's one connection, and their
  // worker clusters (the longer half, ~1 s at 1M calls) while the hot-spot cells are counted.
  const clusterKey = s.layers.clusters.visible ? `${session.datasetEpoch}` : null;
  if (clusterKey && (clusterKey !== lastClusterKey || s.clauses !== lastClusterClauses)) {
    lastClusterKey = clusterKey;
    lastClusterClauses = s.clauses;
    void refreshClusters();
  }
  const hotspotKey = s.layers.hotspots.visible ? `${session.datasetEpoch}` : null;
  if (hotspotKey && (hotspotKey !== lastHotspotKey || s.clauses !== lastHotspotClauses)) {
    lastHotspotKey = hotspotKey;
    lastHotspotClauses = s.clauses;
    void refreshHotspots();
  }
}

let started = false;
export function startDashboard(): void {
  if (started) return;
  started = true;
  subscribeDashboard(() => onChange(getDashboard()));
  subscribeSession(() => {
    const session = getSession();
    if (session.datasetEpoch !== queuedEpoch && session.phase === 'ready') {
      updateDashboard({ focus: null, hotspots: null, clusters: null });
      lastHotspotKey = null;
      lastClusterKey = null;
      onChange(getDashboard());
    }
  });
  onChange(getDashboard());
}
