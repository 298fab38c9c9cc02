/**
 * Rolling-origin backtest: leakage and baselines on a hand-built history, then the issue's
 * acceptance question on the demo city (data/demo, loaded through importDataset on real DuckDB):
 * does the planner beat every baseline on PAI at 2 % coverage, averaged over the test weeks?
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { booleanPointInPolygon } from '@turf/turf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BacktestMethod, type DailyCellCount, runBacktest } from '../../src/analysis/backtest';
import { squareCellCenter, squareGridSpec } from '../../src/analysis/binning';
import { cellRaster, kdeForecast } from '../../src/analysis/forecast-baselines';
import type { Db } from '../../src/data/db-types';
import { importDataset } from '../../src/data/import-dataset';
import { loadAreas } from '../../src/data/load-geo';
import { dailyCellCounts, dataExtent } from '../../src/data/queries/rotation';
import { toRows } from '../../src/data/rows';
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
  const daily = toRows(await db.query(dailyCellCounts({ grid, startDate: config.period.start, days: config.period.days }))).map((r) => ({
    col: Number(r.col),
    row: Number(r.row),
    day: Number(r.day),
    calls: Number(r.calls),
  }));
  const cols = daily.map((d) => d.col);
  const rows = daily.map((d) => d.row);
  const study: { col: number; row: number }[] = [];
  for (let c = Math.min(...cols) - 2; c <= Math.max(...cols) + 2; c++) {
    for (let r = Math.min(...rows) - 2; r <= Math.max(...rows) + 2; r++) {
      const centre = squareCellCenter(grid, c, r);
      if (areas.some((a) => booleanPointInPolygon(centre, a.geometry))) study.push({ col: c, row: r });
    }
  }
  return { daily, study, days: Number(config.period.days) };
}

describe.skipIf(!demoReady)('demo city backtest (synthetic data/demo)', () => {
  let db: Db;
  let result: ReturnType<typeof runBacktest>;
  beforeAll(async () => {
    db = await openTestDb();
    const h = await demoHistory(db);
    result = runBacktest(h.daily, { days: h.days, cellMeters: 150, studyCells: h.study });
    const table = result.summary.map((m) => `${m.method.padEnd(16)} ${m.byCoverage.map((c) => `${c.coverage * 100}%: PAI ${c.pai.toFixed(2)} (ties-incl ${c.paiTieInclusive.toFixed(2)}, random-tie ${c.paiTieExpected.toFixed(2)}, planner ahead ${c.weeksPlannerAhead}/${c.weeksPlannerAhead + c.weeksPlannerBehind}) HR ${c.hitRate.toFixed(3)} PEI ${c.pei.toFixed(2)} RRI ${c.rri.toFixed(2)}`).join(' | ')}`);
    console.log(`demo backtest, ${result.weeks.length} weeks, ${result.validCells} valid cells\n${table.join('\n')}`);
  }, 120_000);
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
      const daily = toRows(await db.query(dailyCellCounts({ grid, startDate: start, days }))).map((r) => ({ col: Number(r.col), row: Number(r.row), day: Number(r.day), calls: Number(r.calls) }));
      const r = runBacktest(daily, { days, cellMeters: 150 });
      console.log(`NOLA backtest: ${r.weeks.length} weeks, ${r.validCells} cells with calls\n${r.summary.map((m) => `${m.method.padEnd(16)} ${m.byCoverage.map((c) => `${c.coverage * 100}%: PAI ${c.pai.toFixed(2)} HR ${c.hitRate.toFixed(3)}`).join(' | ')}`).join('\n')}`);
      expect(r.weeks.length).toBeGreaterThan(10);
      for (const m of r.summary) for (const c of m.byCoverage) expect(c.hitRate).toBeLessThanOrEqual(1);
    } finally {
      await db.close();
    }
  }, 180_000);
});
