/**
 * Sample quantiles, Hyndman & Fan (1996) type 7: the default of R's `quantile()`, of numpy's
 * `percentile(method="linear")` and of DuckDB's `quantile_cont`, so a median or p90 shown in
 * the app equals what an analyst gets in R, pandas or SQL on the same values.
 *
 * For sorted x[0..n-1] and probability p: h = (n − 1)·p, Q(p) = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
 */
export const QUANTILE_METHOD =
  'Quantiles use Hyndman & Fan type 7 (linear interpolation between order statistics; the default in R, numpy and DuckDB quantile_cont).';

/** Type-7 quantile of values already sorted ascending. NaN for an empty array. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0 || !(p >= 0 && p <= 1)) return Number.NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  // a + frac·(b − a) rather than (1−frac)·a + frac·b: exact when a === b (no 0.1+0.2 drift).
  return a + (h - lo) * (b - a);
}

/** Type-7 quantiles of unsorted values; non-finite values are ignored. */
export function quantiles(values: readonly number[], ps: readonly number[]): number[] {
  const sorted = Float64Array.from(values.filter(Number.isFinite)).sort();
  return ps.map((p) => quantileSorted(sorted, p));
}

export function median(values: readonly number[]): number {
  return quantiles(values, [0.5])[0]!;
}

/**
 * Mid-ranks (1-based, ties share the average rank), as R's `rank(ties.method = "average")`:
 * the ranking Spearman's rho needs.
 */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]![1]] = rank;
    i = j + 1;
  }
  return ranks;
}

/** Pearson correlation; NaN when either side has zero variance or fewer than 2 pairs. */
export function pearson(x: readonly number[], y: readonly number[]): number {
  const n = Math.min(x.length, y.length);
  if (n < 2) return Number.NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? Number.NaN : sxy / Math.sqrt(sxx * syy);
}

/** Spearman's rho with mid-ranks for ties (R `cor(x, y, method = "spearman")`). */
export function spearman(x: readonly number[], y: readonly number[]): number {
  return pearson(averageRanks(x), averageRanks(y));
}
