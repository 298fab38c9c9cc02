import { type Chart, TEXT } from './chart';
import type { TableSpec } from './data-table';
import { calls, formatChange, formatCount, formatPercentChange, formatRate } from './format';
import { BAR, diverging, textOn } from './palette';

/**
 * Area ranking as an HTML table (a ranking is read row by row) with an inline SVG bar per
 * count and a diverging chip for the change vs the previous period. Rows are focusable;
 * Enter/Space or a click toggles the area; ↑/↓ move. Text is set with textContent only.
 *
 * It must fit a ~380 px side panel without sideways scrolling (a ranking read by scrolling
 * left and right loses its row): short headings whose full text is their title and
 * accessible name, large counts in compact form (12.3K) with the exact figure in the cell's
 * title, the change as a percentage only (the absolute change is in the title and the row's
 * name), names that wrap, and a short bar.
 */
export interface AreaRow {
  area_id: string | null;
  area_name: string | null;
  n: number;
  previous_n?: number | null;
  change?: number | null;
  change_pct?: number | null;
  previous_complete?: boolean | null;
  population?: number | null;
  per_1000?: number | null;
  /** calls per km² of the area (filled in by the page from the loaded boundaries) */
  per_km2?: number | null;
}

/** Columns the analyst can rank by: the ranking's whole point is "which area first, by what". */
export type AreaSortKey = 'area' | 'n' | 'rate' | 'change';
export interface AreaSort {
  key: AreaSortKey;
  descending: boolean;
}
export const DEFAULT_SORT: AreaSort = { key: 'n', descending: true };

export interface AreaTableOptions {
  title: string;
  /** Initial ranking; header buttons change it (default: most calls first). */
  sort?: AreaSort;
  onSort?: (sort: AreaSort) => void;
  onSelect?: (ids: (string | null)[]) => void;
}

const areaName = (r: AreaRow) => (r.area_id === null ? 'Outside any area' : (r.area_name ?? r.area_id));
const hasRate = (rows: readonly AreaRow[]) => rows.some((r) => r.per_1000 !== null && r.per_1000 !== undefined);
// Per km² only when no population is known: two rate columns would not fit a side panel.
const hasKm2Rate = (rows: readonly AreaRow[]) => !hasRate(rows) && rows.some((r) => r.per_km2 !== null && r.per_km2 !== undefined);
const rateOf = (r: AreaRow): number | null => r.per_1000 ?? r.per_km2 ?? null;
const changeOf = (r: AreaRow): number | null => (r.previous_complete === false ? null : (r.change_pct ?? null));

/**
 * Rows in ranking order. Missing values (no population, no previous calls) go last whichever
 * way the column is sorted: "no rate" is not the lowest rate. Ties keep the busier area first.
 */
export function sortAreas(rows: readonly AreaRow[], sort: AreaSort = DEFAULT_SORT): AreaRow[] {
  const value = (r: AreaRow): number | string | null =>
    sort.key === 'area' ? areaName(r).toLocaleLowerCase() : sort.key === 'n' ? r.n : sort.key === 'rate' ? rateOf(r) : changeOf(r);
  const sign = sort.descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === null || vb === null) {
      if (va !== vb) return va === null ? 1 : -1;
    } else if (va !== vb) return sign * (typeof va === 'string' ? va.localeCompare(String(vb)) : va - (vb as number));
    return b.n - a.n || String(a.area_id).localeCompare(String(b.area_id));
  });
}

/** Headings as shown in the panel; each is the start of the full label, so the visible text stays part of the accessible name (WCAG 2.5.3). */
const SHORT_LABEL: Record<string, string> = { per_1000: 'Per 1,000', previous_n: 'Previous' };
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
/** Exact below 10,000 (four digits fit); above, 12.3K / 1.2M with the exact figure kept for the title. */
export function compactCount(n: number): string {
  return Math.abs(n) < 10_000 ? formatCount(n) : compact.format(n);
}

/** A cell's short text and, when it had to be shortened, the full text for its title. */
function shortCell(key: string, r: AreaRow): { text: string; title?: string } {
  // a title only where the cell was shortened: the exact figure
  const withTitle = (text: string, exact: string, full: string) => (text === exact ? { text } : { text, title: full });
  switch (key) {
    case 'n':
      return withTitle(compactCount(r.n), formatCount(r.n), calls(r.n));
    case 'previous_n':
      return r.previous_n === null || r.previous_n === undefined
        ? { text: '–' }
        : withTitle(compactCount(r.previous_n), formatCount(r.previous_n), `${calls(r.previous_n)} in the previous period`);
    case 'per_1000':
    case 'per_km2': {
      const v = key === 'per_1000' ? r.per_1000 : r.per_km2;
      const full = formatRate(v);
      return v !== null && v !== undefined && Math.abs(v) >= 10_000 ? withTitle(compact.format(v), full, full) : { text: full };
    }
    case 'change': {
      // no percentage when the previous period had no calls: the count change says it
      const text = r.previous_complete === false ? '–' : r.change_pct === null || r.change_pct === undefined ? formatChange(r.change) : formatPercentChange(r.change_pct);
      return { text, title: r.previous_complete === false ? 'No full previous period to compare' : `${changeText(r)} vs the previous period` };
    }
    default:
      return { text: '' };
  }
}

const SORT_OF_COLUMN: Record<string, AreaSortKey> = { area: 'area', n: 'n', per_1000: 'rate', per_km2: 'rate', change: 'change' };
const hasChange = (rows: readonly AreaRow[]) => rows.some((r) => r.previous_n !== null && r.previous_n !== undefined);
const changeText = (r: AreaRow) =>
  r.previous_complete === false ? 'no full previous period' : `${formatChange(r.change)} (${formatPercentChange(r.change_pct)})`;

export function toTable(rows: readonly AreaRow[], title: string): TableSpec {
  const total = rows.reduce((s, r) => s + r.n, 0);
  return {
    caption: `${title} (calls by area; total ${formatCount(total)})`,
    columns: [
      { key: 'area', label: 'Area' },
      { key: 'n', label: 'Calls', numeric: true, format: (v) => formatCount(Number(v)) },
      ...(hasRate(rows) ? [{ key: 'per_1000', label: 'Per 1,000 residents', numeric: true, format: (v: unknown) => formatRate(v as number | null) }] : []),
      ...(hasKm2Rate(rows) ? [{ key: 'per_km2', label: 'Per km²', numeric: true, format: (v: unknown) => formatRate(v as number | null) }] : []),
      ...(hasChange(rows)
        ? [
            { key: 'previous_n', label: 'Previous period', numeric: true, format: (v: unknown) => (v === null || v === undefined ? '–' : formatCount(Number(v))) },
            { key: 'change', label: 'Change', numeric: true, format: (_v: unknown, row: Record<string, unknown>) => changeText(row as unknown as AreaRow) },
          ]
        : []),
    ],
    rows: rows.map((r) => ({ ...r, area: areaName(r) })),
    footer: { area: 'Total', n: total, previous_n: hasChange(rows) ? rows.reduce((s, r) => s + (r.previous_n ?? 0), 0) : null, change_pct: null, change: null },
  };
}

export function create(el: HTMLElement, options: AreaTableOptions): Chart<readonly AreaRow[]> & { setSelected(ids: (string | null)[]): void } {
  const doc = el.ownerDocument;
  const table = doc.createElement('table');
  table.className = 'callsight-area-table';
  table.style.fontFamily = TEXT.family;
  table.style.fontSize = `${TEXT.size}px`;
  table.setAttribute('role', 'grid');
  table.setAttribute('aria-multiselectable', 'true');
  table.style.width = '100%';
  el.appendChild(table);
  let rows: readonly AreaRow[] = [];
  let sort: AreaSort = options.sort ?? DEFAULT_SORT;
  let selected: (string | null)[] = [];
  let focus = 0;
  /** rows in the order shown: data-i indexes this */
  let view: AreaRow[] = [];

  const cell = (tr: HTMLElement, text: string, numeric = false, tag: 'td' | 'th' = 'td') => {
    const td = doc.createElement(tag);
    td.textContent = text;
    td.style.padding = '0.15rem 0.25rem';
    if (numeric) {
      td.style.textAlign = 'right';
      td.style.whiteSpace = 'nowrap';
    }
    tr.appendChild(td);
    return td;
  };

  /** The count's bar as a 3 px rule under the number: magnitude at a glance without a column of its own. */
  function underBar(td: HTMLElement, value: number, max: number): void {
    const pct = max > 0 ? Math.round((100 * value) / max) : 0;
    td.style.backgroundImage = `linear-gradient(${BAR}, ${BAR})`;
    td.style.backgroundRepeat = 'no-repeat';
    td.style.backgroundPosition = 'left bottom';
    td.style.backgroundSize = `${pct}% 3px`;
    td.setAttribute('data-bar-pct', String(pct));
  }

  function render(): void {
    table.replaceChildren();
    const caption = doc.createElement('caption');
    caption.textContent = options.title;
    table.appendChild(caption);
    const spec = toTable(rows, options.title);
    const head = doc.createElement('tr');
    for (const c of spec.columns) {
      const th = cell(head, '', c.numeric, 'th');
      th.setAttribute('scope', 'col');
      // headings may wrap and read smaller than the figures: they set the width otherwise
      th.style.whiteSpace = 'normal';
      th.style.fontSize = '0.8em';
      th.style.verticalAlign = 'bottom';
      const key = SORT_OF_COLUMN[c.key];
      const short = SHORT_LABEL[c.key] ?? c.label;
      if (short !== c.label) th.title = c.label;
      if (!key) {
        th.textContent = short;
        if (short !== c.label) th.setAttribute('aria-label', c.label);
        continue;
      }
      th.setAttribute('aria-sort', sort.key === key ? (sort.descending ? 'descending' : 'ascending') : 'none');
      const button = doc.createElement('button');
      button.type = 'button';
      button.className = 'sort-button';
      button.setAttribute('data-sort', key);
      button.textContent = `${short}${sort.key === key ? (sort.descending ? ' ▼' : ' ▲') : ''}`;
      if (short !== c.label) button.setAttribute('aria-label', c.label);
      th.appendChild(button);
    }
    const thead = doc.createElement('thead');
    thead.appendChild(head);
    table.appendChild(thead);
    const tbody = doc.createElement('tbody');
    const max = Math.max(0, ...rows.map((r) => r.n));
    const maxAbs = Math.max(0, ...rows.map((r) => Math.abs(r.change_pct ?? 0)));
    const colour = diverging(maxAbs);
    view = sortAreas(rows, sort);
    view.forEach((r, i) => {
      const tr = doc.createElement('tr');
      const isSel = selected.includes(r.area_id);
      tr.setAttribute('data-i', String(i));
      tr.setAttribute('tabindex', i === focus ? '0' : '-1');
      tr.setAttribute('aria-selected', String(isSel));
      tr.setAttribute('aria-label', `${areaName(r)}: ${calls(r.n)}${hasChange(rows) ? `, change ${changeText(r)}` : ''}`);
      if (isSel) tr.style.fontWeight = '700';
      const name = cell(tr, areaName(r), false, 'th');
      name.setAttribute('scope', 'row');
      // long names wrap instead of widening the table past the panel
      name.style.overflowWrap = 'break-word';
      name.style.textAlign = 'left';
      for (const c of spec.columns.slice(1)) {
        const { text, title } = shortCell(c.key, r);
        const td = cell(tr, text, c.numeric);
        if (title) td.title = title;
        if (c.key === 'n') underBar(td, r.n, max);
        if (c.key === 'change' && r.previous_complete !== false && Number.isFinite(r.change_pct ?? Number.NaN)) {
          const fill = colour(r.change_pct!);
          td.style.background = fill;
          td.style.color = textOn(fill);
        }
      }
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);
  }

  const toggle = (i: number) => {
    const r = view[i];
    if (!r) return;
    selected = selected.includes(r.area_id) ? selected.filter((id) => id !== r.area_id) : [...selected, r.area_id];
    options.onSelect?.([...selected]);
  };
  const focusRow = () => (table.querySelector(`tr[data-i="${focus}"]`) as HTMLElement | null)?.focus();
  const click = (e: Event) => {
    const button = (e.target as Element | null)?.closest?.('button[data-sort]');
    if (button) {
      const key = button.getAttribute('data-sort') as AreaSortKey;
      // a new column starts with its most telling end: names A→Z, numbers highest first
      sort = { key, descending: sort.key === key ? !sort.descending : key !== 'area' };
      options.onSort?.({ ...sort });
      render();
      (table.querySelector(`button[data-sort="${key}"]`) as HTMLElement | null)?.focus();
      return;
    }
    const tr = (e.target as Element | null)?.closest?.('tr[data-i]');
    if (!tr) return;
    focus = Number(tr.getAttribute('data-i'));
    toggle(focus);
    render();
    focusRow();
  };
  const key = (e: Event) => {
    const k = e as KeyboardEvent;
    // Enter on a header's sort button is that button's click, not a row toggle
    if (rows.length === 0 || (k.target as Element | null)?.closest?.('thead')) return;
    if (k.key === 'ArrowDown' || k.key === 'ArrowUp') focus = Math.max(0, Math.min(rows.length - 1, focus + (k.key === 'ArrowDown' ? 1 : -1)));
    else if (k.key === 'Enter' || k.key === ' ') toggle(focus);
    else if (k.key === 'Escape') {
      selected = [];
      options.onSelect?.([]);
    } else return;
    k.preventDefault();
    render();
    focusRow();
  };
  table.addEventListener('click', click);
  table.addEventListener('keydown', key);
  render();

  return {
    update(next) {
      rows = next;
      focus = Math.min(focus, Math.max(0, rows.length - 1));
      render();
    },
    setSelected(ids) {
      // the panel re-applies the selection after every update: unchanged, it is already drawn
      if (ids.length === selected.length && ids.every((id, i) => id === selected[i])) return;
      selected = [...ids];
      render();
    },
    destroy() {
      table.remove();
    },
  };
}
