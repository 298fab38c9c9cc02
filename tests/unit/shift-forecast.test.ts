/**
 * The neighbourhood-smoothed (empirical-Bayes) shift forecast, piece by piece on hand-built
 * rasters where every expected value is worked out by hand, and the shift backtest's pooling.
 */
import { describe, expect, it } from 'vitest';
import { type HourlyCellCount, heldOutShiftBacktest, runShiftBacktest } from '../../src/analysis/backtest';
import { type CellRaster, cellRaster } from '../../src/analysis/forecast-baselines';
import { hourWindow } from '../../src/analysis/hour-windows';
import { neighbourhoodMean, pseudoCounts, type SparseDay, shrinkTowardPrior, smoothedShiftForecast } from '../../src/analysis/shift-forecast';

const grid = (cols: number, rows: number, cellMeters = 150): CellRaster =>
  cellRaster(
    Array.from({ length: cols * rows }, (_, i) => ({ col: i % cols, row: Math.floor(i / cols) })),
    cellMeters,
  );

describe('pseudoCounts', () => {
  const days: SparseDay[] = Array.from({ length: 28 }, () => ({ cells: Int32Array.of(0, 3), calls: Float64Array.of(2, 1) }));

  it('without decay gives the plain counts and one effective day per day', () => {
    const p = pseudoCounts(days, 0, 28, Number.POSITIVE_INFINITY, 4);
    expect(Array.from(p.counts)).toEqual([56, 0, 0, 28]);
    expect(p.nEffDays).toBe(28);
  });

  it('with decay keeps counts / nEff equal to the daily rate (a steady cell is not under-forecast)', () => {
    const p = pseudoCounts(days, 0, 28, 14, 4);
    expect(p.nEffDays).toBeLessThan(28);
    expect(p.nEffDays).toBeGreaterThan(20);
    expect(p.counts[0]! / p.nEffDays).toBeCloseTo(2, 12);
    expect(p.counts[3]! / p.nEffDays).toBeCloseTo(1, 12);
  });
});

describe('neighbourhoodMean', () => {
  it('is the surrounding level for a uniform field, edges and corners included', () => {
    const r = grid(12, 9);
    const m = neighbourhoodMean(r, new Float64Array(r.valid.length).fill(3), 300);
    for (const v of m) expect(v).toBeCloseTo(3, 12);
  });

  it('leaves the cell itself out and ignores cells outside the study area', () => {
    const r = grid(11, 11);
    const counts = new Float64Array(121);
    counts[60] = 100; // centre
    const m = neighbourhoodMean(r, counts, 150);
    expect(m[60]).toBe(0);
    expect(m[61]).toBeGreaterThan(0);
    // a river through column 3: its huge counts must not leak into the land beside it
    const valid = Uint8Array.from({ length: 121 }, (_, i) => (i % 11 === 3 ? 0 : 1));
    const river = new Float64Array(121).map((_, i) => (i % 11 === 3 ? 1000 : 1));
    const mr = neighbourhoodMean({ ...r, valid }, river, 300);
    expect(mr[2 + 5 * 11]).toBeCloseTo(1, 12);
  });
});

describe('shrinkTowardPrior', () => {
  const r = grid(4, 1);

  it('keeps the prior when cells differ by no more than Poisson noise', () => {
    // (y − m)² − m summed: (1 + 1 + 1 + 1) − 4·1 = 0 → no real variation → shape ∞
    const s = shrinkTowardPrior(r, Float64Array.of(0, 2, 0, 2), Float64Array.of(1, 1, 1, 1));
    expect(s.shape).toBe(Number.POSITIVE_INFINITY);
    expect(Array.from(s.rate)).toEqual([1, 1, 1, 1]);
  });

  it('gives the Poisson–gamma posterior mean with the moment-fitted shape', () => {
    const y = Float64Array.of(0, 10, 1, 1);
    const m = Float64Array.of(2, 2, 2, 2);
    // Σ((y − m)² − m) = (4 − 2) + (64 − 2) + (1 − 2) + (1 − 2) = 62; Σ m² = 16 → a = 16 / 62
    const s = shrinkTowardPrior(r, y, m);
    const a = 16 / 62;
    expect(s.shape).toBeCloseTo(a, 12);
    expect(s.rate[1]).toBeCloseTo((10 + a) / (1 + a / 2), 12);
    // shrinkage keeps the order of equal-prior cells and pulls toward the prior
    expect(s.rate[1]!).toBeLessThan(10);
    expect(s.rate[0]!).toBeGreaterThan(0);
  });
});

describe('smoothedShiftForecast', () => {
  it('gives a lone night-time corner its calls at night, not by day', () => {
    const r = grid(20, 20);
    const n = 400;
    const day = new Float64Array(n);
    const night = new Float64Array(n);
    night[0] = 40; // corner 0:0, nights only
    day[399] = 40; // corner 19:19, days only
    for (let i = 0; i < n; i++) {
      day[i]! += 1;
      night[i]! += 1;
    }
    const all = day.map((v, i) => v + night[i]!);
    const f = smoothedShiftForecast({ raster: r, all: { counts: all, nEffDays: 28 }, shifts: [{ counts: day, nEffDays: 28 }, { counts: night, nEffDays: 28 }], bandwidthMeters: 300, horizonDays: 7 });
    expect(f.byShift[1]![0]!).toBeGreaterThan(5 * f.byShift[0]![0]!);
    expect(f.byShift[0]![399]!).toBeGreaterThan(5 * f.byShift[1]![399]!);
    // mass: over the horizon a quarter of the window's calls are expected, within the shrinkage
    const total = f.allHours.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(0.85 * (all.reduce((a, b) => a + b, 0) / 4));
    expect(total).toBeLessThan(1.15 * (all.reduce((a, b) => a + b, 0) / 4));
  });
});

describe('runShiftBacktest on a hand-built history', () => {
  // 10 × 10 cells, 35 days: cell 0:0 gets 3 calls every night at 02:00, cell 9:9 gets 3 calls every
  // day at 10:00. At 1 % (one cell per shift) a time-aware method takes 0:0 at night and 9:9 by
  // day and catches every call; a time-blind one sees two equal cells and takes the same one for
  // every shift, catching half.
  const history: HourlyCellCount[] = [];
  for (let day = 0; day < 35; day++) history.push({ col: 0, row: 0, day, hour: 2, calls: 3 }, { col: 9, row: 9, day, hour: 10, calls: 3 });
  const study = Array.from({ length: 100 }, (_, i) => ({ col: i % 10, row: Math.floor(i / 10) }));
  const r = runShiftBacktest(history, { days: 35, cellMeters: 150, studyCells: study, evidenceDays: 14, coverages: [0.01], shifts: [hourWindow(7, 15), hourWindow(15, 23), hourWindow(23, 7)] });

  it('scores each shift on the calls in its own hours, from the days before the week', () => {
    expect(r.weeks.map((w) => [w.startDay, w.endDay])).toEqual([[14, 21], [21, 28], [28, 35]]);
    for (const w of r.weeks) {
      expect(w.eventsByShift).toEqual([21, 0, 21]);
      expect(w.scores.planner[0]!.captured).toBe(42);
      expect(w.scores.planner[0]!.pai).toBeCloseTo(100, 12);
      expect(w.scores['planner-smoothed'][0]!.pai).toBeCloseTo(100, 12);
      expect(w.scores['previous-period-shift'][0]!.pai).toBeCloseTo(100, 12);
      // time-blind: the two cells tie, the lower index (0:0) is taken for every shift
      expect(w.scores['previous-period'][0]!.captured).toBe(21);
      expect(w.scores['previous-period'][0]!.pai).toBeCloseTo(50, 12);
      expect(w.scores['previous-period'][0]!.paiTieExpected).toBeCloseTo(50, 12);
      expect(w.scores.planner[0]!.pei).toBeCloseTo(1, 12);
    }
    const prev = r.summary.find((m) => m.method === 'previous-period')!.byCoverage[0]!;
    expect(prev.planner).toMatchObject({ weeksAhead: 3, weeksBehind: 0, meanDifference: 50 });
    expect(r.summary.find((m) => m.method === 'previous-period')!.timeAware).toBe(false);
  });

  it('is what runBacktest scores when there is a single all-day shift', () => {
    const one = runShiftBacktest(history, { days: 35, cellMeters: 150, studyCells: study, evidenceDays: 14, coverages: [0.02], shifts: [hourWindow(0, 24)] });
    for (const w of one.weeks) {
      expect(w.scores.planner[0]!.pai).toBeCloseTo(50, 12);
      expect(w.scores.planner[0]!.rri).toBeCloseTo(1, 9);
    }
  });
});

describe('heldOutShiftBacktest', () => {
  // 8 × 8 cells, 63 days of steady calls in a few cells, plus noise cells that change daily.
  const base: HourlyCellCount[] = [];
  for (let day = 0; day < 63; day++) {
    base.push({ col: 1, row: 1, day, hour: 3, calls: 2 }, { col: 6, row: 6, day, hour: 12, calls: 2 }, { col: 3, row: 5, day, hour: 18, calls: 1 });
    base.push({ col: (day * 3) % 8, row: (day * 5) % 8, day, hour: (day * 7) % 24, calls: 1 });
  }
  const study = Array.from({ length: 64 }, (_, i) => ({ col: i % 8, row: Math.floor(i / 8) }));
  const options = { days: 63, cellMeters: 150, studyCells: study, heldOutWeeks: 2, coverages: [0.05] };

  it('chooses on the held-out weeks without seeing anything after them, and reports only the later weeks', () => {
    const a = heldOutShiftBacktest(base, options);
    // a burst after the held-out weeks (day 42 on) must not change the choice …
    const burst = [...base, ...Array.from({ length: 21 }, (_, k) => ({ col: 7, row: 0, day: 42 + k, hour: 1, calls: 50 }))];
    const b = heldOutShiftBacktest(burst, options);
    expect(b.selection).toEqual(a.selection);
    expect(b.chosen).toEqual(a.chosen);
    // … but it is scored in the reported weeks
    expect(a.result.weeks.map((w) => w.startDay)).toEqual([42, 49, 56]);
    expect(b.result.weeks[0]!.events).toBe(a.result.weeks[0]!.events + 7 * 50);
  });

  it('says what to do when nothing is left to report', () => {
    expect(() => heldOutShiftBacktest(base, { ...options, heldOutWeeks: 5 })).toThrow(/leave no week to report\. Hold out fewer weeks/);
  });
});
