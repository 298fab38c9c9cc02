import { randomLcg, randomNormal } from 'd3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dbscanKdbush, dbscanPlanar } from '../../src/analysis/dbscan';

// The grid DBSCAN must give the k-d tree version's labels and core flags exactly (not only the
// same partition): same seeding order, same distance test, same border-point homes.
function same(x: number[], y: number[], epsMeters: number, minPoints: number): void {
  const grid = dbscanPlanar(x, y, { epsMeters, minPoints });
  const tree = dbscanKdbush(x, y, { epsMeters, minPoints });
  expect(Array.from(grid.labels)).toEqual(Array.from(tree.labels));
  expect(Array.from(grid.core)).toEqual(Array.from(tree.core));
  expect(grid.clusterCount).toBe(tree.clusterCount);
  expect(grid.noiseCount).toBe(tree.noiseCount);
}

describe('dbscanPlanar (ε buckets, early-exit core count) equals the k-d tree version', () => {
  it('on random blobs, lattices with points exactly ε apart, and coincident points', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -40, max: 40 }), fc.integer({ min: -40, max: 40 })), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom(1, 2, 2.5, 7.5, 10),
        fc.integer({ min: 1, max: 8 }),
        (cells, step, epsMeters, minPoints) => {
          // integer lattice × step: many pairs sit at exactly ε (the closed boundary)
          same(cells.map((c) => c[0] * step), cells.map((c) => c[1] * step), epsMeters, minPoints);
        },
      ),
      { numRuns: 300, seed: 20261126 },
    );
  });

  it('on heavily repeated points (calls geocoded to a few block centres), where copies are weighted', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -4, max: 4 }), fc.integer({ min: -4, max: 4 })), { minLength: 1, maxLength: 400 }),
        fc.constantFrom(1, 1.5, 2, 3),
        fc.integer({ min: 1, max: 40 }),
        (cells, epsMeters, minPoints) => {
          same(cells.map((c) => c[0] * 1.5), cells.map((c) => c[1] * 1.5), epsMeters, minPoints);
        },
      ),
      { numRuns: 300, seed: 11 },
    );
  });

  it('on ~5k calls in dense blocks with a far-off geocode (bucket cap) and UTM-sized coordinates', () => {
    const rnd = randomLcg(42);
    const normal = randomNormal.source(rnd)(0, 40);
    const x: number[] = [];
    const y: number[] = [];
    for (let b = 0; b < 200; b++) {
      const cx = 780_000 + rnd() * 8000;
      const cy = 3_320_000 + rnd() * 8000;
      const k = Math.floor(rnd() * 50);
      // geocoded to block centres: many calls share a point
      for (let i = 0; i < k; i++) {
        x.push(Math.round(cx + normal()));
        y.push(Math.round(cy + normal()));
      }
    }
    x.push(2_000_000);
    y.push(9_000_000);
    expect(x.length).toBeGreaterThan(4000);
    same(x, y, 75, 6);
    same(x, y, 30, 20);
  });
});
