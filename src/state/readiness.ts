/**
 * A small, stable flag on `window` for end-to-end tests and support ("is it done yet?").
 * Tests wait on `ready` instead of sleeping; `deckFrames` proves deck.gl actually drew.
 */
export interface Readiness {
  ready: boolean;
  mapIdle: boolean;
  deckFrames: number;
  dbReady: boolean;
  phase: string;
  counts: { input: number; loaded: number; rejected: number; duplicates: number; shown: number; total: number };
  /** how the calls layer currently draws: 'points' | 'density' | 'none' */
  callsMode: string;
  /** dashboard views: settled after the latest filter change, and the headline count */
  viewsSettled: boolean;
  viewGeneration: number;
  matching: number;
  /** wall time of the last full view refresh (all charts + map positions), ms */
  viewsMs: number;
  /** dev/test builds only: run SQL through the app's own DuckDB (e2e checks counts against it) */
  sql?: (text: string) => Promise<Record<string, unknown>[]>;
  /** dev/test builds only: page coordinates of a lon/lat on the map */
  project?: (lon: number, lat: number) => { x: number; y: number };
  /** dev/test builds only: one of the app's own modules by source path (bench-modules.ts) */
  load?: (path: string) => Promise<Record<string, unknown>>;
}

declare global {
  interface Window {
    __callsight?: Readiness;
  }
}

const initial: Readiness = {
  ready: false,
  mapIdle: false,
  deckFrames: 0,
  dbReady: false,
  phase: 'booting',
  counts: { input: 0, loaded: 0, rejected: 0, duplicates: 0, shown: 0, total: 0 },
  callsMode: 'none',
  viewsSettled: false,
  viewGeneration: 0,
  matching: 0,
  viewsMs: 0,
};

export function readiness(): Readiness {
  if (typeof window === 'undefined') return initial;
  window.__callsight ??= { ...initial, counts: { ...initial.counts } };
  return window.__callsight;
}

export function setReadiness(patch: Partial<Readiness>): void {
  const r = readiness();
  Object.assign(r, patch);
  r.ready = r.mapIdle && r.deckFrames > 0 && (r.phase === 'empty' || (r.phase === 'ready' && r.viewsSettled));
}
