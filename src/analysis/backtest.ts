/**
 * Rolling-origin backtest (methods.md §7): for each week after a warm-up, every method ranks the
 * cells from the data BEFORE the week only, and is scored on the week itself. Scores are hit
 * rate, PAI, PEI and RRI (pred/obs, ptools) at fixed shares of the study area.
 *
 * The planner is scored on its cell ranking for the whole day (the standard PAI setting), from
 * daily counts with each day's calls aged at the day's midpoint; the live plan weights each call by
 * its exact age and ranks per shift. Both use recencyWeight/recencyNormaliser, so the ranking is
 * the planner's up to that sub-day rounding.
 */
import { type CellRaster, type CellRef, cellIndex, cellRaster, KDE_BANDWIDTH_METERS, kdeForecast, previousPeriodForecast, randomForecast } from './forecast-baselines';
import { type CoverageScore, scoreForecast } from './pai';
import { recencyNormaliser, recencyWeight } from './rotation-candidates';

export interface DailyCellCount extends CellRef {
  /** days since the start of the loaded history */
  day: number;
  calls: number;
}

export type BacktestMethod = 'planner' | 'previous-period' | 'previous-week' | 'kde' | 'random';

export const METHOD_LABELS: Record<BacktestMethod, string> = {
  planner: 'Planner (recency-weighted evidence window)',
  'previous-period': 'Previous period counts (evidence window, unweighted: "last month\'s top cells")',
  'previous-week': 'Previous week counts',
  kde: 'Kernel density of the evidence window',
  random: 'Random (seeded)',
};

export interface BacktestOptions {
  /** length of the loaded history in days (day indices 0 … days − 1) */
  days: number;
  cellMeters: number;
  /** evidence window the planner and the previous-period baseline look back over; default 28 */
  evidenceDays?: number;
  /** recency half-life of the planner; default 14 */
  halfLifeDays?: number;
  /** first origin; default = evidenceDays, so every origin has a full window */
  warmupDays?: number;
  /** test period per origin; default 7 */
  testDays?: number;
  /** default 1 %, 2 %, 5 % */
  coverages?: readonly number[];
  kdeBandwidthMeters?: number;
  seed?: number;
  /** the study area; default every cell with a call in the history */
  studyCells?: readonly CellRef[];
}

export interface BacktestWeek {
  startDay: number;
  endDay: number;
  events: number;
  scores: Record<BacktestMethod, CoverageScore[]>;
}

export interface MethodSummary {
  method: BacktestMethod;
  label: string;
  /** means over the test weeks, one per coverage, floor selection */
  byCoverage: {
    coverage: number;
    hitRate: number;
    pai: number;
    pei: number;
    rri: number;
    paiTieInclusive: number;
    /** PAI expected with the tied cut-off cells in random order (pai.ts tieExpected) */
    paiTieExpected: number;
    weeksWithTies: number;
    /** weeks where the planner's floor PAI is higher / lower than this method's */
    weeksPlannerAhead: number;
    weeksPlannerBehind: number;
  }[];
}

export interface BacktestResult {
  weeks: BacktestWeek[];
  summary: MethodSummary[];
  validCells: number;
  settings: Required<Omit<BacktestOptions, 'studyCells'>>;
}

export const BACKTEST_DEFAULTS = { evidenceDays: 28, halfLifeDays: 14, testDays: 7, coverages: [0.01, 0.02, 0.05], seed: 1 } as const;

export function runBacktest(daily: readonly DailyCellCount[], options: BacktestOptions): BacktestResult {
  const evidenceDays = options.evidenceDays ?? BACKTEST_DEFAULTS.evidenceDays;
  const settings: BacktestResult['settings'] = {
    days: options.days,
    cellMeters: options.cellMeters,
    evidenceDays,
    halfLifeDays: options.halfLifeDays ?? BACKTEST_DEFAULTS.halfLifeDays,
    warmupDays: options.warmupDays ?? evidenceDays,
    testDays: options.testDays ?? BACKTEST_DEFAULTS.testDays,
    coverages: options.coverages ?? BACKTEST_DEFAULTS.coverages,
    kdeBandwidthMeters: options.kdeBandwidthMeters ?? KDE_BANDWIDTH_METERS,
    seed: options.seed ?? BACKTEST_DEFAULTS.seed,
  };
  if (settings.warmupDays + settings.testDays > settings.days) {
    throw new RangeError(
      `The history has ${settings.days} days, but a backtest needs ${settings.warmupDays} days of warm-up plus a ${settings.testDays}-day test week. Load a longer period or shorten the evidence window.`,
    );
  }
  const raster = cellRaster(daily, settings.cellMeters, options.studyCells);
  const n = raster.valid.length;
  // day-major dense counts: byDay[d][cell]
  const byDay = Array.from({ length: settings.days }, () => new Float64Array(n));
  for (const d of daily) {
    const i = cellIndex(raster, d.col, d.row);
    if (i >= 0 && d.day >= 0 && d.day < settings.days) byDay[d.day]![i]! += d.calls;
  }
  const weeks: BacktestWeek[] = [];
  for (let origin = settings.warmupDays, w = 0; origin + settings.testDays <= settings.days; origin += settings.testDays, w++) {
    const observed = sumDays(byDay, origin, origin + settings.testDays, n);
    const forecasts = forecastsAt(byDay, raster, origin, settings, settings.seed + w);
    const scores = {} as Record<BacktestMethod, CoverageScore[]>;
    let events = 0;
    for (const [method, f] of Object.entries(forecasts) as [BacktestMethod, { risk: Float64Array; predicted: Float64Array }][]) {
      const s = scoreForecast(f.risk, observed, settings.coverages, { valid: raster.valid, predicted: f.predicted });
      scores[method] = s.coverages;
      events = s.events;
    }
    weeks.push({ startDay: origin, endDay: origin + settings.testDays, events, scores });
  }
  const summary = (Object.keys(METHOD_LABELS) as BacktestMethod[]).map((method) => ({
    method,
    label: METHOD_LABELS[method],
    byCoverage: settings.coverages.map((coverage, k) => {
      const at = weeks.map((wk) => wk.scores[method][k]!);
      return {
        coverage,
        hitRate: mean(at.map((c) => c.floor.hitRate)),
        pai: mean(at.map((c) => c.floor.pai)),
        pei: mean(at.map((c) => c.floor.pei)),
        rri: mean(at.map((c) => c.floor.rri)),
        paiTieInclusive: mean(at.map((c) => c.tieInclusive.pai)),
        paiTieExpected: mean(at.map((c) => c.tieExpected.pai)),
        weeksWithTies: at.filter((c) => c.tiedCells > c.tiedSelected).length,
        weeksPlannerAhead: weeks.filter((wk) => wk.scores.planner[k]!.floor.pai > wk.scores[method][k]!.floor.pai).length,
        weeksPlannerBehind: weeks.filter((wk) => wk.scores.planner[k]!.floor.pai < wk.scores[method][k]!.floor.pai).length,
      };
    }),
  }));
  return { weeks, summary, validCells: raster.valid.reduce((a, b) => a + b, 0), settings };
}

/** Every method's forecast for the test week starting at `origin`, from days before it only. */
export function forecastsAt(
  byDay: readonly Float64Array[],
  raster: CellRaster,
  origin: number,
  s: BacktestResult['settings'],
  seed: number,
): Record<BacktestMethod, { risk: Float64Array; predicted: Float64Array }> {
  const n = raster.valid.length;
  const from = Math.max(0, origin - s.evidenceDays);
  const windowDays = origin - from;
  const period = sumDays(byDay, from, origin, n);
  const lastWeek = sumDays(byDay, Math.max(0, origin - s.testDays), origin, n);
  const planner = new Float64Array(n);
  for (let d = from; d < origin; d++) {
    const w = recencyWeight(origin - d - 0.5, s.halfLifeDays);
    const day = byDay[d]!;
    for (let i = 0; i < n; i++) if (day[i]! > 0) planner[i]! += day[i]! * w;
  }
  const perTest = s.testDays / recencyNormaliser(windowDays, s.halfLifeDays);
  for (let i = 0; i < n; i++) planner[i]! *= perTest;
  const scale = s.testDays / windowDays;
  const prev = previousPeriodForecast(period, scale);
  const week = previousPeriodForecast(lastWeek, 1);
  const kde = kdeForecast(raster, period, s.kdeBandwidthMeters, scale);
  const total = prev.reduce((a, b) => a + b, 0);
  return {
    planner: { risk: planner, predicted: planner },
    'previous-period': { risk: prev, predicted: prev },
    'previous-week': { risk: week, predicted: week },
    kde: { risk: kde, predicted: kde },
    random: randomForecast(raster, seed, total),
  };
}

function sumDays(byDay: readonly Float64Array[], from: number, to: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let d = from; d < to; d++) {
    const day = byDay[d]!;
    for (let i = 0; i < n; i++) out[i]! += day[i]!;
  }
  return out;
}

function mean(values: number[]): number {
  const finite = values.filter((v) => Number.isFinite(v));
  return finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : Number.NaN;
}
