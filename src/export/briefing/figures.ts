import type { QualityReport } from '../../data/types';
import { colTotal } from './tables';
import type { ChangeFigure, PublishedTable, QualityFigures, Value } from './types';

/**
 * Headline and per-area changes. A change is a difference of two published counts, so it is
 * shown only when both are: a change next to a hidden count would give the count away.
 */
export function change(key: string, label: string, current: Value, previous: Value): ChangeFigure {
  const both = current !== null && previous !== null;
  return {
    key,
    label,
    current,
    previous,
    change: both ? current - previous : null,
    changePct: both && previous > 0 ? Math.round((1000 * (current - previous)) / previous) / 10 : null,
  };
}

export function headlineFigures(cur: PublishedTable, prev: PublishedTable): { headline: ChangeFigure[]; areaChange: ChangeFigure[] } {
  const headline = [
    change('all', 'All calls (sensitive types removed)', cur.grandTotal, prev.grandTotal),
    ...cur.cols.map((c) => change(`tier-${c.key}`, c.label, colTotal(cur, c.key), colTotal(prev, c.key))),
  ];
  const areaChange = cur.rows.map((r, i) => {
    const j = prev.rows.findIndex((x) => x.key === r.key);
    return change(r.key, r.label, cur.rowTotals?.[i] ?? null, j < 0 ? null : (prev.rowTotals?.[j] ?? null));
  });
  return { headline, areaChange };
}

/**
 * Import figures from the quality report. They count every call of the file, sensitive ones
 * included; when the sensitive total is suppressed and the briefing's periods cover the whole
 * file, "calls loaded" minus the published totals would reveal it, so it is withheld then.
 */
export function qualityFigures(r: QualityReport, sensitiveTotalHidden: boolean): QualityFigures {
  const notes: string[] = [];
  const geo = r.geoRows ?? { missing: r.geo.missing, zero: r.geo.zero, outOfRange: r.geo.outOfRange };
  if (sensitiveTotalHidden) notes.push('The numbers of rows read and calls loaded are withheld: with the sensitive-call total suppressed, it would let a reader recompute that total.');
  return {
    rowsIn: sensitiveTotalHidden ? null : r.rows.input,
    rowsLoaded: sensitiveTotalHidden ? null : r.rows.loaded,
    rowsRejected: r.rows.rejected,
    duplicates: r.rows.duplicates,
    noLocation: geo.missing + geo.zero + geo.outOfRange,
    firstCall: r.timeRange.start?.slice(0, 10) ?? null,
    lastCall: r.timeRange.end?.slice(0, 10) ?? null,
    notes,
  };
}
