/**
 * Builds a rotation plan for the app: DuckDB aggregates the evidence under the dashboard's
 * cross-filter, the analysis worker clusters, classifies trends and plans (it takes seconds on a
 * city's month, so it never runs on the main thread). The grid is fixed by the whole dataset's
 * median point and the plan start by its last call, so filtering changes the evidence, never the
 * cells or the calendar.
 */
import type { EvidenceWindowSelection } from '../analysis/backtest';
import { squareGridSpec } from '../analysis/binning';
import type { Site } from '../analysis/proximity';
import type { RotationPlan } from '../analysis/rotation';
import type { EvidenceRow } from '../analysis/rotation-candidates';
import { squareCellsInRegion } from '../analysis/study-area';
import type { TierMap } from '../analysis/tiers';
import type { Db } from '../data/db-types';
import { hourlyCellCounts } from '../data/queries/backtest';
import { cellHourEvidence, dailyCellCounts, dataExtent, evidenceCalls, evidenceCallsFrom, evidenceRowsFrom } from '../data/queries/rotation';
import { toRows } from '../data/rows';
import { type Sql, sql } from '../data/sql';
import type { AreaFeature } from '../data/types';
import { type AnalysisClient, createBrowserAnalysisClient } from '../workers/analysis-client';
import { type PlanForm, settingsFromForm } from './plan-form';

export interface PlanContext {
  areas?: readonly AreaFeature[] | null;
  hubs?: readonly Site[];
  /** tier map with referral flags, for the social-services referral rule */
  tierMap?: TierMap | null;
}

export interface PlanRunOptions {
  client?: AnalysisClient;
  signal?: AbortSignal;
  onProgress?: (phase: string, fraction: number) => void;
}

/** A plan that cannot be built from the data as filtered: the sentence says what to change. */
export class PlanInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanInputError';
  }
}

let appClient: AnalysisClient | null = null;

export async function buildPlan(db: Db, where: Sql, form: PlanForm, ctx: PlanContext = {}, o: PlanRunOptions = {}): Promise<RotationPlan> {
  o.onProgress?.('Counting the evidence', 0);
  const [ext] = toRows(await db.query(dataExtent()));
  if (!ext?.first || !Number.isFinite(Number(ext.lon))) throw new PlanInputError('No call with a time and a location is loaded, so there is nothing to plan from. Check the column mapping (time and location columns).');
  const firstDate = String(ext.first).slice(0, 10);
  const lastDate = String(ext.last).slice(0, 10);
  let settings: ReturnType<typeof settingsFromForm>;
  try {
    settings = settingsFromForm(form, addDays(lastDate, 1));
  } catch (e) {
    throw new PlanInputError((e as Error).message);
  }
  const grid = squareGridSpec(Number(ext.lon), Number(ext.lat), settings.cellMeters);
  const scope = { grid, includeSelfInitiated: settings.includeSelfInitiated, where, ...(settings.typeCodes ? { typeCodes: settings.typeCodes } : {}) };
  const studyCells = ctx.areas?.length ? squareCellsInRegion(grid, ctx.areas.map((a) => a.geometry)) : undefined;
  // Trends and the window choice use the history before the plan only: a plan must not see its own week.
  const historyDays = Math.max(0, dayDiff(firstDate, settings.windowStart));
  let evidenceChoice: EvidenceWindowSelection | undefined;
  if (form.evidenceWindow === 'auto' && historyDays > 0) {
    o.onProgress?.('Choosing the evidence window', 0);
    if (!o.client && !appClient) appClient = createBrowserAnalysisClient();
    evidenceChoice = await chooseWindow(db, { ...scope, startDate: firstDate, days: historyDays }, settings, studyCells, o.client ?? appClient!, o.signal);
    settings = { ...settings, evidenceDays: evidenceChoice.chosen.evidenceDays, halfLifeDays: evidenceChoice.chosen.halfLifeDays };
  }
  if (o.signal?.aborted) throw new DOMException('cancelled', 'AbortError');
  const start = `${addDays(settings.windowStart, -settings.evidenceDays)} 00:00:00`;
  const end = `${settings.windowStart} 00:00:00`;
  const evidence: EvidenceRow[] = evidenceRowsFrom(toRows(await db.query(cellHourEvidence({ ...scope, start, end, halfLifeDays: sqlHalfLife(settings.halfLifeDays), recentDays: settings.recentDays, ...(ctx.tierMap ? { tierMap: ctx.tierMap } : {}) }))));
  if (evidence.length === 0) {
    throw new PlanInputError(`No call in scope between ${start.slice(0, 10)} and ${end.slice(0, 10)} under the current filters, so the plan has no evidence. The data ends ${lastDate}: start the plan soon after it, widen the call types, or clear a filter.`);
  }
  if (o.signal?.aborted) throw new DOMException('cancelled', 'AbortError');
  o.onProgress?.('Reading the evidence calls', 0.02);
  const calls = evidenceCallsFrom(toRows(await db.query(evidenceCalls({ ...scope, start, end }))));
  const daily = historyDays > 0 ? toRows(await db.query(dailyCellCounts({ ...scope, startDate: firstDate, days: historyDays }))).map((r) => ({ col: Number(r.col), row: Number(r.row), day: Number(r.day), calls: Number(r.calls) })) : [];
  if (o.signal?.aborted) throw new DOMException('cancelled', 'AbortError');
  if (!o.client && !appClient) appClient = createBrowserAnalysisClient();
  const client = o.client ?? appClient!;
  return client.run(
    'rotation',
    { evidence, calls, daily, historyDays, evidenceStart: start, evidenceEnd: end, grid, settings, hubs: (ctx.hubs ?? []).map((h) => ({ id: h.id, lon: h.lon, lat: h.lat, ...(h.name ? { name: h.name } : {}) })), ...(studyCells ? { studyCells } : {}), ...(evidenceChoice ? { evidenceChoice } : {}) },
    { ...(o.signal ? { signal: o.signal } : {}), ...(o.onProgress ? { onProgress: o.onProgress } : {}) },
  );
}

/**
 * The evidence window for a plan starting `q.days` days after the first call, chosen exactly as
 * the CLI's --rotation does (scripts/cli/rotation-flags.ts) but on the calls under the
 * cross-filter: what the analyst is planning for is what the windows are scored on.
 */
export async function chooseWindow(
  db: Db,
  q: Parameters<typeof hourlyCellCounts>[0],
  settings: ReturnType<typeof settingsFromForm>,
  studyCells: [number, number][] | undefined,
  client: AnalysisClient,
  signal?: AbortSignal,
): Promise<EvidenceWindowSelection> {
  const hourly = toRows(await db.query(hourlyCellCounts(q))).map((r) => ({ col: Number(r.col), row: Number(r.row), day: Number(r.day), hour: Number(r.hour), calls: Number(r.calls) }));
  const options = { days: q.days, cellMeters: settings.cellMeters, shifts: settings.shifts, ...(studyCells ? { studyCells: studyCells.map(([col, row]) => ({ col, row })) } : {}) };
  // Scoring four windows on eight weeks takes 2–4 s on the demo city's quarter on a loaded core: the worker, not the main thread.
  return client.run('evidence-window', { hourly, options }, signal ? { signal } : {});
}

/**
 * "No decay" is an infinite half-life; an Infinity parameter reaches DuckDB as NULL (every weight
 * NULL), so the query gets a half-life so long that 0.5^(age / it) is 1 to 1e-11.
 */
export function sqlHalfLife(halfLifeDays: number): number {
  return Number.isFinite(halfLifeDays) ? halfLifeDays : 1e12;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function dayDiff(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** District values of the data, busiest first, for units per district (none when the column is empty). */
export async function planDistricts(db: Db, limit = 40): Promise<string[]> {
  const rows = toRows(await db.query(sql`SELECT district, count(*)::INTEGER AS n FROM calls WHERE district IS NOT NULL AND trim(district) <> '' GROUP BY district ORDER BY n DESC, district LIMIT ${limit}`));
  return rows.map((r) => String(r.district));
}
