import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { erf, erfc, normalCdf, normalUpperTail, pFromZ, twoSidedP } from '../../src/analysis/normal';

const fixture = JSON.parse(readFileSync(path.join(__dirname, '../fixtures/normal/out/tails.json'), 'utf8')) as {
  z: number[];
  sf: number[];
  mpmath?: number[];
};

const rel = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.abs(b));

describe('normal tails (Cody erfc)', () => {
  it('agrees with SciPy norm.sf at every fixture z, including |z| = 8, 20, 37', () => {
    for (const [i, z] of fixture.z.entries()) {
      // SciPy's own ndtr loses ~z²·ε at large z (1e-13 at z = 37); the 50-digit check below is the strict one.
      expect(rel(normalUpperTail(z), fixture.sf[i]!), `z = ${z}`).toBeLessThan(2e-13);
    }
    expect(fixture.z).toEqual(expect.arrayContaining([8, 20, 37]));
  });

  it.skipIf(!fixture.mpmath)('has ~1e-15 relative error against 50-digit mpmath', () => {
    let worst = 0;
    for (const [i, z] of fixture.z.entries()) worst = Math.max(worst, rel(normalUpperTail(z), fixture.mpmath![i]!));
    expect(worst).toBeLessThan(1e-15);
  });

  it('keeps digits far below 1e-16 where 1 − Φ would give 0', () => {
    expect(twoSidedP(37)).toBeGreaterThan(0);
    expect(twoSidedP(37)).toBeLessThan(1e-298);
    expect(twoSidedP(-8)).toBe(twoSidedP(8));
    expect(rel(twoSidedP(8), 2 * fixture.sf[fixture.z.indexOf(8)]!)).toBeLessThan(1e-14);
  });

  it('is consistent across erf, erfc, Φ and the alternatives', () => {
    for (const x of [-3, -0.4, 0, 0.2, 0.46875, 0.5, 2, 4.5]) expect(erf(x) + erfc(x)).toBeCloseTo(1, 15);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 14);
    expect(pFromZ(1.5, 'greater') + pFromZ(1.5, 'less')).toBeCloseTo(1, 15);
    expect(pFromZ(1.5)).toBe(twoSidedP(1.5));
    expect(twoSidedP(0)).toBe(1);
    expect(Number.isNaN(twoSidedP(Number.NaN))).toBe(true);
  });
});
