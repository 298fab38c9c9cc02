/**
 * Mann–Kendall trend test in float64 (Mann 1945; Kendall, Rank Correlation Methods;
 * methods.md §3). Normal approximation with tie-corrected variance and continuity
 * correction, as pymannkendall.original_test, R trend::mk.test and Kendall::MannKendall
 * (the last runs in single precision, so it only agrees to ~1e-7).
 */
import { twoSidedP } from './normal';

export interface MannKendallResult {
  /** number of non-missing values used */
  n: number;
  S: number;
  varS: number;
  Z: number;
  p: number;
  /** S / (n(n−1)/2); null when undefined (constant series, n < 2) */
  tauA: number | null;
  /** tie-adjusted τ_b (Kendall::MannKendall's `tau`); null for a constant series */
  tauB: number | null;
}

/** Missing values (NaN) are dropped, as Kendall and pymannkendall do; order is time order. */
export function mannKendall(series: ArrayLike<number>): MannKendallResult {
  const x: number[] = [];
  for (let i = 0; i < series.length; i++) if (!Number.isNaN(series[i]!)) x.push(series[i]!);
  const n = x.length;
  let S = 0;
  for (let i = 0; i < n - 1; i++) {
    const xi = x[i]!;
    for (let j = i + 1; j < n; j++) S += Math.sign(x[j]! - xi);
  }
  const sorted = [...x].sort((a, b) => a - b);
  let tieVar = 0;
  let tiePairs = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && sorted[j] === sorted[i]) j++;
    const t = j - i;
    tieVar += t * (t - 1) * (2 * t + 5);
    tiePairs += (t * (t - 1)) / 2;
    i = j;
  }
  const varS = (n * (n - 1) * (2 * n + 5) - tieVar) / 18;
  const pairs = (n * (n - 1)) / 2;
  // A constant (or too short) series has no variance: no evidence of trend, p = 1, τ undefined.
  if (varS <= 0) return { n, S, varS: Math.max(varS, 0), Z: 0, p: 1, tauA: null, tauB: null };
  const Z = S > 0 ? (S - 1) / Math.sqrt(varS) : S < 0 ? (S + 1) / Math.sqrt(varS) : 0;
  const tauDen = Math.sqrt(pairs * (pairs - tiePairs));
  return { n, S, varS, Z, p: twoSidedP(Z), tauA: S / pairs, tauB: tauDen > 0 ? S / tauDen : null };
}
