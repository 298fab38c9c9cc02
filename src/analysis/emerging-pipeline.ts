/**
 * Emerging hot spots: space-time cube (cell × week or day, after filters and exclusions) →
 * emerging.ts (space-time Gi*, BH per slice, Mann–Kendall on z, ESRI categories). As ESRI,
 * only cells with at least one call in some step are locations; their empty bins are 0.
 */
import { latLngToCell } from 'h3-js';
import { type SquareGridSpec, squareCellCenter, squareCellId } from './binning';
import { type EmergingCategory, emergingHotSpots } from './emerging';
import { buildNeighbours } from './hotspots';
import { projectionForPoints } from './local-projection';
import { type EmergingParams, type HotspotParams, h3Resolution, type NeighbourSpec, resolveNeighbours } from './params';
import { type PipelineHooks, step } from './pipeline-progress';
import { cellToLatLng, getHexagonEdgeLengthAvg, UNITS } from 'h3-js';

export interface CubeSteps {
  stepDays: number;
  nSteps: number;
  /** first day of step 0 and last day of the final step, YYYY-MM-DD (agency-local) */
  firstDay: string;
  lastDay: string;
}

export type CubeCounts =
  | { grid: 'square'; spec: SquareGridSpec; steps: CubeSteps; col: Int32Array; row: Int32Array; step: Int32Array; counts: Float64Array }
  | { grid: 'h3'; steps: CubeSteps; lon: Float64Array; lat: Float64Array; step: Int32Array; counts: Float64Array };

export interface EmergingInput {
  cube: CubeCounts;
  /** cell size and neighbour rule are shared with the hotspot map */
  hotspots: HotspotParams;
  params: EmergingParams;
}

export interface EmergingCell {
  id: string;
  center: [lon: number, lat: number];
  category: EmergingCategory;
  /** calls per step, oldest first */
  counts: number[];
  total: number;
  /** Gi* z per step */
  z: number[];
  hotSteps: number;
  coldSteps: number;
  /** Mann–Kendall on the z series */
  trend: { S: number; Z: number; p: number; tau: number | null };
}

export interface EmergingPipelineResult {
  cells: EmergingCell[];
  /** locations per category, categories with none left out */
  categories: Partial<Record<EmergingCategory, number>>;
  steps: CubeSteps & { starts: string[] };
  parameters: EmergingParams & { grid: HotspotParams['grid']; cellMeters: number; neighboursUsed: NeighbourSpec; h3Resolution?: number; projection: string };
}

const DAY_MS = 86_400_000;

export async function emergingPipeline(input: EmergingInput, hooks?: PipelineHooks): Promise<EmergingPipelineResult> {
  const { cube, hotspots, params } = input;
  const T = cube.steps.nSteps;
  await step(hooks, 'cube', 0);
  const resolution = cube.grid === 'h3' ? h3Resolution(hotspots) : undefined;
  const index = new Map<string, number>();
  const ids: string[] = [];
  const centres: [number, number][] = [];
  const keyOf = (i: number): string =>
    cube.grid === 'square' ? squareCellId(cube.col[i]!, cube.row[i]!) : latLngToCell(cube.lat[i]!, cube.lon[i]!, resolution!);
  const rowLocation = new Int32Array(cube.counts.length);
  for (let i = 0; i < cube.counts.length; i++) {
    const id = keyOf(i);
    let k = index.get(id);
    if (k === undefined) {
      k = ids.length;
      index.set(id, k);
      ids.push(id);
      if (cube.grid === 'square') centres.push(squareCellCenter(cube.spec, cube.col[i]!, cube.row[i]!));
      else {
        const [lat, lon] = cellToLatLng(id);
        centres.push([lon, lat]);
      }
    }
    rowLocation[i] = k;
  }
  const n = ids.length;
  if (n < 3) throw new RangeError(`Only ${n} cell(s) have calls; emerging hot spots need at least 3. Widen the filters.`);
  const values = new Float64Array(n * T);
  for (let i = 0; i < cube.counts.length; i++) {
    const t = cube.step[i]!;
    if (t >= 0 && t < T) values[rowLocation[i]! * T + t]! += cube.counts[i]!;
  }
  const projection = projectionForPoints(
    centres.map((c) => c[0]),
    centres.map((c) => c[1]),
  );
  const xy = centres.map(([lon, lat]) => projection.forward(lon, lat));
  const neighboursUsed = resolveNeighbours(hotspots, resolution !== undefined ? getHexagonEdgeLengthAvg(resolution, UNITS.m) : undefined);
  await step(hooks, 'neighbours', 0.2);
  const nb = buildNeighbours(
    xy.map((p) => p[0]),
    xy.map((p) => p[1]),
    neighboursUsed,
  );
  await step(hooks, 'space-time Gi*', 0.4);
  const result = emergingHotSpots({ nLocations: n, nSteps: T, values }, nb, {
    neighbourhoodTimeSteps: params.neighbourhoodTimeSteps,
    binAlpha: params.binAlpha,
    trendAlpha: params.trendAlpha,
    fdr: true,
  });
  await step(hooks, 'categories', 0.9);
  const categories: Partial<Record<EmergingCategory, number>> = {};
  const cells: EmergingCell[] = ids.map((id, i) => {
    const loc = result.locations[i]!;
    categories[loc.category] = (categories[loc.category] ?? 0) + 1;
    const counts = Array.from(values.subarray(i * T, (i + 1) * T));
    return {
      id,
      center: centres[i]!,
      category: loc.category,
      counts,
      total: counts.reduce((a, b) => a + b, 0),
      z: Array.from(result.z.subarray(i * T, (i + 1) * T)),
      hotSteps: loc.hotSteps,
      coldSteps: loc.coldSteps,
      trend: { S: loc.trend.S, Z: loc.trend.Z, p: loc.trend.p, tau: loc.trend.tauB },
    };
  });
  const first = Date.parse(`${cube.steps.firstDay}T00:00:00Z`);
  const starts = Array.from({ length: T }, (_, t) => new Date(first + t * cube.steps.stepDays * DAY_MS).toISOString().slice(0, 10));
  return {
    cells,
    categories,
    steps: { ...cube.steps, starts },
    parameters: {
      ...params,
      grid: hotspots.grid,
      cellMeters: hotspots.cellMeters,
      neighboursUsed,
      ...(resolution !== undefined ? { h3Resolution: resolution } : {}),
      projection: `EPSG:${projection.epsg}`,
    },
  };
}
