import type { FeatureCollection, LineString, MultiPolygon, Point, Polygon } from 'geojson';
import { useSyncExternalStore } from 'react';
import type { GtfsFeed } from '../data/load-gtfs';
import type { AreaFeature, QualityReport, RejectedRow } from '../data/types';

/** Call locations for the map, straight from DuckDB's Arrow result (WGS 84 degrees). */
export interface CallPoints {
  /** interleaved lon,lat pairs, the layout deck.gl binary attributes take */
  positions: Float64Array;
  length: number;
}

export interface ImportProgress {
  file: string;
  phase: string;
  rows: number;
  bytesDone: number;
  bytesTotal: number;
}

export type Phase = 'booting' | 'empty' | 'importing' | 'ready';

export interface SessionState {
  phase: Phase;
  dbStatus: 'starting' | 'ready' | 'failed';
  datasetName: string | null;
  report: QualityReport | null;
  rejected: RejectedRow[];
  /** calls in the `calls` table (after de-duplication), the "of N" in "shown of N" */
  totalCalls: number;
  points: CallPoints | null;
  areas: FeatureCollection<Polygon | MultiPolygon> | null;
  /** the same areas as loaded (ids, names, km²) for rates and the detail panel */
  areaFeatures: AreaFeature[] | null;
  /** how the analyst knows the areas ("Demo city (synthetic)", "neighborhoods.geojson") */
  areasLabel: string | null;
  /** the parsed GTFS feed, for hub detection */
  transit: GtfsFeed | null;
  /** bumps on every successful calls import, so views re-query */
  datasetEpoch: number;
  stops: FeatureCollection<Point> | null;
  routes: FeatureCollection<LineString> | null;
  progress: ImportProgress | null;
  /** analyst-facing sentence for the alert region; null when nothing is wrong */
  error: string | null;
  /** non-fatal notes from loaders (e.g. "GTFS stop_times.txt missing") */
  notices: string[];
}

const initial: SessionState = {
  phase: 'booting',
  dbStatus: 'starting',
  datasetName: null,
  report: null,
  rejected: [],
  totalCalls: 0,
  points: null,
  areas: null,
  areaFeatures: null,
  areasLabel: null,
  transit: null,
  datasetEpoch: 0,
  stops: null,
  routes: null,
  progress: null,
  error: null,
  notices: [],
};

let state = initial;
const listeners = new Set<() => void>();

export function getSession(): SessionState {
  return state;
}

export function updateSession(patch: Partial<SessionState>): void {
  state = { ...state, ...patch };
  for (const l of listeners) l();
}

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSession(): SessionState {
  return useSyncExternalStore(subscribeSession, getSession);
}
