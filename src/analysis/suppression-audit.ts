/**
 * The attacker's side of disclosure control (methods.md §9): given everything a briefing
 * publishes (the visible cells and every line equation "total = sum of parts"), how well can
 * each suppressed cell be re-derived? Two attacks, both sound (they never claim more than the
 * published numbers imply):
 *  - exact: Gauss–Jordan elimination of the line equations; a suppressed cell whose reduced
 *    row has no other unknown is recomputed exactly;
 *  - bounds: iterative interval bounding (the generalised Fréchet bounds) over the original
 *    lines and the reduced rows, with non-negativity and integrality.
 * A cell fails when it is exact or its interval is narrower than k.
 */

/** One number of the linked system: an interior cell or a margin (row/column/grand/district total). */
export interface SdcCell {
  id: string;
  value: number;
  margin: boolean;
  /** false: a total the briefing does not show at all (unknown to the attacker, not protected) */
  published: boolean;
}

/** `cells[total] = sum(cells[parts])`. */
export interface SdcLine {
  id: string;
  total: number;
  parts: number[];
}

export interface SdcSystem {
  cells: SdcCell[];
  lines: SdcLine[];
}

export interface AuditOptions {
  k: number;
  /**
   * Zeros are published, so the attacker knows any suppressed cell is at least 1 (the
   * suppression never hides a zero in that mode).
   */
  suppressedAreNonZero: boolean;
}

export interface CellBounds {
  id: string;
  lo: number;
  hi: number;
  exact: boolean;
}

export interface AuditFailure extends CellBounds {
  /** for the analyst's eyes only: it contains the recomputed interval */
  message: string;
}

export interface AuditReport {
  ok: boolean;
  suppressed: number;
  failures: AuditFailure[];
  bounds: CellBounds[];
}

const EPS = 1e-7;
const MAX_SWEEPS = 400;

interface Constraint {
  idx: number[];
  coef: number[];
  rhs: number;
}

export function auditSuppression(system: SdcSystem, suppressed: ArrayLike<boolean | number>, o: AuditOptions): AuditReport {
  const { cells, lines } = system;
  const unknownOf = new Int32Array(cells.length).fill(-1);
  const unknowns: number[] = [];
  cells.forEach((c, i) => {
    if (suppressed[i] || !c.published) {
      unknownOf[i] = unknowns.length;
      unknowns.push(i);
    }
  });
  const constraints: Constraint[] = [];
  for (const line of lines) {
    const terms = new Map<number, number>();
    let rhs = 0;
    for (const [cell, a] of [[line.total, -1] as const, ...line.parts.map((p) => [p, 1] as const)]) {
      const u = unknownOf[cell]!;
      if (u < 0) rhs -= a * cells[cell]!.value;
      else terms.set(u, (terms.get(u) ?? 0) + a);
    }
    const idx = [...terms.keys()].filter((u) => terms.get(u) !== 0);
    if (idx.length > 0) constraints.push({ idx, coef: idx.map((u) => terms.get(u)!), rhs });
  }
  const reduced = reducedRows(constraints, unknowns.length);
  const lo = new Float64Array(unknowns.length);
  const hi = new Float64Array(unknowns.length).fill(Number.POSITIVE_INFINITY);
  unknowns.forEach((cell, u) => {
    if (suppressed[cell] && o.suppressedAreNonZero) lo[u] = 1;
  });
  propagate([...constraints, ...reduced], lo, hi);
  const exactSet = new Set<number>();
  for (const r of reduced) if (r.idx.length === 1) exactSet.add(r.idx[0]!);

  const bounds: CellBounds[] = [];
  const failures: AuditFailure[] = [];
  unknowns.forEach((cell, u) => {
    if (!suppressed[cell]) return;
    const exact = exactSet.has(u) || lo[u] === hi[u];
    const b: CellBounds = { id: cells[cell]!.id, lo: lo[u]!, hi: hi[u]!, exact };
    bounds.push(b);
    if (exact) failures.push({ ...b, message: `Suppressed cell ${b.id} can be recomputed exactly (= ${lo[u]}) from the published numbers.` });
    else if (hi[u]! - lo[u]! < o.k) {
      failures.push({ ...b, message: `Suppressed cell ${b.id} can be narrowed to ${lo[u]}–${hi[u]}, an interval narrower than k = ${o.k}.` });
    }
  });
  return { ok: failures.length === 0, suppressed: bounds.length, failures, bounds };
}

/** Reduced row-echelon form of the equations (partial pivoting; coefficients stay small here). */
function reducedRows(constraints: Constraint[], n: number): Constraint[] {
  const rows = constraints.map((c) => {
    const r = new Map<number, number>();
    c.idx.forEach((u, i) => {
      r.set(u, c.coef[i]!);
    });
    return { r, rhs: c.rhs };
  });
  const pivots: typeof rows = [];
  for (let col = 0; col < n && rows.length > 0; col++) {
    let best = -1;
    for (let i = 0; i < rows.length; i++) {
      const v = Math.abs(rows[i]!.r.get(col) ?? 0);
      if (v > EPS && (best < 0 || v > Math.abs(rows[best]!.r.get(col)!))) best = i;
    }
    if (best < 0) continue;
    const p = rows.splice(best, 1)[0]!;
    const a = p.r.get(col)!;
    for (const [u, v] of p.r) p.r.set(u, v / a);
    p.rhs /= a;
    for (const other of [...rows, ...pivots]) {
      const f = other.r.get(col);
      if (f === undefined) continue;
      for (const [u, v] of p.r) {
        const nv = (other.r.get(u) ?? 0) - f * v;
        if (Math.abs(nv) < EPS) other.r.delete(u);
        else other.r.set(u, nv);
      }
      other.rhs -= f * p.rhs;
    }
    pivots.push(p);
  }
  return pivots.map(({ r, rhs }) => ({ idx: [...r.keys()], coef: [...r.values()], rhs }));
}

/** Interval bounding to a fixed point; every step is implied by the constraints, so bounds stay sound. */
function propagate(constraints: Constraint[], lo: Float64Array, hi: Float64Array): void {
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let changed = false;
    for (const { idx, coef, rhs } of constraints) {
      let minSum = 0;
      let maxSum = 0;
      let minInf = 0;
      let maxInf = 0;
      const term = (i: number): [number, number] => {
        const a = coef[i]!;
        const u = idx[i]!;
        return a > 0 ? [a * lo[u]!, a * hi[u]!] : [a * hi[u]!, a * lo[u]!];
      };
      for (let i = 0; i < idx.length; i++) {
        const [tmin, tmax] = term(i);
        if (Number.isFinite(tmin)) minSum += tmin;
        else minInf++;
        if (Number.isFinite(tmax)) maxSum += tmax;
        else maxInf++;
      }
      for (let i = 0; i < idx.length; i++) {
        const [tmin, tmax] = term(i);
        const othersMinInf = minInf - (Number.isFinite(tmin) ? 0 : 1);
        const othersMaxInf = maxInf - (Number.isFinite(tmax) ? 0 : 1);
        const othersMin = othersMinInf > 0 ? Number.NEGATIVE_INFINITY : minSum - (Number.isFinite(tmin) ? tmin : 0);
        const othersMax = othersMaxInf > 0 ? Number.POSITIVE_INFINITY : maxSum - (Number.isFinite(tmax) ? tmax : 0);
        const a = coef[i]!;
        const u = idx[i]!;
        // a·x = rhs − others  ⇒  x ∈ [(rhs − othersMax)/a, (rhs − othersMin)/a] (swapped for a < 0)
        let newLo = a > 0 ? (rhs - othersMax) / a : (rhs - othersMin) / a;
        let newHi = a > 0 ? (rhs - othersMin) / a : (rhs - othersMax) / a;
        // Counts are integers: the attacker may round inwards.
        newLo = Math.ceil(newLo - EPS);
        newHi = Math.floor(newHi + EPS);
        if (newLo > lo[u]!) {
          lo[u] = newLo;
          changed = true;
        }
        if (newHi < hi[u]!) {
          hi[u] = newHi;
          changed = true;
        }
      }
    }
    if (!changed) return;
  }
}
