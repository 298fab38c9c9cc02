// @vitest-environment happy-dom
/**
 * The d3 charts rendered into a DOM: serialised SVG/HTML for small fixed inputs against
 * committed snapshots (tests/fixtures/charts), accessible names, keyboard and pointer
 * brushing, hostile text staying text, and each table view holding the chart's numbers.
 */
import { lab } from 'd3';
import { afterEach, describe, expect, it } from 'vitest';
import * as areaTable from '../../src/charts/area-table';
import * as dataTable from '../../src/charts/data-table';
import * as heatmap from '../../src/charts/hour-of-week-heatmap';
import { diverging, sequential, textOn } from '../../src/charts/palette';
import * as timeSeries from '../../src/charts/time-series';
import * as typeBars from '../../src/charts/type-bars';

const PAYLOAD = '<img src=x onerror=alert(1)>';
const snapshot = (name: string) => `../fixtures/charts/${name}`;

let host: HTMLElement;
function mount(): HTMLElement {
  host = document.createElement('div');
  document.body.appendChild(host);
  return host;
}
afterEach(() => host?.remove());

const key = (el: Element, k: string, shiftKey = false) => el.dispatchEvent(new KeyboardEvent('keydown', { key: k, shiftKey, bubbles: true }));
const pointer = (el: Element, type: string) => el.dispatchEvent(new PointerEvent(type, { bubbles: true }));
const cellsOf = (el: HTMLElement) => [...el.querySelectorAll('[role="gridcell"]')];

const HOURS: heatmap.HourCount[] = [
  { dow: 0, hour: 20, n: 5 },
  { dow: 0, hour: 21, n: 12 },
  { dow: 4, hour: 1, n: 3 },
  { dow: 6, hour: 23, n: 1 },
  { dow: 2, hour: 8, n: 40 },
];

describe('hour-of-week heatmap', () => {
  it('renders the committed SVG with a label on every cell', async () => {
    const el = mount();
    const chart = heatmap.create(el, { title: 'Calls by hour of week', cellSize: 20 });
    chart.update(HOURS);
    await expect(el.innerHTML).toMatchFileSnapshot(snapshot('heatmap.svg'));
    const cells = cellsOf(el);
    expect(cells).toHaveLength(168);
    expect(cells[20]!.getAttribute('aria-label')).toBe('Monday 20:00–21:00: 5 calls');
    expect(cells[4 * 24 + 1]!.getAttribute('aria-label')).toBe('Friday 01:00–02:00: 3 calls');
    expect(cells[6 * 24 + 23]!.getAttribute('aria-label')).toBe('Sunday 23:00–00:00: 1 call');
    expect(cells.filter((c) => c.getAttribute('tabindex') === '0')).toHaveLength(1);
    // More calls, darker cell: the legend-free reading must still be ordered.
    const lum = (c: Element) => (textOn(c.getAttribute('fill')!) === '#ffffff' ? 0 : 1);
    expect(lum(cells[2 * 24 + 8]!)).toBe(0);
    chart.destroy();
    expect(el.innerHTML).toBe('');
  });

  it('brushes 20:00–02:00 by dragging across midnight when the day starts at 06:00', () => {
    const el = mount();
    const brushes: (heatmap.HeatmapBrush | null)[] = [];
    const chart = heatmap.create(el, { title: 'h', hourOffset: 6, onBrush: (b) => brushes.push(b) });
    chart.update(HOURS);
    const at = (row: number, col: number) => el.querySelector(`rect[data-row="${row}"][data-col="${col}"]`)!;
    pointer(at(0, 14), 'pointerdown'); // column 14 = 20:00 with the 06:00 offset
    pointer(at(4, 19), 'pointermove'); // column 19 = 01:00
    pointer(document.body, 'pointerup');
    expect(brushes).toEqual([{ days: [0, 1, 2, 3, 4], startHour: 20, endHour: 2 }]);
    const selected = cellsOf(el).filter((c) => c.getAttribute('aria-selected') === 'true');
    expect(selected).toHaveLength(5 * 6);
    key(el.querySelector('svg')!, 'Escape');
    expect(brushes.at(-1)).toBeNull();
  });

  it('is usable from the keyboard: arrows move, Enter picks, Shift+arrows grow past midnight', () => {
    const el = mount();
    const brushes: (heatmap.HeatmapBrush | null)[] = [];
    const picks: { dow: number; hour: number }[] = [];
    const chart = heatmap.create(el, { title: 'h', onBrush: (b) => brushes.push(b), onSelect: (c) => picks.push(c) });
    chart.update(HOURS);
    const svg = el.querySelector('svg')!;
    key(svg, 'ArrowLeft'); // wraps from 00:00 to 23:00
    key(svg, 'ArrowDown');
    key(svg, 'Enter');
    expect(picks).toEqual([{ dow: 1, hour: 23 }]);
    expect(brushes.at(-1)).toEqual({ days: [1], startHour: 23, endHour: 24 });
    key(svg, 'ArrowRight', true);
    key(svg, 'ArrowRight', true);
    key(svg, 'ArrowDown', true);
    expect(brushes.at(-1)).toEqual({ days: [1, 2], startHour: 23, endHour: 2 }); // 23:00, 00:00, 01:00
    const focused = el.querySelector('rect[tabindex="0"]')!;
    expect(document.activeElement).toBe(focused);
    chart.setBrush({ days: [5, 6], startHour: 22, endHour: 2 });
    expect(cellsOf(el).filter((c) => c.getAttribute('aria-selected') === 'true')).toHaveLength(8);
  });

  it('has a table view with the same numbers', () => {
    const spec = heatmap.toTable(HOURS, 'Calls by hour of week');
    expect(spec.rows.reduce((s, r) => s + Number(r.total), 0)).toBe(61);
    expect(spec.rows[0]!.h20).toBe(5);
    expect(spec.caption).toBe('Calls by hour of week (calls by weekday and hour; total 61)');
  });
});

const SERIES: timeSeries.SeriesPoint[] = ['2026-08-03', '2026-08-04', '2026-08-05', '2026-08-06', '2026-08-07'].map((bucket, i) => ({ bucket, n: [4, 0, 9, 2, 7][i]! }));

describe('time series', () => {
  it('renders the committed SVG and labels every bucket', async () => {
    const el = mount();
    const chart = timeSeries.create(el, { title: 'Calls per day' });
    chart.update(SERIES);
    await expect(el.innerHTML).toMatchFileSnapshot(snapshot('time-series.svg'));
    const bars = [...el.querySelectorAll('[role="option"]')];
    expect(bars.map((b) => b.getAttribute('aria-label'))).toEqual([
      'Mon 3 Aug 2026: 4 calls',
      'Tue 4 Aug 2026: 0 calls',
      'Wed 5 Aug 2026: 9 calls',
      'Thu 6 Aug 2026: 2 calls',
      'Fri 7 Aug 2026: 7 calls',
    ]);
  });

  it('brushes a date range from the keyboard and by dragging, end exclusive', () => {
    const el = mount();
    const brushes: (timeSeries.SeriesBrush | null)[] = [];
    const chart = timeSeries.create(el, { title: 't', interval: 'week', onBrush: (b) => brushes.push(b) });
    chart.update(SERIES.map((s, i) => ({ ...s, bucket: ['2026-07-06', '2026-07-13', '2026-07-20', '2026-07-27', '2026-08-03'][i]! })));
    const svg = el.querySelector('svg')!;
    key(svg, 'ArrowRight');
    key(svg, 'ArrowRight', true);
    expect(brushes.at(-1)).toEqual({ start: '2026-07-13', end: '2026-07-27' });
    pointer(el.querySelector('[data-i="4"]')!, 'pointerdown');
    pointer(el.querySelector('[data-i="3"]')!, 'pointermove');
    pointer(document.body, 'pointerup');
    expect(brushes.at(-1)).toEqual({ start: '2026-07-27', end: '2026-08-10' });
    expect(el.querySelectorAll('[aria-selected="true"]')).toHaveLength(2);
    chart.setBrush(null);
    expect(el.querySelectorAll('[aria-selected="true"]')).toHaveLength(0);
  });

  it('has a table view with the same numbers and the total', () => {
    const spec = timeSeries.toTable(SERIES, 'Calls per day');
    expect(spec.footer).toEqual({ bucket: 'Total', n: 22 });
    expect(spec.rows.map((r) => r.n)).toEqual([4, 0, 9, 2, 7]);
  });
});

const TYPES: typeBars.TypeCount[] = [
  { type_code: 'LOIT', type_text: 'LOITERING', tier: 1, n: 30 },
  { type_code: 'SUSP', type_text: 'SUSPICIOUS PERSON', tier: 2, n: 25 },
  { type_code: 'SUSP', type_text: 'SUSPICIOUS PERSON', tier: 3, n: 5 },
  { type_code: 'X1', type_text: PAYLOAD, tier: null, n: 12 },
  { type_code: null, type_text: null, tier: null, n: 2 },
];

describe('type bars', () => {
  it('renders the committed SVG; a hostile type name is text, not an element', async () => {
    const el = mount();
    const chart = typeBars.create(el, { title: 'Calls by type', maxBars: 3 });
    chart.update(TYPES);
    await expect(el.innerHTML).toMatchFileSnapshot(snapshot('type-bars.svg'));
    expect(el.querySelector('img')).toBeNull();
    expect(el.querySelectorAll('[onerror]')).toHaveLength(0);
    expect(el.textContent).toContain(PAYLOAD);
    const options = [...el.querySelectorAll('[role="option"]')];
    expect(options.map((o) => o.getAttribute('aria-label'))).toEqual([
      'LOITERING (LOIT): 30 calls (Tier 1 (minor) 30)',
      'SUSPICIOUS PERSON (SUSP): 30 calls (Tier 2 (beat officer) 25, Tier 3 (rapid response) 5)',
      `${PAYLOAD} (X1): 12 calls (Tier unknown 12)`,
    ]);
    expect(el.textContent).toContain('1 other types');
  });

  it('toggles types by click and keyboard', () => {
    const el = mount();
    const picks: (string | null)[][] = [];
    const chart = typeBars.create(el, { title: 't', onSelect: (c) => picks.push(c) });
    chart.update(TYPES);
    el.querySelector('[data-i="1"] rect')!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    const svg = el.querySelector('svg')!;
    key(svg, 'ArrowDown');
    key(svg, 'ArrowDown');
    key(svg, 'ArrowDown');
    key(svg, 'Enter');
    key(svg, 'ArrowUp');
    key(svg, 'ArrowUp');
    key(svg, ' ');
    expect(picks).toEqual([['SUSP'], ['SUSP', null], [null]]);
    expect(document.activeElement?.getAttribute('data-i')).toBe('1');
    key(svg, 'Escape');
    expect(picks.at(-1)).toEqual([]);
  });

  it('grouped by tier: a tier heading is a toggle button, by click and by keyboard', () => {
    const el = mount();
    const tiers: (typeBars.TierKey | null)[] = [];
    const picks: (string | null)[][] = [];
    const chart = typeBars.create(el, { title: 't', groupByTier: true, onSelect: (c) => picks.push(c), onSelectTier: (t) => tiers.push(t) });
    chart.update(TYPES);
    const head = (t: string) => el.querySelector(`[data-tier="${t}"]`)!;
    // SUSP sits under Tier 2 (most of its calls) but the heading's filter takes every tier-3 call
    expect(head('2').getAttribute('role')).toBe('button');
    expect(head('2').getAttribute('tabindex')).toBe('0');
    expect(head('2').getAttribute('aria-label')).toBe('Tier 2 (beat officer): 30 calls, 1 type. Show only Tier 2 (beat officer) calls, 25 calls of any type');
    expect(head('3')).toBeNull(); // no type is mostly tier 3: no heading to press
    expect(head('1').getAttribute('aria-pressed')).toBe('false');
    head('1').querySelector('text')!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(tiers).toEqual(['1']);
    expect(head('1').getAttribute('aria-pressed')).toBe('true');
    expect(head('1').getAttribute('aria-label')).toContain('Showing only Tier 1 (minor) calls');
    expect(document.activeElement?.getAttribute('data-tier')).toBe('1');
    // keyboard on a heading: arrows do nothing (they belong to the list), Enter and Space press it
    key(head('1'), 'ArrowDown');
    key(head('unknown'), 'Enter');
    key(head('unknown'), ' ');
    expect(tiers).toEqual(['1', 'unknown', null]);
    expect(picks).toEqual([]);
    // the headings come before the list in DOM (tab) order and are not inside the listbox
    const listbox = el.querySelector('[role="listbox"]')!;
    expect(listbox.querySelector('[data-tier]')).toBeNull();
    expect(head('1').compareDocumentPosition(listbox) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    // a filter set elsewhere (URL, chip removed) shows without calling back
    chart.setSelectedTier('2');
    expect(head('2').getAttribute('aria-pressed')).toBe('true');
    expect(head('2').textContent).toContain('✓');
    chart.setSelectedTier(null);
    expect(el.querySelectorAll('[aria-pressed="true"]')).toHaveLength(0);
    expect(tiers).toHaveLength(3);
    // without onSelectTier the headings stay plain text
    const plain = typeBars.create(mount(), { title: 't', groupByTier: true });
    plain.update(TYPES);
    expect(host.querySelector('[data-tier="1"]')!.getAttribute('role')).toBeNull();
    plain.destroy();
  });

  it('has a table view with every type, per tier, and the total', () => {
    const spec = typeBars.toTable(TYPES, 'Calls by type');
    expect(spec.rows.map((r) => [r.type, r.n])).toEqual([
      ['LOITERING (LOIT)', 30], // ties by code
      ['SUSPICIOUS PERSON (SUSP)', 30],
      [`${PAYLOAD} (X1)`, 12],
      ['(no type)', 2],
    ]);
    expect(spec.footer).toMatchObject({ n: 74, tier_1: 30, tier_2: 25, tier_3: 5, tier_unknown: 14 });
  });
});

const AREAS: areaTable.AreaRow[] = [
  { area_id: 'A01', area_name: 'Downtown', n: 227, previous_n: 207, change: 20, change_pct: 9.66, previous_complete: true, population: 13940, per_1000: 16.28 },
  { area_id: 'A02', area_name: PAYLOAD, n: 90, previous_n: 120, change: -30, change_pct: -25, previous_complete: true, population: null, per_1000: null },
  { area_id: null, area_name: null, n: 4, previous_n: 0, change: 4, change_pct: null, previous_complete: true, population: null, per_1000: null },
];

describe('area table', () => {
  it('renders the committed table with change colours and hostile names as text', async () => {
    const el = mount();
    const chart = areaTable.create(el, { title: 'Areas' });
    chart.update(AREAS);
    await expect(el.innerHTML).toMatchFileSnapshot(snapshot('area-table.html'));
    expect(el.querySelector('img')).toBeNull();
    const rows = [...el.querySelectorAll('tbody tr')];
    expect(rows.map((r) => r.getAttribute('aria-label'))).toEqual([
      'Downtown: 227 calls, change +20 (+10 %)',
      `${PAYLOAD}: 90 calls, change \u221230 (\u221225 %)`,
      'Outside any area: 4 calls, change +4 (–)',
    ]);
    const changeCells = rows.map((r) => (r.children[4] as HTMLElement).style.background);
    expect(changeCells[0]).not.toBe(changeCells[1]);
  });

  it('fits a side panel: short headings named in full, compact large counts with exact titles, change as a percentage', () => {
    const el = mount();
    const chart = areaTable.create(el, { title: 'Areas' });
    const big: areaTable.AreaRow = { ...AREAS[0]!, area_name: 'Seventh District (New Orleans East and Venetian Isles)', n: 123_456, previous_n: 9_876, change: 113_580, change_pct: 1150.04 };
    chart.update([big, ...AREAS.slice(1)]);
    const heads = [...el.querySelectorAll('thead button')];
    expect(heads.map((b) => b.textContent)).toEqual(['Area', 'Calls ▼', 'Per 1,000', 'Change']);
    // the visible heading starts its accessible name (WCAG 2.5.3 Label in Name)
    expect(heads.map((b) => b.getAttribute('aria-label') ?? b.textContent)).toEqual(['Area', 'Calls ▼', 'Per 1,000 residents', 'Change']);
    expect(el.querySelector('thead th[title="Previous period"]')!.textContent).toBe('Previous');
    const first = [...el.querySelector('tbody tr')!.children] as HTMLElement[];
    expect(first.map((c) => c.textContent)).toEqual([big.area_name, '123.5K', '16.3', '9,876', '+1,150 %']);
    // the count's bar is a rule under the number (no column of its own), scaled to the busiest area
    expect(first[1]!.getAttribute('data-bar-pct')).toBe('100');
    expect((el.querySelectorAll('tbody tr')[1]!.children[1] as HTMLElement).getAttribute('data-bar-pct')).toBe('0'); // 90 of 123,456
    expect(first[1]!.title).toBe('123,456 calls');
    expect(first[3]!.title).toBe('');
    expect(first[4]!.title).toBe('+113,580 (+1,150 %) vs the previous period');
    expect(first[0]!.style.overflowWrap).toBe('break-word');
    // no previous calls: the count change; no full previous period: a dash, said in the title
    const outside = [...el.querySelectorAll('tbody tr')].at(-1)!.children[4] as HTMLElement;
    expect(outside.textContent).toBe('+4');
    chart.update([{ ...AREAS[0]!, previous_complete: false }]);
    const incomplete = el.querySelector('tbody tr')!.children[4] as HTMLElement;
    expect([incomplete.textContent, incomplete.title]).toEqual(['–', 'No full previous period to compare']);
    expect(areaTable.compactCount(9_999)).toBe('9,999');
    expect(areaTable.compactCount(2_345_678)).toBe('2.3M');
  });

  it('toggles areas by click and keyboard', () => {
    const el = mount();
    const picks: (string | null)[][] = [];
    const chart = areaTable.create(el, { title: 'Areas', onSelect: (ids) => picks.push(ids) });
    chart.update(AREAS);
    el.querySelector('tbody tr[data-i="2"] td')!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    const table = el.querySelector('table')!;
    key(table, 'ArrowUp');
    key(table, 'Enter');
    expect(picks).toEqual([[null], [null, 'A02']]);
    expect(el.querySelectorAll('tr[aria-selected="true"]')).toHaveLength(2);
  });
});

describe('data table', () => {
  it('shows each chart’s numbers as text, footer included', async () => {
    const el = mount();
    const table = dataTable.create(el);
    table.update(typeBars.toTable(TYPES, 'Calls by type'));
    await expect(el.innerHTML).toMatchFileSnapshot(snapshot('type-table.html'));
    expect(el.querySelector('img')).toBeNull();
    const body = [...el.querySelectorAll('tbody tr')].map((tr) => tr.lastElementChild!.textContent);
    expect(body).toEqual(['30', '30', '12', '2']);
    expect(el.querySelector('tfoot')!.textContent).toContain('74');
    table.update(areaTable.toTable(AREAS, 'Areas'));
    expect([...el.querySelectorAll('thead th')].map((th) => th.textContent)).toEqual(['Area', 'Calls', 'Per 1,000 residents', 'Previous period', 'Change']);
    expect(el.querySelector('tfoot')!.textContent).toContain('321');
  });
});

describe('palette', () => {
  it('orders sequential colours by lightness and centres the diverging ramp', () => {
    const s = sequential(100);
    expect(s(0)).toBe('#f6f7f9');
    const lightness = [1, 10, 50, 100].map((v) => lab(s(v)).l);
    expect(lightness).toEqual([...lightness].sort((a, b) => b - a));
    expect(new Set(lightness).size).toBe(4);
    expect([s(1), s(100)].map((c) => textOn(c))).toEqual(['#000000', '#ffffff']);
    const d = diverging(50);
    expect(d(0)).toBe(d(-0));
    expect(d(50)).not.toBe(d(-50));
  });
});
