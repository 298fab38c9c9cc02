import type { Clause, ClauseKind } from './clauses';

/**
 * The filter bar's chips from the selection's clauses: what a sergeant reads aloud from the
 * projector. Clause labels carry codes and ids (stable across renames, what the URL stores);
 * a chip puts the type text next to each code and the area name in place of its id, because
 * "type 21" means nothing to a council member. Values are plain text: React escapes them.
 */
export interface FilterChip {
  /** the clause id: the chip's ✕ calls `selection.remove(id)` */
  id: string;
  title: string;
  value: string;
}

export interface ChipNames {
  /** type_code → the type text shown for it (the type bars' mode(type_text)) */
  typeTexts?: ReadonlyMap<string, string>;
  areaNames?: ReadonlyMap<string, string>;
}

export const CHIP_TITLES: Record<ClauseKind, string> = {
  time: 'Dates',
  hours: 'Hours',
  weekdays: 'Days',
  hourOfWeek: 'Hours of week',
  types: 'Type',
  tiers: 'Tier',
  areas: 'Area',
  bbox: 'Place',
  polygon: 'Place',
  callIds: 'Calls',
};

// More names than this and the chip would wrap across the bar; the count says enough.
const NAMED_ITEMS = 2;

export function filterChips(clauses: readonly Clause[], names: ChipNames = {}): FilterChip[] {
  return clauses.map((c) => ({ id: c.id, title: CHIP_TITLES[c.spec.kind], value: chipValue(c, names) }));
}

function chipValue(c: Clause, names: ChipNames): string {
  const s = c.spec;
  switch (s.kind) {
    case 'time':
      // whole days are stored half-open [start, end); the chip shows the last day included
      return isDay(s.start) && isDay(s.end) ? `${s.start} to ${previousDay(s.end)}` : c.label;
    case 'types':
      return s.codes.length <= NAMED_ITEMS ? s.codes.map((code) => typeName(code, names.typeTexts)).join(', ') : `${s.codes.length} call types`;
    case 'areas':
      return s.ids.length <= NAMED_ITEMS
        ? s.ids.map((id) => (id === null ? 'outside every area' : (names.areaNames?.get(id) ?? id))).join(', ')
        : `${s.ids.length} areas`;
    case 'tiers':
      // the department's triage levels, as the briefing names them
      return s.tiers.map((t) => (t === null ? 'unknown' : `Level ${t}`)).join(', ');
    default:
      return c.label;
  }
}

function typeName(code: string | null, texts: ReadonlyMap<string, string> | undefined): string {
  if (code === null) return '(no type)';
  const text = texts?.get(code);
  // "NOISE NOISE COMPLAINT" says the code twice: a text that already starts with it stands alone
  if (text?.toLocaleUpperCase().startsWith(code.toLocaleUpperCase())) return text;
  return text ? `${code} ${text}` : code;
}

const isDay = (t: string) => /^\d{4}-\d{2}-\d{2}$/.test(t);

function previousDay(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
