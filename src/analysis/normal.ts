// biome-ignore-all lint/correctness/noPrecisionLoss: Cody's published coefficients are kept digit for digit so they can be checked against the paper.
/**
 * Normal tail probabilities to about 1e-15 relative error, after W. J. Cody (1969),
 * "Rational Chebyshev approximations for the error function", Math. Comp. 23, and his
 * CALERF routine (netlib specfun). Abramowitz–Stegun 7.1.26 (~1e-7) cannot meet the
 * 1e-9 agreement with R/SciPy that our fixtures require (methods.md §0).
 */

const A = [3.1611237438705656, 113.86415415105016, 377.485237685302021, 3209.37758913846947, 0.185777706184603153];
const B = [23.6012909523441209, 244.024637934444173, 1282.61652607737228, 2844.23683343917062];
const C = [
  0.564188496988670089, 8.88314979438837594, 66.1191906371416295, 298.635138197400131, 881.95222124176909,
  1712.04761263407058, 2051.07837782607147, 1230.33935479799725, 2.15311535474403846e-8,
];
const D = [
  15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019, 3290.79923573345963,
  4362.61909014324716, 3439.36767414372164, 1230.33935480374942,
];
const P = [
  0.305326634961232344, 0.360344899949804439, 0.125781726111229246, 0.0160837851487422766, 6.58749161529837803e-4,
  0.0163153871373020978,
];
const Q = [2.56852019228982242, 1.87295284992346725, 0.527905102951428412, 0.0605183413124413191, 0.00233520497626869185];
const ONE_OVER_SQRT_PI = 0.56418958354775628695;
const THRESHOLD = 0.46875;

/** erf(x) for |x| ≤ 0.46875, where erf is small and erfc has no cancellation problem. */
function erfSmall(x: number): number {
  const ysq = x * x;
  let num = A[4]! * ysq;
  let den = ysq;
  for (let i = 0; i < 3; i++) {
    num = (num + A[i]!) * ysq;
    den = (den + B[i]!) * ysq;
  }
  return (x * (num + A[3]!)) / (den + B[3]!);
}

/** erfc(y)·exp(y²) for y > 0.46875: the smooth rational part, insensitive to rounding of y. */
function erfcScaledLarge(y: number): number {
  if (y <= 4) {
    let num = C[8]! * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]!) * y;
      den = (den + D[i]!) * y;
    }
    return (num + C[7]!) / (den + D[7]!);
  }
  const ysq = 1 / (y * y);
  let num = P[5]! * ysq;
  let den = ysq;
  for (let i = 0; i < 4; i++) {
    num = (num + P[i]!) * ysq;
    den = (den + Q[i]!) * ysq;
  }
  return (ONE_OVER_SQRT_PI - (ysq * (num + P[4]!)) / (den + Q[4]!)) / y;
}

/**
 * exp(−u²·scale) without the error that exp(−u²) suffers for large u: u² carries a rounding
 * error of ~u²·2⁻⁵³ absolute, which exp turns into a relative error of the same size. Splitting
 * u into a 1/16-grid part (exact square) and a remainder is Cody's trick.
 */
function expNegSquare(u: number, scale: number): number {
  const head = Math.trunc(u * 16) / 16;
  const rest = (u - head) * (u + head);
  return Math.exp(-head * head * scale) * Math.exp(-rest * scale);
}

/** Complementary error function erfc(x), ~1e-15 relative error; underflows to 0 beyond x ≈ 26.5. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const y = Math.abs(x);
  if (y <= THRESHOLD) return 1 - erfSmall(x);
  const tail = y > 26.6 ? 0 : expNegSquare(y, 1) * erfcScaledLarge(y);
  return x < 0 ? 2 - tail : tail;
}

/** Error function erf(x). */
export function erf(x: number): number {
  if (Math.abs(x) <= THRESHOLD) return erfSmall(x);
  return 1 - erfc(x);
}

/**
 * Upper tail Φ̄(z) = P(Z > z) (SciPy `norm.sf`, R `pnorm(z, lower.tail = FALSE)`).
 * The exponent is taken from z itself, not from z/√2, so |z| = 37 keeps full precision.
 */
export function normalUpperTail(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  const y = Math.abs(z) * Math.SQRT1_2;
  let tail: number;
  if (y <= THRESHOLD) return 0.5 - 0.5 * erfSmall(z * Math.SQRT1_2);
  if (Math.abs(z) > 38.5) tail = 0;
  else tail = 0.5 * expNegSquare(Math.abs(z), 0.5) * erfcScaledLarge(y);
  return z > 0 ? tail : 1 - tail;
}

/** Lower tail Φ(z) = P(Z ≤ z). */
export function normalCdf(z: number): number {
  return normalUpperTail(-z);
}

/** Two-sided p = 2·Φ(−|z|), never 1 − Φ(|z|), which loses everything below ~1e-16. */
export function twoSidedP(z: number): number {
  return Math.min(1, 2 * normalUpperTail(Math.abs(z)));
}

export type Alternative = 'two-sided' | 'greater' | 'less';

/** p-value of a z-score for the given alternative (as spdep::localG's `alternative`). */
export function pFromZ(z: number, alternative: Alternative = 'two-sided'): number {
  if (alternative === 'greater') return normalUpperTail(z);
  if (alternative === 'less') return normalCdf(z);
  return twoSidedP(z);
}
