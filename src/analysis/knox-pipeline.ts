/**
 * Knox near-repeat table: events (lon/lat, agency-local day) → planar metres in the data's
 * UTM zone → knox.ts with the chosen bands and seeded permutations → one row per cell.
 * Cells are not adjusted for multiple comparisons (as every reference); the note says so.
 */
import { type KnoxResult, knox } from './knox';
import { projectionForPoints } from './local-projection';
import type { KnoxParams } from './params';
import { type PipelineHooks, step } from './pipeline-progress';

export interface KnoxEventColumns {
  lon: Float64Array;
  lat: Float64Array;
  /** days since 1970-01-01, agency-local */
  day: Int32Array;
}

export interface KnoxInput {
  events: KnoxEventColumns;
  params: KnoxParams;
  iterations: number;
  seed: number;
}

export interface KnoxRow {
  space: string;
  time: string;
  observed: number;
  expected: number;
  ratio: number | null;
  p: number;
}

export interface KnoxPipelineResult {
  rows: KnoxRow[];
  table: KnoxResult;
  events: number;
  note: string;
  parameters: KnoxParams & { iterations: number; seed: number; projection: string | null };
}

export async function knoxPipeline(input: KnoxInput, hooks?: PipelineHooks): Promise<KnoxPipelineResult> {
  const { events, params } = input;
  const n = events.day.length;
  if (n < 3) throw new RangeError(`The Knox test needs at least 3 calls with a place and a time; the filters leave ${n}.`);
  await step(hooks, 'project', 0);
  const projection = projectionForPoints(events.lon, events.lat);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) [x[i], y[i]] = projection.forward(events.lon[i]!, events.lat[i]!);
  await step(hooks, 'permutations', 0.1);
  const table = knox(
    { x, y, days: events.day },
    { spaceBreaksMeters: params.spaceBreaksMeters, timeBreaksDays: params.timeBreaksDays, metric: params.metric, iterations: input.iterations, seed: input.seed },
  );
  const rows: KnoxRow[] = [];
  table.spaceBands.forEach((s, i) => {
    table.timeBands.forEach((t, j) => {
      rows.push({ space: s.label, time: t.label, observed: table.observed[i]![j]!, expected: table.expectedMean[i]![j]!, ratio: table.ratio[i]![j]!, p: table.p[i]![j]! });
    });
  });
  return {
    rows,
    table,
    events: n,
    note: `Monte Carlo p per cell from ${input.iterations} seeded permutations of the days (seed ${input.seed}); cells are not adjusted for multiple comparisons.`,
    parameters: { ...params, iterations: input.iterations, seed: input.seed, projection: `EPSG:${projection.epsg}` },
  };
}
