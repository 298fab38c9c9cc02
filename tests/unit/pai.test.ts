/**
 * pai.ts against hand-worked numbers and against an independent NumPy implementation
 * (scripts/reference/pai.py → tests/fixtures/pai). The NumPy curve was checked once against
 * ptools' own R function (`pai()` from apwheele/ptools R/pai.R, run from a scratch copy since
 * r-cran-ptools is not in Debian): max |ΔPAI|, |ΔPEI|, |ΔRRI| ≤ 1.6e-15 on all four inputs.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCpTopSlice, paiCurve, rankCells, scoreForecast } from '../../src/analysis/pai';

const FIX = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../fixtures/pai');
const names = readdirSync(path.join(FIX, 'in')).map((f) => f.replace(/\.json$/, ''));
const load = (dir: string, name: string) => JSON.parse(readFileSync(path.join(FIX, dir, `${name}.json`), 'utf8'));

describe('scoreForecast (hand-worked)', () => {
  // 10 equal cells; risk 3 is shared by cells 1, 2, 3 across the 20 % cut-off.
  const risk = [5, 3, 3, 3, 1, 0, 0, 0, 0, 0];
  const observed = [4, 0, 2, 1, 3, 0, 0, 0, 0, 0];

  it('takes floor(n·f) cells by (risk desc, index asc) and reports the ties at the cut-off', () => {
    const { events, validCells, coverages } = scoreForecast(risk, observed, [0.2]);
    expect(events).toBe(10);
    expect(validCells).toBe(10);
    const c = coverages[0]!;
    expect(c).toMatchObject({ cutoffRisk: 3, tiedCells: 3, tiedSelected: 1 });
    // floor: cells 0, 1 → 4 of 10 events on 20 % of the area; the oracle's best 2 cells hold 4 + 3.
    expect(c.floor).toMatchObject({ cells: 2, captured: 4, hitRate: 0.4, pai: 2, rri: 2 });
    expect(c.floor.pei).toBeCloseTo(4 / 7, 15);
    // tie-inclusive: cells 0–3 → 7 events on 40 %; best 4 cells hold 4 + 3 + 2 + 1 = 10.
    expect(c.tieInclusive).toMatchObject({ cells: 4, captured: 7, hitRate: 0.7, pai: 1.75, pei: 0.7, rri: 2 });
    // random order among the tied cells 1–3 (counts 0, 2, 1): 4 + 1 slot × mean 1 = 5 expected
    expect(c.tieExpected).toMatchObject({ captured: 5, hitRate: 0.5, pai: 2.5 });
    expect(c.tieExpected.pei).toBeCloseTo(5 / 7, 15);
  });

  it('counts only valid cells in the area and in N, and uses the given predictions for RRI', () => {
    const valid = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0];
    const obs = [4, 0, 2, 1, 3, 5, 0, 0, 0, 0]; // the 5 events in an invalid cell are outside the study area
    const predicted = [2, 1, 1, 1, 0.5, 0, 0, 0, 0, 0];
    const { events, validCells, coverages } = scoreForecast(risk, obs, [0.2, 0.4], { valid, predicted });
    expect(events).toBe(10);
    expect(validCells).toBe(5);
    expect(coverages[0]!.floor).toMatchObject({ cells: 1, captured: 4, hitRate: 0.4, pai: 2, pei: 1, rri: 0.5 });
    expect(coverages[1]!.floor).toMatchObject({ cells: 2, captured: 4, pai: 1 });
    expect(coverages[1]!.tieInclusive.cells).toBe(4);
  });

  it('says RRI is infinite when nothing happened in the flagged cells, and refuses odd coverages', () => {
    const c = scoreForecast([1, 0, 0, 0], [0, 1, 1, 0], [0.25]).coverages[0]!;
    expect(c.floor.rri).toBe(Number.POSITIVE_INFINITY);
    expect(c.floor.pai).toBe(0);
    expect(() => scoreForecast([1], [1], [0])).toThrow(/between 0 and 1/);
    expect(() => scoreForecast([1, 2], [1], [0.5])).toThrow(/must match/);
  });

  it('ranks NaN risk last and breaks ties by index', () => {
    expect([...rankCells([1, Number.NaN, 2, 1])]).toEqual([2, 0, 3, 1]);
  });
});

describe('paiCurve and coverage scores vs the NumPy reference', () => {
  it.each(names)('%s', (name) => {
    const input = load('in', name);
    const ref = load('out', name);
    const rows = paiCurve(input.count, input.pred, input.area);
    expect(rows.map((r) => r.cumCount)).toEqual(ref.curve.cumCount);
    rows.forEach((r, t) => {
      expect(r.pai).toBeCloseTo(ref.curve.pai[t], 12);
      expect(r.pei).toBeCloseTo(ref.curve.pei[t], 12);
      expect(r.cumPred).toBeCloseTo(ref.curve.cumPred[t], 9);
      if (ref.curve.rri[t] === null) expect(Number.isFinite(r.rri)).toBe(false);
      else expect(r.rri).toBeCloseTo(ref.curve.rri[t], 12);
    });
    if (input.coverages.length === 0) return;
    const score = scoreForecast(input.pred, input.count, input.coverages);
    score.coverages.forEach((c, k) => {
      const want = ref.coverage[k];
      expect(c.cutoffRisk).toBe(want.cutoffRisk);
      expect(c.tiedCells).toBe(want.tiedCells);
      expect(c.tiedSelected).toBe(want.tiedSelected);
      for (const which of ['floor', 'tieInclusive'] as const) {
        expect(c[which].cells).toBe(want[which].cells);
        expect(c[which].captured).toBe(want[which].captured);
        expect(c[which].pai).toBeCloseTo(want[which].pai, 12);
        expect(c[which].pei).toBeCloseTo(want[which].pei, 12);
        if (want[which].rri === null) expect(Number.isFinite(c[which].rri)).toBe(false);
        else expect(c[which].rri).toBeCloseTo(want[which].rri, 12);
      }
      expect(c.tieExpected.captured).toBeCloseTo(want.tieExpected.captured, 12);
      expect(c.tieExpected.pai).toBeCloseTo(want.tieExpected.pai, 12);
      expect(c.tieExpected.pei).toBeCloseTo(want.tieExpected.pei, 12);
    });
  });

  it('the tie-heavy fixture really has ties at the cut-offs (so the tie paths are exercised)', () => {
    const ref = load('out', 'poisson-ties');
    expect(ref.coverage.some((c: { tiedCells: number; tiedSelected: number }) => c.tiedCells > c.tiedSelected)).toBe(true);
  });
});

describe('open_cp tie quirk (documented, not used for scoring)', () => {
  it('keeps the LAST tied cells, unlike our index-ascending order', () => {
    const risk = [5, 1, 1, 1, 1, 0, 0, 0, 0, 0];
    expect(openCpTopSlice(risk, 0.3)).toEqual([0, 3, 4]);
    expect([...rankCells(risk)].slice(0, 3)).toEqual([0, 1, 2]);
  });
});
