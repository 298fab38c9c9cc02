import { useSyncExternalStore } from 'react';
import type { RepeatCluster } from '../analysis/repeat-clusters';
import type { TierMap } from '../analysis/tiers';
import type { AreaRow } from '../charts/area-table';
import type { HourCount } from '../charts/hour-of-week-heatmap';
import type { SeriesPoint } from '../charts/time-series';
import type { TypeCount } from '../charts/type-bars';
import type { CubeFilters } from '../data/queries/cube-index';
import type { Choropleth } from '../map/layers/areas-layer';
import { areasClause, bboxClause, type Clause, timeClause, typesClause } from './clauses';
import { heatmapBrushClauses } from './heatmap-clauses';
import type { HotspotCell } from './hotspot-cells';
import { Selection } from './selection';
import type { CallPoints } from './session-store';
import { VIEW_IDS } from './view-clients';

/** What the side panel's detail tab is about (clicked on the map). */
export type Focus =
  | { kind: 'area'; id: string; name: string }
  | { kind: 'cell'; cell: HotspotCell }
  | { kind: 'cluster'; cluster: RepeatCluster }
  | { kind: 'hub'; id: string; name: string; lon: number; lat: number };

export interface LayerSettings {
  calls: { visible: boolean; opacity: number; mode: 'auto' | 'points' | 'density' };
  hotspots: { visible: boolean; opacity: number };
  clusters: { visible: boolean; opacity: number };
  areas: { visible: boolean; opacity: number; choropleth: Choropleth };
  transit: { visible: boolean; opacity: number };
}

export const DEFAULT_LAYERS: LayerSettings = {
  calls: { visible: true, opacity: 0.8, mode: 'auto' },
  hotspots: { visible: false, opacity: 0.85 },
  clusters: { visible: false, opacity: 1 },
  areas: { visible: true, opacity: 1, choropleth: 'none' },
  transit: { visible: true, opacity: 1 },
};

/** Each view's rows, straight from its query in src/data/queries/views.ts (shapes the d3 charts take). */
export interface ViewResults {
  count: number;
  hourOfWeek: HourCount[];
  series: SeriesPoint[];
  types: TypeCount[];
  areas: AreaRow[];
  positions: CallPoints;
}

/** Two equal periods ending at the last day of data ("this month vs last"), ISO days [start, end). */
export interface Comparison {
  current: [string, string];
  previous: [string, string];
}

export interface DashboardState {
  /** the selection's clauses after the last change (a new array each time: React re-renders on it) */
  clauses: readonly Clause[];
  layers: LayerSettings;
  results: ViewResults | null;
  /** the generation whose results are shown; later generations replace, earlier ones are dropped */
  generation: number;
  loading: boolean;
  span: { start: string; end: string } | null;
  /** the map's change layer without a time filter: the last `comparisonDays` vs the same before */
  comparison: Comparison | null;
  comparisonDays: number;
  /** percent change per area id for the change layer (null: nothing in the previous period) */
  areaChange: ReadonlyMap<string, number | null>;
  /** type_code → type text (the most common text of the code) over the whole dataset, for chips */
  typeNames: ReadonlyMap<string, string>;
  /** the confirmed tier map (Triage tab), when there is one: type bars group by tier with it */
  tierMap: TierMap | null;
  hotspots: { cells: HotspotCell[]; cellMeters: number; bandMeters: number } | null;
  hotspotsLoading: boolean;
  clusters: { list: RepeatCluster[]; description: string } | null;
  clustersLoading: string | null;
  focus: Focus | null;
  tab: string;
  /** rectangle tool armed (drag without shift) */
  selecting: boolean;
  /** lasso tool armed: a drag draws a free-hand area */
  lassoing: boolean;
  /** set when a view query failed; the analyst sees it in the panel */
  error: string | null;
}

// One selection for the page: every view reads its predicate from it and writes its clauses to it.
const selection = new Selection();

let state: DashboardState = {
  clauses: [],
  layers: DEFAULT_LAYERS,
  results: null,
  generation: 0,
  loading: false,
  span: null,
  comparison: null,
  comparisonDays: 28,
  areaChange: new Map(),
  typeNames: new Map(),
  tierMap: null,
  hotspots: null,
  hotspotsLoading: false,
  clusters: null,
  clustersLoading: null,
  focus: null,
  tab: 'charts',
  selecting: false,
  lassoing: false,
  error: null,
};
const listeners = new Set<() => void>();

selection.subscribe((clauses) => updateDashboard({ clauses }));

export function getSelection(): Selection {
  return selection;
}

export function getDashboard(): DashboardState {
  return state;
}

export function updateDashboard(patch: Partial<DashboardState>): void {
  state = { ...state, ...patch };
  for (const l of listeners) l();
}

export function subscribeDashboard(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function useDashboard(): DashboardState {
  return useSyncExternalStore(subscribeDashboard, getDashboard);
}

export function setLayer<K extends keyof LayerSettings>(key: K, patch: Partial<LayerSettings[K]>): void {
  updateDashboard({ layers: { ...state.layers, [key]: { ...state.layers[key], ...patch } } });
}

/**
 * Replace every clause by filters in the older one-slot-per-view shape. Only for drivers that
 * predate the Selection: tests/e2e/triage.test.ts and planner.test.ts call it inside the page
 * (the benchmark now drives setSourceClauses). Type texts become the codes that carry them in
 * this dataset. Remove once those tests set clauses themselves.
 */
export function setFilters(f: Partial<CubeFilters>): void {
  const clauses: Clause[] = [];
  if (f.dates) clauses.push(timeClause(VIEW_IDS.timeSeries, f.dates[0], f.dates[1]));
  const b = f.hourOfWeek;
  if (b) {
    const days = Array.from({ length: b.dowTo - b.dowFrom + 1 }, (_, i) => b.dowFrom + i);
    clauses.push(...heatmapBrushClauses({ days, startHour: b.hourFrom, endHour: (b.hourTo + 1) % 24 || 24 }));
  }
  if (f.types?.length) {
    const wanted = new Set(f.types);
    const codes = [...state.typeNames].filter(([, text]) => wanted.has(text)).map(([code]) => code);
    if (codes.length > 0) clauses.push(typesClause(VIEW_IDS.typeBars, codes));
  }
  if (f.areas?.length) clauses.push(areasClause(VIEW_IDS.areaTable, f.areas));
  if (f.bbox) {
    const [west, south, east, north] = f.bbox;
    clauses.push(bboxClause(VIEW_IDS.map, { west, south, east, north }));
  }
  selection.replaceAll(clauses);
}

/**
 * Replace the clauses one view made by `next` in one notification (a brush moved: its old
 * clauses go, the new ones take their place in the chip order). Empty `next` clears the view.
 */
export function setSourceClauses(source: string, next: readonly Clause[]): void {
  const current = selection.clauses();
  const at = current.findIndex((c) => c.source === source);
  const others = current.filter((c) => c.source !== source);
  const merged = at < 0 ? [...others, ...next] : [...others.slice(0, at), ...next, ...others.slice(at)];
  selection.replaceAll(merged);
}
