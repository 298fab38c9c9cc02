import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mannKendall } from '../../src/analysis/mann-kendall';

const dir = path.join(__dirname, '../fixtures/mann-kendall');
const names = readdirSync(path.join(dir, 'in')).map((f) => f.replace(/\.json$/, ''));
const load = (sub: string, name: string) => JSON.parse(readFileSync(path.join(dir, sub, `${name}.json`), 'utf8'));

interface Ref {
  n: number;
  S: number;
  varS: number;
  Z: number;
  p: number;
  tauA: number | null;
  tauB: number | null;
}

describe('Mann–Kendall against the pymannkendall algorithm (NumPy) and scipy kendalltau', () => {
  it.each(names)('%s', (name) => {
    const series = (load('in', name) as { series: (number | null)[][] }).series;
    const refs = (load('out', name) as { results: Ref[] }).results;
    expect(refs.length).toBe(series.length);
    series.forEach((s, k) => {
      const got = mannKendall(s.map((v) => (v === null ? Number.NaN : v)));
      const ref = refs[k]!;
      const at = `${name}[${k}]`;
      expect(got.n, at).toBe(ref.n);
      expect(got.S, at).toBe(ref.S);
      expect(Math.abs(got.varS - ref.varS), at).toBeLessThanOrEqual(1e-12 * Math.max(1, ref.varS));
      expect(Math.abs(got.Z - ref.Z), at).toBeLessThanOrEqual(1e-12);
      if (ref.p > 1e-12) expect(Math.abs(got.p - ref.p), at).toBeLessThanOrEqual(1e-9 * ref.p);
      else expect(Math.abs(got.p - ref.p) / ref.p, at).toBeLessThan(1e-12);
      if (ref.tauB === null) expect(got.tauB, at).toBeNull();
      else expect(Math.abs(got.tauB! - ref.tauB), at).toBeLessThan(1e-12);
      if (ref.tauA === null) expect(got.tauA, at).toBeNull();
      else expect(Math.abs(got.tauA! - ref.tauA), at).toBeLessThan(1e-15);
    });
  });

  it('reproduces methods.md M1–M3 (including Kendall::MannKendall single-precision sl)', () => {
    const m1 = mannKendall([10, 10, 10, 5, 10, 20, 18, 17, 15, 24, 15]);
    expect(m1.S).toBe(22);
    expect(m1.varS).toBeCloseTo(155.333333, 6);
    expect(m1.Z).toBeCloseTo(1.68494979, 8);
    expect(m1.p).toBeCloseTo(0.0919982593, 9);
    expect(m1.tauA).toBe(0.4);
    expect(Math.abs(m1.tauB! - 0.42817444) / 0.42817444).toBeLessThan(1e-6);
    const m2 = mannKendall([1, 2, 3, 5, 4, 6, 7, 9, 8, 10]);
    expect([m2.S, m2.varS]).toEqual([41, 125]);
    expect(Math.abs(m2.p - 3.46619e-4) / 3.46619e-4).toBeLessThan(1e-5);
    // Kendall works in single precision: its sl 3.466606e-4 is only ~1e-4 relative away.
    expect(Math.abs(m2.p - 3.466606e-4) / 3.466606e-4).toBeLessThan(2e-4);
    // Kendall::MannKendall reports tau = 1 for a constant series; there is no trend to measure.
    expect(mannKendall([4, 4, 4, 4])).toEqual({ n: 4, S: 0, varS: 0, Z: 0, p: 1, tauA: null, tauB: null });
  });

  it('is antisymmetric under reversal of time', () => {
    const x = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5];
    const a = mannKendall(x);
    const b = mannKendall([...x].reverse());
    expect(b.S).toBe(-a.S);
    expect(b.Z).toBe(-a.Z);
    expect(b.p).toBe(a.p);
  });
});
