/**
 * The dashboard's cross-filter: one clause per view that can filter. Each view queries with
 * every clause except its own (crossfilter semantics: a brushed heatmap still shows all hours,
 * with the brush drawn on top), while the headline count and the map use all of them, so
 * "matching calls" has one answer on screen.
 */
export interface HourOfWeekBrush {
  /** ISO weekday index, Monday = 0 (as `calls.dow`) */
  dowFrom: number;
  dowTo: number;
  /** hour of day 0–23; hourFrom > hourTo wraps past midnight (20:00–02:00) */
  hourFrom: number;
  hourTo: number;
}

export interface DashboardFilters {
  /** received date range [start, end) as ISO days 'YYYY-MM-DD' */
  dates: [string, string] | null;
  hourOfWeek: HourOfWeekBrush | null;
  /** final call type text (`calls.type_text`) */
  types: string[];
  /** `calls.area_id` */
  areas: string[];
  /** map rectangle [west, south, east, north] in degrees */
  bbox: [number, number, number, number] | null;
}

export type FilterKey = keyof DashboardFilters;

export const NO_FILTERS: DashboardFilters = { dates: null, hourOfWeek: null, types: [], areas: [], bbox: null };

export function activeFilterCount(f: DashboardFilters): number {
  return (f.dates ? 1 : 0) + (f.hourOfWeek ? 1 : 0) + (f.types.length ? 1 : 0) + (f.areas.length ? 1 : 0) + (f.bbox ? 1 : 0);
}

export function clearFilter(f: DashboardFilters, key: FilterKey): DashboardFilters {
  return { ...f, [key]: NO_FILTERS[key] };
}

export function toggleValue(list: readonly string[], value: string): string[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

export function hourInBrush(b: HourOfWeekBrush, hour: number): boolean {
  return b.hourFrom <= b.hourTo ? hour >= b.hourFrom && hour <= b.hourTo : hour >= b.hourFrom || hour <= b.hourTo;
}

export function cellInBrush(b: HourOfWeekBrush | null, dow: number, hour: number): boolean {
  return b !== null && dow >= b.dowFrom && dow <= b.dowTo && hourInBrush(b, hour);
}

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
export const WEEKDAY_SHORT = DAYS;

const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;

/** Chips in the filter bar: what a sergeant reads aloud from the projector. */
export function describeFilter(f: DashboardFilters, key: FilterKey, areaNames?: ReadonlyMap<string, string>): string | null {
  switch (key) {
    case 'dates':
      return f.dates ? `${f.dates[0]} to ${previousDay(f.dates[1])}` : null;
    case 'hourOfWeek': {
      const b = f.hourOfWeek;
      if (!b) return null;
      const days = b.dowFrom === 0 && b.dowTo === 6 ? 'every day' : b.dowFrom === b.dowTo ? DAYS[b.dowFrom]! : `${DAYS[b.dowFrom]}–${DAYS[b.dowTo]}`;
      return `${days}, ${hh(b.hourFrom)}–${hh((b.hourTo + 1) % 24)}`;
    }
    case 'types':
      return f.types.length ? (f.types.length <= 2 ? f.types.join(', ') : `${f.types.length} call types`) : null;
    case 'areas':
      return f.areas.length ? (f.areas.length <= 2 ? f.areas.map((a) => areaNames?.get(a) ?? a).join(', ') : `${f.areas.length} areas`) : null;
    case 'bbox':
      return f.bbox ? 'Map selection' : null;
  }
}

export const FILTER_LABELS: Record<FilterKey, string> = {
  dates: 'Dates',
  hourOfWeek: 'Hours',
  types: 'Type',
  areas: 'Area',
  bbox: 'Place',
};

/** The day before an ISO date (ranges are half-open; chips show the last included day). */
export function previousDay(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

export function nextDay(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
