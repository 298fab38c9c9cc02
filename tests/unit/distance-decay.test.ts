import { randomLcg } from 'd3';
import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { distanceDecay, ringAreas, ringIndex, relocationTest } from '../../src/analysis/distance-decay';
import { localProjection } from '../../src/analysis/local-projection';

const projection = localProjection(-90.07, 29.95);
const [cx, cy] = projection.forward(-90.07, 29.95);
const at = (dx: number, dy: number) => {
  const [lon, lat] = projection.inverse(cx + dx, cy + dy);
  return { lon, lat };
};
/** Axis-aligned rectangle in the UTM plane, in lon/lat. */
function rect(x0: number, y0: number, x1: number, y1: number): Polygon {
  const c = [at(x0, y0), at(x1, y0), at(x1, y1), at(x0, y1), at(x0, y0)].map((p) => [p.lon, p.lat]);
  return { type: 'Polygon', coordinates: [c] };
}
const breaks = [50, 100, 150, 200, 250, 300, 350, 400];
const hub = { id: 'h', ...at(0, 0) };

describe('ring areas (raster) against analytic areas', () => {
  // Cell-centre sampling of a 50 m disk at 2.5 m cells is off by up to ~0.6 % (lattice-point count); wider rings do better.
  it('single isolated hub: ring k area = π(r_k² − r_{k−1}²) within 1 %', () => {
    const result = ringAreas([hub], [rect(-2000, -2000, 2000, 2000)], { breaksMeters: breaks, projection });
    expect(result.cellMeters).toBe(2.5);
    expect(result.regionAreaM2).toBeCloseTo(16e6, -1);
    result.ringAreasM2.forEach((a, k) => {
      const inner = k === 0 ? 0 : breaks[k - 1]!;
      const exact = Math.PI * (breaks[k]! ** 2 - inner ** 2);
      expect(Math.abs(a - exact) / exact, `ring ${k}`).toBeLessThan(0.01);
    });
  });

  it('clips to the study region (hub on its edge: half of each ring) and ignores holes', () => {
    const half = ringAreas([hub], [rect(0, -2000, 2000, 2000)], { breaksMeters: breaks, projection });
    half.ringAreasM2.forEach((a, k) => {
      const inner = k === 0 ? 0 : breaks[k - 1]!;
      const exact = (Math.PI * (breaks[k]! ** 2 - inner ** 2)) / 2;
      expect(Math.abs(a - exact) / exact, `ring ${k}`).toBeLessThan(0.01);
    });
    // A 100 m-radius-square hole (a lake) around the hub removes the first two rings' interior.
    const outer = rect(-2000, -2000, 2000, 2000).coordinates[0]!;
    const hole = rect(-100, -100, 100, 100).coordinates[0]!.slice().reverse();
    const holed = ringAreas([hub], [{ type: 'Polygon', coordinates: [outer, hole] }], { breaksMeters: breaks, projection });
    expect(holed.ringAreasM2[0]).toBe(0);
    expect(holed.regionAreaM2).toBeCloseTo(16e6 - 40_000, -1);
  });

  it('two overlapping hubs: the union, not the sum (lens formula)', () => {
    const r = 50;
    const d = 60;
    const lens = 2 * r * r * Math.acos(d / (2 * r)) - (d / 2) * Math.sqrt(4 * r * r - d * d);
    const union = 2 * Math.PI * r * r - lens;
    const result = ringAreas([hub, { id: 'h2', ...at(d, 0) }], [rect(-2000, -2000, 2000, 2000)], { breaksMeters: [r], projection });
    expect(Math.abs(result.ringAreasM2[0]! - union) / union).toBeLessThan(0.005);
  });

  it('ring membership is [r_{k−1}, r_k)', () => {
    expect(ringIndex(0, breaks)).toBe(0);
    expect(ringIndex(50, breaks)).toBe(1);
    expect(ringIndex(399.99, breaks)).toBe(7);
    expect(ringIndex(400, breaks)).toBe(-1);
    expect(() => ringAreas([hub], [], { breaksMeters: [100, 50], projection })).toThrow(/increase/);
  });
});

function uniformCalls(n: number, seed: number, half = 2000) {
  const rng = randomLcg(seed);
  return Array.from({ length: n }, () => at((rng() * 2 - 1) * half, (rng() * 2 - 1) * half));
}

describe('ring rates, RR′ vs rest and exact test', () => {
  const region = [rect(-2000, -2000, 2000, 2000)];

  it('finds the planted excess in the first ring and nothing in uniform data', () => {
    const rng = randomLcg(3);
    const planted = Array.from({ length: 150 }, () => {
      const a = rng() * 2 * Math.PI;
      const r = Math.sqrt(rng()) * 49;
      return at(r * Math.cos(a), r * Math.sin(a));
    });
    const background = uniformCalls(20_000, 4);
    const result = distanceDecay([...background, ...planted], [hub], region, { breaksMeters: breaks, projection });
    const first = result.rings[0]!;
    expect(result.totalCalls).toBe(20_150);
    // background expectation in ring 1: 20 000 · π·50² / 16e6 ≈ 9.8 calls
    expect(first.calls).toBeGreaterThanOrEqual(150);
    expect(first.rrRest).toBeGreaterThan(10);
    expect(first.pValue).toBeLessThan(1e-12);
    expect(first.rrRestCi[0]).toBeLessThan(first.rrRest);
    expect(first.rrRestCi[1]).toBeGreaterThan(first.rrRest);
    expect(first.rrRestCi[0]).toBeGreaterThan(5);
    // outer rings hold only background: no ring except the first is significant at 0.001
    expect(result.rings.slice(1).every((r) => r.pValue > 0.001)).toBe(true);
    expect(result.beyond.calls + result.rings.reduce((a, r) => a + r.calls, 0)).toBe(result.totalCalls);

    const uniform = distanceDecay(background, [hub], region, { breaksMeters: breaks, projection });
    for (const ring of uniform.rings) {
      expect(ring.rrRestCi[0]).toBeLessThan(1.0001 + 0.5); // CI reaches down near 1
      expect(ring.pValue).toBeGreaterThan(0.001);
    }
  });

  it('relocation test: real hubs stand out only when calls concentrate there', () => {
    const rng = randomLcg(8);
    const candidates = Array.from({ length: 60 }, (_, i) => ({ id: `s${i}`, ...at((rng() * 2 - 1) * 1800, (rng() * 2 - 1) * 1800) }));
    const hubs = candidates.slice(0, 3);
    const planted = hubs.flatMap((h) => {
      const [hx, hy] = projection.forward(h.lon, h.lat);
      return Array.from({ length: 40 }, () => {
        const [lon, lat] = projection.inverse(hx + (rng() - 0.5) * 60, hy + (rng() - 0.5) * 60);
        return { lon, lat };
      });
    });
    const background = uniformCalls(5000, 12);
    const options = { ringMeters: 50, permutations: 199, seed: 2024, projection };
    const hot = relocationTest([...background, ...planted], hubs, candidates, options);
    expect(hot.observed).toBeGreaterThanOrEqual(100);
    expect(hot.pValue).toBe(1 / 200);
    expect(hot.simulated).toHaveLength(199);
    const cold = relocationTest(background, hubs, candidates, options);
    expect(cold.pValue).toBeGreaterThan(0.05);
    // seeded: same inputs, same draws
    expect(relocationTest(background, hubs, candidates, options).simulated).toEqual(cold.simulated);
  });
});
