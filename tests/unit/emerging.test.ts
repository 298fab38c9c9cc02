import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyEmerging, emergingHotSpots, spaceTimeGiStar } from '../../src/analysis/emerging';
import { distanceBand } from '../../src/analysis/weights';

const dir = path.join(__dirname, '../fixtures/emerging');
const names = readdirSync(path.join(dir, 'in')).map((f) => f.replace(/\.json$/, ''));
const load = (sub: string, name: string) => JSON.parse(readFileSync(path.join(dir, sub, `${name}.json`), 'utf8'));

interface In {
  x: number[];
  y: number[];
  nLocations: number;
  nSteps: number;
  values: number[];
  radiusMeters: number;
}
interface Run {
  neighbourhoodTimeSteps: number;
  z: number[];
  p: number[];
  q: number[];
  mkS: number[];
  mkVarS: number[];
  mkZ: number[];
  mkP: number[];
  mkTauB: (number | null)[];
}

const cases = names.flatMap((name) => (load('out', name) as { runs: Run[] }).runs.map((run) => [name, run.neighbourhoodTimeSteps, run] as const));

describe('space-time Gi* against R (spdep::localG per slice for k = 0; sfdep formula with lags)', () => {
  it.each(cases)('%s, neighbourhoodTimeSteps = %i', (name, k, ref) => {
    const f = load('in', name) as In;
    const nb = distanceBand(f.x, f.y, f.radiusMeters);
    const cube = { nLocations: f.nLocations, nSteps: f.nSteps, values: f.values };
    const result = emergingHotSpots(cube, nb, { neighbourhoodTimeSteps: k });
    const direct = spaceTimeGiStar(cube, nb, k);
    for (let b = 0; b < ref.z.length; b++) {
      expect(Math.abs(result.z[b]! - ref.z[b]!), `z[${b}]`).toBeLessThan(1e-9);
      expect(direct.z[b]).toBe(result.z[b]);
      if (ref.p[b]! > 1e-12) expect(Math.abs(result.p[b]! - ref.p[b]!) / ref.p[b]!, `p[${b}]`).toBeLessThan(1e-9);
      expect(Math.abs(result.q[b]! - ref.q[b]!) / ref.q[b]!, `q[${b}]`).toBeLessThan(1e-9);
    }
    result.locations.forEach(({ trend }, i) => {
      expect(trend.S, `S[${i}]`).toBe(ref.mkS[i]);
      expect(Math.abs(trend.varS - ref.mkVarS[i]!), `varS[${i}]`).toBeLessThan(1e-9);
      expect(Math.abs(trend.Z - ref.mkZ[i]!), `Z[${i}]`).toBeLessThan(1e-9);
      expect(Math.abs(trend.p - ref.mkP[i]!) / ref.mkP[i]!, `mk p[${i}]`).toBeLessThan(1e-9);
      if (ref.mkTauB[i] !== null) expect(Math.abs(trend.tauB! - ref.mkTauB[i]!), `tau[${i}]`).toBeLessThan(1e-12);
    });
  });
});

describe('planted patterns', () => {
  const f = load('in', 'planted-12x12x12') as In;
  const nb = distanceBand(f.x, f.y, f.radiusMeters);
  const cube = { nLocations: f.nLocations, nSteps: f.nSteps, values: f.values };
  const at = (r: ReturnType<typeof emergingHotSpots>, col: number, row: number) => r.locations[row * 12 + col]!;
  it('finds the planted areas under the ESRI rules', () => {
    for (const k of [0, 1]) {
      const r = emergingHotSpots(cube, nb, { neighbourhoodTimeSteps: k });
      // Quiet until the final step, then hot.
      expect(at(r, 2, 2).category).toBe('new-hot');
      // Hot for the last 4 steps only.
      expect(at(r, 6, 5).category).toBe('consecutive-hot');
      // The ramp crosses significance at step 4 and stays hot: a run ending now with nothing
      // hot before, under 90 % of steps. ESRI calls that consecutive, not intensifying.
      expect(at(r, 9, 9).category).toBe('consecutive-hot');
      expect(at(r, 9, 9).trend.S).toBeGreaterThan(0);
    }
    // Hot for 10 of 12 steps, quiet for the last 2: with the lag the window shows 11 of 12 (≥ 90 %).
    expect(at(emergingHotSpots(cube, nb, { neighbourhoodTimeSteps: 1 }), 2, 9).category).toBe('historical-hot');
    expect(at(emergingHotSpots(cube, nb, { neighbourhoodTimeSteps: 0 }), 2, 9).category).toBe('no-pattern');
  });
  it('exposes its settings and honours them', () => {
    const strict = emergingHotSpots(cube, nb, { neighbourhoodTimeSteps: 0, binAlpha: 1e-12 });
    expect(strict.settings).toEqual({ neighbourhoodTimeSteps: 0, binAlpha: 1e-12, trendAlpha: 0.05, fdr: true });
    expect(strict.locations.every((l) => l.category === 'no-pattern')).toBe(true);
    const raw = emergingHotSpots(cube, nb, { neighbourhoodTimeSteps: 0, fdr: false });
    expect(Array.from(raw.q)).toEqual(Array.from(raw.p));
  });
  it('refuses a cube whose size does not match', () => {
    expect(() => emergingHotSpots({ nLocations: 144, nSteps: 11, values: f.values }, nb)).toThrow(/144 locations × 11 steps/);
  });
});

describe('category rules (classifyEmerging)', () => {
  const h = (s: string) => [...s].map((c) => c === 'H');
  const c = (s: string) => [...s].map((ch) => ch === 'C');
  const none = { p: 0.5, S: 3 };
  const up = { p: 0.001, S: 30 };
  const down = { p: 0.001, S: -30 };
  const cls = (s: string, trend = none) => classifyEmerging(h(s), c(s), trend);
  it.each([
    ['..........H', none, 'new-hot'],
    ['CC........H', none, 'new-hot'], // ESRI: never hot before; earlier cold does not matter
    ['.......HHHH', none, 'consecutive-hot'],
    ['..H....HHHH', none, 'sporadic-hot'], // hot before the run: not consecutive
    ['HHHHHHHHHH', up, 'intensifying-hot'],
    ['HHHHHHHHHH', none, 'persistent-hot'],
    ['HHHHHHHHHH', down, 'diminishing-hot'],
    ['.HHHHHHHHHH', none, 'persistent-hot'], // 10 of 11 ≥ 90 %
    ['HHHHHHHHH.', none, 'historical-hot'], // ≥ 90 % but not hot now: historical before persistent
    ['HHHHHHHHH.', down, 'historical-hot'],
    ['H.C..H...H', none, 'oscillating-hot'],
    ['H..H.H...H', none, 'sporadic-hot'],
    ['H..H.H....', none, 'no-pattern'],
    ['..........C', none, 'new-cold'],
    ['CCCCCCCCCC', down, 'intensifying-cold'],
    ['CCCCCCCCCC', up, 'diminishing-cold'],
    ['C.H..C...C', none, 'oscillating-cold'],
    ['..........', none, 'no-pattern'],
  ] as const)('%s with trend %o → %s', (pattern, trend, expected) => {
    expect(cls(pattern, trend)).toBe(expected);
  });
  it('uses the trend alpha it is given', () => {
    expect(classifyEmerging(h('HHHHHHHHHH'), c('HHHHHHHHHH'), { p: 0.03, S: 20 }, 0.05)).toBe('intensifying-hot');
    expect(classifyEmerging(h('HHHHHHHHHH'), c('HHHHHHHHHH'), { p: 0.03, S: 20 }, 0.01)).toBe('persistent-hot');
  });
});
