import { describe, expect, it } from 'vitest';
import { binomialTwoSidedP, clopperPearson, logGamma } from '../../src/analysis/binomial-exact';

// R 4.2.2: b <- binom.test(k, n, p); b$p.value; b$conf.int  (printed with %.17g)
const R_REFERENCE: [k: number, n: number, p: number, pValue: number, lower: number, upper: number][] = [
  [7, 20, 0.2, 0.098221728613468728, 0.15390920478454115, 0.59218853453282816],
  [0, 10, 0.3, 0.038839603299999984, 0, 0.30849710781876083],
  [10, 10, 0.5, 0.0019531250000000004, 0.69150289218123917, 1],
  [123, 1000, 0.1, 0.01760939931660549, 0.10327690964141771, 0.14497223867356845],
  [3, 50000, 1e-4, 0.50282110246907674, 1.2373613379830187e-5, 0.00017533534899792779],
  [60, 100, 0.5, 0.056887933640980867, 0.49720915042233482, 0.69670523129712247],
];

describe('exact binomial test and Clopper–Pearson interval (vs R binom.test)', () => {
  for (const [k, n, p, pValue, lower, upper] of R_REFERENCE) {
    it(`k=${k} n=${n} p=${p}`, () => {
      expect(binomialTwoSidedP(k, n, p)).toBeCloseTo(pValue, 10);
      const [lo, hi] = clopperPearson(k, n);
      expect(Math.abs(lo - lower)).toBeLessThan(1e-10 * Math.max(1, lower) + 1e-14);
      expect(Math.abs(hi - upper)).toBeLessThan(1e-10);
    });
  }
  it('logGamma matches factorials', () => {
    expect(logGamma(11)).toBeCloseTo(Math.log(3_628_800), 12);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
  });
  it('rejects impossible counts', () => {
    expect(() => binomialTwoSidedP(5, 3, 0.5)).toThrow(/0 ≤ k ≤ n/);
  });
});
