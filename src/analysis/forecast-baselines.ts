/**
 * The dense cell raster the backtest scores on, and the baseline forecasts the planner must beat
 * (methods.md §7: always report next to previous-period counts and KDE; plus seeded random).
 */
import { seededUniform } from './random';

/** A rectangle of square grid cells; cell index = (row − row0) · cols + (col − col0). */
export interface CellRaster {
  col0: number;
  row0: number;
  cols: number;
  rows: number;
  cellMeters: number;
  /** 1 = cell is part of the study area (coverage shares and N count only these) */
  valid: Uint8Array;
}

export interface CellRef {
  col: number;
  row: number;
}

/**
 * Raster spanning the given cells. `studyCells` (e.g. cells whose centre is inside the loaded
 * area polygons) defines the study area; without it every cell that ever had a call is valid,
 * which makes coverage shares larger and PAI lower than against the whole city: conservative.
 */
export function cellRaster(cells: readonly CellRef[], cellMeters: number, studyCells?: readonly CellRef[]): CellRaster {
  const all = studyCells ? [...cells, ...studyCells] : cells;
  if (all.length === 0) throw new RangeError('No cell has a call; there is nothing to forecast.');
  let minC = Infinity;
  let minR = Infinity;
  let maxC = -Infinity;
  let maxR = -Infinity;
  for (const c of all) {
    minC = Math.min(minC, c.col);
    maxC = Math.max(maxC, c.col);
    minR = Math.min(minR, c.row);
    maxR = Math.max(maxR, c.row);
  }
  const raster: CellRaster = { col0: minC, row0: minR, cols: maxC - minC + 1, rows: maxR - minR + 1, cellMeters, valid: new Uint8Array(0) };
  raster.valid = new Uint8Array(raster.cols * raster.rows);
  for (const c of studyCells ?? cells) raster.valid[cellIndex(raster, c.col, c.row)] = 1;
  return raster;
}

export function cellIndex(r: CellRaster, col: number, row: number): number {
  const c = col - r.col0;
  const w = row - r.row0;
  return c < 0 || w < 0 || c >= r.cols || w >= r.rows ? -1 : w * r.cols + c;
}

/** Previous-period counts as the forecast ("last month's top cells"), scaled to the test period. */
export function previousPeriodForecast(counts: Float64Array, scale: number): Float64Array {
  return counts.map((v) => v * scale);
}

/** Gaussian kernel bandwidth of the KDE baseline: 2 cells of 150 m, about two short blocks. */
export const KDE_BANDWIDTH_METERS = 300;

/**
 * Gaussian KDE of the counts placed at cell centres, evaluated at cell centres. The kernel is
 * separable on a regular grid, so it runs as two 1-D convolutions (O(cells · width)). Truncated
 * at 4 bandwidths and normalised over the truncated support, so total mass is preserved except
 * what leaves the raster (no edge correction: only the ranking is scored). Scaled like the
 * previous-period baseline so RRI compares like with like.
 */
export function kdeForecast(r: CellRaster, counts: Float64Array, bandwidthMeters = KDE_BANDWIDTH_METERS, scale = 1): Float64Array {
  if (!(bandwidthMeters > 0)) throw new RangeError(`The KDE bandwidth must be a positive number of metres (got ${bandwidthMeters}).`);
  const sigma = bandwidthMeters / r.cellMeters;
  const half = Math.ceil(4 * sigma);
  const kernel = Float64Array.from({ length: 2 * half + 1 }, (_, k) => Math.exp(-0.5 * ((k - half) / sigma) ** 2));
  const norm = kernel.reduce((a, b) => a + b, 0);
  for (let k = 0; k < kernel.length; k++) kernel[k]! /= norm;
  const tmp = new Float64Array(counts.length);
  for (let w = 0; w < r.rows; w++) {
    for (let c = 0; c < r.cols; c++) {
      const v = counts[w * r.cols + c]!;
      if (v === 0) continue;
      for (let k = -half; k <= half; k++) {
        const cc = c + k;
        if (cc >= 0 && cc < r.cols) tmp[w * r.cols + cc]! += v * kernel[k + half]!;
      }
    }
  }
  const out = new Float64Array(counts.length);
  for (let w = 0; w < r.rows; w++) {
    for (let c = 0; c < r.cols; c++) {
      const v = tmp[w * r.cols + c]!;
      if (v === 0) continue;
      for (let k = -half; k <= half; k++) {
        const ww = w + k;
        if (ww >= 0 && ww < r.rows) out[ww * r.cols + c]! += v * kernel[k + half]! * scale;
      }
    }
  }
  return out;
}

/**
 * Seeded random ranking: the floor any forecast must clear. Its "prediction" for RRI is the
 * uniform expectation (mean count per valid cell), since random scores are not counts.
 */
export function randomForecast(r: CellRaster, seed: number, expectedTotal: number): { risk: Float64Array; predicted: Float64Array } {
  const uniform = seededUniform(seed);
  const risk = new Float64Array(r.valid.length);
  for (let i = 0; i < risk.length; i++) risk[i] = uniform();
  const valid = r.valid.reduce((a, b) => a + b, 0);
  const predicted = new Float64Array(r.valid.length).fill(valid > 0 ? expectedTotal / valid : 0);
  return { risk, predicted };
}
