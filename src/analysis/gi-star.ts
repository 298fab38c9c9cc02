/**
 * Getis–Ord Gi* with binary weights, exactly as spdep::localG on a self-included list
 * (Ord & Getis 1995; methods.md §1):
 *   z_i = (L_i − x̄·W_i) / (S·sqrt((n·S1_i − W_i²)/(n − 1))),  S = population SD (divisor n).
 * With binary weights W_i = S1_i = k_i. Row standardisation would not change z, so we keep
 * binary weights and avoid the extra arithmetic.
 */
import { type Alternative, pFromZ } from './normal';
import { type NeighbourList, neighboursOf } from './weights';

/** Why a z-score is NaN, so the UI can say it instead of showing a blank. */
export type GiUndefinedReason = 'no-variation' | 'all-neighbours' | 'negative-variance';

export interface GiResult {
  z: number;
  p: number;
  /** set when z is NaN */
  reason?: GiUndefinedReason;
}

export interface GiOptions {
  alternative?: Alternative;
}

export interface Moments {
  n: number;
  mean: number;
  /** population standard deviation (divisor n), as spdep's `si2` */
  sd: number;
}

export function moments(values: ArrayLike<number>): Moments {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      throw new RangeError(`Value ${i} is ${v}; Gi* needs a number for every location (fill empty cells with 0).`);
    }
    sum += v;
  }
  const mean = sum / n;
  // Centred sum of squares: the textbook Σx²/n − x̄² cancels badly for large counts.
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
  return { n, mean, sd: Math.sqrt(ss / n) };
}

/**
 * z from a local sum and its binary-weight totals. Shared with the space-time version,
 * whose neighbourhoods reach into earlier slices (then W can exceed n and the variance
 * turns negative; that bin is reported undefined rather than given an imaginary z).
 */
export function giZ(localSum: number, weightSum: number, m: Moments): { z: number; reason?: GiUndefinedReason } {
  if (m.sd === 0) return { z: Number.NaN, reason: 'no-variation' };
  const spread = (m.n * weightSum - weightSum * weightSum) / (m.n - 1);
  if (spread === 0) return { z: Number.NaN, reason: 'all-neighbours' };
  if (spread < 0) return { z: Number.NaN, reason: 'negative-variance' };
  return { z: (localSum - m.mean * weightSum) / (m.sd * Math.sqrt(spread)) };
}

/**
 * Gi* z and p for every location. `neighbours` must include self (build it with
 * `distanceBand`/`kNearest`, or `withSelf`): Gi* by definition counts x_i in its own sum.
 */
export function giStar(values: Float64Array | readonly number[], neighbours: NeighbourList, options: GiOptions = {}): GiResult[] {
  if (values.length !== neighbours.n) {
    throw new RangeError(`Gi* got ${values.length} values for ${neighbours.n} locations; they must match one to one.`);
  }
  if (!neighbours.selfIncluded) {
    throw new RangeError('Gi* needs each location in its own neighbourhood; build the list with includeSelf (or withSelf).');
  }
  const m = moments(values);
  const out: GiResult[] = new Array(m.n);
  for (let i = 0; i < m.n; i++) {
    const nb = neighboursOf(neighbours, i);
    let local = 0;
    for (let s = 0; s < nb.length; s++) local += values[nb[s]!]!;
    const { z, reason } = giZ(local, nb.length, m);
    out[i] = reason ? { z, p: Number.NaN, reason } : { z, p: pFromZ(z, options.alternative) };
  }
  return out;
}

/**
 * ArcGIS-style confidence bin from z and the BH-adjusted q (methods.md §2 recommendation):
 * ±3 for q ≤ .01, ±2 for q ≤ .05, ±1 for q ≤ .10, else 0. Passing raw p instead of q gives
 * the uncorrected bins (ArcGIS uses strict < there; with continuous p the difference is moot).
 */
export function giBin(z: number, q: number): -3 | -2 | -1 | 0 | 1 | 2 | 3 {
  if (!Number.isFinite(z) || !(q <= 0.1) || z === 0) return 0;
  const level = q <= 0.01 ? 3 : q <= 0.05 ? 2 : 1;
  return (z > 0 ? level : -level) as 1 | 2 | 3 | -1 | -2 | -3;
}
