import { type AuditReport, auditSuppression, type SdcSystem } from './suppression-audit';
import { buildSystem, type CountTable, GRAND_TOTAL, type Hierarchy, interiorId, marginId } from './suppression-tables';

/**
 * Small-count disclosure control for published aggregates (methods.md §9).
 *
 * - 'complementary' (default): primary suppression of 0 < n < k, then greedy secondary
 *   suppression over every line of every linked table to a fixed point, then the audit
 *   (suppression-audit.ts); cells it can still re-derive get more complements until it passes.
 * - 'primary-only': the naive rule, kept so tests and the privacy panel can show why it fails.
 * - 'round-5': ONS Census "10-5 rule": suppress 0 < n < k, round everything else (totals
 *   included, independently) to the nearest 5. Additivity is broken on purpose, so there are
 *   no exact equations to attack; it is offered as the documented alternative and not audited.
 *
 * Deterministic: ties are broken by the order cells appear in the input.
 */
export type { CountTable, Hierarchy } from './suppression-tables';
export { GRAND_TOTAL, interiorId, marginId } from './suppression-tables';

export type SuppressionMethod = 'complementary' | 'primary-only' | 'round-5';

export interface SuppressionOptions {
  /** threshold: counts 0 < n < k are suppressed (default 10) */
  k?: number;
  /** treat 0 as disclosive too (UK LLC practice); default false: zeros are published */
  suppressZeros?: boolean;
  method?: SuppressionMethod;
  hierarchies?: readonly Hierarchy[];
}

export type CellStatus = 'published' | 'rounded' | 'primary' | 'secondary' | 'not-published';

export interface PublishedCell {
  /** null when suppressed or not published: never leak the value of a suppressed cell */
  value: number | null;
  status: CellStatus;
}

export interface SuppressedTable {
  name: string;
  rowDim: string;
  colDim: string;
  rows: readonly string[];
  cols: readonly string[];
  cells: PublishedCell[][];
  rowTotals: PublishedCell[];
  colTotals: PublishedCell[];
  grandTotal: PublishedCell;
}

export interface SuppressionResult {
  method: SuppressionMethod;
  k: number;
  tables: SuppressedTable[];
  /** every cell of the linked system by id (interior, margins, hierarchy totals) */
  cells: Record<string, PublishedCell>;
  primary: number;
  secondary: number;
  /** null for round-5; for the others, ok must be true before anything is published */
  audit: AuditReport | null;
}

const DEFAULT_K = 10;
const MAX_REPAIR_ROUNDS = 10_000;

export function suppressTables(tables: readonly CountTable[], options: SuppressionOptions = {}): SuppressionResult {
  const k = options.k ?? DEFAULT_K;
  if (!Number.isInteger(k) || k < 1) throw new Error(`Disclosure control: k must be a positive integer (got ${k}).`);
  const method = options.method ?? 'complementary';
  const system = buildSystem(tables, options.hierarchies);
  const status: CellStatus[] = system.cells.map((c) => (c.published ? 'published' : 'not-published'));
  system.cells.forEach((c, i) => {
    if (c.published && isPrimary(c.value, k, options.suppressZeros ?? false)) status[i] = 'primary';
  });
  let audit: AuditReport | null = null;
  if (method === 'round-5') {
    system.cells.forEach((_, i) => {
      if (status[i] === 'published') status[i] = 'rounded';
    });
  } else {
    const suppressed = () => status.map((s) => s === 'primary' || s === 'secondary');
    const auditOptions = { k, suppressedAreNonZero: !options.suppressZeros };
    if (method === 'complementary') {
      secondary(system, status, k);
      for (let round = 0; round < MAX_REPAIR_ROUNDS; round++) {
        audit = auditSuppression(system, suppressed(), auditOptions);
        if (audit.ok || !repair(system, status, audit.failures.map((f) => system.index.get(f.id)!))) break;
        secondary(system, status, k);
      }
    }
    audit = auditSuppression(system, suppressed(), auditOptions);
  }
  const out = (i: number): PublishedCell => {
    const s = status[i]!;
    const v = system.cells[i]!.value;
    return { value: s === 'published' ? v : s === 'rounded' ? roundTo5(v) : null, status: s };
  };
  const byId = (id: string) => out(system.index.get(id)!);
  return {
    method,
    k,
    tables: tables.map((t) => ({
      name: t.name,
      rowDim: t.rowDim,
      colDim: t.colDim,
      rows: t.rows,
      cols: t.cols,
      cells: t.rows.map((r) => t.cols.map((c) => byId(interiorId(t, r, c)))),
      rowTotals: t.rows.map((r) => byId(marginId(t.rowDim, r))),
      colTotals: t.cols.map((c) => byId(marginId(t.colDim, c))),
      grandTotal: byId(GRAND_TOTAL),
    })),
    cells: Object.fromEntries(system.cells.map((c, i) => [c.id, out(i)])),
    primary: status.filter((s) => s === 'primary').length,
    secondary: status.filter((s) => s === 'secondary').length,
    audit,
  };
}

export function isPrimary(count: number, k: number, suppressZeros: boolean): boolean {
  return count < k && (count > 0 || suppressZeros);
}

/** ONS 10-5 rounding; integers never sit exactly halfway between multiples of 5. */
export function roundTo5(n: number): number {
  return Math.round(n / 5) * 5;
}

type Status = CellStatus[];
const isSup = (s: CellStatus) => s === 'primary' || s === 'secondary';

/** Greedy complementary suppression to a fixed point over all lines (methods.md §9 step 1). */
function secondary(system: SdcSystem, status: Status, k: number): void {
  const linesOf = cellLines(system);
  const members = (l: number) => [system.lines[l]!.total, ...system.lines[l]!.parts];
  const needsFix = (l: number): boolean => {
    // A line whose total is not shown is no equation to the reader.
    if (status[system.lines[l]!.total] === 'not-published') return false;
    const sup = members(l).filter((c) => isSup(status[c]!));
    return sup.length === 1 || (sup.length > 1 && sup.reduce((a, c) => a + system.cells[c]!.value, 0) < k);
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (let l = 0; l < system.lines.length; l++) {
      while (needsFix(l)) {
        const pick = bestCandidate(system, status, [l], linesOf, (other) => other !== l && needsFix(other));
        if (pick < 0) break;
        status[pick] = 'secondary';
        changed = true;
      }
    }
  }
}

/** One more complement in a line through each cell the audit could re-derive. */
function repair(system: SdcSystem, status: Status, failing: number[]): boolean {
  const linesOf = cellLines(system);
  const failingSet = new Set(failing);
  let any = false;
  for (const f of failing) {
    const lines = linesOf[f] ?? [];
    const pick = bestCandidate(system, status, lines, linesOf, (other) => {
      const l = system.lines[other]!;
      return [l.total, ...l.parts].some((c) => c !== f && failingSet.has(c));
    });
    if (pick >= 0) {
      status[pick] = 'secondary';
      any = true;
    }
  }
  return any;
}

/**
 * Smallest non-zero visible cell of the given lines, preferring one that also fixes another
 * line, then interior cells over totals (a hidden total costs the reader the most).
 * Zeros are never complements: the audit assumes a reader knows suppressed cells are ≥ 1.
 */
function bestCandidate(system: SdcSystem, status: Status, lines: number[], linesOf: number[][], helps: (line: number) => boolean): number {
  let best = -1;
  let bestKey: [number, number, number, number] | null = null;
  for (const l of lines) {
    const line = system.lines[l]!;
    for (const c of [line.total, ...line.parts]) {
      const cell = system.cells[c]!;
      if (status[c] !== 'published' || cell.value === 0) continue;
      const key: [number, number, number, number] = [(linesOf[c] ?? []).some(helps) ? 0 : 1, cell.margin ? 1 : 0, cell.value, c];
      if (!bestKey || lexLess(key, bestKey)) {
        best = c;
        bestKey = key;
      }
    }
  }
  return best;
}

function lexLess(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

function cellLines(system: SdcSystem): number[][] {
  const out: number[][] = system.cells.map(() => []);
  system.lines.forEach((l, i) => {
    for (const c of [l.total, ...l.parts]) out[c]!.push(i);
  });
  return out;
}

export interface DerivedStatistic {
  id: string;
  /** number of records the statistic is computed from (e.g. calls with a response time) */
  base: number;
  /** the count cell it is derived from, if any: a rate on a hidden count would reveal it */
  cellId?: string;
}

export type DerivedStatus = 'published' | 'small-base' | 'hidden-cell';

/** k applies to the record base of every rate, share, mean or median too (methods.md §9). */
export function suppressDerived(stats: readonly DerivedStatistic[], result: Pick<SuppressionResult, 'k' | 'cells'>): Record<string, DerivedStatus> {
  const out: Record<string, DerivedStatus> = {};
  for (const s of stats) {
    const cell = s.cellId === undefined ? undefined : result.cells[s.cellId];
    if (s.base < result.k) out[s.id] = 'small-base';
    else if (cell && cell.value === null) out[s.id] = 'hidden-cell';
    else out[s.id] = 'published';
  }
  return out;
}
