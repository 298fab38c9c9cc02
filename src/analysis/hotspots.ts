/**
 * Hotspots: cells (after filters and exclusions) → study-area cells with zeros → neighbour
 * list in metres (UTM of the data) → Gi* (self included) → BH q over all cells → class.
 * Zero cells are part of the run on purpose; study-area.ts says why.
 */
import type { Polygon } from 'geojson';
import { cellToBoundary, cellToLatLng, getHexagonEdgeLengthAvg, latLngToCell, UNITS } from 'h3-js';
import { type SquareGridSpec, squareCellCenter, squareCellId, squareCellPolygon } from './binning';
import type { ExclusionCount } from './exclusions';
import { bhAdjust } from './fdr';
import { giBin, giStar } from './gi-star';
import { projectionForPoints } from './local-projection';
import { type GridKind, type HotspotParams, h3Resolution, type NeighbourSpec, resolveNeighbours } from './params';
import { type PipelineHooks, step } from './pipeline-progress';
import { bboxPolygon, type Region, h3CellsInRegion, squareCellsInRegion } from './study-area';
import { distanceBand, kNearest, type NeighbourList } from './weights';

/** What the query layer hands over: square cells counted in DuckDB, or distinct points for H3. */
export type CellSource =
  | { grid: 'square'; spec: SquareGridSpec; col: Int32Array; row: Int32Array; counts: Float64Array }
  | { grid: 'h3'; lon: Float64Array; lat: Float64Array; counts: Float64Array };

export interface ExclusionReport {
  /** filtered calls with a usable point before the mask */
  located: number;
  counts: ExclusionCount[];
}

export interface HotspotInput {
  source: CellSource;
  params: HotspotParams;
  /** area polygons for the study region; absent → bounding box of the calls */
  region?: Region;
  exclusions?: ExclusionReport;
}

export type HotspotClass = 'hot-99' | 'hot-95' | 'hot-90' | 'cold-99' | 'cold-95' | 'cold-90' | 'not-significant' | 'undefined';

export interface HotspotCell {
  id: string;
  center: [lon: number, lat: number];
  count: number;
  /** Gi* z (NaN when undefined, e.g. every count equal) */
  z: number;
  /** two-sided p from z */
  p: number;
  /** BH-adjusted p over all cells of the run */
  q: number;
  /** ±3/±2/±1 at q ≤ .01/.05/.10 (methods.md §2) */
  bin: number;
  class: HotspotClass;
  /** neighbours in the Gi* sum, self included */
  neighbours: number;
}

export interface HotspotResult {
  cells: HotspotCell[];
  parameters: HotspotParams & {
    neighboursUsed: NeighbourSpec;
    h3Resolution?: number;
    h3EdgeMeters?: number;
    studyAreaUsed: 'areas' | 'bbox' | 'occupied';
    projection: string;
    correction: 'Benjamini-Hochberg over all cells';
  };
  summary: { cells: number; emptyCells: number; calls: number } & Record<HotspotClass, number>;
  exclusions?: ExclusionReport;
  /** say-it-plainly notes for the analyst (fallbacks taken) */
  notes: string[];
}

const CLASS_BY_BIN: Record<number, HotspotClass> = { 3: 'hot-99', 2: 'hot-95', 1: 'hot-90', 0: 'not-significant', [-1]: 'cold-90', [-2]: 'cold-95', [-3]: 'cold-99' };

export interface GiCells {
  z: Float64Array;
  p: Float64Array;
  q: Float64Array;
  bin: Int8Array;
  neighbourCounts: Int32Array;
}

export function buildNeighbours(x: ArrayLike<number>, y: ArrayLike<number>, spec: NeighbourSpec): NeighbourList {
  if (spec.kind === 'band') return distanceBand(x, y, spec.bandMeters, { includeSelf: true });
  if (spec.k >= x.length) throw new RangeError(`k = ${spec.k} nearest neighbours needs more than ${spec.k} cells; the run has ${x.length}. Choose a smaller k or a larger area.`);
  return kNearest(x, y, spec.k, { includeSelf: true });
}

/** Gi*, BH and bins on projected cell centres: the statistical core, also fed fixture cells directly. */
export function giStarCells(x: ArrayLike<number>, y: ArrayLike<number>, values: Float64Array, spec: NeighbourSpec): GiCells {
  const nb = buildNeighbours(x, y, spec);
  const gi = giStar(values, nb);
  const z = Float64Array.from(gi, (r) => r.z);
  const p = Float64Array.from(gi, (r) => r.p);
  const q = bhAdjust(p);
  const bin = Int8Array.from(z, (zi, i) => giBin(zi, q[i]!));
  const neighbourCounts = Int32Array.from({ length: nb.n }, (_, i) => nb.offsets[i + 1]! - nb.offsets[i]!);
  return { z, p, q, bin, neighbourCounts };
}

interface StudyCells {
  ids: string[];
  lon: Float64Array;
  lat: Float64Array;
  counts: Float64Array;
  used: 'areas' | 'bbox' | 'occupied';
  notes: string[];
}

function squareStudyCells(source: Extract<CellSource, { grid: 'square' }>, params: HotspotParams, region?: Region): StudyCells {
  const counts = new Map<string, number>();
  const keys: [number, number][] = [];
  for (let i = 0; i < source.col.length; i++) {
    const key = `${source.col[i]}:${source.row[i]}`;
    if (!counts.has(key)) keys.push([source.col[i]!, source.row[i]!]);
    counts.set(key, (counts.get(key) ?? 0) + source.counts[i]!);
  }
  const notes: string[] = [];
  let used = params.studyArea;
  if (used === 'areas' && !region?.length) {
    used = 'bbox';
    notes.push('No areas loaded: empty cells come from the bounding box of the calls (it may include water and parks, which lowers the average).');
  }
  if (used === 'areas') {
    for (const cr of squareCellsInRegion(source.spec, region!)) if (!counts.has(`${cr[0]}:${cr[1]}`)) keys.push(cr);
  } else if (used === 'bbox' && keys.length > 0) {
    const cols = keys.map((k) => k[0]);
    const rows = keys.map((k) => k[1]);
    const [c0, c1, r0, r1] = [Math.min(...cols), Math.max(...cols), Math.min(...rows), Math.max(...rows)];
    if ((c1 - c0 + 1) * (r1 - r0 + 1) > 2_000_000) throw new RangeError('The calls span more than 2 million cells; a few far-off geocodes may stretch the box. Load areas or exclude them.');
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) if (!counts.has(`${c}:${r}`)) keys.push([c, r]);
  }
  keys.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  const lon = new Float64Array(keys.length);
  const lat = new Float64Array(keys.length);
  const values = new Float64Array(keys.length);
  const ids = keys.map(([c, r], i) => {
    [lon[i], lat[i]] = squareCellCenter(source.spec, c, r);
    values[i] = counts.get(`${c}:${r}`) ?? 0;
    return squareCellId(c, r);
  });
  return { ids, lon, lat, counts: values, used, notes };
}

function h3StudyCells(source: Extract<CellSource, { grid: 'h3' }>, params: HotspotParams, resolution: number, region?: Region): StudyCells {
  const counts = new Map<string, number>();
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = 0; i < source.lon.length; i++) {
    const lon = source.lon[i]!;
    const lat = source.lat[i]!;
    if (!(Math.abs(lat) <= 90 && Math.abs(lon) <= 180)) continue;
    const id = latLngToCell(lat, lon, resolution);
    counts.set(id, (counts.get(id) ?? 0) + source.counts[i]!);
    [w, s, e, n] = [Math.min(w, lon), Math.min(s, lat), Math.max(e, lon), Math.max(n, lat)];
  }
  const notes: string[] = [];
  let used = params.studyArea;
  if (used === 'areas' && !region?.length) {
    used = 'bbox';
    notes.push('No areas loaded: empty cells come from the bounding box of the calls (it may include water and parks, which lowers the average).');
  }
  const all = new Set(counts.keys());
  if (used === 'areas') for (const id of h3CellsInRegion(region!, resolution)) all.add(id);
  else if (used === 'bbox' && counts.size > 0) for (const id of h3CellsInRegion([bboxPolygon([w, s, e, n])], resolution)) all.add(id);
  const ids = [...all].sort();
  const lon = new Float64Array(ids.length);
  const lat = new Float64Array(ids.length);
  const values = new Float64Array(ids.length);
  ids.forEach((id, i) => {
    [lat[i], lon[i]] = cellToLatLng(id);
    values[i] = counts.get(id) ?? 0;
  });
  return { ids, lon, lat, counts: values, used, notes };
}

export async function hotspotsPipeline(input: HotspotInput, hooks?: PipelineHooks): Promise<HotspotResult> {
  const { params, source } = input;
  await step(hooks, 'cells', 0);
  const resolution = source.grid === 'h3' ? h3Resolution(params) : undefined;
  const edge = resolution !== undefined ? getHexagonEdgeLengthAvg(resolution, UNITS.m) : undefined;
  const study = source.grid === 'square' ? squareStudyCells(source, params, input.region) : h3StudyCells(source, params, resolution!, input.region);
  const neighboursUsed = resolveNeighbours(params, edge);
  const n = study.ids.length;
  if (n < 3) throw new RangeError(`Only ${n} cell(s) to compare; hotspots need at least 3. Widen the filters or use smaller cells.`);
  const projection = projectionForPoints(study.lon, study.lat);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) [x[i], y[i]] = projection.forward(study.lon[i]!, study.lat[i]!);
  await step(hooks, 'neighbours', 0.3);
  const gi = giStarCells(x, y, study.counts, neighboursUsed);
  await step(hooks, 'classes', 0.9);
  const summary = { cells: n, emptyCells: 0, calls: 0, 'hot-99': 0, 'hot-95': 0, 'hot-90': 0, 'cold-99': 0, 'cold-95': 0, 'cold-90': 0, 'not-significant': 0, undefined: 0 };
  const cells: HotspotCell[] = study.ids.map((id, i) => {
    const z = gi.z[i]!;
    const cls: HotspotClass = Number.isNaN(z) ? 'undefined' : CLASS_BY_BIN[gi.bin[i]!]!;
    summary[cls]++;
    summary.calls += study.counts[i]!;
    if (study.counts[i] === 0) summary.emptyCells++;
    return { id, center: [study.lon[i]!, study.lat[i]!], count: study.counts[i]!, z, p: gi.p[i]!, q: gi.q[i]!, bin: gi.bin[i]!, class: cls, neighbours: gi.neighbourCounts[i]! };
  });
  const notes = [...study.notes];
  if (summary.undefined === n) notes.push('Every cell has the same count, so no cell differs from the rest (Gi* is undefined).');
  return {
    cells,
    parameters: {
      ...params,
      neighboursUsed,
      ...(resolution !== undefined ? { h3Resolution: resolution, h3EdgeMeters: edge! } : {}),
      studyAreaUsed: study.used,
      projection: `EPSG:${projection.epsg}`,
      correction: 'Benjamini-Hochberg over all cells',
    },
    summary,
    ...(input.exclusions ? { exclusions: input.exclusions } : {}),
    notes,
  };
}

/** Cell outline for the map and exports. */
export function hotspotCellPolygon(id: string, grid: GridKind, spec?: SquareGridSpec): Polygon {
  if (grid === 'h3') return { type: 'Polygon', coordinates: [cellToBoundary(id, true) as number[][]] };
  const m = /^g:(-?\d+):(-?\d+)$/.exec(id);
  if (!m || !spec) throw new RangeError(`${id} is not a square cell id of this grid.`);
  return squareCellPolygon(spec, Number(m[1]), Number(m[2]));
}

export function isHot(c: Pick<HotspotCell, 'class'>, level: 90 | 95 | 99 = 95): boolean {
  const rank = { 'hot-99': 99, 'hot-95': 95, 'hot-90': 90 } as Record<string, number>;
  return (rank[c.class] ?? 0) >= level;
}
