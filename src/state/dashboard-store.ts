import { useSyncExternalStore } from 'react';
import type { Choropleth } from '../map/layers/areas-layer';
import type { AreaRow, Comparison, DayCount, HourOfWeekCount, TypeCount } from '../data/queries/dashboard';
import type { RepeatCluster } from '../analysis/repeat-clusters';
import type { CallPoints } from './session-store';
import { type DashboardFilters, NO_FILTERS } from './dashboard-filters';
import type { HotspotCell } from './hotspot-cells';

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

export interface ViewResults {
  count: number;
  hourOfWeek: HourOfWeekCount[];
  daily: DayCount[];
  types: TypeCount[];
  areas: AreaRow[];
  positions: CallPoints;
}

export interface DashboardState {
  filters: DashboardFilters;
  layers: LayerSettings;
  results: ViewResults | null;
  /** the generation whose results are shown; later generations replace, earlier ones are dropped */
  generation: number;
  loading: boolean;
  span: { start: string; end: string } | null;
  comparison: Comparison | null;
  /** length of the two compared periods ending at the last day of data ("this month vs last") */
  comparisonDays: number;
  hotspots: { cells: HotspotCell[]; cellMeters: number; bandMeters: number } | null;
  hotspotsLoading: boolean;
  clusters: { list: RepeatCluster[]; description: string } | null;
  clustersLoading: string | null;
  focus: Focus | null;
  tab: string;
  /** rectangle tool armed (drag without shift) */
  selecting: boolean;
  /** set when a view query failed; the analyst sees it in the panel */
  error: string | null;
}

let state: DashboardState = {
  filters: NO_FILTERS,
  layers: DEFAULT_LAYERS,
  results: null,
  generation: 0,
  loading: false,
  span: null,
  comparison: null,
  comparisonDays: 28,
  hotspots: null,
  hotspotsLoading: false,
  clusters: null,
  clustersLoading: null,
  focus: null,
  tab: 'charts',
  selecting: false,
  error: null,
};
const listeners = new Set<() => void>();

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

export function setFilters(next: DashboardFilters): void {
  updateDashboard({ filters: next });
}

export function setLayer<K extends keyof LayerSettings>(key: K, patch: Partial<LayerSettings[K]>): void {
  updateDashboard({ layers: { ...state.layers, [key]: { ...state.layers[key], ...patch } } });
}
