/**
 * Knox space-time closeness table with a Monte Carlo permutation test (Knox 1964; Besag &
 * Diggle 1977; methods.md §6), matching R NearRepeat: half-open bands [a, b), an explicit
 * same-location band (d = 0), p = (1 + #{sim ≥ obs}) / (M + 1), ratio = observed / mean of
 * the simulations.
 */
import { seededUniform, shuffleInPlace } from './random';

export type KnoxMetric = 'euclidean' | 'manhattan';

export interface KnoxEvents {
  /** planar metres (projected CRS) */
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** event time in days (integer calendar days for Near Repeat Calculator comparability) */
  days: ArrayLike<number>;
}

export interface KnoxOptions {
  /** ascending breaks starting at 0, e.g. [0, 100, 200, 400]; an open last band [last, ∞) is added unless the last is Infinity */
  spaceBreaksMeters: readonly number[];
  /** ascending breaks starting at 0, e.g. [0, 7, 14, 21]; an open last band is added likewise */
  timeBreaksDays: readonly number[];
  /** NearRepeat's default is Manhattan (street-grid travel); default here too */
  metric?: KnoxMetric;
  /** split the first space band into "same location" (d = 0) and the rest; default true */
  sameLocationBand?: boolean;
  /** Monte Carlo permutations M; default 999 */
  iterations?: number;
  seed?: number;
}

export interface KnoxBand {
  /** inclusive lower edge */
  from: number;
  /** exclusive upper edge (Infinity for the open band); from = to = 0 for "same location" */
  to: number;
  label: string;
}

export interface KnoxResult {
  spaceBands: KnoxBand[];
  timeBands: KnoxBand[];
  /** [space band][time band] pair counts */
  observed: number[][];
  /** mean of the permutation counts, whose exact expectation is N_s·N_t / P */
  expectedMean: number[][];
  /** observed / expectedMean; null when no permutation put a pair in that cell */
  ratio: (number | null)[][];
  ratioMedian: (number | null)[][];
  /** Monte Carlo p per cell, one-sided (more pairs than chance); not adjusted across cells */
  p: number[][];
  events: number;
  pairs: number;
  iterations: number;
  seed: number;
  metric: KnoxMetric;
}

function checkBreaks(breaks: readonly number[], what: string): number[] {
  if (breaks.length < 2 || breaks[0] !== 0) throw new RangeError(`${what} must start at 0 and have at least one more break, got [${breaks.join(', ')}].`);
  for (let i = 1; i < breaks.length; i++) {
    if (!(breaks[i]! > breaks[i - 1]!)) throw new RangeError(`${what} must increase strictly, got [${breaks.join(', ')}].`);
  }
  return breaks.at(-1) === Infinity ? [...breaks] : [...breaks, Infinity];
}

function bandOf(value: number, edges: readonly number[]): number {
  // Few bands: a linear scan beats a binary search and keeps [a, b) obvious.
  for (let b = 1; b < edges.length; b++) if (value < edges[b]!) return b - 1;
  return edges.length - 2;
}

const label = (from: number, to: number, unit: string) => (to === Infinity ? `${from}+ ${unit}` : `${from}–<${to} ${unit}`);

export function knox(events: KnoxEvents, options: KnoxOptions): KnoxResult {
  const n = events.days.length;
  if (events.x.length !== n || events.y.length !== n) throw new RangeError('Knox needs x, y and days for every event.');
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(events.x[i]!) || !Number.isFinite(events.y[i]!) || !Number.isFinite(events.days[i]!)) {
      throw new RangeError(`Event ${i} lacks a usable location or time; drop it before the Knox test.`);
    }
  }
  const metric = options.metric ?? 'manhattan';
  const sameLocation = options.sameLocationBand ?? true;
  const iterations = options.iterations ?? 999;
  const seed = options.seed ?? 1;
  const sEdges = checkBreaks(options.spaceBreaksMeters, 'Space breaks');
  const tEdges = checkBreaks(options.timeBreaksDays, 'Time breaks');
  const spaceBands: KnoxBand[] = [];
  if (sameLocation) spaceBands.push({ from: 0, to: 0, label: 'same location' });
  for (let b = 0; b + 1 < sEdges.length; b++) spaceBands.push({ from: sEdges[b]!, to: sEdges[b + 1]!, label: label(sEdges[b]!, sEdges[b + 1]!, 'm') });
  const timeBands: KnoxBand[] = [];
  for (let b = 0; b + 1 < tEdges.length; b++) timeBands.push({ from: tEdges[b]!, to: tEdges[b + 1]!, label: label(tEdges[b]!, tEdges[b + 1]!, 'days') });
  const S = spaceBands.length;
  const L = timeBands.length;
  const offset = sameLocation ? 1 : 0;
  const beyondRow = S - 1;
  const openSpace = sEdges.at(-1) === Infinity && sEdges.length >= 3 ? sEdges.at(-2)! : Infinity;

  // Space never changes under a time permutation: find the near pairs once.
  const near = nearPairs(events.x, events.y, openSpace, metric);
  const nearBand = new Int32Array(near.count);
  for (let k = 0; k < near.count; k++) {
    const d = near.dist[k]!;
    nearBand[k] = d === 0 && sameLocation ? 0 : bandOf(d, sEdges) + offset;
  }
  const pairs = (n * (n - 1)) / 2;
  // The multiset of |Δt| over all pairs is invariant too, so each time column's total is fixed.
  const columnTotal = timeColumnTotals(events.days, tEdges, pairs);

  // One array type for observed and shuffled times keeps the hot loop monomorphic (~2× faster).
  const edges = Float64Array.from(tEdges);
  const { i: pairI, j: pairJ } = near;
  const table = (days: Float64Array): Float64Array => {
    const cells = new Float64Array(S * L);
    for (let k = 0; k < near.count; k++) {
      const dt = Math.abs(days[pairI[k]!]! - days[pairJ[k]!]!);
      let band = 0;
      while (band < L - 1 && dt >= edges[band + 1]!) band++;
      cells[nearBand[k]! * L + band]!++;
    }
    for (let l = 0; l < L; l++) {
      let used = 0;
      for (let s = 0; s < beyondRow; s++) used += cells[s * L + l]!;
      cells[beyondRow * L + l] = columnTotal[l]! - used;
    }
    return cells;
  };

  const observed = table(Float64Array.from(events.days));
  const sims = new Float64Array(iterations * S * L);
  const atLeast = new Float64Array(S * L);
  const shuffled = Float64Array.from(events.days);
  const uniform = seededUniform(seed);
  for (let m = 0; m < iterations; m++) {
    const cells = table(shuffleInPlace(shuffled, uniform));
    sims.set(cells, m * S * L);
    for (let c = 0; c < S * L; c++) if (cells[c]! >= observed[c]!) atLeast[c]!++;
  }

  const grid = <T>(f: (c: number) => T): T[][] => spaceBands.map((_, s) => timeBands.map((_, l) => f(s * L + l)));
  const column = new Float64Array(iterations);
  const mean = (c: number) => {
    let sum = 0;
    for (let m = 0; m < iterations; m++) sum += sims[m * S * L + c]!;
    return iterations > 0 ? sum / iterations : Number.NaN;
  };
  const median = (c: number) => {
    for (let m = 0; m < iterations; m++) column[m] = sims[m * S * L + c]!;
    column.sort();
    const h = iterations >> 1;
    return iterations % 2 ? column[h]! : (column[h - 1]! + column[h]!) / 2;
  };
  const ratioOf = (o: number, e: number) => (e > 0 ? o / e : null);
  return {
    spaceBands,
    timeBands,
    observed: grid((c) => observed[c]!),
    expectedMean: grid(mean),
    ratio: grid((c) => ratioOf(observed[c]!, mean(c))),
    ratioMedian: grid((c) => ratioOf(observed[c]!, median(c))),
    p: grid((c) => (1 + atLeast[c]!) / (iterations + 1)),
    events: n,
    pairs,
    iterations,
    seed,
    metric,
  };
}

/** Pairs with d < maxMeters (all pairs when maxMeters is Infinity), found with a grid hash. */
function nearPairs(xs: ArrayLike<number>, ys: ArrayLike<number>, maxMeters: number, metric: KnoxMetric) {
  const n = xs.length;
  const I: number[] = [];
  const J: number[] = [];
  const dist: number[] = [];
  const distance = (a: number, b: number) => {
    const dx = xs[a]! - xs[b]!;
    const dy = ys[a]! - ys[b]!;
    return metric === 'manhattan' ? Math.abs(dx) + Math.abs(dy) : Math.sqrt(dx * dx + dy * dy);
  };
  if (maxMeters === Infinity) {
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b < n; b++) {
        I.push(a);
        J.push(b);
        dist.push(distance(a, b));
      }
    }
  } else {
    // Manhattan d < D implies Euclidean d < D, so the same D-sized cells cover both metrics.
    const cells = new Map<string, number[]>();
    const key = (cx: number, cy: number) => `${cx},${cy}`;
    for (let a = 0; a < n; a++) {
      const k = key(Math.floor(xs[a]! / maxMeters), Math.floor(ys[a]! / maxMeters));
      const list = cells.get(k);
      if (list) list.push(a);
      else cells.set(k, [a]);
    }
    for (let a = 0; a < n; a++) {
      const cx = Math.floor(xs[a]! / maxMeters);
      const cy = Math.floor(ys[a]! / maxMeters);
      for (let gx = cx - 1; gx <= cx + 1; gx++) {
        for (let gy = cy - 1; gy <= cy + 1; gy++) {
          for (const b of cells.get(key(gx, gy)) ?? []) {
            if (b <= a) continue;
            const d = distance(a, b);
            if (d < maxMeters) {
              I.push(a);
              J.push(b);
              dist.push(d);
            }
          }
        }
      }
    }
  }
  return { count: I.length, i: Int32Array.from(I), j: Int32Array.from(J), dist: Float64Array.from(dist) };
}

/** Pairs per time band over all N(N−1)/2 pairs, by two pointers on sorted times: O(N log N). */
function timeColumnTotals(days: ArrayLike<number>, edges: readonly number[], pairs: number): Float64Array {
  const t = Float64Array.from(days).sort();
  const below = (limit: number): number => {
    if (limit === Infinity) return pairs;
    if (limit <= 0) return 0;
    let count = 0;
    let lo = 0;
    for (let hi = 0; hi < t.length; hi++) {
      while (t[hi]! - t[lo]! >= limit) lo++;
      count += hi - lo;
    }
    return count;
  };
  const totals = new Float64Array(edges.length - 1);
  for (let b = 0; b + 1 < edges.length; b++) totals[b] = below(edges[b + 1]!) - below(edges[b]!);
  return totals;
}
