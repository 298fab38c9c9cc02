/**
 * Expected calls per cell and shift from sparse counts, by empirical-Bayes shrinkage toward the
 * neighbourhood (Clayton & Kaldor 1987; Marshall 1991 "local" EB). A cell's own count in one
 * shift of a 28-day window is a handful of calls, so ranking cells by it mostly ranks noise; Gi*
 * and KDE borrow strength from neighbours for the same reason. Here the borrowing is weighed by
 * the data: a cell keeps its own rate in proportion to how far real differences between cells
 * exceed Poisson noise (the Poisson–gamma model, its shape fitted by the method of moments from
 * the same window). Nothing is tuned: the neighbourhood is the KDE baseline's 300 m kernel, the
 * window and half-life are the planner's.
 *
 * Two stages, because where calls happen is far better known than when a given corner is busy:
 *   1. all hours: each cell's rate shrunk toward the kernel-weighted mean of its neighbours;
 *   2. per shift: prior = that cell rate × the neighbourhood's share of calls in the shift's hours,
 *      then the cell's own shift count shrinks toward it the same way.
 * Pure: dense rasters in, dense rasters out.
 */
import type { CellRaster } from './forecast-baselines';
import { recencyWeight } from './rotation-candidates';

/**
 * Recency-weighted counts as Poisson pseudo-counts. Σ w·y has mean λ·W and variance λ·W2
 * (W = Σ w, W2 = Σ w²), so y' = Σ w·y · W / W2 has mean = variance = λ · nEff with nEff = W² / W2:
 * the EB formulas below then hold as for plain counts.
 */
export interface PseudoCounts {
  /** per cell, mean = variance = nEff × daily rate */
  counts: Float64Array;
  /** effective number of days of evidence */
  nEffDays: number;
}

/** One day's calls in the cells that had any: a long history of a sparse city stays small. */
export interface SparseDay {
  cells: Int32Array;
  calls: Float64Array;
}

/** Recency-weighted pseudo-counts of days [from, to) with weights aged from `to`. */
export function pseudoCounts(days: readonly SparseDay[], from: number, to: number, halfLifeDays: number, n: number): PseudoCounts {
  const counts = new Float64Array(n);
  let w1 = 0;
  let w2 = 0;
  for (let d = from; d < to; d++) {
    const w = recencyWeight(to - d - 0.5, halfLifeDays);
    w1 += w;
    w2 += w * w;
    const day = days[d]!;
    for (let k = 0; k < day.cells.length; k++) counts[day.cells[k]!]! += day.calls[k]! * w;
  }
  if (w2 === 0) return { counts, nEffDays: 0 };
  for (let i = 0; i < n; i++) counts[i]! *= w1 / w2;
  return { counts, nEffDays: (w1 * w1) / w2 };
}

/** Plain sum of days [from, to). */
export function sumSparseDays(days: readonly SparseDay[], from: number, to: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let d = from; d < to; d++) {
    const day = days[d]!;
    for (let k = 0; k < day.cells.length; k++) out[day.cells[k]!]! += day.calls[k]!;
  }
  return out;
}

/** Separable Gaussian convolution over the raster (truncated at 4 σ, unnormalised weights). */
function convolve(r: CellRaster, values: Float64Array, bandwidthMeters: number): Float64Array {
  const sigma = bandwidthMeters / r.cellMeters;
  const half = Math.ceil(4 * sigma);
  const kernel = Float64Array.from({ length: 2 * half + 1 }, (_, k) => Math.exp(-0.5 * ((k - half) / sigma) ** 2));
  const tmp = new Float64Array(values.length);
  for (let w = 0; w < r.rows; w++) {
    for (let c = 0; c < r.cols; c++) {
      const v = values[w * r.cols + c]!;
      if (v === 0) continue;
      for (let k = Math.max(-half, -c); k <= Math.min(half, r.cols - 1 - c); k++) tmp[w * r.cols + c + k]! += v * kernel[k + half]!;
    }
  }
  const out = new Float64Array(values.length);
  for (let w = 0; w < r.rows; w++) {
    for (let c = 0; c < r.cols; c++) {
      const v = tmp[w * r.cols + c]!;
      if (v === 0) continue;
      for (let k = Math.max(-half, -w); k <= Math.min(half, r.rows - 1 - w); k++) out[(w + k) * r.cols + c]! += v * kernel[k + half]!;
    }
  }
  return out;
}

/**
 * Kernel-weighted mean of the OTHER valid cells around each cell (leave-one-out, so a cell's own
 * count cannot raise its own prior, and the moment fit below is not biased by it). Normalised by
 * the kernel mass over valid cells, so a cell by a river or the city edge is compared with the
 * land around it, not with empty water.
 */
export function neighbourhoodMean(r: CellRaster, values: Float64Array, bandwidthMeters: number): Float64Array {
  const masked = values.map((v, i) => (r.valid[i] ? v : 0));
  const mass = Float64Array.from(r.valid);
  const num = convolve(r, masked, bandwidthMeters);
  const den = convolve(r, mass, bandwidthMeters);
  // the kernel's centre weight is exp(0)² = 1 (unnormalised)
  return num.map((v, i) => {
    const d = den[i]! - (r.valid[i] ? 1 : 0);
    return d > 1e-12 ? (v - masked[i]!) / d : 0;
  });
}

export interface ShrinkResult {
  /** posterior mean per cell, same units as the counts */
  rate: Float64Array;
  /** gamma shape a of the prior (rate ~ Gamma(mean m, shape a)); Infinity = no real variation beyond Poisson noise */
  shape: number;
}

/**
 * Poisson–gamma posterior means: y ~ Poisson(θ), θ ~ Gamma(mean m, shape a) gives
 * E[θ | y] = (y + a) / (1 + a / m) = w·y + (1 − w)·m with w = m / (m + a). The shape comes from
 * the moments over valid cells: E[(y − m)²] = m + m²/a, so 1/a = Σ((y − m)² − m) / Σ m².
 */
export function shrinkTowardPrior(r: CellRaster, counts: Float64Array, prior: Float64Array): ShrinkResult {
  let excess = 0;
  let m2 = 0;
  for (let i = 0; i < counts.length; i++) {
    if (!r.valid[i]) continue;
    const m = prior[i]!;
    excess += (counts[i]! - m) ** 2 - m;
    m2 += m * m;
  }
  const shape = excess > 0 && m2 > 0 ? m2 / excess : Number.POSITIVE_INFINITY;
  const rate = new Float64Array(counts.length);
  for (let i = 0; i < counts.length; i++) {
    const m = prior[i]!;
    const y = counts[i]!;
    // No neighbourhood evidence (m = 0): keep the cell's own count rather than erase it.
    if (m <= 0) rate[i] = y;
    else if (shape === Number.POSITIVE_INFINITY) rate[i] = m;
    else rate[i] = (y + shape) / (1 + shape / m);
  }
  return { rate, shape };
}

export interface ShiftForecastInput {
  raster: CellRaster;
  /** pseudo-counts over all hours (pseudoCounts of the evidence window) */
  all: PseudoCounts;
  /** pseudo-counts of each shift's hours, same window and weights */
  shifts: readonly PseudoCounts[];
  bandwidthMeters: number;
  /** forecast horizon: expected calls in this many days */
  horizonDays: number;
}

export interface ShiftForecast {
  /** expected calls per cell in each shift's hours over the horizon */
  byShift: Float64Array[];
  /** expected calls per cell over all hours over the horizon */
  allHours: Float64Array;
  /** fitted prior shapes (all hours, then each shift), for the record */
  shapes: number[];
}

/** The two-stage estimate described at the top of this file. */
export function smoothedShiftForecast(input: ShiftForecastInput): ShiftForecast {
  const { raster, all, bandwidthMeters } = input;
  const n = raster.valid.length;
  const scale = all.nEffDays > 0 ? input.horizonDays / all.nEffDays : 0;
  const total = shrinkTowardPrior(raster, all.counts, neighbourhoodMean(raster, all.counts, bandwidthMeters));
  const shapes = [total.shape];
  // The neighbourhood's share of calls in each shift: own cell included, it is a profile, not a rate.
  const allLocal = convolve(raster, all.counts.map((v, i) => (raster.valid[i] ? v : 0)), bandwidthMeters);
  const byShift = input.shifts.map((s) => {
    const local = convolve(raster, s.counts.map((v, i) => (raster.valid[i] ? v : 0)), bandwidthMeters);
    const prior = new Float64Array(n);
    for (let i = 0; i < n; i++) prior[i] = allLocal[i]! > 0 ? total.rate[i]! * (local[i]! / allLocal[i]!) : 0;
    const shrunk = shrinkTowardPrior(raster, s.counts, prior);
    shapes.push(shrunk.shape);
    return shrunk.rate.map((v) => v * scale);
  });
  return { byShift, allHours: total.rate.map((v) => v * scale), shapes };
}
