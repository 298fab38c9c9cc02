import type { SdcCell, SdcLine, SdcSystem } from './suppression-audit';

/**
 * Linked count tables → one system of cells and line equations, so suppression and the audit
 * see every published margin jointly (methods.md §9 step 2). Margins are keyed by dimension:
 * two tables with rows `area` share the cells `area=<id>` (the area totals), and every table
 * shares the grand total `*`, so area × hour and area × type are protected together.
 */
export interface CountTable {
  /** shown in messages, e.g. "area × hour" */
  name: string;
  rowDim: string;
  colDim: string;
  rows: readonly string[];
  cols: readonly string[];
  /** counts[r][c], non-negative integers */
  counts: readonly (readonly number[])[];
  /** which margins the briefing shows (default: all) */
  publish?: { rowTotals?: boolean; colTotals?: boolean; grandTotal?: boolean };
}

/** Areas nested in districts: district totals are published and equal the sum of their areas. */
export interface Hierarchy {
  parentDim: string;
  childDim: string;
  members: Readonly<Record<string, readonly string[]>>;
  /** default true */
  publish?: boolean;
}

export const GRAND_TOTAL = '*';

export const marginId = (dim: string, key: string): string => `${dim}=${key}`;
export const interiorId = (t: CountTable, row: string, col: string): string => `${t.name}[${marginId(t.rowDim, row)}, ${marginId(t.colDim, col)}]`;

export interface BuiltSystem extends SdcSystem {
  index: Map<string, number>;
}

export function buildSystem(tables: readonly CountTable[], hierarchies: readonly Hierarchy[] = []): BuiltSystem {
  const cells: SdcCell[] = [];
  const lines: SdcLine[] = [];
  const index = new Map<string, number>();
  const cell = (id: string, value: number, margin: boolean, published: boolean): number => {
    if (!Number.isInteger(value) || value < 0) throw new Error(`Disclosure control: ${id} is ${value}; counts must be non-negative integers.`);
    const at = index.get(id);
    if (at !== undefined) {
      const c = cells[at]!;
      // Linked tables must describe the same population, or the shared margin is meaningless.
      if (c.value !== value) throw new Error(`Disclosure control: ${id} is ${c.value} in one table and ${value} in another; linked tables must count the same calls.`);
      c.published ||= published;
      return at;
    }
    cells.push({ id, value, margin, published });
    index.set(id, cells.length - 1);
    return cells.length - 1;
  };
  for (const t of tables) {
    if (t.counts.length !== t.rows.length || t.counts.some((r) => r.length !== t.cols.length)) {
      throw new Error(`Disclosure control: table ${t.name} has counts that do not match its ${t.rows.length} rows × ${t.cols.length} columns.`);
    }
    const p = { rowTotals: true, colTotals: true, grandTotal: true, ...t.publish };
    const inner = t.rows.map((r, i) => t.cols.map((c, j) => cell(interiorId(t, r, c), t.counts[i]![j]!, false, true)));
    const rowSum = t.rows.map((_, i) => t.counts[i]!.reduce((a, b) => a + b, 0));
    const colSum = t.cols.map((_, j) => t.counts.reduce((a, r) => a + r[j]!, 0));
    const rowCells = t.rows.map((r, i) => cell(marginId(t.rowDim, r), rowSum[i]!, true, p.rowTotals));
    const colCells = t.cols.map((c, j) => cell(marginId(t.colDim, c), colSum[j]!, true, p.colTotals));
    const grand = cell(GRAND_TOTAL, rowSum.reduce((a, b) => a + b, 0), true, p.grandTotal);
    t.rows.forEach((r, i) => {
      lines.push({ id: `${t.name}: row ${r}`, total: rowCells[i]!, parts: inner[i]! });
    });
    t.cols.forEach((c, j) => {
      lines.push({ id: `${t.name}: column ${c}`, total: colCells[j]!, parts: inner.map((row) => row[j]!) });
    });
    lines.push({ id: `${t.name}: ${t.rowDim} totals`, total: grand, parts: rowCells });
    lines.push({ id: `${t.name}: ${t.colDim} totals`, total: grand, parts: colCells });
  }
  for (const h of hierarchies) addHierarchy(h, tables, cells, lines, index, cell);
  return { cells, lines: dedupeLines(lines), index };
}

function addHierarchy(
  h: Hierarchy,
  tables: readonly CountTable[],
  cells: SdcCell[],
  lines: SdcLine[],
  index: Map<string, number>,
  cell: (id: string, value: number, margin: boolean, published: boolean) => number,
): void {
  const publish = h.publish ?? true;
  const covered = new Set<string>();
  const parents: number[] = [];
  for (const [parent, children] of Object.entries(h.members)) {
    const parts = children.map((c) => {
      const at = index.get(marginId(h.childDim, c));
      if (at === undefined) throw new Error(`Disclosure control: ${h.parentDim} ${parent} lists ${h.childDim} ${c}, which no table has.`);
      covered.add(c);
      return at;
    });
    const total = cell(marginId(h.parentDim, parent), parts.reduce((a, p) => a + cells[p]!.value, 0), true, publish);
    parents.push(total);
    lines.push({ id: `${h.parentDim} ${parent} = its ${h.childDim}s`, total, parts });
    // Interior links: a parent × col table and a child × col table over the same columns.
    for (const child of tables.filter((t) => t.rowDim === h.childDim)) {
      for (const par of tables.filter((t) => t.rowDim === h.parentDim && t.colDim === child.colDim && t.rows.includes(parent))) {
        for (const col of child.cols.filter((c) => par.cols.includes(c))) {
          const tot = index.get(interiorId(par, parent, col))!;
          const ps = children.map((c) => index.get(interiorId(child, c, col))).filter((x): x is number => x !== undefined);
          const sum = ps.reduce((a, p) => a + cells[p]!.value, 0);
          if (sum !== cells[tot]!.value) {
            throw new Error(`Disclosure control: ${par.name}[${parent}, ${col}] is ${cells[tot]!.value} but its ${h.childDim}s in ${child.name} add up to ${sum}.`);
          }
          lines.push({ id: `${par.name}[${parent}, ${col}] = its ${h.childDim}s`, total: tot, parts: ps });
        }
      }
    }
  }
  const allChildren = cells.filter((c) => c.id.startsWith(`${h.childDim}=`)).length;
  const grand = index.get(GRAND_TOTAL);
  if (grand !== undefined && covered.size === allChildren) lines.push({ id: `${h.parentDim} totals`, total: grand, parts: parents });
}

/** The same equation reached from two tables (shared margins) is one line, not two. */
function dedupeLines(lines: SdcLine[]): SdcLine[] {
  const seen = new Set<string>();
  return lines.filter((l) => {
    const key = `${l.total}:${[...l.parts].sort((a, b) => a - b).join(',')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
