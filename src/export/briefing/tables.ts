import { auditSuppression } from '../../analysis/suppression-audit';
import { type CountTable, type SuppressedTable, type SuppressionResult, suppressTables } from '../../analysis/suppression';
import { buildSystem } from '../../analysis/suppression-tables';
import type { PublishedTable, Value } from './types';

/**
 * Count tables → disclosure control → the tables as published. One call of `protect` is one
 * linked system (shared margins are protected jointly); tables about disjoint sets of calls
 * (this period, the previous one, sensitive calls) are separate systems, and no published
 * number combines them except changes, which are published only when both sides are.
 */
export interface Labelled {
  table: CountTable;
  title: string;
  rowLabels: readonly string[];
  colLabels: readonly string[];
}

export class BriefingRefused extends Error {
  constructor(readonly problem: string, readonly nextStep: string) {
    super(`Briefing not published: ${problem} ${nextStep}`);
    this.name = 'BriefingRefused';
  }
}

export interface Protected {
  result: SuppressionResult;
  tables: PublishedTable[];
}

export function protect(system: string, tables: readonly Labelled[], k: number): Protected {
  const result = suppressTables(
    tables.map((t) => t.table),
    { k },
  );
  if (!result.audit?.ok) {
    throw new BriefingRefused(
      `the ${system} tables failed the disclosure audit (${result.audit?.failures.length ?? '?'} cell(s) could be re-derived).`,
      'Raise k, shorten the period list or choose a longer period, then publish again.',
    );
  }
  const published = result.tables.map((t, i) => toPublished(t, tables[i]!));
  auditPublished(system, tables, published, k);
  return { result, tables: published };
}

function toPublished(t: SuppressedTable, l: Labelled): PublishedTable {
  const p = { rowTotals: true, colTotals: true, ...l.table.publish };
  return {
    id: t.name,
    title: l.title,
    rowDim: t.rowDim,
    colDim: t.colDim,
    rows: t.rows.map((key, i) => ({ key, label: l.rowLabels[i] ?? key })),
    cols: t.cols.map((key, i) => ({ key, label: l.colLabels[i] ?? key })),
    cells: t.cells.map((r) => r.map((c) => c.value)),
    rowTotals: p.rowTotals ? t.rowTotals.map((c) => c.value) : null,
    colTotals: p.colTotals ? t.colTotals.map((c) => c.value) : null,
    grandTotal: l.table.publish?.grandTotal === false ? null : t.grandTotal.value,
  };
}

/**
 * The last check before anything is written: rebuild the linked system from the true counts,
 * mark exactly what the published tables hide (null), confirm every shown number is the true
 * count, and run the attacker's audit on that. It re-derives nothing from the suppression's
 * own bookkeeping, so a bug between suppression and rendering cannot slip through.
 */
export function auditPublished(system: string, tables: readonly Labelled[], published: readonly PublishedTable[], k: number): void {
  const built = buildSystem(tables.map((t) => t.table));
  const hidden = new Array<boolean>(built.cells.length).fill(false);
  const shown = new Array<boolean>(built.cells.length).fill(false);
  const mark = (id: string, v: Value) => {
    const i = built.index.get(id);
    if (i === undefined) throw new Error(`Briefing audit: ${id} is not in the ${system} system.`);
    if (v === null) hidden[i] = true;
    else {
      if (v !== built.cells[i]!.value) throw new Error(`Briefing audit: ${id} is published as ${v} but counts ${built.cells[i]!.value}.`);
      shown[i] = true;
    }
  };
  published.forEach((p, ti) => {
    const t = tables[ti]!.table;
    p.rows.forEach((r, i) => {
      p.cols.forEach((c, j) => {
        mark(`${t.name}[${t.rowDim}=${r.key}, ${t.colDim}=${c.key}]`, p.cells[i]![j]!);
      });
    });
    if (p.rowTotals) for (const [i, r] of p.rows.entries()) mark(`${t.rowDim}=${r.key}`, p.rowTotals[i]!);
    if (p.colTotals) for (const [j, c] of p.cols.entries()) mark(`${t.colDim}=${c.key}`, p.colTotals[j]!);
    if (t.publish?.grandTotal !== false) mark('*', p.grandTotal);
  });
  // A margin shown by one table and hidden by another is shown.
  const suppressed = hidden.map((h, i) => h && !shown[i]);
  const cells = built.cells.map((c, i) => ({ ...c, published: shown[i]! || suppressed[i]! }));
  const report = auditSuppression({ cells, lines: built.lines }, suppressed, { k, suppressedAreNonZero: true });
  if (!report.ok) {
    throw new BriefingRefused(`${report.failures.length} suppressed ${system} value(s) could be recomputed from the published tables.`, 'Raise k or publish a coarser period, then try again.');
  }
}

export const colTotal = (p: PublishedTable, col: string): Value => {
  const j = p.cols.findIndex((c) => c.key === col);
  return j < 0 || !p.colTotals ? null : p.colTotals[j]!;
};
