/**
 * The planner end to end on query results, as the app's analysis worker runs it: repeat-report
 * clusters from the evidence calls, cell trends from the daily counts, then planRotation. The same
 * steps as the CLI (scripts/cli/rotation-flags.ts), so the app and `--rotation` agree.
 */
import type { EvidenceWindowSelection } from './backtest';
import type { SquareGridSpec } from './binning';
import { DEFAULT_HOUR_WINDOWS } from './hour-windows';
import { type PipelineHooks, step } from './pipeline-progress';
import type { Site } from './proximity';
import { type ClusterCall, findRepeatClusters } from './repeat-clusters';
import { planRotation, type RotationPlan, type RotationSettings } from './rotation';
import { cellTrends, type EvidenceRow } from './rotation-candidates';

export interface DailyCellCount {
  col: number;
  row: number;
  /** days since the first day of the history */
  day: number;
  calls: number;
}

export interface RotationPipelineInput {
  evidence: EvidenceRow[];
  /** calls of the evidence window, for repeat-report clusters */
  calls: ClusterCall[];
  /** calls per cell and day of the history before the plan, for the trend categories */
  daily: DailyCellCount[];
  /** days of history in `daily` (day 0 … historyDays − 1) */
  historyDays: number;
  evidenceStart: string;
  evidenceEnd: string;
  grid: SquareGridSpec;
  settings: RotationSettings;
  hubs: Site[];
  studyCells?: [number, number][];
  /** how the settings' evidence window was chosen from the data (absent = set by the analyst) */
  evidenceChoice?: EvidenceWindowSelection;
}

/** Repeat-cluster settings of the clusters section (75 m, 6 calls, the four day parts), as the CLI uses. */
export const PLAN_CLUSTER_OPTIONS = { radiusMeters: 75, minCalls: 6 } as const;

export async function rotationPipeline(input: RotationPipelineInput, hooks?: PipelineHooks): Promise<RotationPlan> {
  await step(hooks, 'Finding repeat-report clusters', 0.05);
  const clusters = findRepeatClusters(input.calls, { windows: DEFAULT_HOUR_WINDOWS, ...PLAN_CLUSTER_OPTIONS, ...(input.hubs.length ? { hubs: input.hubs } : {}) }).clusters;
  await step(hooks, 'Classifying cell trends', 0.35);
  const trends = cellTrends(input.daily, input.historyDays, input.grid.cellMeters);
  await step(hooks, 'Ranking places and scheduling visits', 0.6);
  const plan = planRotation({
    evidence: input.evidence,
    evidenceStart: input.evidenceStart,
    evidenceEnd: input.evidenceEnd,
    grid: input.grid,
    settings: input.settings,
    hubs: input.hubs,
    clusters: clusters.map((c) => ({ id: c.id, centroid: c.centroid, calls: c.calls, distinctNights: c.distinctNights, windowLabel: c.windowLabel, firstDate: c.firstDate, lastDate: c.lastDate })),
    trends,
    ...(input.studyCells ? { studyCells: input.studyCells } : {}),
    ...(input.evidenceChoice ? { evidenceChoice: input.evidenceChoice } : {}),
  });
  await step(hooks, 'Plan ready', 1);
  return plan;
}
