import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { knox } from '../../src/analysis/knox';

const dir = path.join(__dirname, '../fixtures/knox');
const names = readdirSync(path.join(dir, 'in')).map((f) => f.replace(/\.json$/, ''));
const load = (sub: string, name: string) => JSON.parse(readFileSync(path.join(dir, sub, `${name}.json`), 'utf8'));

interface In {
  x: number[];
  y: number[];
  days: number[];
  spaceBreaksMeters: number[];
  timeBreaksDays: number[];
  metric: 'euclidean' | 'manhattan';
  iterations: number;
  seed: number;
}
interface Out {
  observed: number[][];
  expectedExact: number[][];
  pairs: number;
  numpyMean: number[][];
  numpyP: number[][];
  numpyIterations: number;
}

const run = (f: In) =>
  knox(
    { x: f.x, y: f.y, days: f.days },
    { spaceBreaksMeters: f.spaceBreaksMeters, timeBreaksDays: f.timeBreaksDays, metric: f.metric, iterations: f.iterations, seed: f.seed },
  );

describe('Knox table against a NumPy brute force over all pairs', () => {
  it.each(names)('%s', (name) => {
    const f = load('in', name) as In;
    const ref = load('out', name) as Out;
    const t0 = performance.now();
    const r = run(f);
    console.info(`${name}: ${f.x.length} events, ${r.iterations} permutations in ${(performance.now() - t0).toFixed(0)} ms`);
    expect(r.pairs).toBe(ref.pairs);
    expect(r.observed).toEqual(ref.observed);
    expect(r.spaceBands[0]!.label).toBe('same location');
    const M = r.iterations;
    for (let s = 0; s < r.spaceBands.length; s++) {
      for (let l = 0; l < r.timeBands.length; l++) {
        const at = `cell ${r.spaceBands[s]!.label} × ${r.timeBands[l]!.label}`;
        // The permutation mean estimates N_s·N_t/P; its Monte Carlo SE is at most sqrt(E/M)
        // (counts are sums of weakly dependent indicators), so 6 SE bounds a false failure.
        const exact = ref.expectedExact[s]![l]!;
        expect(Math.abs(r.expectedMean[s]![l]! - exact), at).toBeLessThanOrEqual(6 * Math.sqrt(Math.max(exact, 1) / M) + 1e-9);
        // Two independent permutation tests (different RNGs): p agree within binomial error.
        const p = r.p[s]![l]!;
        const q = ref.numpyP[s]![l]!;
        const se = Math.sqrt((Math.max(p * (1 - p), 1 / M) * 2) / Math.min(M, ref.numpyIterations));
        expect(Math.abs(p - q), at).toBeLessThanOrEqual(6 * se + 2 / (M + 1));
      }
    }
  });

  it('finds the planted near repeats and nothing in the null set', () => {
    const planted = run(load('in', 'near-repeat-euclidean') as In);
    // same location within 7 days, and 0–100 m within 7 days: the planted followers
    expect(planted.p[0]![0]).toBe(1 / 1000);
    expect(planted.p[1]![0]).toBe(1 / 1000);
    expect(planted.ratio[1]![0]!).toBeGreaterThan(3);
    const nullSet = run(load('in', 'null-euclidean') as In);
    const finite = nullSet.p.slice(0, -1).flatMap((row) => row.slice(0, -1));
    expect(Math.min(...finite)).toBeGreaterThan(0.01);
  });
});

describe('Knox conventions', () => {
  // Four events on a line at 0, 100, 100, 250 m; days 0, 7, 3, 20.
  const events = { x: [0, 100, 100, 250], y: [0, 0, 0, 0], days: [0, 7, 3, 20] };
  const opts = { spaceBreaksMeters: [0, 100, 200], timeBreaksDays: [0, 7, 14], metric: 'euclidean' as const, iterations: 99, seed: 5 };
  it('uses half-open bands [a, b) and a same-location band', () => {
    const r = knox(events, opts);
    expect(r.spaceBands.map((b) => b.label)).toEqual(['same location', '0–<100 m', '100–<200 m', '200+ m']);
    expect(r.timeBands.map((b) => b.label)).toEqual(['0–<7 days', '7–<14 days', '14+ days']);
    // pairs: (0,1) 100 m 7 d; (0,2) 100 m 3 d; (0,3) 250 m 20 d; (1,2) 0 m 4 d; (1,3) 150 m 13 d; (2,3) 150 m 17 d
    expect(r.observed).toEqual([
      [1, 0, 0],
      [0, 0, 0],
      [1, 2, 1],
      [0, 0, 1],
    ]);
    expect(r.pairs).toBe(6);
  });
  it('measures Manhattan distance when asked', () => {
    const r = knox({ x: [0, 60], y: [0, 60], days: [0, 1] }, { ...opts, metric: 'manhattan' });
    expect(r.observed[2]![0]).toBe(1); // |60| + |60| = 120 m
    expect(knox({ x: [0, 60], y: [0, 60], days: [0, 1] }, opts).observed[1]![0]).toBe(1); // 84.9 m
  });
  it('is reproducible from its seed and reports it', () => {
    const a = knox(events, opts);
    const b = knox(events, opts);
    expect(a).toEqual(b);
    expect([a.seed, a.iterations]).toEqual([5, 99]);
    for (const row of a.p) for (const p of row) expect(p).toBeGreaterThanOrEqual(1 / 100);
  });
  it('rejects bad breaks and events without a time', () => {
    expect(() => knox(events, { ...opts, spaceBreaksMeters: [100, 200] })).toThrow(/start at 0/);
    expect(() => knox(events, { ...opts, timeBreaksDays: [0, 7, 7] })).toThrow(/increase strictly/);
    expect(() => knox({ ...events, days: [0, Number.NaN, 1, 2] }, opts)).toThrow(/Event 1/);
  });
});
