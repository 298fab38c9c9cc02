/**
 * Rolling-origin backtest (methods.md §7): for each week after a warm-up, every method ranks the
 * cells from the data BEFORE the week only, and is scored on the week itself. Scores are hit
 * rate, PAI, PEI and RRI (pred/obs, ptools) at fixed shares of the study area.
 *
 * Usage (counts come from src/data/queries/backtest.ts hourlyCellCounts, or rotation.ts
 * dailyCellCounts for the whole-day version; studyCells = study-area.ts squareCellsInRegion):
 *
 *   const whole = runBacktest(daily, { days, cellMeters: 150, studyCells });        // one ranking per week
 *   const perShift = runShiftBacktest(hourly, { days, cellMeters: 150, studyCells, shifts });
 *   perShift.summary → per method and coverage: mean PAI/HR/PEI/RRI over weeks, and the weekly PAI
 *   difference of the shipped planner (and of the earlier and smoothed variants) to it (mean,
 *   standard error, weeks ahead/behind).
 *   const nested = nestedShiftBacktest(hourly, { days, cellMeters: 150, studyCells });  // window chosen per week
 *   const live = chooseEvidenceWindow(hourlyBeforePlan, { days: planStartDay, cellMeters: 150 });
 *
 * runBacktest scores the planner's evidence as a whole-day ranking (the standard PAI setting),
 * from daily counts with each day's calls aged at the day's midpoint; the live plan weights each
 * call by its exact age. runShiftBacktest scores what the planner actually makes, a ranking per
 * shift scored on that shift's hours, next to time-blind baselines and their per-shift variants.
 */
import { type CellRaster, type CellRef, cellIndex, cellRaster, KDE_BANDWIDTH_METERS, kdeForecast, previousPeriodForecast, randomForecast } from './forecast-baselines';
import { bhAdjust } from './fdr';
import { giBin, giStar } from './gi-star';
import { type HourWindow, windowHourList } from './hour-windows';
import { type CoverageScore, rankCells, scoreForecast } from './pai';
import { DEFAULT_SHIFTS } from './rotation';
import { recencyNormaliser, recencyWeight } from './rotation-candidates';
import { pseudoCounts, type SparseDay, smoothedShiftForecast, sumSparseDays } from './shift-forecast';
import { distanceBand } from './weights';

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

/** Means over the test weeks at one coverage (shared by the whole-day and per-shift summaries). */
export interface CoverageMeans {
  coverage: number;
  hitRate: number;
  pai: number;
  pei: number;
  rri: number;
  /** PAI expected with the tied cut-off cells in random order (pai.ts tieExpected) */
  paiTieExpected: number;
}

export interface MethodSummary {
  method: BacktestMethod;
  label: string;
  /** means over the test weeks, one per coverage, floor selection */
  byCoverage: (CoverageMeans & {
    paiTieInclusive: number;
    weeksWithTies: number;
    /** weeks where the planner's floor PAI is higher / lower than this method's */
    weeksPlannerAhead: number;
    weeksPlannerBehind: number;
  })[];
}

export interface BacktestResult {
  weeks: BacktestWeek[];
  summary: MethodSummary[];
  validCells: number;
  settings: Required<Omit<BacktestOptions, 'studyCells'>>;
}

export const BACKTEST_DEFAULTS = { evidenceDays: 28, halfLifeDays: 14, testDays: 7, coverages: [0.01, 0.02, 0.05], seed: 1 } as const;

export function runBacktest(daily: readonly DailyCellCount[], options: BacktestOptions): BacktestResult {
  const settings = resolveSettings(options);
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

/** Options with defaults filled in; refuses a history too short for one test week after the warm-up. */
export function resolveSettings(options: BacktestOptions): BacktestResult['settings'] {
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
  return settings;
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

// ─── Shift-aware backtest: the plan as the product makes it ────────────────────────────────────

/** Calls per cell, day and hour of day (src/data/queries/backtest.ts hourlyCellCounts). */
export interface HourlyCellCount extends DailyCellCount {
  /** 0–23, agency wall clock */
  hour: number;
}

/**
 * Methods of the shift backtest. `shipped` is the planner as rotation.ts runs it; `planner` and
 * `planner-candidates` are the earlier raw ranking without and with its gate, `planner-smoothed`
 * the smoothed ranking without the gate. The time-aware ones rank each shift's cells by calls
 * expected in that shift's hours; the baselines (previous-period counts, KDE, random)
 * know nothing of time of day and pick the same cells for every shift; the "-shift" variants are
 * the same baselines given each shift's hours, so a win on time of day alone is not mistaken for
 * a better estimator.
 */
export type ShiftBacktestMethod = 'shipped' | 'planner' | 'planner-candidates' | 'planner-smoothed' | 'smoothed-all-hours' | 'previous-period' | 'kde' | 'random' | 'previous-period-shift' | 'kde-shift';

export const SHIFT_METHOD_LABELS: Record<ShiftBacktestMethod, string> = {
  shipped:
    'Planner as shipped: candidate gate (Gi* hot cells, q ≤ .05 after FDR, ≥ 5 calls in the window) first, ranked by the neighbourhood-smoothed expected calls of the shift (shift-forecast.ts); clusters and hubs not modelled',
  planner: "Earlier planner: each cell's recency-weighted calls in the shift's hours",
  'planner-candidates':
    "Earlier planner, candidates first: Gi* hot cells (q ≤ .05 after FDR, ≥ 5 calls in the window) ranked by the shift's expected calls, then every other cell (repeat clusters and hub surroundings not modelled)",
  'planner-smoothed': 'Planner, neighbourhood-smoothed: empirical-Bayes shrinkage of each cell and shift toward its 300 m neighbourhood (shift-forecast.ts)',
  'smoothed-all-hours': 'Neighbourhood-smoothed, all hours (stage 1 of the smoothed planner alone; same cells every shift)',
  'previous-period': 'Previous period counts, all hours (same cells every shift)',
  kde: 'Kernel density, all hours (same cells every shift)',
  random: 'Random (seeded; same cells every shift)',
  'previous-period-shift': "Previous period counts in the shift's hours",
  'kde-shift': "Kernel density of the shift's hours",
};

/** Which methods see the time of day (the rest choose the same places for every shift). */
export const SHIFT_METHOD_TIME_AWARE: Record<ShiftBacktestMethod, boolean> = {
  shipped: true,
  planner: true,
  'planner-candidates': true,
  'planner-smoothed': true,
  'smoothed-all-hours': false,
  'previous-period': false,
  kde: false,
  random: false,
  'previous-period-shift': true,
  'kde-shift': true,
};

export interface ShiftBacktestOptions extends BacktestOptions {
  /** default the planner's 07–15, 15–23, 23–07 */
  shifts?: readonly HourWindow[];
  /**
   * The evidence window of the week starting at `origin` (every method uses it); default the fixed
   * evidenceDays / halfLifeDays. nestedShiftBacktest passes a choice made from days before `origin`.
   */
  windowAt?: (origin: number) => EvidenceChoice;
}

/**
 * One method at one coverage in one test week, pooled over shifts: every shift flags the same
 * number of cells (floor(valid · coverage)), and is scored on the calls in its own hours. So HR =
 * Σ captured / Σ calls, PAI = HR / coverage (patrolled area-hours over all area-hours), PEI against
 * the best cells of each shift, RRI = Σ predicted / Σ captured.
 */
export interface PooledCoverageScore {
  coverage: number;
  cellsPerShift: number;
  events: number;
  captured: number;
  hitRate: number;
  pai: number;
  pei: number;
  rri: number;
  /** PAI expected with each shift's tied cut-off cells in random order (as pai.ts tieExpected) */
  paiTieExpected: number;
}

export interface ShiftBacktestWeek {
  startDay: number;
  endDay: number;
  /** calls in the week's shift hours (each call once when the shifts do not overlap) */
  events: number;
  eventsByShift: number[];
  scores: Record<ShiftBacktestMethod, PooledCoverageScore[]>;
}

/** Paired comparison over the test weeks of a reference method's PAI minus this method's. */
export interface PairedPaiDifference {
  weeksAhead: number;
  weeksBehind: number;
  meanDifference: number;
  /** standard error of the mean weekly difference (sd / √weeks); NaN with fewer than 2 weeks */
  standardError: number;
}

export interface ShiftMethodSummary {
  method: ShiftBacktestMethod;
  label: string;
  timeAware: boolean;
  byCoverage: (CoverageMeans & {
    /** the shipped planner's raw ranking minus this method */
    planner: PairedPaiDifference;
    /** the shipped planner with its candidate gate (planner-candidates) minus this method */
    candidates: PairedPaiDifference;
    /** the smoothed planner minus this method */
    smoothed: PairedPaiDifference;
    /** the planner as shipped (candidate gate + smoothed ranking) minus this method */
    shipped: PairedPaiDifference;
  })[];
}

export interface ShiftBacktestResult {
  weeks: ShiftBacktestWeek[];
  summary: ShiftMethodSummary[];
  validCells: number;
  shifts: { id: string; label: string }[];
  settings: Required<Omit<BacktestOptions, 'studyCells'>>;
  /** empirical-Bayes prior shapes per week (all hours, then each shift): large = little real variation between cells */
  priorShapes: number[][];
}

/**
 * Rolling-origin backtest of per-shift plans. For each test week every method ranks the cells for
 * each shift from the days before the week only, flags the same share of cells in every shift,
 * and is scored on the calls in that shift's hours of the week. A call belongs to the shift whose
 * hours contain its clock hour, on its own calendar day (so 01:00 on the first test day counts in
 * the test week's night shift even though that shift instance began the evening before).
 */
export function runShiftBacktest(hourly: readonly HourlyCellCount[], options: ShiftBacktestOptions): ShiftBacktestResult {
  const settings = resolveSettings(options);
  const shifts = (options.shifts ?? DEFAULT_SHIFTS).slice();
  if (shifts.length === 0) throw new RangeError('The shift backtest needs at least one shift.');
  const raster = cellRaster(hourly, settings.cellMeters, options.studyCells);
  const n = raster.valid.length;
  const { all, byShift } = sparseHistory(hourly, raster, shifts, settings.days);
  const methods = Object.keys(SHIFT_METHOD_LABELS) as ShiftBacktestMethod[];
  const weeks: ShiftBacktestWeek[] = [];
  const priorShapes: number[][] = [];
  for (let origin = settings.warmupDays, w = 0; origin + settings.testDays <= settings.days; origin += settings.testDays, w++) {
    const end = origin + settings.testDays;
    const observed = byShift.map((days) => sumSparseDays(days, origin, end, n));
    const f = shiftForecastsAt(all, byShift, raster, origin, options.windowAt ? { ...settings, ...options.windowAt(origin) } : settings, settings.seed + w);
    priorShapes.push(f.shapes);
    const scores = {} as Record<ShiftBacktestMethod, PooledCoverageScore[]>;
    for (const m of methods) scores[m] = poolShiftScores(f.forecasts[m], observed, settings.coverages, raster.valid);
    const eventsByShift = observed.map((o) => o.reduce((a, v, i) => a + (raster.valid[i] ? v : 0), 0));
    weeks.push({ startDay: origin, endDay: end, events: eventsByShift.reduce((a, b) => a + b, 0), eventsByShift, scores });
  }
  const paired = (ref: ShiftBacktestMethod, m: ShiftBacktestMethod, k: number): PairedPaiDifference => {
    const d = weeks.map((wk) => wk.scores[ref][k]!.pai - wk.scores[m][k]!.pai).filter((x) => Number.isFinite(x));
    const mu = mean(d);
    const sd = d.length > 1 ? Math.sqrt(d.reduce((a, x) => a + (x - mu) ** 2, 0) / (d.length - 1)) : Number.NaN;
    return { weeksAhead: d.filter((x) => x > 0).length, weeksBehind: d.filter((x) => x < 0).length, meanDifference: mu, standardError: sd / Math.sqrt(d.length) };
  };
  const summary = methods.map(
    (method): ShiftMethodSummary => ({
      method,
      label: SHIFT_METHOD_LABELS[method],
      timeAware: SHIFT_METHOD_TIME_AWARE[method],
      byCoverage: settings.coverages.map((coverage, k) => {
        const at = weeks.map((wk) => wk.scores[method][k]!);
        return {
          coverage,
          hitRate: mean(at.map((c) => c.hitRate)),
          pai: mean(at.map((c) => c.pai)),
          pei: mean(at.map((c) => c.pei)),
          rri: mean(at.map((c) => c.rri)),
          paiTieExpected: mean(at.map((c) => c.paiTieExpected)),
          planner: paired('planner', method, k),
          candidates: paired('planner-candidates', method, k),
          smoothed: paired('planner-smoothed', method, k),
          shipped: paired('shipped', method, k),
        };
      }),
    }),
  );
  return { weeks, summary, validCells: raster.valid.reduce((a, b) => a + b, 0), shifts: shifts.map((s) => ({ id: s.id, label: s.label })), settings, priorShapes };
}

interface Forecast {
  risk: Float64Array;
  predicted: Float64Array;
}

/** Sparse per-day counts (cell → calls), all hours and per shift, of days [0, days). */
function sparseHistory(hourly: readonly HourlyCellCount[], raster: CellRaster, shifts: readonly HourWindow[], days: number): { all: SparseDay[]; byShift: SparseDay[][] } {
  const shiftOfHour = shifts.map((sh) => {
    const inShift = new Uint8Array(24);
    for (const h of windowHourList(sh)) inShift[h] = 1;
    return inShift;
  });
  const perDay = Array.from({ length: days }, () => new Map<number, Float64Array>());
  for (const c of hourly) {
    const i = cellIndex(raster, c.col, c.row);
    if (i < 0 || c.day < 0 || c.day >= days) continue;
    const v = perDay[c.day]!.get(i) ?? new Float64Array(shifts.length + 1);
    v[0]! += c.calls;
    for (let s = 0; s < shifts.length; s++) if (shiftOfHour[s]![c.hour]) v[s + 1]! += c.calls;
    perDay[c.day]!.set(i, v);
  }
  const column = (j: number): SparseDay[] =>
    perDay.map((m) => {
      const cells = Int32Array.from(m.keys());
      return { cells, calls: Float64Array.from(cells, (i) => m.get(i)![j]!) };
    });
  return { all: column(0), byShift: shifts.map((_, s) => column(s + 1)) };
}

/** Every shift-backtest method's per-shift forecasts for the week starting at `origin`, from the days before it. */
function shiftForecastsAt(
  all: readonly SparseDay[],
  byShift: readonly (readonly SparseDay[])[],
  raster: CellRaster,
  origin: number,
  s: BacktestResult['settings'],
  seed: number,
): { forecasts: Record<ShiftBacktestMethod, Forecast[]>; shapes: number[] } {
  const n = raster.valid.length;
  const from = Math.max(0, origin - s.evidenceDays);
  const scale = s.testDays / (origin - from);
  // The planner's own evidence: recency-weighted counts per shift, as a weekly expectation.
  const allPseudo = pseudoCounts(all, from, origin, s.halfLifeDays, n);
  const shiftPseudo = byShift.map((days) => pseudoCounts(days, from, origin, s.halfLifeDays, n));
  const perTest = allPseudo.nEffDays > 0 ? s.testDays / allPseudo.nEffDays : 0;
  const planner = shiftPseudo.map((p) => p.counts.map((v) => v * perTest));
  const smoothed = smoothedShiftForecast({ raster, all: allPseudo, shifts: shiftPseudo, bandwidthMeters: s.kdeBandwidthMeters, horizonDays: s.testDays });
  // Time-blind baselines rank by all hours; to make RRI comparable their expected calls in a shift
  // are the all-hours forecast times the city's share of calls in that shift's hours.
  const period = sumSparseDays(all, from, origin, n);
  const periodTotal = period.reduce((a, v) => a + v, 0);
  const periodByShift = byShift.map((days) => sumSparseDays(days, from, origin, n));
  const cityShare = periodByShift.map((p) => (periodTotal > 0 ? p.reduce((a, v) => a + v, 0) / periodTotal : 0));
  const prev = previousPeriodForecast(period, scale);
  const kde = kdeForecast(raster, period, s.kdeBandwidthMeters, scale);
  const rand = randomForecast(raster, seed, periodTotal * scale);
  const blind = (f: Forecast): Forecast[] => cityShare.map((share) => ({ risk: f.risk, predicted: f.predicted.map((v) => v * share) }));
  const same = (arrays: Float64Array[]): Forecast[] => arrays.map((a) => ({ risk: a, predicted: a }));
  return {
    forecasts: {
      shipped: candidatesFirst(raster, period, smoothed.byShift),
      planner: same(planner),
      'planner-candidates': candidatesFirst(raster, period, planner),
      'planner-smoothed': same(smoothed.byShift),
      'smoothed-all-hours': blind({ risk: smoothed.allHours, predicted: smoothed.allHours }),
      'previous-period': blind({ risk: prev, predicted: prev }),
      kde: blind({ risk: kde, predicted: kde }),
      random: blind(rand),
      'previous-period-shift': same(periodByShift.map((p) => previousPeriodForecast(p, scale))),
      'kde-shift': same(periodByShift.map((p) => kdeForecast(raster, p, s.kdeBandwidthMeters, scale))),
    },
    shapes: smoothed.shapes,
  };
}

/**
 * The planner's candidate gate at cell level: a cell is a hot-spot candidate when Gi* over the
 * window's calls (queen neighbourhood, band 1.5 cells, study-area cells) is significant at q ≤ .05
 * after Benjamini–Hochberg and it had at least 5 calls (rotation-candidates.ts defaults).
 * Candidates rank first, by the planner's expected calls in the shift; the remaining cells follow
 * in the same order so every method flags the same number of cells.
 */
function candidatesFirst(raster: CellRaster, windowCounts: Float64Array, planner: readonly Float64Array[]): Forecast[] {
  const cells: number[] = [];
  for (let i = 0; i < raster.valid.length; i++) if (raster.valid[i]) cells.push(i);
  const xs = cells.map((i) => (i % raster.cols) * raster.cellMeters);
  const ys = cells.map((i) => Math.floor(i / raster.cols) * raster.cellMeters);
  const gi = giStar(
    Float64Array.from(cells, (i) => windowCounts[i]!),
    distanceBand(xs, ys, raster.cellMeters * 1.5),
  );
  const q = bhAdjust(gi.map((g) => g.p));
  const candidate = new Uint8Array(raster.valid.length);
  cells.forEach((i, k) => {
    if (giBin(gi[k]!.z, q[k]!) >= 2 && windowCounts[i]! >= 5) candidate[i] = 1;
  });
  return planner.map((expected) => {
    const lift = expected.reduce((a, b) => Math.max(a, b), 0) + 1;
    return { risk: expected.map((v, i) => v + (candidate[i] ? lift : 0)), predicted: expected };
  });
}

/** Pools one method's per-shift selections at each coverage (see PooledCoverageScore). */
export function poolShiftScores(forecasts: readonly Forecast[], observed: readonly Float64Array[], coverages: readonly number[], valid: ArrayLike<number>): PooledCoverageScore[] {
  const perShift = forecasts.map((f, s) => {
    const obs = observed[s]!;
    const order = rankCells(f.risk, valid);
    const best = Float64Array.from(order, (i) => obs[i]!).sort().reverse();
    return { order, obs, risk: f.risk, predicted: f.predicted, best, events: best.reduce((a, b) => a + b, 0) };
  });
  const n = perShift[0]?.order.length ?? 0;
  const events = perShift.reduce((a, p) => a + p.events, 0);
  return coverages.map((coverage) => {
    if (!(coverage > 0 && coverage <= 1)) throw new RangeError(`Coverage must be a share of the area between 0 and 1 (got ${coverage}).`);
    const k = Math.floor(n * coverage + 1e-9);
    let captured = 0;
    let pred = 0;
    let oracle = 0;
    let expected = 0;
    for (const p of perShift) {
      let above = 0;
      for (let t = 0; t < k; t++) {
        captured += p.obs[p.order[t]!]!;
        pred += p.predicted[p.order[t]!]!;
        oracle += p.best[t]!;
      }
      if (k === 0) continue;
      // Ties at the cut-off: the expectation when the tied cells are drawn in random order.
      const cut = p.risk[p.order[k - 1]!]!;
      let first = k - 1;
      while (first > 0 && p.risk[p.order[first - 1]!] === cut) first--;
      let last = k - 1;
      while (last + 1 < n && p.risk[p.order[last + 1]!] === cut) last++;
      for (let t = 0; t < first; t++) above += p.obs[p.order[t]!]!;
      let tied = 0;
      for (let t = first; t <= last; t++) tied += p.obs[p.order[t]!]!;
      expected += above + ((k - first) * tied) / (last - first + 1);
    }
    const share = n > 0 ? k / n : Number.NaN;
    const hitRate = events > 0 ? captured / events : Number.NaN;
    return {
      coverage,
      cellsPerShift: k,
      events,
      captured,
      hitRate,
      pai: k > 0 && events > 0 ? hitRate / share : Number.NaN,
      pei: oracle > 0 ? captured / oracle : Number.NaN,
      rri: captured > 0 ? pred / captured : pred > 0 ? Number.POSITIVE_INFINITY : Number.NaN,
      paiTieExpected: k > 0 && events > 0 ? expected / events / share : Number.NaN,
    };
  });
}

// ─── Choosing the evidence window on a held-out early period ───────────────────────────────────

export interface EvidenceChoice {
  evidenceDays: number;
  halfLifeDays: number;
}

/**
 * Windows an agency might reasonably use, fixed before looking at any result: the planner's
 * default (4 weeks, half-life 2 weeks), the same without decay, 8 weeks with a 4-week half-life,
 * and a quarter without decay (hot spots are known to be stable over months and years; Weisburd
 * et al. 2004, Braga, Papachristos & Hureau 2010).
 */
export const EVIDENCE_CHOICES: readonly EvidenceChoice[] = [
  { evidenceDays: 28, halfLifeDays: 14 },
  { evidenceDays: 28, halfLifeDays: Number.POSITIVE_INFINITY },
  { evidenceDays: 56, halfLifeDays: 28 },
  { evidenceDays: 91, halfLifeDays: Number.POSITIVE_INFINITY },
];

export interface HeldOutOptions extends ShiftBacktestOptions {
  /** the first this many test weeks choose the window and are then left out of the report */
  heldOutWeeks: number;
  choices?: readonly EvidenceChoice[];
  /** coverage whose smoothed-planner PAI decides; default 2 % */
  selectCoverage?: number;
}

export interface HeldOutResult {
  heldOutWeeks: number;
  selectCoverage: number;
  /** mean PAI of the smoothed planner over the held-out weeks, per candidate window */
  selection: (EvidenceChoice & { pai: number })[];
  chosen: EvidenceChoice;
  /**
   * The weeks after the held-out ones, every method (baselines included: no method gets more
   * history than another) on the chosen window.
   */
  result: ShiftBacktestResult;
}

/**
 * The honest way to pick the evidence window from the agency's own history: score each candidate
 * on the first `heldOutWeeks` test weeks only (their data end where those weeks end), keep the
 * best for the smoothed planner, and report the LATER weeks with it. No reported week influenced
 * the choice.
 */
export function heldOutShiftBacktest(hourly: readonly HourlyCellCount[], options: HeldOutOptions): HeldOutResult {
  const warmupDays = options.warmupDays ?? options.evidenceDays ?? BACKTEST_DEFAULTS.evidenceDays;
  const testDays = options.testDays ?? BACKTEST_DEFAULTS.testDays;
  const selectCoverage = options.selectCoverage ?? 0.02;
  const splitDay = warmupDays + options.heldOutWeeks * testDays;
  if (!(Number.isInteger(options.heldOutWeeks) && options.heldOutWeeks >= 1)) throw new RangeError(`Hold out at least one whole week (got ${options.heldOutWeeks}).`);
  if (splitDay + testDays > options.days) {
    throw new RangeError(
      `The history has ${options.days} days: ${warmupDays} days of warm-up and ${options.heldOutWeeks} held-out weeks leave no week to report. Hold out fewer weeks or load a longer period.`,
    );
  }
  const early = hourly.filter((h) => h.day < splitDay);
  const selection = (options.choices ?? EVIDENCE_CHOICES).map((choice) => {
    const r = runShiftBacktest(early, { ...options, ...choice, days: splitDay, warmupDays, coverages: [selectCoverage] });
    return { ...choice, pai: r.summary.find((m) => m.method === 'planner-smoothed')!.byCoverage[0]!.pai };
  });
  // Ties go to the earlier (simpler, shorter) candidate.
  const best = selection.reduce((a, b) => (b.pai > a.pai ? b : a));
  const chosen = { evidenceDays: best.evidenceDays, halfLifeDays: best.halfLifeDays };
  const result = runShiftBacktest(hourly, { ...options, ...chosen, warmupDays: splitDay });
  return { heldOutWeeks: options.heldOutWeeks, selectCoverage, selection, chosen, result };
}

// ─── The planner choosing its own evidence window, and the nested backtest of that choice ──────

export interface EvidenceWindowOptions {
  /** day index of the plan start (or test week): only days before it are read */
  days: number;
  cellMeters: number;
  studyCells?: readonly CellRef[];
  shifts?: readonly HourWindow[];
  choices?: readonly EvidenceChoice[];
  /** score each window on at most this many most recent weeks before `days`; default 8 */
  selectionWeeks?: number;
  /** with fewer complete weeks to score, keep the first choice (the default window); default 2 */
  minSelectionWeeks?: number;
  /** pooled per-shift PAI at this coverage decides; default 2 % */
  selectCoverage?: number;
  kdeBandwidthMeters?: number;
}

export interface EvidenceWindowSelection {
  chosen: EvidenceChoice;
  /** mean PAI of the shipped ranking over the scored weeks, per window (NaN when none was scored) */
  scores: (EvidenceChoice & { pai: number })[];
  /** the scored weeks, day indices [startDay, endDay) */
  weeks: { startDay: number; endDay: number }[];
  selectCoverage: number;
  /** true when too few weeks could be scored and the default window was kept */
  fallback: boolean;
}

export const EVIDENCE_SELECTION_DEFAULTS = { selectionWeeks: 8, minSelectionWeeks: 2, selectCoverage: 0.02 } as const;

/**
 * A scorer of the shipped ranking (candidate gate + smoothed expected calls) per window and
 * week, memoised: the score of window w on week [o, o + 7) depends only on days before o + 7, so
 * the nested backtest reuses it for every later test week.
 */
function windowScorer(all: readonly SparseDay[], byShift: readonly (readonly SparseDay[])[], raster: CellRaster, base: BacktestResult['settings'], coverage: number) {
  const memo = new Map<string, number>();
  const n = raster.valid.length;
  return (choice: EvidenceChoice, origin: number): number => {
    const key = `${choice.evidenceDays}/${choice.halfLifeDays}/${origin}`;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    const from = Math.max(0, origin - choice.evidenceDays);
    const end = origin + base.testDays;
    const allPseudo = pseudoCounts(all, from, origin, choice.halfLifeDays, n);
    const shiftPseudo = byShift.map((days) => pseudoCounts(days, from, origin, choice.halfLifeDays, n));
    const smoothed = smoothedShiftForecast({ raster, all: allPseudo, shifts: shiftPseudo, bandwidthMeters: base.kdeBandwidthMeters, horizonDays: base.testDays });
    const ranked = candidatesFirst(raster, sumSparseDays(all, from, origin, n), smoothed.byShift);
    const observed = byShift.map((days) => sumSparseDays(days, origin, end, n));
    const pai = poolShiftScores(ranked, observed, [coverage], raster.valid)[0]!.pai;
    memo.set(key, pai);
    return pai;
  };
}

function selectWindow(score: (c: EvidenceChoice, origin: number) => number, days: number, o: Required<Pick<EvidenceWindowOptions, 'selectionWeeks' | 'minSelectionWeeks' | 'selectCoverage'>> & { choices: readonly EvidenceChoice[]; testDays: number }): EvidenceWindowSelection {
  // Every scored week needs the shortest window's full evidence before it, so no window is judged on a stub.
  const earliest = Math.min(...o.choices.map((c) => c.evidenceDays));
  const weeks: { startDay: number; endDay: number }[] = [];
  for (let k = 1; k <= o.selectionWeeks; k++) {
    const start = days - k * o.testDays;
    if (start < earliest) break;
    weeks.unshift({ startDay: start, endDay: start + o.testDays });
  }
  const fallback = weeks.length < o.minSelectionWeeks;
  const scores = o.choices.map((c) => ({ ...c, pai: fallback ? Number.NaN : mean(weeks.map((w) => score(c, w.startDay))) }));
  // Ties (and no evidence) go to the earlier choice: the planner's default first.
  const best = fallback ? scores[0]! : scores.reduce((a, b) => (b.pai > a.pai ? b : a));
  return { chosen: { evidenceDays: best.evidenceDays, halfLifeDays: best.halfLifeDays }, scores, weeks, selectCoverage: o.selectCoverage, fallback };
}

/**
 * The evidence window the planner uses for a plan starting on day `days`: each window fixed in
 * advance (EVIDENCE_CHOICES) is scored on the most recent complete weeks before the plan, each
 * week planned from the days before it, and the best mean PAI of the shipped ranking wins. No
 * day on or after the plan start is read.
 */
export function chooseEvidenceWindow(hourly: readonly HourlyCellCount[], o: EvidenceWindowOptions): EvidenceWindowSelection {
  const shifts = (o.shifts ?? DEFAULT_SHIFTS).slice();
  const choices = o.choices ?? EVIDENCE_CHOICES;
  const before = hourly.filter((h) => h.day < o.days);
  const raster = cellRaster(before.length ? before : (o.studyCells ?? []), o.cellMeters, o.studyCells);
  const { all, byShift } = sparseHistory(before, raster, shifts, o.days);
  const base = resolveSettings({ days: Math.max(o.days, BACKTEST_DEFAULTS.testDays), cellMeters: o.cellMeters, warmupDays: 0, ...(o.kdeBandwidthMeters ? { kdeBandwidthMeters: o.kdeBandwidthMeters } : {}) });
  const selectCoverage = o.selectCoverage ?? EVIDENCE_SELECTION_DEFAULTS.selectCoverage;
  return selectWindow(windowScorer(all, byShift, raster, base, selectCoverage), o.days, {
    choices,
    testDays: base.testDays,
    selectCoverage,
    selectionWeeks: o.selectionWeeks ?? EVIDENCE_SELECTION_DEFAULTS.selectionWeeks,
    minSelectionWeeks: o.minSelectionWeeks ?? EVIDENCE_SELECTION_DEFAULTS.minSelectionWeeks,
  });
}

export interface NestedOptions extends Omit<ShiftBacktestOptions, 'windowAt' | 'evidenceDays' | 'halfLifeDays'> {
  choices?: readonly EvidenceChoice[];
  selectionWeeks?: number;
  minSelectionWeeks?: number;
  selectCoverage?: number;
}

export interface NestedResult {
  /** per reported week, the window chosen from the weeks before it, and the scores that chose it */
  choices: ({ startDay: number } & EvidenceWindowSelection)[];
  /** every method on its week's chosen window (no method gets more history than another) */
  result: ShiftBacktestResult;
}

/**
 * Rolling-origin backtest of the planner choosing its own window: for each test week the window
 * is chosen exactly as chooseEvidenceWindow would on the morning of that week (only weeks before
 * it scored), then every method plans the week from that window. Reported weeks start once
 * `minSelectionWeeks` weeks can be scored, so no reported week runs on the fallback.
 */
export function nestedShiftBacktest(hourly: readonly HourlyCellCount[], o: NestedOptions): NestedResult {
  const shifts = (o.shifts ?? DEFAULT_SHIFTS).slice();
  const choices = o.choices ?? EVIDENCE_CHOICES;
  const testDays = o.testDays ?? BACKTEST_DEFAULTS.testDays;
  const minSelectionWeeks = o.minSelectionWeeks ?? EVIDENCE_SELECTION_DEFAULTS.minSelectionWeeks;
  const earliest = Math.min(...choices.map((c) => c.evidenceDays));
  const warmupDays = o.warmupDays ?? earliest + minSelectionWeeks * testDays;
  const raster = cellRaster(hourly, o.cellMeters, o.studyCells);
  const { all, byShift } = sparseHistory(hourly, raster, shifts, o.days);
  const base = resolveSettings({ ...o, warmupDays });
  const selectCoverage = o.selectCoverage ?? EVIDENCE_SELECTION_DEFAULTS.selectCoverage;
  const score = windowScorer(all, byShift, raster, base, selectCoverage);
  const picked: NestedResult['choices'] = [];
  const result = runShiftBacktest(hourly, {
    ...o,
    shifts,
    warmupDays,
    windowAt: (origin) => {
      const sel = selectWindow(score, origin, { choices, testDays, selectCoverage, selectionWeeks: o.selectionWeeks ?? EVIDENCE_SELECTION_DEFAULTS.selectionWeeks, minSelectionWeeks });
      picked.push({ startDay: origin, ...sel });
      return sel.chosen;
    },
  });
  return { choices: picked, result };
}
