/**
 * An independent attacker for small published tables: enumerate every non-negative integer
 * table that agrees with what was published, and report each hidden cell's min and max.
 * Shares no code with suppression-audit.ts, so it can catch the audit being too optimistic.
 */
export interface PublishedTable {
  /** null = hidden */
  cells: (number | null)[][];
  rowTotals: (number | null)[];
  colTotals: (number | null)[];
  grandTotal: number | null;
}

export interface OracleRange {
  min: number;
  max: number;
}

export interface OracleResult {
  cells: (OracleRange | null)[][];
  rowTotals: (OracleRange | null)[];
  colTotals: (OracleRange | null)[];
  grandTotal: OracleRange | null;
  /** a hidden interior cell reached the search cap: treat its max as unbounded */
  capped: boolean;
  nodes: number;
}

/**
 * `minHidden`: the reader knows hidden cells are at least this (1 when zeros are published).
 * `cap`: search ceiling per interior cell when no published total bounds it.
 */
export function bruteForce(t: PublishedTable, minHidden: number, cap: number, maxNodes = 5e6): OracleResult | null {
  const R = t.cells.length;
  const C = t.cells[0]!.length;
  const unknown: [number, number][] = [];
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) if (t.cells[r]![c] === null) unknown.push([r, c]);
  const grid = t.cells.map((row) => row.map((v) => v ?? 0));
  const rowLeft = (r: number, upTo: number) => unknown.slice(upTo + 1).some(([rr]) => rr === r);
  const colLeft = (c: number, upTo: number) => unknown.slice(upTo + 1).some(([, cc]) => cc === c);
  const range = (): OracleRange => ({ min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY });
  const res: OracleResult = {
    cells: t.cells.map((row) => row.map((v) => (v === null ? range() : null))),
    rowTotals: t.rowTotals.map((v) => (v === null ? range() : null)),
    colTotals: t.colTotals.map((v) => (v === null ? range() : null)),
    grandTotal: t.grandTotal === null ? range() : null,
    capped: false,
    nodes: 0,
  };
  const upd = (x: OracleRange | null, v: number) => {
    if (!x) return;
    x.min = Math.min(x.min, v);
    x.max = Math.max(x.max, v);
  };
  const sumRow = (r: number) => grid[r]!.reduce((a, b) => a + b, 0);
  const sumCol = (c: number) => grid.reduce((a, row) => a + row[c]!, 0);
  const finish = () => {
    const rows = grid.map((_, r) => sumRow(r));
    const cols = grid[0]!.map((_, c) => sumCol(c));
    const g = rows.reduce((a, b) => a + b, 0);
    for (let r = 0; r < R; r++) {
      if (t.rowTotals[r] !== null && rows[r] !== t.rowTotals[r]) return;
      if (t.rowTotals[r] === null && rows[r]! < minHidden) return;
    }
    for (let c = 0; c < C; c++) {
      if (t.colTotals[c] !== null && cols[c] !== t.colTotals[c]) return;
      if (t.colTotals[c] === null && cols[c]! < minHidden) return;
    }
    if (t.grandTotal !== null && g !== t.grandTotal) return;
    if (t.grandTotal === null && g < minHidden) return;
    for (const [r, c] of unknown) upd(res.cells[r]![c]!, grid[r]![c]!);
    for (const [r, v] of rows.entries()) upd(res.rowTotals[r]!, v);
    for (const [c, v] of cols.entries()) upd(res.colTotals[c]!, v);
    upd(res.grandTotal, g);
  };
  const go = (i: number): boolean => {
    if (++res.nodes > maxNodes) return false;
    if (i === unknown.length) {
      finish();
      return true;
    }
    const [r, c] = unknown[i]!;
    const rt = t.rowTotals[r];
    const ct = t.colTotals[c];
    let hi = cap;
    if (rt != null) hi = Math.min(hi, rt - sumRow(r));
    if (ct != null) hi = Math.min(hi, ct - sumCol(c));
    if (t.grandTotal !== null) hi = Math.min(hi, t.grandTotal - grid.reduce((a, row) => a + row.reduce((x, y) => x + y, 0), 0));
    let lo = minHidden;
    // Last hidden cell of a row (or column) with a published total is forced.
    if (rt != null && !rowLeft(r, i)) lo = hi = rt - sumRow(r);
    else if (ct != null && !colLeft(c, i)) lo = hi = ct - sumCol(c);
    if (lo < minHidden || hi < lo) return true;
    for (let v = lo; v <= hi; v++) {
      if (v === cap) res.capped = true;
      grid[r]![c] = v;
      const ok = go(i + 1);
      grid[r]![c] = 0;
      if (!ok) return false;
    }
    return true;
  };
  return go(0) ? res : null;
}
