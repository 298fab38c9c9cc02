import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { randomLcg } from 'd3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalLabels, dbscanPlanar, dbscanTurf, pointRole } from '../../src/analysis/dbscan';
import { EARTH_RADIUS_METERS } from '../../src/analysis/local-projection';
import type { DbscanFixtureInput } from '../fixtures/dbscan/make-inputs';

const fixtureDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../fixtures/dbscan');
const names = readdirSync(path.join(fixtureDir, 'in'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''));

function read<T>(...parts: string[]): T {
  return JSON.parse(readFileSync(path.join(fixtureDir, ...parts), 'utf8')) as T;
}

describe('dbscan against R dbscan and scikit-learn fixtures', () => {
  it('has the D1 variants and the random sets', () => {
    expect(names).toEqual(expect.arrayContaining(['d1', 'd1-right-group-first', 'd1-border-first', 'random-a-eps60-min5']));
    expect(names.length).toBeGreaterThanOrEqual(8);
  });

  for (const name of names) {
    it(`${name}: partition and core flags equal R and sklearn (planar and Turf)`, () => {
      const input = read<DbscanFixtureInput>('in', `${name}.json`);
      const r = read<{ cluster: number[]; core: boolean[] }>('out', `${name}.r.json`);
      const sk = read<{ labels: number[]; core: boolean[] }>('out', `${name}.sklearn.json`);
      const rLabels = canonicalLabels(r.cluster.map((c) => c - 1));
      expect(Array.from(canonicalLabels(sk.labels))).toEqual(Array.from(rLabels));
      expect(sk.core).toEqual(r.core);

      const planar = dbscanPlanar(input.x, input.y, input);
      expect(Array.from(canonicalLabels(planar.labels))).toEqual(Array.from(rLabels));
      expect(Array.from(planar.core, Boolean)).toEqual(r.core);
      // Our seeding order is R's, so the labels are equal before canonicalisation too.
      expect(Array.from(planar.labels)).toEqual(r.cluster.map((c) => c - 1));

      const turf = dbscanTurf(input.lon, input.lat, input);
      expect(Array.from(canonicalLabels(turf.labels))).toEqual(Array.from(rLabels));
      expect(Array.from(turf.core, Boolean)).toEqual(r.core);
    });
  }

  it('random fixtures are not trivial: several clusters, borders and noise', () => {
    for (const name of names.filter((n) => n.startsWith('random-'))) {
      const input = read<DbscanFixtureInput>('in', `${name}.json`);
      const result = dbscanPlanar(input.x, input.y, input);
      const roles = input.x.map((_, i) => pointRole(result, i));
      expect(result.clusterCount, name).toBeGreaterThanOrEqual(3);
      expect(roles.filter((r) => r === 'noise').length, name).toBeGreaterThan(0);
      // With minPts ≤ 2 every point with a neighbour is core, so borders cannot exist.
      if (input.minPoints > 2) expect(roles.filter((r) => r === 'border').length, name).toBeGreaterThan(0);
    }
  });

  it('D1: 1.15 km is a border point that joins the first-seeded cluster (R semantics)', () => {
    const d1 = dbscanPlanar(read<DbscanFixtureInput>('in', 'd1.json').x, [0, 0, 0, 0, 0, 0, 0, 0, 0], { epsMeters: 1000, minPoints: 4 });
    expect(Array.from(d1.labels)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1]);
    expect(pointRole(d1, 4)).toBe('border');
    const right = read<DbscanFixtureInput>('in', 'd1-right-group-first.json');
    const rr = dbscanPlanar(right.x, right.y, right);
    expect(rr.labels[8]).toBe(0); // 1.15 is last in this order and joins the 2.1–2.3 group seeded first
  });
});

/** Straight from the definition, O(n²): used only to cross-check the indexed implementation. */
function bruteForce(x: number[], y: number[], eps: number, minPoints: number): Int32Array {
  const n = x.length;
  const nb = (i: number) => x.map((_, j) => j).filter((j) => Math.hypot(x[i]! - x[j]!, y[i]! - y[j]!) <= eps);
  const core = x.map((_, i) => nb(i).length >= minPoints);
  const labels = new Int32Array(n).fill(-1);
  let c = 0;
  for (let s = 0; s < n; s++) {
    if (!core[s] || labels[s]! >= 0) continue;
    const stack = [s];
    labels[s] = c;
    while (stack.length) {
      for (const q of nb(stack.shift()!)) {
        if (labels[q]! >= 0) continue;
        labels[q] = c;
        if (core[q]) stack.push(q);
      }
    }
    c++;
  }
  return labels;
}

describe('dbscanPlanar properties', () => {
  it('equals the brute-force definition on random integer grids (ties included)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 })), { maxLength: 60 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 6 }),
        (pts, eps, minPoints) => {
          const x = pts.map((p) => p[0]);
          const y = pts.map((p) => p[1]);
          const result = dbscanPlanar(x, y, { epsMeters: eps, minPoints });
          expect(Array.from(result.labels)).toEqual(Array.from(bruteForce(x, y, eps, minPoints)));
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  });

  it('treats points at exactly ε as neighbours (≤, as R and sklearn)', () => {
    const result = dbscanPlanar([0, 1, 2], [0, 0, 0], { epsMeters: 1, minPoints: 3 });
    expect(Array.from(result.core)).toEqual([0, 1, 0]);
    expect(Array.from(result.labels)).toEqual([0, 0, 0]);
  });

  it('counts duplicate coordinates separately toward minPoints', () => {
    const result = dbscanPlanar([5, 5, 5], [5, 5, 5], { epsMeters: 1, minPoints: 3 });
    expect(Array.from(result.labels)).toEqual([0, 0, 0]);
  });

  it('rejects meaningless parameters instead of substituting defaults', () => {
    expect(() => dbscanPlanar([0], [0], { epsMeters: 0, minPoints: 3 })).toThrow(/positive/);
    expect(() => dbscanPlanar([0], [0], { epsMeters: 10, minPoints: 0 })).toThrow(/minPoints/);
    expect(dbscanPlanar([], [], { epsMeters: 10, minPoints: 3 }).clusterCount).toBe(0);
  });
});

describe('speed: planar k-d tree vs Turf on 20k points (same partition)', () => {
  it('is faster with identical canonical labels', () => {
    const rng = randomLcg(42);
    const n = 20_000;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    const lon = new Float64Array(n);
    const lat = new Float64Array(n);
    const [cx, cy] = [0, 0];
    const toDeg = 180 / Math.PI / EARTH_RADIUS_METERS;
    for (let i = 0; i < n; i++) {
      // 8 km square with 30 % of calls in 40 hot blocks: a city-like mix.
      const hot = rng() < 0.3;
      const bx = hot ? cx + (Math.floor(rng() * 40) - 20) * 150 : cx + (rng() - 0.5) * 8000;
      const by = hot ? cy + (Math.floor(rng() * 40) - 20) * 150 : cy + (rng() - 0.5) * 8000;
      x[i] = bx + (hot ? (rng() - 0.5) * 60 : 0);
      y[i] = by + (hot ? (rng() - 0.5) * 60 : 0);
      // Laid out at the equator so haversine equals the plane to ~1e-7 and the partitions must match exactly.
      lon[i] = x[i]! * toDeg;
      lat[i] = y[i]! * toDeg;
    }
    const options = { epsMeters: 50, minPoints: 8 };
    let t = performance.now();
    const planar = dbscanPlanar(x, y, options);
    const planarMs = performance.now() - t;
    t = performance.now();
    const turf = dbscanTurf(lon, lat, options);
    const turfMs = performance.now() - t;
    console.log(`DBSCAN 20k points ε=50 m minPts=8: planar ${planarMs.toFixed(0)} ms, Turf ${turfMs.toFixed(0)} ms, clusters ${planar.clusterCount}`);
    expect(planar.clusterCount).toBeGreaterThan(10);
    expect(planarMs).toBeLessThan(turfMs);
    expect(Array.from(canonicalLabels(turf.labels))).toEqual(Array.from(canonicalLabels(planar.labels)));
    expect(Array.from(turf.core)).toEqual(Array.from(planar.core));
  });
});
