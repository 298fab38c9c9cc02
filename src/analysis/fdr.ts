/**
 * Benjamini–Hochberg (1995) adjusted p-values, identical to R `p.adjust(p, "BH")`
 * (src/library/stats/R/p.adjust.R): q_(i) = min_{j ≥ i} min(1, m/j · p_(j)).
 * Rejecting q ≤ α is exactly the BH step-up rule at level α.
 */

/**
 * NaN entries play R's NA: they stay NaN and do not count toward m, unless an explicit
 * larger `m` is given (R's `n =` argument), which treats the missing tests as p = 1.
 */
export function bhAdjust(p: ArrayLike<number>, m?: number): Float64Array {
  const present: number[] = [];
  for (let i = 0; i < p.length; i++) {
    const v = p[i]!;
    if (Number.isNaN(v)) continue;
    if (v < 0 || v > 1) throw new RangeError(`p-value ${i} is ${v}; p-values must lie between 0 and 1.`);
    present.push(i);
  }
  const total = m ?? present.length;
  if (total < present.length) throw new RangeError(`m = ${total} is smaller than the ${present.length} p-values given.`);
  const out = new Float64Array(p.length).fill(Number.NaN);
  // Descending by p; the index tie-break only fixes the order, tied p get equal q anyway.
  present.sort((a, b) => p[b]! - p[a]! || b - a);
  let running = 1;
  for (let r = 0; r < present.length; r++) {
    const i = present[r]!;
    const rank = present.length - r;
    running = Math.min(running, (total / rank) * p[i]!);
    out[i] = running;
  }
  return out;
}

/** Indices rejected by BH at level alpha (q ≤ alpha). */
export function bhReject(p: ArrayLike<number>, alpha: number): number[] {
  const q = bhAdjust(p);
  const out: number[] = [];
  for (let i = 0; i < q.length; i++) if (q[i]! <= alpha) out.push(i);
  return out;
}
