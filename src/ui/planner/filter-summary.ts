/**
 * The dashboard filters in words, recorded with a plan so a pinned plan says what it was built
 * with. Read defensively from the dashboard store: its filter model is being migrated from one
 * slot per view (`filters`) to a selection of clauses (`clauses`), and either may be present.
 */
import type { Clause } from '../../state/clauses';
import { getDashboard } from '../../state/dashboard-store';
import { filterChips } from '../../state/filter-chips';

interface LegacyFilters {
  dates?: [string, string] | null;
  hourOfWeek?: { dowFrom: number; dowTo: number; hourFrom: number; hourTo: number } | null;
  types?: string[];
  areas?: string[];
  bbox?: [number, number, number, number] | null;
}

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;

export function currentFilterSummary(areaNames?: ReadonlyMap<string, string>): string {
  const d = getDashboard() as unknown as { clauses?: readonly Clause[]; typeNames?: ReadonlyMap<string, string>; filters?: LegacyFilters };
  if (Array.isArray(d.clauses)) {
    // The filter bar's own chips: type texts beside codes, area names for ids.
    return filterChips(d.clauses, { ...(d.typeNames ? { typeTexts: d.typeNames } : {}), ...(areaNames ? { areaNames } : {}) })
      .map((c) => `${c.title}: ${c.value}`)
      .join('; ');
  }
  const f = d.filters;
  if (!f) return '';
  const parts: string[] = [];
  if (f.dates) parts.push(`dates ${f.dates[0]} to before ${f.dates[1]}`);
  if (f.hourOfWeek) {
    const b = f.hourOfWeek;
    parts.push(`${DAYS[b.dowFrom]}–${DAYS[b.dowTo]} ${hh(b.hourFrom)}–${hh((b.hourTo + 1) % 24)}`);
  }
  if (f.types?.length) parts.push(`types ${f.types.join(', ')}`);
  if (f.areas?.length) parts.push(`areas ${f.areas.map((a) => areaNames?.get(a) ?? a).join(', ')}`);
  if (f.bbox) parts.push(`map rectangle ${f.bbox.map((v) => v.toFixed(4)).join(', ')}`);
  return parts.join('; ');
}
