import { type ArchiveManifest, type ArchivePartition, monthKey } from './archive-manifest';

/**
 * Which months of a prepared archive to load, and what that will cost the tab. Months are
 * the unit because they are the archive's files: a range never reads a file it does not need.
 */
export interface MonthRange {
  /** first and last month, inclusive, as YYYY-MM */
  from: string;
  to: string;
}

/**
 * Tab memory per loaded call while the import runs, and what stays once it is done, from
 * `npm run bench` at 1M calls (tests/bench/results.json): renderer RSS rose from 0.96 GB (demo
 * loaded) to a 3.24 GB peak during the Parquet import (staging as text + the typed table +
 * parsing), and DuckDB held 1.08 GB afterwards.
 */
export const PEAK_BYTES_PER_CALL = 2_300;
export const KEPT_BYTES_PER_CALL = 1_100;
/** the app with the demo city, map and DuckDB started, before any archive month */
export const TAB_BASELINE_BYTES = 1_000_000_000;
/** the issue's target: 5M calls usable within 3 GB; also below wasm32's 4 GB ceiling */
export const DEFAULT_BUDGET_BYTES = 3_000_000_000;

export function monthsIn(manifest: Pick<ArchiveManifest, 'partitions'>, range: MonthRange): ArchivePartition[] {
  return manifest.partitions.filter((p) => {
    const k = monthKey(p);
    return k >= range.from && k <= range.to;
  });
}

export interface RangeCost {
  months: number;
  rows: number;
  /** Parquet bytes to read; null when the manifest lists no sizes */
  bytes: number | null;
  peakBytes: number;
}

/**
 * `keptRows`: calls already loaded. A re-load keeps them (as the fallback if the new range
 * fails) until the new range is in, so they count against the budget too.
 */
export function rangeCost(parts: readonly ArchivePartition[], keptRows = 0): RangeCost {
  const rows = parts.reduce((n, p) => n + p.rows, 0);
  const bytes = parts.every((p) => p.bytes !== null) ? parts.reduce((n, p) => n + p.bytes!, 0) : null;
  return { months: parts.length, rows, bytes, peakBytes: estimatePeakBytes(rows, keptRows) };
}

export function estimatePeakBytes(rows: number, keptRows = 0): number {
  return TAB_BASELINE_BYTES + rows * PEAK_BYTES_PER_CALL + keptRows * KEPT_BYTES_PER_CALL;
}

/**
 * The most recent months whose estimated peak fits the budget (what an analyst usually wants:
 * the latest period). Always at least the latest month, even over budget: the dialog then
 * says so rather than offering nothing.
 */
export function defaultRange(manifest: Pick<ArchiveManifest, 'partitions'>, budgetBytes = DEFAULT_BUDGET_BYTES, keptRows = 0): MonthRange {
  const parts = manifest.partitions;
  const last = parts[parts.length - 1];
  if (!last) throw new Error('An archive without months has no range.');
  let first = parts.length - 1;
  let rows = last.rows;
  while (first > 0 && estimatePeakBytes(rows + parts[first - 1]!.rows, keptRows) <= budgetBytes) {
    first--;
    rows += parts[first]!.rows;
  }
  return { from: monthKey(parts[first]!), to: monthKey(last) };
}

/** Keeps a chosen range valid when one end moves past the other (the selects move together). */
export function orderedRange(from: string, to: string, moved: 'from' | 'to'): MonthRange {
  if (from <= to) return { from, to };
  return moved === 'from' ? { from, to: from } : { from: to, to };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function monthLabel(key: string): string {
  const [y, m] = key.split('-');
  return `${MONTHS[Number(m) - 1] ?? m} ${y}`;
}

export function rangeLabel(range: MonthRange): string {
  return range.from === range.to ? monthLabel(range.from) : `${monthLabel(range.from)} – ${monthLabel(range.to)}`;
}
