/**
 * Every knob of the analysis pipeline, with its default, in one place. Outputs echo the
 * resolved parameters (`resolveParams`) so a map, a CLI run or a briefing can always be
 * reproduced and questioned ("why 250 m cells?").
 */
import { h3ResolutionForCellMeters } from './binning';
import { NEAR_SITE_METERS } from './proximity';

export type GridKind = 'square' | 'h3';

export type NeighbourSpec = { kind: 'band'; bandMeters: number } | { kind: 'knn'; k: number };

export interface HotspotParams {
  grid: GridKind;
  /** square side, or target H3 edge length (the resolution whose mean edge is closest) */
  cellMeters: number;
  /** absent band = 1.5 × the centre spacing: the 8 touching squares, or the 6 touching hexagons */
  neighbours: { kind: 'band'; bandMeters?: number } | { kind: 'knn'; k: number };
  /**
   * Which empty cells join the analysis: 'areas' = every cell whose centre lies in the loaded
   * area polygons (falls back to 'bbox' without areas); 'bbox' = every cell in the bounding box
   * of the analysed calls; 'occupied' = non-empty cells only (reproduces ESRI/spdep runs on
   * aggregated points, biased; see hotspots.ts).
   */
  studyArea: 'areas' | 'bbox' | 'occupied';
}

export interface EmergingParams {
  step: 'week' | 'day';
  /** earlier steps in each bin's neighbourhood (ESRI "Neighborhood Time Step") */
  neighbourhoodTimeSteps: number;
  binAlpha: number;
  trendAlpha: number;
}

export interface ClusterParams {
  /** call types, matched case-insensitively: equal to type_code or type_text, or a whole phrase inside type_text */
  types: string[];
  /** hour windows like "20-02" */
  windows: string[];
  radiusMeters: number;
  minCalls: number;
}

export interface KnoxParams {
  /** space band breaks, metres, from 0; an open last band is added */
  spaceBreaksMeters: number[];
  /** time band breaks, days, from 0 */
  timeBreaksDays: number[];
  metric: 'manhattan' | 'euclidean';
  /** call types for Knox (same matching as clusters); empty = every filtered call */
  types: string[];
  /** refuse more events than this: pair counting is quadratic in local density */
  maxEvents: number;
}

export interface TransitParams {
  /** distinct routes a stop group needs to be a hub */
  minRoutes: number;
  /** "near a hub" = within this distance */
  nearHubMeters: number;
  /** distance-decay ring outer radii */
  ringBreaksMeters: number[];
}

export interface AnalysisParams {
  hotspots: HotspotParams;
  emerging: EmergingParams;
  clusters: ClusterParams;
  knox: KnoxParams;
  transit: TransitParams;
  /** every Monte Carlo step (Knox, relocation test) draws from this seed */
  seed: number;
  /** Monte Carlo iterations for Knox and the hub relocation test */
  iterations: number;
}

/**
 * 250 m squares: about two or three city blocks, the scale at which patrol is assigned, and
 * large enough that a typical month has several calls per busy cell (Gi* on mostly 0/1 counts
 * is dominated by noise). 20–02 is the night window the disorder journeys ask about.
 */
export const DEFAULT_PARAMS: AnalysisParams = {
  hotspots: { grid: 'square', cellMeters: 250, neighbours: { kind: 'band' }, studyArea: 'areas' },
  emerging: { step: 'week', neighbourhoodTimeSteps: 1, binAlpha: 0.05, trendAlpha: 0.05 },
  clusters: { types: ['loitering', 'suspicious person', 'trespass', 'disturbance'], windows: ['20-02'], radiusMeters: 75, minCalls: 6 },
  knox: { spaceBreaksMeters: [0, 100, 200, 400], timeBreaksDays: [0, 7, 14, 28], metric: 'manhattan', types: [], maxEvents: 20_000 },
  transit: { minRoutes: 4, nearHubMeters: NEAR_SITE_METERS, ringBreaksMeters: [50, 100, 150, 200, 300, 400] },
  seed: 1,
  iterations: 999,
};

export type ParamsInput = {
  [K in keyof AnalysisParams]?: AnalysisParams[K] extends object ? Partial<AnalysisParams[K]> : AnalysisParams[K];
};

/** Defaults overlaid with what the analyst chose, validated with sentences the CLI can print. */
export function resolveParams(input: ParamsInput = {}): AnalysisParams {
  const p: AnalysisParams = {
    hotspots: { ...DEFAULT_PARAMS.hotspots, ...input.hotspots },
    emerging: { ...DEFAULT_PARAMS.emerging, ...input.emerging },
    clusters: { ...DEFAULT_PARAMS.clusters, ...input.clusters },
    knox: { ...DEFAULT_PARAMS.knox, ...input.knox },
    transit: { ...DEFAULT_PARAMS.transit, ...input.transit },
    seed: input.seed ?? DEFAULT_PARAMS.seed,
    iterations: input.iterations ?? DEFAULT_PARAMS.iterations,
  };
  const positive = (v: number, what: string) => {
    if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`${what} must be a positive number (got ${v}).`);
  };
  positive(p.hotspots.cellMeters, 'The cell size in metres');
  if (p.hotspots.cellMeters < 10 || p.hotspots.cellMeters > 10_000) {
    throw new RangeError(`Cells of ${p.hotspots.cellMeters} m are outside 10–10,000 m; block-level geocodes make smaller cells meaningless.`);
  }
  const nb = p.hotspots.neighbours;
  if (nb.kind === 'band' && nb.bandMeters !== undefined) positive(nb.bandMeters, 'The neighbourhood band in metres');
  if (nb.kind === 'knn' && !(Number.isInteger(nb.k) && nb.k >= 1)) throw new RangeError(`k nearest neighbours needs a whole number ≥ 1 (got ${nb.k}).`);
  positive(p.clusters.radiusMeters, 'The cluster radius in metres');
  if (!Number.isInteger(p.clusters.minCalls) || p.clusters.minCalls < 2) throw new RangeError(`A cluster needs at least 2 calls (got ${p.clusters.minCalls}).`);
  positive(p.transit.nearHubMeters, 'The hub radius in metres');
  if (!Number.isInteger(p.iterations) || p.iterations < 1 || p.iterations > 99_999) throw new RangeError(`Iterations must be a whole number from 1 to 99,999 (got ${p.iterations}).`);
  if (!Number.isInteger(p.seed)) throw new RangeError(`The seed must be a whole number (got ${p.seed}).`);
  return p;
}

/** Centre-to-centre spacing of neighbouring cells: the side for squares, √3 × edge for hexagons. */
export function cellSpacingMeters(grid: GridKind, cellMeters: number, h3EdgeMeters?: number): number {
  return grid === 'square' ? cellMeters : Math.sqrt(3) * (h3EdgeMeters ?? cellMeters);
}

export function h3Resolution(params: HotspotParams): number {
  return h3ResolutionForCellMeters(params.cellMeters);
}

/** The neighbour rule actually used: the band default depends on the grid. */
export function resolveNeighbours(params: HotspotParams, h3EdgeMeters?: number): NeighbourSpec {
  const nb = params.neighbours;
  if (nb.kind === 'knn') return nb;
  return { kind: 'band', bandMeters: nb.bandMeters ?? 1.5 * cellSpacingMeters(params.grid, params.cellMeters, h3EdgeMeters) };
}
