/**
 * Rolling-origin backtest: leakage and baselines on a hand-built history, then the issue's
 * acceptance question on the demo city (data/demo, loaded through importDataset on real DuckDB):
 * does the planner beat every baseline on PAI, averaged over the test weeks? Asked twice: for the
 * time-blind cell ranking (runBacktest, the standard PAI setting) and for the plan as the product
 * makes it, one ranking per shift scored on that shift's hours (runShiftBacktest). The shift
 * pieces are tested on hand-built data in shift-forecast.test.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { booleanPointInPolygon } from '@turf/turf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BacktestMethod,
  chooseEvidenceWindow,
  type DailyCellCount,
  type HourlyCellCount,
  heldOutShiftBacktest,
  nestedShiftBacktest,
  type PairedPaiDifference,
  runBacktest,
  runShiftBacktest,
  type ShiftBacktestMethod,
  type ShiftBacktestResult,
} from '../../src/analysis/backtest';
import { squareCellCenter, squareGridSpec } from '../../src/analysis/binning';
import { cellRaster, kdeForecast } from '../../src/analysis/forecast-baselines';
import type { Db } from '../../src/data/db-types';
import { importDataset } from '../../src/data/import-dataset';
import { loadAreas } from '../../src/data/load-geo';
import { hourlyCellCounts } from '../../src/data/queries/backtest';
import { dataExtent } from '../../src/data/queries/rotation';
import { toRows } from '../../src/data/rows';
import { extractRotationFlags, formatHeldOut, formatNested, formatShiftBacktest, rotationJson } from '../../scripts/cli/rotation-flags';
import { newOrleansDir, openTestDb, skipReason } from '../engine';

describe('runBacktest on a hand-built history', () => {
  // 10 × 10 cells, 35 days: cells 0:0 and 5:5 get 2 calls every day; in the last week a new
  // cell 9:9 gets 30 calls that no forecast can know about (it is after every origin's data).
  const history: DailyCellCount[] = [];
  for (let day = 0; day < 35; day++) {
    history.push({ col: 0, row: 0, day, calls: 2 }, { col: 5, row: 5, day, calls: 2 });
    if (day >= 28) history.push({ col: 9, row: 9, day, calls: 30 });
  }
  const study = Array.from({ length: 100 }, (_, i) => ({ col: i % 10, row: Math.floor(i / 10) }));

  it('plans each week from the days before it only, and scores it on the week itself', () => {
    const r = runBacktest(history, { days: 35, cellMeters: 150, studyCells: study, evidenceDays: 14, coverages: [0.02] });
    expect(r.weeks.map((w) => [w.startDay, w.endDay])).toEqual([[14, 21], [21, 28], [28, 35]]);
    expect(r.validCells).toBe(100);
    // weeks 1–2: the two steady cells hold every call, 2 % = 2 cells, PAI = 1 / 0.02 = 50.
    for (const w of r.weeks.slice(0, 2)) {
      expect(w.events).toBe(28);
      expect(w.scores.planner[0]!.floor.pai).toBeCloseTo(50, 12);
      expect(w.scores['previous-period'][0]!.floor.pai).toBeCloseTo(50, 12);
      expect(w.scores.planner[0]!.floor.pei).toBeCloseTo(1, 12);
      // planner's expected week count matches the steady rate: 14 calls per cell per week.
      expect(w.scores.planner[0]!.floor.rri).toBeCloseTo(1, 9);
    }
    // week 3: the new cell's 210 calls are invisible to every forecast (no leakage).
    const last = r.weeks[2]!;
    expect(last.events).toBe(28 + 210);
    expect(last.scores.planner[0]!.floor.captured).toBe(28);
    // the oracle takes the new cell (210) and one steady cell (14): PEI = 28 / 224
    expect(last.scores.planner[0]!.floor.pei).toBeCloseTo(28 / 224, 12);
  });

  it('refuses a history shorter than warm-up plus a test week', () => {
    expect(() => runBacktest(history, { days: 20, cellMeters: 150, evidenceDays: 28 })).toThrow(/needs 28 days of warm-up/);
  });

  it('KDE keeps the mass and spreads it by the documented bandwidth', () => {
    const raster = cellRaster(study, 100);
    const counts = new Float64Array(100);
    counts[55] = 10;
    const kde = kdeForecast(raster, counts, 100);
    expect(kde.reduce((a, b) => a + b, 0)).toBeCloseTo(10, 3);
    // one cell = one bandwidth away: weight exp(−½) relative to the centre, in each axis
    expect(kde[56]! / kde[55]!).toBeCloseTo(Math.exp(-0.5), 12);
    expect(kde[66]! / kde[55]!).toBeCloseTo(Math.exp(-1), 12);
  });
});

const demoDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../data/demo');
const demoReady = existsSync(path.join(demoDir, 'calls.parquet'));
if (!demoReady) console.warn('data/demo not generated (npm run make-demo-data); skipping the demo backtest.');

/** Demo history: daily counts per 150 m cell, study area = cells whose centre lies in an area polygon. */
async function demoHistory(db: Db) {
  const config = JSON.parse(readFileSync(path.join(demoDir, 'config.json'), 'utf8'));
  const areas = loadAreas({ name: 'areas.geojson', bytes: new Uint8Array(readFileSync(path.join(demoDir, 'areas.geojson'))) }).areas;
  await importDataset(db, [{ name: 'calls.parquet', bytes: new Uint8Array(readFileSync(path.join(demoDir, 'calls.parquet'))) }], { mapping: config.expectedMapping, areas });
  const [ext] = toRows(await db.query(dataExtent()));
  const grid = squareGridSpec(Number(ext!.lon), Number(ext!.lat), 150);
  const hourly = toRows(await db.query(hourlyCellCounts({ grid, startDate: config.period.start, days: config.period.days }))).map(hourlyRow);
  const daily = dailyFromHourly(hourly);
  const cols = daily.map((d) => d.col);
  const rows = daily.map((d) => d.row);
  const study: { col: number; row: number }[] = [];
  for (let c = Math.min(...cols) - 2; c <= Math.max(...cols) + 2; c++) {
    for (let r = Math.min(...rows) - 2; r <= Math.max(...rows) + 2; r++) {
      const centre = squareCellCenter(grid, c, r);
      if (areas.some((a) => booleanPointInPolygon(centre, a.geometry))) study.push({ col: c, row: r });
    }
  }
  return { daily, hourly, study, days: Number(config.period.days) };
}

function hourlyRow(r: Record<string, unknown>): HourlyCellCount {
  return { col: Number(r.col), row: Number(r.row), day: Number(r.day), hour: Number(r.hour), calls: Number(r.calls) };
}

/** Summed over hours, the hourly counts are the daily counts (one query for both backtests). */
function dailyFromHourly(hourly: readonly HourlyCellCount[]): DailyCellCount[] {
  const byKey = new Map<string, DailyCellCount>();
  for (const h of hourly) {
    const key = `${h.col}:${h.row}:${h.day}`;
    const d = byKey.get(key);
    if (d) d.calls += h.calls;
    else byKey.set(key, { col: h.col, row: h.row, day: h.day, calls: h.calls });
  }
  return [...byKey.values()];
}

type ShiftResult = ReturnType<typeof runShiftBacktest>;

function fmtPaired(d: PairedPaiDifference): string {
  return `${d.meanDifference >= 0 ? '+' : ''}${d.meanDifference.toFixed(2)}±${d.standardError.toFixed(2)} (${d.weeksAhead}/${d.weeksBehind})`;
}

function shiftTable(r: ShiftResult, ref: 'smoothed' | 'shipped' = 'smoothed'): string {
  return r.summary
    .map((m) => `${m.method.padEnd(22)} ${m.byCoverage.map((c) => `${c.coverage * 100}%: PAI ${c.pai.toFixed(2)} HR ${c.hitRate.toFixed(3)} PEI ${c.pei.toFixed(2)} RRI ${c.rri.toFixed(2)} ${ref} ${fmtPaired(c[ref])}`).join(' | ')}`)
    .join('\n');
}

/** The shipped planner of `a` minus method `m` of `b`, paired over the weeks both scored (same start day). */
function pairedAcross(a: ShiftBacktestResult, b: ShiftBacktestResult, m: ShiftBacktestMethod, k: number): PairedPaiDifference {
  const d = a.weeks.flatMap((w) => {
    const other = b.weeks.find((x) => x.startDay === w.startDay);
    return other ? [w.scores.shipped[k]!.pai - other.scores[m][k]!.pai] : [];
  });
  const mu = d.reduce((x, y) => x + y, 0) / d.length;
  const sd = Math.sqrt(d.reduce((x, y) => x + (y - mu) ** 2, 0) / (d.length - 1));
  return { weeksAhead: d.filter((x) => x > 0).length, weeksBehind: d.filter((x) => x < 0).length, meanDifference: mu, standardError: sd / Math.sqrt(d.length) };
}

describe.skipIf(!demoReady)('demo city backtest (synthetic data/demo)', () => {
  let db: Db;
  let result: ReturnType<typeof runBacktest>;
  let shifts: ShiftResult;
  let heldOut: ReturnType<typeof heldOutShiftBacktest>;
  let nested: ReturnType<typeof nestedShiftBacktest>;
  let history: Awaited<ReturnType<typeof demoHistory>>;
  beforeAll(async () => {
    db = await openTestDb();
    const h = await demoHistory(db);
    history = h;
    result = runBacktest(h.daily, { days: h.days, cellMeters: 150, studyCells: h.study });
    shifts = runShiftBacktest(h.hourly, { days: h.days, cellMeters: 150, studyCells: h.study });
    heldOut = heldOutShiftBacktest(h.hourly, { days: h.days, cellMeters: 150, studyCells: h.study, heldOutWeeks: 3 });
    nested = nestedShiftBacktest(h.hourly, { days: h.days, cellMeters: 150, studyCells: h.study });
    console.log(`demo nested backtest: windows ${nested.choices.map((c) => `${c.startDay}: ${c.chosen.evidenceDays}/${c.chosen.halfLifeDays}`).join(', ')}\n${shiftTable(nested.result, 'shipped')}`);
    console.log(`nested shipped vs the fixed 28-day baselines on the same weeks: ${(['previous-period', 'kde', 'random', 'previous-period-shift', 'kde-shift'] as const).map((m) => `${m} ${[0, 1, 2].map((k) => fmtPaired(pairedAcross(nested.result, shifts, m, k))).join(' ')}`).join(' | ')}`);
    console.log(`demo held-out choice: ${heldOut.selection.map((x) => `${x.evidenceDays} d/half-life ${x.halfLifeDays}: ${x.pai.toFixed(2)}`).join(', ')} → ${JSON.stringify(heldOut.chosen)}; reported ${heldOut.result.weeks.length} weeks\n${shiftTable(heldOut.result)}`);
    console.log(`demo shift backtest (${shifts.shifts.map((x) => x.id).join(', ')}), ${shifts.weeks.length} weeks; "smoothed" = planner-smoothed minus the method, mean ± SE (weeks ahead/behind)\n${shiftTable(shifts)}`);
    const table = result.summary.map((m) => `${m.method.padEnd(16)} ${m.byCoverage.map((c) => `${c.coverage * 100}%: PAI ${c.pai.toFixed(2)} (ties-incl ${c.paiTieInclusive.toFixed(2)}, random-tie ${c.paiTieExpected.toFixed(2)}, planner ahead ${c.weeksPlannerAhead}/${c.weeksPlannerAhead + c.weeksPlannerBehind}) HR ${c.hitRate.toFixed(3)} PEI ${c.pei.toFixed(2)} RRI ${c.rri.toFixed(2)}`).join(' | ')}`);
    console.log(`demo backtest, ${result.weeks.length} weeks, ${result.validCells} valid cells\n${table.join('\n')}`);
    // CPU is ~15 s; the margin is for a machine shared by many jobs (load ~20 on 2 cores measured).
  }, 400_000);
  afterAll(async () => db?.close());

  const pai2 = (m: BacktestMethod) => result.summary.find((s) => s.method === m)!.byCoverage.find((c) => c.coverage === 0.02)!.pai;

  it('counts, per method, the weeks the planner was ahead and behind', () => {
    const prev = result.summary.find((s) => s.method === 'previous-period')!.byCoverage[1]!;
    expect(prev.weeksPlannerAhead + prev.weeksPlannerBehind).toBeLessThanOrEqual(9);
    const rand = result.summary.find((s) => s.method === 'random')!.byCoverage[1]!;
    expect(rand.weeksPlannerAhead).toBe(9);
    for (const m of result.summary) for (const c of m.byCoverage) expect(c.paiTieExpected).toBeGreaterThan(0);
  });

  it('runs 9 rolling weeks after a 28-day warm-up on the 13-week history', () => {
    expect(result.weeks).toHaveLength(9);
    expect(result.weeks[0]!.startDay).toBe(28);
    for (const w of result.weeks) expect(w.events).toBeGreaterThan(2000);
  });

  it('beats the seeded random ranking, last week\'s counts and the 300 m KDE on PAI at 2 %', () => {
    expect(pai2('planner')).toBeGreaterThan(3 * pai2('random'));
    expect(pai2('planner')).toBeGreaterThan(pai2('previous-week'));
    expect(pai2('planner')).toBeGreaterThan(pai2('kde'));
  });

  // KNOWN SHORTFALL, kept visible on purpose (the issue asks for it; see the report). Measured on
  // all types, 9 weeks, PAI at 2 %: planner (half-life 14 d) 5.24 vs previous-period 5.30, planner
  // ahead in 1 week of 9; the same under a random order of tied cells (5.24 vs 5.30), so it is not
  // the index tie-break. Why: the demo's background is stationary (steady micro-hotspots), so
  // down-weighting older calls only adds variance, worst for sparse types (LOIT/SUSP: 5.55 vs 6.42);
  // the planted patterns (tens of calls) are too small to move the top 2 % of ~5,600 cells. Half-life
  // 7 d: 5.05; 28 d: 5.31 (ahead 5 of 9 weeks: a coin toss). Recency wins only on the emerging
  // types (THEFT/VAND/SUSV: 6.94 vs 6.82). `it.fails` turns red the day the planner does beat the
  // flat count, so the claim gets re-examined rather than forgotten; the default was NOT tuned.
  it.fails('beats the previous-period ("last month\'s top cells") baseline on PAI at 2 %', () => {
    expect(pai2('planner')).toBeGreaterThan(pai2('previous-period'));
  });

  // ── The plan as the product makes it: one ranking per shift (07–15, 15–23, 23–07), each scored
  // on the calls in its own hours of the test week, pooled at the same coverage per shift. The
  // issue's baselines know no time of day (same cells every shift); their "-shift" variants do.
  // Numbers measured once on the 9 weeks with the parameters fixed beforehand (planner's 28-day
  // window and 14-day half-life, the KDE baseline's 300 m kernel, nothing fitted but the EB prior
  // shape, which each origin fits from its own evidence window). PAI at 2 %: earlier raw planner 4.61,
  // candidate-gated 5.23, smoothed 5.35, previous-period 5.30, smoothed all-hours 5.20, previous-period-shift 4.67,
  // KDE 3.87, KDE-shift 4.14, random 1.01.
  const at = (m: ShiftBacktestMethod, coverage: number) => shifts.summary.find((s) => s.method === m)!.byCoverage.find((c) => c.coverage === coverage)!;

  it("per shift, the smoothed planner beats the earlier planner's raw ranking, KDE (both), random and shift-hour counts by over 3 standard errors at 2 %", () => {
    for (const m of ['planner', 'kde', 'kde-shift', 'random', 'previous-period-shift'] as const) {
      const d = at(m, 0.02).smoothed;
      expect(d.meanDifference, m).toBeGreaterThan(3 * d.standardError);
      expect(d.weeksBehind, m).toBeLessThanOrEqual(1);
    }
    // against the shipped planner at every coverage, every week
    for (const c of [0.01, 0.02, 0.05]) expect(at('planner', c).smoothed.weeksBehind).toBe(0);
  });

  it('per shift, the smoothed planner beats the time-blind flat count at 5 % (9 of 9 weeks) and ties it at 1 % and 2 %', () => {
    const five = at('previous-period', 0.05).smoothed;
    expect(five.meanDifference).toBeGreaterThan(3 * five.standardError);
    expect(five.weeksBehind).toBe(0);
    // a tie, measured: +0.02 ± 0.10 at 1 %, +0.05 ± 0.06 at 2 %
    for (const c of [0.01, 0.02]) expect(Math.abs(at('previous-period', c).smoothed.meanDifference)).toBeLessThan(2 * at('previous-period', c).smoothed.standardError);
  });

  it('knowing the shift helps only once the sparse counts are smoothed', () => {
    // smoothed per shift vs the same estimate for all hours: +0.15 ± 0.04 at 2 %
    const d = at('smoothed-all-hours', 0.02).smoothed;
    expect(d.meanDifference).toBeGreaterThan(2 * d.standardError);
    // raw counts split by shift lose to raw counts for all hours: 4.67 vs 5.30
    expect(at('previous-period-shift', 0.02).pai).toBeLessThan(at('previous-period', 0.02).pai);
  });

  // The planner only plans from candidate places: Gi* hot cells (q ≤ .05 after FDR, ≥ 5
  // calls), repeat clusters, hub surroundings. With that gate at cell level (planner-candidates;
  // clusters and hubs not modelled): PAI 6.89 / 5.23 / 3.92 against the flat count's 7.03 / 5.30 / 3.57.
  it('the candidate gate lifts the earlier raw ranking at every coverage, and beats the flat count at 5 % only', () => {
    for (const c of [0.01, 0.02, 0.05]) {
      // candidate-gated minus raw: +0.36 ± 0.07, +0.62 ± 0.04, +1.07 ± 0.03
      const lift = at('planner', c).candidates;
      expect(lift.meanDifference, `${c}`).toBeGreaterThan(3 * lift.standardError);
    }
    const five = at('previous-period', 0.05).candidates;
    expect(five.meanDifference).toBeGreaterThan(3 * five.standardError);
    expect(five.weeksBehind).toBe(0);
    // at 1 % and 2 % it is behind or level: −0.15 ± 0.12 (ahead 1 week of 9), −0.07 ± 0.07
    for (const c of [0.01, 0.02]) expect(at('previous-period', c).candidates.meanDifference).toBeLessThan(0);
  });

  it("the smoothed planner's expected calls are calibrated; the earlier planner's over-promise", () => {
    // RRI = predicted / observed calls in the flagged cells: shrinkage undoes the winner's curse.
    for (const c of [0.01, 0.02, 0.05]) {
      expect(at('planner-smoothed', c).rri).toBeGreaterThan(0.8);
      expect(at('planner-smoothed', c).rri).toBeLessThan(1.1);
      expect(at('planner', c).rri).toBeGreaterThan(1.4);
    }
  });

  // ── The planner as shipped now (rotation.ts): the candidate gate, then the smoothed expected calls.
  // Fixed 28-day / 14-day window, 9 weeks. PAI 7.05 / 5.35 / 3.94; RRI 0.88 / 0.94 / 0.93.
  it('the shipped planner (gate + smoothed) beats the earlier raw ranking by over 3 SE at every coverage, every week, and promises what it delivers', () => {
    for (const c of [0.01, 0.02, 0.05]) {
      // measured +0.52 ± 0.07, +0.74 ± 0.03, +1.10 ± 0.03
      const d = at('planner', c).shipped;
      expect(d.meanDifference, `${c}`).toBeGreaterThan(3 * d.standardError);
      expect(d.weeksBehind, `${c}`).toBe(0);
      expect(at('shipped', c).rri).toBeGreaterThan(0.8);
      expect(at('shipped', c).rri).toBeLessThan(1.1);
    }
    // and the earlier gated ranking (the last shipped version) on average at every coverage:
    // +0.17 ± 0.03 (8/1), +0.12 ± 0.06 (7/2), +0.02 ± 0.01 (6/2)
    for (const c of [0.01, 0.02, 0.05]) expect(at('planner-candidates', c).shipped.meanDifference, `${c}`).toBeGreaterThan(0);
    expect(at('planner-candidates', 0.01).shipped.meanDifference).toBeGreaterThan(3 * at('planner-candidates', 0.01).shipped.standardError);
  });

  it('keeps the candidate gate: behind it the smoothed ranking loses nothing at 1–2 % and gains at 5 %', () => {
    // gated minus ungated smoothed: 0.00 ± 0.00, 0.00 ± 0.01, +0.13 ± 0.02 (9 of 9 weeks)
    for (const c of [0.01, 0.02]) expect(Math.abs(at('planner-smoothed', c).shipped.meanDifference), `${c}`).toBeLessThan(0.05);
    const five = at('planner-smoothed', 0.05).shipped;
    expect(five.meanDifference).toBeGreaterThan(3 * five.standardError);
  });

  // ── The planner choosing its own window (nestedShiftBacktest): each test week picks among the
  // four windows fixed in advance on the weeks before it only (≥ 2 scored weeks, so the 7 weeks
  // from day 42 on are reported), then every method plans that week from the chosen window.
  // Measured: 91 days flat chosen for the weeks from day 42 to 77, 56 days / half-life 28 for day 84.
  const nestedAt = (m: ShiftBacktestMethod, coverage: number) => nested.result.summary.find((s) => s.method === m)!.byCoverage.find((c) => c.coverage === coverage)!;

  it('nested: each week chooses its window from earlier weeks only, the same choice the live planner makes on that morning', () => {
    expect(nested.result.weeks.map((w) => w.startDay)).toEqual([42, 49, 56, 63, 70, 77, 84]);
    expect(nested.choices.map((c) => c.startDay)).toEqual([42, 49, 56, 63, 70, 77, 84]);
    for (const c of nested.choices) {
      expect(c.fallback).toBe(false);
      expect(c.weeks.length).toBeGreaterThanOrEqual(2);
      for (const w of c.weeks) expect(w.endDay).toBeLessThanOrEqual(c.startDay);
    }
    // the live chooser given only the days before day 56 reproduces that week's scores exactly
    const third = nested.choices[2]!;
    const live = chooseEvidenceWindow(
      history.hourly.filter((x) => x.day < third.startDay),
      { days: third.startDay, cellMeters: 150, studyCells: history.study },
    );
    expect(live.chosen).toEqual(third.chosen);
    expect(live.scores.map((x) => x.pai)).toEqual(third.scores.map((x) => x.pai));
  });

  // Every method on the week's chosen window. Shipped minus: previous-period +0.11 ± 0.07, +0.08 ±
  // 0.04, +0.14 ± 0.04 (7/0); previous-period-shift +0.16 ± 0.09, +0.20 ± 0.12, +0.68 ± 0.06; KDE
  // +3.59, +1.56, +0.30; KDE-shift +3.32, +1.25, +0.35; random +6.17, +4.45, +3.10.
  it('nested: the shipped planner beats KDE and random (all hours and per shift) by over 3 SE at every coverage, and the flat counts (all hours and shift hours) at 5 %', () => {
    for (const m of ['kde', 'random', 'kde-shift'] as const) {
      for (const c of [0.01, 0.02, 0.05]) {
        const d = nestedAt(m, c).shipped;
        expect(d.meanDifference, `${m} ${c}`).toBeGreaterThan(3 * d.standardError);
      }
    }
    const five = nestedAt('previous-period', 0.05).shipped;
    expect(five.meanDifference).toBeGreaterThan(3 * five.standardError);
    expect(five.weeksBehind).toBe(0);
    const shiftFive = nestedAt('previous-period-shift', 0.05).shipped;
    expect(shiftFive.meanDifference).toBeGreaterThan(3 * shiftFive.standardError);
    // the shipped planner never over-promises by more than 10 % nor under-promises by more than 20 %
    for (const c of [0.01, 0.02, 0.05]) {
      expect(nestedAt('shipped', c).rri).toBeGreaterThan(0.8);
      expect(nestedAt('shipped', c).rri).toBeLessThan(1.1);
    }
  });

  // Against the issue's baselines as first specified (fixed 28-day window), paired on the same 7
  // weeks: previous-period +0.22 ± 0.11 (4/1), +0.06 ± 0.06 (4/3), +0.51 ± 0.04 (7/0); KDE +3.51,
  // +1.49, +0.33; random +6.29, +4.50, +3.14; their shift-hour variants +0.38 to +3.37.
  it("nested: against the issue's fixed 28-day baselines on the same weeks, the shipped planner is ahead of KDE and random (both kinds) at every coverage and of the flat counts at 5 %, by over 3 SE", () => {
    for (const m of ['kde', 'random', 'kde-shift'] as const) {
      for (const k of [0, 1, 2]) {
        const d = pairedAcross(nested.result, shifts, m, k);
        expect(d.meanDifference, `${m} ${k}`).toBeGreaterThan(3 * d.standardError);
      }
    }
    for (const m of ['previous-period', 'previous-period-shift'] as const) {
      const d = pairedAcross(nested.result, shifts, m, 2);
      expect(d.meanDifference, m).toBeGreaterThan(3 * d.standardError);
    }
  });

  // KNOWN SHORTFALL: over the fixed 28-day flat count at 1 % and 2 % the lead is within noise
  // (+0.22 ± 0.11, +0.06 ± 0.06).
  it.fails("nested: the shipped planner beats the issue's fixed 28-day flat count by over 2 SE at 1 % and 2 %", () => {
    for (const k of [0, 1]) {
      const d = pairedAcross(nested.result, shifts, 'previous-period', k);
      expect(d.meanDifference, `${k}`).toBeGreaterThan(2 * d.standardError);
    }
  });

  // KNOWN SHORTFALL, kept visible: against the flat count on the SAME chosen window the margin at
  // 1–2 % is positive but within noise: +0.11 ± 0.07 (5/2 weeks) at 1 %, +0.08 ± 0.04 (5/2) at 2 %.
  it.fails('nested: the shipped planner beats the flat count on the same chosen window by over 2 SE at 1 % and 2 %', () => {
    for (const c of [0.01, 0.02]) expect(nestedAt('previous-period', c).shipped.meanDifference, `${c}`).toBeGreaterThan(2 * nestedAt('previous-period', c).shipped.standardError);
  });

  // KNOWN SHORTFALL: on the fixed 28-day window the shipped planner only ties the flat 28-day count
  // at 1–2 % (+0.02 ± 0.10, +0.05 ± 0.07); it needs the longer window it chooses for itself.
  it.fails('with the fixed 28-day window the shipped planner beats the flat count by over 2 SE at 1 % and 2 %', () => {
    for (const c of [0.01, 0.02]) expect(at('previous-period', c).shipped.meanDifference, `${c}`).toBeGreaterThan(2 * at('previous-period', c).shipped.standardError);
  });

  it('prints the nested choice and table for --backtest, and the same in --json', () => {
    const lines = formatNested(nested);
    expect(lines[1]).toMatch(/each of the 7 test weeks chooses among the four windows fixed in advance on the weeks before it only/);
    expect(lines[2]).toMatch(/windows chosen: .*× \d/);
    const row = lines.find((l) => l.startsWith(`  ${'previous-period'.padEnd(23)}blind`))!;
    expect(row).toContain(` ${nestedAt('previous-period', 0.02).pai.toFixed(2)} `);
    const json = rotationJson({ defaults: {}, nested }) as { nestedBacktest: { choices: { chosen: { halfLifeDays: number | string } }[]; weeks: unknown[] } };
    expect(json.nestedBacktest.weeks).toHaveLength(7);
    expect(json.nestedBacktest.choices.map((c) => c.chosen.halfLifeDays)).toEqual(nested.choices.map((c) => (Number.isFinite(c.chosen.halfLifeDays) ? c.chosen.halfLifeDays : 'none')));
  });

  it('prints the per-shift table and chart for --backtest, and the same numbers in --json', () => {
    const lines = formatShiftBacktest(shifts);
    for (const m of shifts.summary) {
      const row = lines.find((l) => l.startsWith(`  ${m.method.padEnd(23)}${m.timeAware ? 'shift' : 'blind'}`));
      expect(row, m.method).toBeDefined();
      expect(row!).toContain(` ${m.byCoverage[1]!.pai.toFixed(2)} `);
    }
    // the 2 % chart lists every method once, longest bar first
    const start = lines.findIndex((l) => l.includes('PAI per shift at 2 %'));
    const chart = lines.slice(start + 1, start + 1 + shifts.summary.length).map((l) => Number(l.trim().split(/\s+/).pop()));
    expect(chart).toHaveLength(shifts.summary.length);
    expect(chart).toEqual([...chart].sort((a, b) => b - a));
    const json = rotationJson({ defaults: {}, shiftBacktest: shifts }) as { shiftBacktest: { weeks: { pai: Record<string, number[]> }[] } };
    expect(json.shiftBacktest.weeks).toHaveLength(9);
    expect(json.shiftBacktest.weeks[0]!.pai['planner-smoothed']![1]).toBeCloseTo(shifts.weeks[0]!.scores['planner-smoothed'][1]!.pai, 12);
  });

  // ── The evidence window chosen the honest way: on the first 3 test weeks only (data up to day 49),
  // among four windows fixed in advance (backtest.ts EVIDENCE_CHOICES); the 6 later weeks are
  // reported, every method on the chosen window. Measured: chosen 91 days without decay (held-out
  // PAI 5.03 / 5.04 / 5.09 / 5.15); smoothed minus flat count +0.18 ± 0.08 at 1 %, +0.14 ± 0.06 at
  // 2 %, +0.06 ± 0.03 at 5 % (ahead 5 of 6 weeks).
  const heldAt = (m: ShiftBacktestMethod, coverage: number) => heldOut.result.summary.find((s) => s.method === m)!.byCoverage.find((c) => c.coverage === coverage)!;

  it('chooses the evidence window on held-out early weeks and reports only the later ones', () => {
    expect(heldOut.selection).toHaveLength(4);
    expect(heldOut.result.weeks[0]!.startDay).toBe(28 + 3 * 7);
    expect(heldOut.result.weeks).toHaveLength(6);
    expect(heldOut.result.settings).toMatchObject({ evidenceDays: heldOut.chosen.evidenceDays, halfLifeDays: heldOut.chosen.halfLifeDays, warmupDays: 49 });
  });

  it('with that window the smoothed per-shift planner beats the issue\'s three baselines (previous-period counts, KDE, random) by over 2 standard errors at 1 % and 2 %', () => {
    for (const m of ['previous-period', 'kde', 'random'] as const) {
      for (const c of [0.01, 0.02]) {
        const d = heldAt(m, c).smoothed;
        expect(d.meanDifference, `${m} at ${c}`).toBeGreaterThan(2 * d.standardError);
      }
    }
    // at 5 % the margin over the flat count is thin: ahead on average and in at least 5 of 6 weeks
    expect(heldAt('previous-period', 0.05).smoothed.meanDifference).toBeGreaterThan(0);
    expect(heldAt('previous-period', 0.05).smoothed.weeksAhead).toBeGreaterThanOrEqual(5);
  });

  it('--backtest --hold-out <weeks> prints the choice and the later weeks, and says so in --json', () => {
    expect(extractRotationFlags(['calls.csv', '--backtest', '--hold-out', '3']).flags).toMatchObject({ backtest: true, holdOutWeeks: 3 });
    expect(() => extractRotationFlags(['calls.csv', '--backtest', '--hold-out', '0'])).toThrow(/--hold-out must be a whole number from 1 to 52/);
    const lines = formatHeldOut(heldOut);
    const chosen = lines.filter((l) => l.endsWith('← chosen'));
    expect(chosen).toHaveLength(1);
    expect(chosen[0]).toContain(`${heldOut.chosen.evidenceDays} days`);
    expect(lines.some((l) => l.startsWith('Scored on the 6 later weeks only'))).toBe(true);
    const json = rotationJson({ defaults: {}, heldOut }) as { heldOutBacktest: { chosen: { halfLifeDays: number | string }; selection: unknown[] } };
    expect(json.heldOutBacktest.selection).toHaveLength(4);
    expect(json.heldOutBacktest.chosen.halfLifeDays).toBe(Number.isFinite(heldOut.chosen.halfLifeDays) ? heldOut.chosen.halfLifeDays : 'none');
  });

  // With a long window the raw shift-hour counts (= the shipped planner without decay) are nearly
  // as good: +0.14 ± 0.13 at 1 %, +0.12 ± 0.13 at 2 %. Smoothing is not shown to add anything there.
  it.fails('with that window the smoothed planner beats raw shift-hour counts by over 2 standard errors at 1 % and 2 %', () => {
    for (const c of [0.01, 0.02]) expect(heldAt('previous-period-shift', c).smoothed.meanDifference).toBeGreaterThan(2 * heldAt('previous-period-shift', c).smoothed.standardError);
  });

  // KNOWN SHORTFALLS of the per-shift plan, kept visible (it.fails turns red the day they are met).
  // 1. The earlier planner (`planner`, replaced by `shipped`) ranked each shift by the cell's own
  //    recency-weighted calls in those hours: a third of the evidence per ranking, so it ranks
  //    noise and loses to the time-blind flat count (4.61 vs 5.30 at 2 %).
  it.fails('the earlier per-shift planner (raw ranking) beats the time-blind previous-period count at 2 %', () => {
    expect(at('planner', 0.02).pai).toBeGreaterThan(at('previous-period', 0.02).pai);
  });
  it.fails('the earlier per-shift planner with its candidate gate beats the time-blind previous-period count at 2 %', () => {
    expect(at('planner-candidates', 0.02).pai).toBeGreaterThan(at('previous-period', 0.02).pai);
  });
  // 2. Even smoothed, the planner does not beat the flat 28-day count by a margin that means
  //    anything at 1–2 %: the demo's background is stationary and spread evenly inside areas, so
  //    the flat count is close to the best a 28-day window allows there.
  it.fails('the smoothed per-shift planner beats the time-blind previous-period count by over 2 standard errors at 1 % and 2 %', () => {
    for (const c of [0.01, 0.02]) expect(at('previous-period', c).smoothed.meanDifference).toBeGreaterThan(2 * at('previous-period', c).smoothed.standardError);
  });
});

const nola = newOrleansDir();
describe.skipIf(!nola)(`New Orleans backtest ${skipReason('New Orleans data', nola) ?? ''}`, () => {
  it('reports whatever the real data shows (printed, not asserted beyond sanity)', async () => {
    const db = await openTestDb();
    try {
      const bytes = new Uint8Array(readFileSync(path.join(nola!, 'nopd_cfs_2022_rtcc_subset.csv')));
      await importDataset(db, [{ name: 'nopd.csv', bytes }], { timeZone: 'America/Chicago' });
      const [ext] = toRows(await db.query(dataExtent({ where: undefined })));
      const grid = squareGridSpec(Number(ext!.lon), Number(ext!.lat), 150);
      const start = String(ext!.first).slice(0, 10);
      const days = Math.floor((Date.parse(String(ext!.last).replace(' ', 'T')) - Date.parse(`${start}T00:00:00`)) / 86_400_000) + 1;
      const hourly = toRows(await db.query(hourlyCellCounts({ grid, startDate: start, days }))).map(hourlyRow);
      const r = runBacktest(dailyFromHourly(hourly), { days, cellMeters: 150 });
      console.log(`NOLA backtest: ${r.weeks.length} weeks, ${r.validCells} cells with calls\n${r.summary.map((m) => `${m.method.padEnd(16)} ${m.byCoverage.map((c) => `${c.coverage * 100}%: PAI ${c.pai.toFixed(2)} HR ${c.hitRate.toFixed(3)}`).join(' | ')}`).join('\n')}`);
      expect(r.weeks.length).toBeGreaterThan(10);
      for (const m of r.summary) for (const c of m.byCoverage) expect(c.hitRate).toBeLessThanOrEqual(1);
      const sh = runShiftBacktest(hourly, { days, cellMeters: 150 });
      console.log(`NOLA shift backtest, ${sh.weeks.length} weeks\n${shiftTable(sh)}`);
      expect(sh.weeks).toHaveLength(r.weeks.length);
      for (const w of sh.weeks) expect(w.events).toBe(r.weeks.find((x) => x.startDay === w.startDay)!.events);
      // a random ranking of equal cells captures calls in proportion to area, whatever the data
      for (const c of sh.summary.find((m) => m.method === 'random')!.byCoverage) {
        expect(c.pai).toBeGreaterThan(0.7);
        expect(c.pai).toBeLessThan(1.4);
      }
    } finally {
      await db.close();
    }
  }, 180_000);
});
