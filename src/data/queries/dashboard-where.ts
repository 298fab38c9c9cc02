import type { DashboardFilters, FilterKey } from '../../state/dashboard-filters';
import { inList, join, type Sql, sql } from '../sql';

/**
 * The WHERE clause for the `calls` table from the dashboard's filters, leaving out `except`
 * (the asking view's own clause). Every value is a parameter; an empty filter adds nothing.
 */
export function dashboardWhere(f: DashboardFilters, except: FilterKey | null = null): Sql {
  const parts: Sql[] = [sql`TRUE`];
  if (f.dates && except !== 'dates') {
    parts.push(sql`received_at >= CAST(${f.dates[0]} AS TIMESTAMP) AND received_at < CAST(${f.dates[1]} AS TIMESTAMP)`);
  }
  const b = f.hourOfWeek;
  if (b && except !== 'hourOfWeek') {
    parts.push(sql`dow BETWEEN ${b.dowFrom} AND ${b.dowTo}`);
    parts.push(b.hourFrom <= b.hourTo ? sql`hour BETWEEN ${b.hourFrom} AND ${b.hourTo}` : sql`(hour >= ${b.hourFrom} OR hour <= ${b.hourTo})`);
  }
  if (f.types.length && except !== 'types') parts.push(sql`type_text IN ${inList(f.types)}`);
  if (f.areas.length && except !== 'areas') parts.push(sql`area_id IN ${inList(f.areas)}`);
  if (f.bbox && except !== 'bbox') {
    const [w, s, e, n] = f.bbox;
    parts.push(sql`lon BETWEEN ${w} AND ${e} AND lat BETWEEN ${s} AND ${n}`);
  }
  return join(parts, ' AND ');
}
