import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { randomLcg, randomPoisson } from 'd3';
import { describe, expect, it } from 'vitest';
import { bhAdjust } from '../../src/analysis/fdr';
import { giBin, giStar } from '../../src/analysis/gi-star';
import { distanceBand, fromArrays, kNearest, type NeighbourList, neighboursOf } from '../../src/analysis/weights';

const dir = path.join(__dirname, '../fixtures/gi-star');
const names = readdirSync(path.join(dir, 'in')).map((f) => f.replace(/\.json$/, ''));
const load = (sub: string, name: string) => JSON.parse(readFileSync(path.join(dir, sub, `${name}.json`), 'utf8'));

interface In {
  x: number[];
  y: number[];
  values: number[];
  neighbours: { type: 'band'; radiusMeters: number } | { type: 'knn'; k: number };
}
interface Out {
  neighbours: number[][];
  z: number[];
  p: number[];
  pGreater: number[];
  q: number[];
}

const build = (f: In): NeighbourList =>
  f.neighbours.type === 'band' ? distanceBand(f.x, f.y, f.neighbours.radiusMeters) : kNearest(f.x, f.y, f.neighbours.k);

describe('Gi* against R spdep::localG (include.self, binary weights)', () => {
  it.each(names)('%s: neighbour lists equal spdep', (name) => {
    const f = load('in', name) as In;
    const ref = load('out', name) as Out;
    const nb = build(f);
    for (const [i, expected] of ref.neighbours.entries()) expect(Array.from(neighboursOf(nb, i)), `location ${i}`).toEqual(expected);
  });

  it.each(names)('%s: z to 1e-9, p to 1e-9 relative (p > 1e-12), BH q', (name) => {
    const f = load('in', name) as In;
    const ref = load('out', name) as Out;
    const got = giStar(f.values, build(f));
    const greater = giStar(f.values, build(f), { alternative: 'greater' });
    const q = bhAdjust(got.map((r) => r.p));
    got.forEach((r, i) => {
      expect(Math.abs(r.z - ref.z[i]!), `z[${i}]`).toBeLessThan(1e-9);
      if (ref.p[i]! > 1e-12) expect(Math.abs(r.p - ref.p[i]!) / ref.p[i]!, `p[${i}]`).toBeLessThan(1e-9);
      if (ref.pGreater[i]! > 1e-12) expect(Math.abs(greater[i]!.p - ref.pGreater[i]!) / ref.pGreater[i]!, `p>[${i}]`).toBeLessThan(1e-9);
      expect(Math.abs(q[i]! - ref.q[i]!) / ref.q[i]!, `q[${i}]`).toBeLessThan(1e-9);
    });
  });

  it('reproduces the methods.md G1 numbers and its F2 hot bin', () => {
    const x = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const g = giStar([1, 2, 3, 10, 12, 11, 2, 1, 0, 3], distanceBand(x, x.map(() => 0), 1.5));
    expect(g[4]!.z).toBeCloseTo(2.9248172, 7);
    expect(g[4]!.p).toBeCloseTo(0.003446586, 9);
    const q = bhAdjust(g.map((r) => r.p));
    expect(g.map((r, i) => giBin(r.z, q[i]!))).toEqual([0, 0, 0, 0, 2, 0, 0, 0, 0, 0]);
  });
});

describe('Gi* edge cases', () => {
  const line = [0, 1, 2, 3];
  const flat = line.map(() => 0);
  it('constant values give NaN with a reason, not a number', () => {
    const r = giStar([5, 5, 5, 5], distanceBand(line, flat, 1));
    expect(r.every((g) => Number.isNaN(g.z) && Number.isNaN(g.p) && g.reason === 'no-variation')).toBe(true);
  });
  it('a neighbourhood holding every location gives NaN (zero variance)', () => {
    const r = giStar([1, 2, 3, 9], distanceBand(line, flat, 10));
    expect(r.map((g) => g.reason)).toEqual(['all-neighbours', 'all-neighbours', 'all-neighbours', 'all-neighbours']);
  });
  it('a location alone in its band gets (x_i − x̄)/S', () => {
    const values = [1, 2, 3, 10];
    const r = giStar(values, distanceBand([0, 1, 2, 50], flat, 1.5));
    const mean = 4;
    const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / 4);
    expect(r[3]!.z).toBeCloseTo((10 - mean) / sd, 14);
  });
  it('refuses NaN values, a length mismatch and a list without self', () => {
    expect(() => giStar([1, Number.NaN, 3, 4], distanceBand(line, flat, 1))).toThrow(/fill empty cells/);
    expect(() => giStar([1, 2], distanceBand(line, flat, 1))).toThrow(/must match/);
    expect(() => giStar([1, 2, 3, 4], distanceBand(line, flat, 1, { includeSelf: false }))).toThrow(/own neighbourhood/);
  });
  it('bins follow q with the sign of z', () => {
    expect([giBin(3, 0.001), giBin(-2, 0.03), giBin(1.7, 0.09), giBin(1, 0.2), giBin(Number.NaN, 0.001)]).toEqual([3, -2, 1, 0, 0]);
  });
});

function bruteBand(xs: Float64Array, ys: Float64Array, i: number, d: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < xs.length; j++) if (Math.sqrt((xs[j]! - xs[i]!) ** 2 + (ys[j]! - ys[i]!) ** 2) <= d) out.push(j);
  return out;
}

describe('neighbour lists at city scale', () => {
  it('builds a 50k-cell band and kNN quickly and exactly (checked by brute force on a sample)', () => {
    const u = randomLcg(50_000);
    const n = 50_000;
    const xs = new Float64Array(n);
    const ys = new Float64Array(n);
    // Clustered like a city: most cells in a few dense districts.
    for (let i = 0; i < n; i++) {
      const district = Math.floor(u() * 5);
      xs[i] = district * 4000 + (u() - 0.5) * (i % 3 === 0 ? 20_000 : 3000);
      ys[i] = district * 2500 + (u() - 0.5) * (i % 3 === 0 ? 20_000 : 3000);
    }
    let t0 = performance.now();
    const band = distanceBand(xs, ys, 150);
    const bandMs = performance.now() - t0;
    t0 = performance.now();
    const knn = kNearest(xs, ys, 8);
    const knnMs = performance.now() - t0;
    console.info(`50k cells: band 150 m ${bandMs.toFixed(0)} ms (${band.indices.length} links), kNN k=8 ${knnMs.toFixed(0)} ms`);
    expect(bandMs).toBeLessThan(5000);
    expect(knnMs).toBeLessThan(5000);
    for (let s = 0; s < 200; s++) {
      const i = Math.floor(u() * n);
      expect(Array.from(neighboursOf(band, i))).toEqual(bruteBand(xs, ys, i, 150));
      const d = Array.from(xs, (x, j) => Math.hypot(x - xs[i]!, ys[j]! - ys[i]!));
      const byDistance = d
        .map((_, j) => j)
        .filter((j) => j !== i && d[j]! <= 3000)
        .sort((a, b) => d[a]! - d[b]! || a - b);
      expect(Array.from(neighboursOf(knn, i))).toEqual([...byDistance.slice(0, 8), i].sort((a, b) => a - b));
    }
  });

  it('breaks kNN ties at the k-th distance by ascending index', () => {
    // From the centre of a plus sign all four arms are 1 away: k = 2 keeps the two lowest indices.
    const nb = kNearest([0, 1, -1, 0, 0], [0, 0, 0, 1, -1], 2);
    expect(Array.from(neighboursOf(nb, 0))).toEqual([0, 1, 2]);
  });

  it('keeps coincident points as neighbours (closed band) and accepts lists built elsewhere', () => {
    const nb = distanceBand([0, 0, 5], [0, 0, 0], 0);
    expect(Array.from(neighboursOf(nb, 0))).toEqual([0, 1]);
    expect(Array.from(neighboursOf(fromArrays([[1, 0], [1]], true), 0))).toEqual([0, 1]);
  });
});

describe('false discoveries on data without hot spots', () => {
  it('BH-corrected hot cells at 95 % stay at or below the nominal FDR over 20 seeded 30×30 Poisson grids', () => {
    const xs: number[] = [];
    const ys: number[] = [];
    for (let r = 0; r < 30; r++) {
      for (let c = 0; c < 30; c++) {
        xs.push(c * 100);
        ys.push(r * 100);
      }
    }
    const nb = distanceBand(xs, ys, 150); // queen + self
    const proportions: number[] = [];
    let rawFlagged = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const draw = randomPoisson.source(randomLcg(seed))(5);
      const values = xs.map(() => draw());
      const g = giStar(values, nb);
      const q = bhAdjust(g.map((r) => r.p));
      const hot = q.filter((v) => v <= 0.05).length;
      rawFlagged += g.filter((r) => r.p <= 0.05).length;
      // Under the null every discovery is false, so FDP is 1 whenever anything is flagged.
      proportions.push(hot > 0 ? 1 : 0);
    }
    const meanFdp = proportions.reduce((a, b) => a + b, 0) / proportions.length;
    console.info(`null grids: mean FDP ${meanFdp}, uncorrected p ≤ .05 flagged ${rawFlagged} of ${20 * 900} cells`);
    expect(meanFdp).toBeLessThanOrEqual(0.05);
    // The uncorrected rule does flag cells on the same data, so the test can tell the two apart.
    expect(rawFlagged).toBeGreaterThan(0);
  });
});
