/**
 * Forecast scoring on equal grid cells (methods.md §7): hit rate, PAI, PEI and
 * "RRI (pred/obs, ptools)" at fixed shares of the study area.
 *
 * Ranking is (risk desc, cell index asc). The floor selection takes floor(nCells · coverage)
 * cells; when the risk at the cut-off is shared by cells on both sides of it, the choice among
 * them is arbitrary, so we also report the tie-inclusive selection (every cell with risk ≥ the
 * cut-off risk) and how many cells tie. Events are counted only inside valid cells: the
 * denominator N is events in the study area (open_cp counts events outside the grid too).
 */

export interface CoverageMetrics {
  cells: number;
  /** cells / valid cells */
  areaShare: number;
  /** test events inside the flagged cells */
  captured: number;
  hitRate: number;
  /** hitRate / areaShare (Chainey, Tompson & Uhlig 2008) */
  pai: number;
  /** captured / best capture with the same number of cells (the oracle: top observed counts) */
  pei: number;
  /** Σ predicted / Σ observed over the flagged cells (ptools; Inf when nothing observed there) */
  rri: number;
}

export interface CoverageScore {
  /** requested share of the study area, e.g. 0.02 */
  coverage: number;
  /** risk of the last cell in the floor selection (NaN when it is empty) */
  cutoffRisk: number;
  /** cells with exactly the cut-off risk, and how many of them the floor selection holds */
  tiedCells: number;
  tiedSelected: number;
  floor: CoverageMetrics;
  tieInclusive: CoverageMetrics;
  /**
   * The floor selection's expectation when the tied cut-off cells are drawn in random order:
   * cells above the cut-off plus (k − above) × the mean count of the tied cells. Integer-count
   * forecasts tie massively at small coverages, and index order can then act as a hidden
   * predictor (low indices are one edge of the city), so compare methods on this too.
   */
  tieExpected: { captured: number; hitRate: number; pai: number; pei: number };
}

export interface ForecastScore {
  validCells: number;
  /** test events in valid cells (N) */
  events: number;
  coverages: CoverageScore[];
}

/** Cell indices by (risk desc, index asc); NaN risk ranks last. Only cells with valid[i] (default all). */
export function rankCells(risk: ArrayLike<number>, valid?: ArrayLike<number | boolean>): Int32Array {
  const order: number[] = [];
  for (let i = 0; i < risk.length; i++) if (!valid || valid[i]) order.push(i);
  const r = (i: number) => (Number.isNaN(risk[i]!) ? Number.NEGATIVE_INFINITY : risk[i]!);
  order.sort((a, b) => r(b) - r(a) || a - b);
  return Int32Array.from(order);
}

export interface ScoreOptions {
  /** 1 = cell is part of the study area; default every cell */
  valid?: ArrayLike<number | boolean>;
  /** expected test-period events per cell, for RRI; default = risk */
  predicted?: ArrayLike<number>;
}

export function scoreForecast(risk: ArrayLike<number>, observed: ArrayLike<number>, coverages: readonly number[], options: ScoreOptions = {}): ForecastScore {
  if (risk.length !== observed.length) throw new RangeError(`The forecast has ${risk.length} cells but the test period ${observed.length}; they must match.`);
  const predicted = options.predicted ?? risk;
  const order = rankCells(risk, options.valid);
  const n = order.length;
  let events = 0;
  for (const i of order) events += observed[i]!;
  // Oracle for PEI: the best capture with k cells is the sum of the k largest observed counts.
  const best = Float64Array.from(order, (i) => observed[i]!).sort().reverse();
  const bestCum = new Float64Array(n + 1);
  for (let k = 0; k < n; k++) bestCum[k + 1] = bestCum[k]! + best[k]!;
  const metrics = (k: number): CoverageMetrics => {
    let captured = 0;
    let pred = 0;
    for (let t = 0; t < k; t++) {
      captured += observed[order[t]!]!;
      pred += predicted[order[t]!]!;
    }
    const areaShare = n > 0 ? k / n : Number.NaN;
    const hitRate = events > 0 ? captured / events : Number.NaN;
    return {
      cells: k,
      areaShare,
      captured,
      hitRate,
      // (captured · n) / (N · k): one division, so hand-worked values come out exact.
      pai: k > 0 && events > 0 ? (captured * n) / (events * k) : Number.NaN,
      pei: bestCum[k]! > 0 ? captured / bestCum[k]! : Number.NaN,
      rri: captured > 0 ? pred / captured : pred > 0 ? Number.POSITIVE_INFINITY : Number.NaN,
    };
  };
  const scores = coverages.map((coverage): CoverageScore => {
    if (!(coverage > 0 && coverage <= 1)) throw new RangeError(`Coverage must be a share of the area between 0 and 1 (got ${coverage}).`);
    // The epsilon keeps 0.07 · 100 = 7.000000000000001 from becoming 7 cells only by luck of rounding.
    const k = Math.floor(n * coverage + 1e-9);
    if (k === 0) {
      const none = metrics(0);
      return { coverage, cutoffRisk: Number.NaN, tiedCells: 0, tiedSelected: 0, floor: none, tieInclusive: none, tieExpected: { captured: 0, hitRate: none.hitRate, pai: Number.NaN, pei: Number.NaN } };
    }
    const cutoffRisk = risk[order[k - 1]!]!;
    let first = k - 1;
    while (first > 0 && risk[order[first - 1]!] === cutoffRisk) first--;
    let last = k - 1;
    while (last + 1 < n && risk[order[last + 1]!] === cutoffRisk) last++;
    let above = 0;
    for (let t = 0; t < first; t++) above += observed[order[t]!]!;
    let tied = 0;
    for (let t = first; t <= last; t++) tied += observed[order[t]!]!;
    const expected = above + ((k - first) * tied) / (last - first + 1);
    const tieExpected = {
      captured: expected,
      hitRate: events > 0 ? expected / events : Number.NaN,
      pai: events > 0 ? (expected * n) / (events * k) : Number.NaN,
      pei: bestCum[k]! > 0 ? expected / bestCum[k]! : Number.NaN,
    };
    return { coverage, cutoffRisk, tiedCells: last - first + 1, tiedSelected: k - first, floor: metrics(k), tieInclusive: metrics(last + 1), tieExpected };
  });
  return { validCells: n, events, coverages: scores };
}

/** One row of ptools::pai's table (equal or unequal areas), for validation and the curve chart. */
export interface PaiCurveRow {
  order: number;
  index: number;
  cumCount: number;
  cumPred: number;
  cumArea: number;
  pCumCount: number;
  pCumArea: number;
  pai: number;
  pei: number;
  rri: number;
}

/**
 * The cumulative table of ptools::pai(dat, count, pred, area) (Wheeler & Steenbeek), written from
 * its documented definitions: rows by predicted density desc; ptools breaks ties by observed count
 * ASCENDING (the pessimistic order, its "min potential PAI"), then input order. PEI divides by the
 * PAI of the same rank in the oracle order (observed density desc), which, as ptools warns,
 * "may behave funny with different sized areas". Our coverage scores above use (risk desc, index asc)
 * instead and report the tie span, so on tied data the two orders differ by design.
 */
export function paiCurve(count: ArrayLike<number>, pred: ArrayLike<number>, area?: ArrayLike<number>): PaiCurveRow[] {
  const n = count.length;
  const a = (i: number) => (area ? area[i]! : 1);
  const idx = Array.from({ length: n }, (_, i) => i);
  const predDensity = (i: number) => pred[i]! / a(i);
  idx.sort((x, y) => predDensity(y) - predDensity(x) || count[x]! - count[y]! || x - y);
  let totalCount = 0;
  let totalArea = 0;
  for (let i = 0; i < n; i++) {
    totalCount += count[i]!;
    totalArea += a(i);
  }
  // ptools re-sorts its prediction-ordered table, so observed-density ties stay in prediction order.
  const oracle = idx.slice().sort((x, y) => count[y]! / a(y) - count[x]! / a(x));
  const rows: PaiCurveRow[] = [];
  let cumCount = 0;
  let cumPred = 0;
  let cumArea = 0;
  let oCount = 0;
  let oArea = 0;
  for (let t = 0; t < n; t++) {
    const i = idx[t]!;
    cumCount += count[i]!;
    cumPred += pred[i]!;
    cumArea += a(i);
    oCount += count[oracle[t]!]!;
    oArea += a(oracle[t]!);
    const pai = cumCount / totalCount / (cumArea / totalArea);
    const perfect = oCount / totalCount / (oArea / totalArea);
    rows.push({ order: t + 1, index: i, cumCount, cumPred, cumArea, pCumCount: cumCount / totalCount, pCumArea: cumArea / totalArea, pai, pei: pai / perfect, rri: cumPred / cumCount });
  }
  return rows;
}

/**
 * open_cp's `top_slice` (evaluation.py, 2018), kept only to explain differing numbers: it selects
 * floor(n · f) cells but, contrary to its docstring, deselects tied cut-off cells in ascending
 * index, so it keeps the LAST tied cells (risk [5,1,1,1,1,0,…], f = 0.3 → indices 0, 3, 4).
 */
export function openCpTopSlice(risk: ArrayLike<number>, fraction: number): number[] {
  const n = risk.length;
  const k = Math.floor(n * fraction);
  if (k === 0) return [];
  const sorted = Array.from(risk).sort((x, y) => y - x);
  const threshold = sorted[k - 1]!;
  const selected: number[] = [];
  let above = 0;
  for (let i = 0; i < n; i++) if (risk[i]! > threshold) above++;
  let tiedToDrop = 0;
  for (let i = 0; i < n; i++) if (risk[i]! === threshold) tiedToDrop++;
  tiedToDrop -= k - above;
  for (let i = 0; i < n; i++) {
    if (risk[i]! > threshold) selected.push(i);
    else if (risk[i]! === threshold) {
      if (tiedToDrop > 0) tiedToDrop--;
      else selected.push(i);
    }
  }
  return selected;
}
