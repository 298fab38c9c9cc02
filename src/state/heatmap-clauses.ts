import type { HeatmapBrush } from '../charts/hour-of-week-heatmap';
import { type Clause, hoursClause, weekdaysClause } from './clauses';
import { VIEW_IDS } from './view-clients';

/**
 * The heatmap brush (consecutive weekdays × an hour window that may cross midnight) as
 * selection clauses and back. Two clauses, weekdays and hours, rather than 168 hour-of-week
 * cells: the chips then read "Mon, Tue, Wed, Thu, Fri" and "20:00–02:00", and the predicate
 * is the same calendar-day test the dashboard always used (Saturday 01:00 is Saturday, so a
 * Mon–Fri night brush keeps Monday 01:00 and drops Saturday 01:00). A brush over the whole
 * week or the whole day adds no clause for that side: it would filter nothing.
 */
export function heatmapBrushClauses(b: HeatmapBrush | null, source: string = VIEW_IDS.heatmap): Clause[] {
  if (!b || b.days.length === 0) return [];
  const out: Clause[] = [];
  const days = [...new Set(b.days)];
  if (days.length < 7) out.push(weekdaysClause(source, days));
  const start = b.startHour % 24;
  const end = b.endHour % 24;
  if (start !== end) out.push(hoursClause(source, start, end));
  return out;
}

/**
 * The brush to draw for the current clauses made by `source` (URL, saved view, Escape), or
 * null when there are none or the weekdays are not consecutive (a link can hold Mon, Wed: the
 * chip still shows it; the heatmap just draws no rectangle).
 */
export function heatmapBrushOf(clauses: readonly Clause[], source: string = VIEW_IDS.heatmap): HeatmapBrush | null {
  let days: number[] | null = null;
  let startHour = 0;
  let endHour = 24;
  let any = false;
  for (const c of clauses) {
    if (c.source !== source) continue;
    if (c.spec.kind === 'weekdays') {
      days = [...new Set(c.spec.days)].sort((a, b) => a - b);
      any = true;
    } else if (c.spec.kind === 'hours') {
      startHour = c.spec.startHour % 24;
      endHour = c.spec.endHour % 24 || 24;
      any = true;
    }
  }
  if (!any) return null;
  const d = days ?? [0, 1, 2, 3, 4, 5, 6];
  if (d.some((v, i) => i > 0 && v !== d[i - 1]! + 1)) return null;
  return { days: d, startHour, endHour };
}
