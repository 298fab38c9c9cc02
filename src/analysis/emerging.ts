/**
 * Emerging hot spot analysis on a space-time cube (methods.md §4): Gi* per bin with a
 * backward-looking time window, BH per time slice, Mann–Kendall on each location's z series,
 * then ESRI's category rules in an explicit precedence.
 */
import { bhAdjust } from './fdr';
import { giZ, type GiUndefinedReason, moments } from './gi-star';
import { type MannKendallResult, mannKendall } from './mann-kendall';
import { twoSidedP } from './normal';
import { type NeighbourList, neighboursOf } from './weights';

export interface SpaceTimeCube {
  nLocations: number;
  nSteps: number;
  /**
   * Counts, location-major: values[location · nSteps + step]. Locations are the analysed set:
   * as ESRI, pass only locations with ≥ 1 event in some step; their empty bins are 0.
   */
  values: Float64Array | readonly number[];
}

export interface EmergingOptions {
  /** earlier slices in each bin's neighbourhood (ESRI "Neighborhood Time Step", sfdep `k`); default 1 */
  neighbourhoodTimeSteps?: number;
  /** a bin is hot/cold when its (BH-adjusted) p ≤ binAlpha; default 0.05 */
  binAlpha?: number;
  /** a z-score trend counts when the Mann–Kendall p ≤ trendAlpha; default 0.05 */
  trendAlpha?: number;
  /** BH within each time slice (ArcGIS "Apply FDR"); default true */
  fdr?: boolean;
}

export type EmergingPattern =
  | 'new'
  | 'consecutive'
  | 'intensifying'
  | 'persistent'
  | 'diminishing'
  | 'sporadic'
  | 'oscillating'
  | 'historical';
export type EmergingCategory = `${EmergingPattern}-${'hot' | 'cold'}` | 'no-pattern';

export interface EmergingLocation {
  category: EmergingCategory;
  /** Mann–Kendall on this location's Gi* z series (NaN bins dropped) */
  trend: MannKendallResult;
  hotSteps: number;
  coldSteps: number;
}

export interface EmergingResult {
  nLocations: number;
  nSteps: number;
  /** per bin, location-major like the input: raw Gi* z, raw two-sided p, slice-BH q */
  z: Float64Array;
  p: Float64Array;
  q: Float64Array;
  /** per bin, why z is NaN (undefined where z is a number) */
  undefinedReason: (GiUndefinedReason | undefined)[];
  locations: EmergingLocation[];
  settings: Required<EmergingOptions>;
}

/**
 * Space-time Gi* for every bin. As sfdep (spacetime-local-gistar-impl.R), x̄, S and n come from
 * the current slice, and the same spatial neighbours at t−1 … t−k join the local sum and W;
 * the first k slices have shorter windows. ESRI does not publish which moments it uses.
 * With neighbourhoodTimeSteps = 0 each slice is exactly spdep::localG.
 */
export function spaceTimeGiStar(cube: SpaceTimeCube, neighbours: NeighbourList, neighbourhoodTimeSteps: number) {
  const { nLocations: n, nSteps: T, values } = cube;
  if (values.length !== n * T) {
    throw new RangeError(`The cube has ${values.length} bins but ${n} locations × ${T} steps = ${n * T}.`);
  }
  if (neighbours.n !== n || !neighbours.selfIncluded) {
    throw new RangeError(`Emerging hot spots need a self-included neighbour list for the ${n} cube locations.`);
  }
  if (!Number.isInteger(neighbourhoodTimeSteps) || neighbourhoodTimeSteps < 0) {
    throw new RangeError(`The neighbourhood time step must be a whole number ≥ 0, got ${neighbourhoodTimeSteps}.`);
  }
  const z = new Float64Array(n * T);
  const p = new Float64Array(n * T);
  const reason: (GiUndefinedReason | undefined)[] = new Array(n * T).fill(undefined);
  const slice = new Float64Array(n);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < n; i++) slice[i] = values[i * T + t]!;
    const m = moments(slice);
    const first = Math.max(0, t - neighbourhoodTimeSteps);
    for (let i = 0; i < n; i++) {
      const nb = neighboursOf(neighbours, i);
      let local = 0;
      for (let s = 0; s < nb.length; s++) {
        const base = nb[s]! * T;
        for (let u = first; u <= t; u++) local += values[base + u]!;
      }
      const r = giZ(local, nb.length * (t - first + 1), m);
      z[i * T + t] = r.z;
      p[i * T + t] = r.reason ? Number.NaN : twoSidedP(r.z);
      reason[i * T + t] = r.reason;
    }
  }
  return { z, p, reason };
}

export function emergingHotSpots(cube: SpaceTimeCube, neighbours: NeighbourList, options: EmergingOptions = {}): EmergingResult {
  const settings: Required<EmergingOptions> = {
    neighbourhoodTimeSteps: options.neighbourhoodTimeSteps ?? 1,
    binAlpha: options.binAlpha ?? 0.05,
    trendAlpha: options.trendAlpha ?? 0.05,
    fdr: options.fdr ?? true,
  };
  const { nLocations: n, nSteps: T } = cube;
  const { z, p, reason } = spaceTimeGiStar(cube, neighbours, settings.neighbourhoodTimeSteps);
  const q = new Float64Array(n * T);
  const sliceP = new Float64Array(n);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < n; i++) sliceP[i] = p[i * T + t]!;
    const sliceQ = settings.fdr ? bhAdjust(sliceP) : sliceP;
    for (let i = 0; i < n; i++) q[i * T + t] = sliceQ[i]!;
  }
  const locations: EmergingLocation[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const zs = z.subarray(i * T, (i + 1) * T);
    const hot: boolean[] = [];
    const cold: boolean[] = [];
    for (let t = 0; t < T; t++) {
      const significant = q[i * T + t]! <= settings.binAlpha;
      hot.push(significant && zs[t]! > 0);
      cold.push(significant && zs[t]! < 0);
    }
    const trend = mannKendall(zs);
    locations[i] = {
      category: classifyEmerging(hot, cold, trend, settings.trendAlpha),
      trend,
      hotSteps: hot.filter(Boolean).length,
      coldSteps: cold.filter(Boolean).length,
    };
  }
  return { nLocations: n, nSteps: T, z, p, q, undefinedReason: reason, locations, settings };
}

type Predicate = (s: SideView) => boolean;

/** One side (hot or cold) of a location's history, with "toward" meaning more extreme on that side. */
interface SideView {
  sig: readonly boolean[];
  opposite: readonly boolean[];
  /** share of steps significant on this side (ESRI's H or C) */
  share: number;
  finalSig: boolean;
  trendToward: boolean;
  trendAway: boolean;
  trendNone: boolean;
}

const MOSTLY = 0.9;

/**
 * ESRI's rules (ArcGIS Pro 3.x "How Emerging Hot Spot Analysis works"), written for the hot
 * side; the cold side reads them with hot↔cold swapped and the trend direction reversed.
 * Evaluated in sfdep's order (hot before cold at each rule), except that historical comes
 * before persistent: ESRI's persistent wording ignores the final step, so without that a
 * location that stopped being hot would be called persistent (methods.md §4 recommendation).
 */
const RULES: [EmergingPattern, Predicate][] = [
  // Hot in the final step and never hot before (a previous cold spot still counts as new).
  ['new', (s) => s.finalSig && s.sig.slice(0, -1).every((b) => !b)],
  // A single uninterrupted run of ≥ 2 hot steps ending now, nothing hot before it, under 90 %.
  ['consecutive', (s) => s.finalSig && s.share < MOSTLY && runFromEnd(s.sig) >= 2 && s.sig.slice(0, s.sig.length - runFromEnd(s.sig)).every((b) => !b)],
  // Hot in ≥ 90 % of steps including the last, and the z series trends significantly hotter.
  ['intensifying', (s) => s.share >= MOSTLY && s.finalSig && s.trendToward],
  // Was hot in ≥ 90 % of steps but not in the final one.
  ['historical', (s) => s.share >= MOSTLY && !s.finalSig],
  // Hot in ≥ 90 % of steps with no significant trend either way.
  ['persistent', (s) => s.share >= MOSTLY && s.trendNone],
  // Hot in ≥ 90 % of steps including the last, trending significantly less hot.
  ['diminishing', (s) => s.share >= MOSTLY && s.finalSig && s.trendAway],
  // Hot now, was significant on the other side at some earlier step, under 90 % hot.
  ['oscillating', (s) => s.finalSig && s.share < MOSTLY && s.opposite.slice(0, -1).some(Boolean)],
  // Hot now with an on-and-off hot history (new/consecutive are caught above), never the other side.
  ['sporadic', (s) => s.finalSig && s.share < MOSTLY && !s.opposite.some(Boolean)],
];

function runFromEnd(sig: readonly boolean[]): number {
  let r = 0;
  while (r < sig.length && sig[sig.length - 1 - r]) r++;
  return r;
}

/**
 * Category of one location from its per-step hot/cold flags and the Mann–Kendall result of
 * its z series. Exposed on its own so the rules can be read and tested without a cube.
 */
export function classifyEmerging(
  hot: readonly boolean[],
  cold: readonly boolean[],
  trend: Pick<MannKendallResult, 'p' | 'S'>,
  trendAlpha = 0.05,
): EmergingCategory {
  const T = hot.length;
  if (T === 0 || cold.length !== T) return 'no-pattern';
  const significant = trend.p <= trendAlpha && trend.S !== 0;
  const up = significant && trend.S > 0;
  const down = significant && trend.S < 0;
  const view = (sig: readonly boolean[], opposite: readonly boolean[], toward: boolean, away: boolean): SideView => ({
    sig,
    opposite,
    share: sig.filter(Boolean).length / T,
    finalSig: sig[T - 1]!,
    trendToward: toward,
    trendAway: away,
    trendNone: !significant,
  });
  const hotView = view(hot, cold, up, down);
  const coldView = view(cold, hot, down, up);
  for (const [pattern, rule] of RULES) {
    if (rule(hotView)) return `${pattern}-hot`;
    if (rule(coldView)) return `${pattern}-cold`;
  }
  return 'no-pattern';
}
