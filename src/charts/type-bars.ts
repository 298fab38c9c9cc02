import { scaleLinear, select } from 'd3';
import { type Chart, FOCUS_RING, TEXT } from './chart';
import type { TableSpec } from './data-table';
import { calls, formatCount } from './format';
import { TIER_COLOURS, TIER_NAMES } from './palette';

/**
 * Horizontal bars of calls per final type, largest first, each bar split by tier (Okabe–Ito
 * colours plus a legend, and the tier named in every label, so colour is never the only cue).
 * Click, Enter or Space toggles a type; `onSelect` gets the selected codes (null = no type).
 */
export interface TypeCount {
  type_code: string | null;
  type_text: string | null;
  tier: number | null;
  n: number;
}

export interface TypeBarsOptions {
  title: string;
  /** Bars drawn; the rest are summed into one "other types" row (the table lists them all). */
  maxBars?: number;
  width?: number;
  onSelect?: (codes: (string | null)[]) => void;
}

interface TypeRow {
  code: string | null;
  text: string;
  n: number;
  byTier: [key: keyof typeof TIER_COLOURS, n: number][];
}

const ROW = 30;
const LABEL = 260;
const TOP = 34;

const tierKey = (t: number | null): keyof typeof TIER_COLOURS => (t === 1 || t === 2 || t === 3 ? (String(t) as '1' | '2' | '3') : 'unknown');

export function groupTypes(data: readonly TypeCount[]): TypeRow[] {
  const rows = new Map<string, TypeRow>();
  for (const d of data) {
    const id = d.type_code ?? '\u0000none';
    const row = rows.get(id) ?? { code: d.type_code, text: d.type_text ?? d.type_code ?? '(no type)', n: 0, byTier: [] };
    row.n += d.n;
    const key = tierKey(d.tier);
    const seg = row.byTier.find(([k]) => k === key);
    if (seg) seg[1] += d.n;
    else row.byTier.push([key, d.n]);
    rows.set(id, row);
  }
  for (const r of rows.values()) r.byTier.sort((a, b) => a[0].localeCompare(b[0]));
  return [...rows.values()].sort((a, b) => b.n - a.n || String(a.code).localeCompare(String(b.code)));
}

function typeName(r: TypeRow): string {
  return r.code !== null && r.text !== r.code ? `${r.text} (${r.code})` : r.text;
}

export function toTable(data: readonly TypeCount[], title: string): TableSpec {
  const rows = groupTypes(data);
  const total = rows.reduce((s, r) => s + r.n, 0);
  const tiers = (['1', '2', '3', 'unknown'] as const).filter((k) => rows.some((r) => r.byTier.some(([t]) => t === k)));
  return {
    caption: `${title} (calls by type; total ${formatCount(total)})`,
    columns: [
      { key: 'type', label: 'Type' },
      ...tiers.map((t) => ({ key: `tier_${t}`, label: TIER_NAMES[t], numeric: true, format: (v: unknown) => formatCount(Number(v ?? 0)) })),
      { key: 'n', label: 'Calls', numeric: true, format: (v: unknown) => formatCount(Number(v)) },
    ],
    rows: rows.map((r) => ({ type: typeName(r), n: r.n, ...Object.fromEntries(r.byTier.map(([t, n]) => [`tier_${t}`, n])) })),
    footer: { type: 'Total', n: total, ...Object.fromEntries(tiers.map((t) => [`tier_${t}`, rows.reduce((s, r) => s + (r.byTier.find(([k]) => k === t)?.[1] ?? 0), 0)])) },
  };
}

export function create(el: HTMLElement, options: TypeBarsOptions): Chart<readonly TypeCount[]> & { setSelected(codes: (string | null)[]): void } {
  const width = options.width ?? 720;
  const maxBars = options.maxBars ?? 15;
  const svg = select(el).append('svg').attr('xmlns', 'http://www.w3.org/2000/svg').attr('font-family', TEXT.family).attr('font-size', TEXT.small);
  svg.append('title').text(options.title);
  const legend = svg.append('g').attr('aria-hidden', 'true');
  const list = svg.append('g').attr('role', 'listbox').attr('aria-multiselectable', 'true').attr('aria-label', options.title);
  let rows: TypeRow[] = [];
  let selected: (string | null)[] = [];
  let focus = 0;

  function render(): void {
    const shown = rows.slice(0, maxBars);
    const rest = rows.slice(maxBars);
    legend.selectAll('*').remove();
    list.selectAll('*').remove();
    const tiers = (['1', '2', '3', 'unknown'] as const).filter((k) => rows.some((r) => r.byTier.some(([t]) => t === k)));
    let lx = 0;
    let ly = 8;
    for (const t of tiers) {
      // No text measuring in a detached DOM: an average glyph width keeps the layout deterministic.
      const w = 28 + TIER_NAMES[t].length * 7.5;
      if (lx > 0 && lx + w > width) {
        lx = 0;
        ly += 22;
      }
      legend.append('rect').attr('x', lx).attr('y', ly).attr('width', 14).attr('height', 14).attr('fill', TIER_COLOURS[t]);
      legend.append('text').attr('x', lx + 20).attr('y', ly + 12).attr('fill', TEXT.colour).text(TIER_NAMES[t]);
      lx += w;
    }
    const top = ly + TOP - 8;
    const height = top + (shown.length + (rest.length > 0 ? 1 : 0)) * ROW + 8;
    svg.attr('viewBox', `0 0 ${width} ${height}`).attr('width', width).attr('height', height);
    const x = scaleLinear().domain([0, Math.max(1, rows[0]?.n ?? 0)]).range([0, width - LABEL - 80]);
    shown.forEach((r, i) => {
      const y = top + i * ROW;
      const isSel = selected.includes(r.code);
      const tierText = r.byTier.map(([t, n]) => `${TIER_NAMES[t]} ${formatCount(n)}`).join(', ');
      const g = list
        .append('g')
        .attr('role', 'option')
        .attr('data-i', i)
        .attr('tabindex', i === focus ? 0 : -1)
        .attr('aria-selected', String(isSel))
        .attr('aria-label', `${typeName(r)}: ${calls(r.n)}${tierText ? ` (${tierText})` : ''}`);
      g.append('rect').attr('x', 0).attr('y', y).attr('width', width).attr('height', ROW - 2).attr('fill', isSel ? '#e8eef5' : 'transparent');
      g.append('text').attr('x', LABEL - 10).attr('y', y + ROW / 2 + 4).attr('text-anchor', 'end').attr('fill', TEXT.colour).attr('font-weight', isSel ? 700 : 400).text(truncate(typeName(r), 30));
      let offset = LABEL;
      for (const [t, n] of r.byTier) {
        g.append('rect').attr('x', offset).attr('y', y + 4).attr('width', x(n)).attr('height', ROW - 10).attr('fill', TIER_COLOURS[t]).attr('stroke', isSel ? FOCUS_RING.colour : 'none');
        offset += x(n);
      }
      g.append('text').attr('x', offset + 6).attr('y', y + ROW / 2 + 4).attr('fill', TEXT.colour).text(formatCount(r.n));
    });
    if (rest.length > 0) {
      const n = rest.reduce((s, r) => s + r.n, 0);
      const y = top + shown.length * ROW;
      list.append('text').attr('x', LABEL - 10).attr('y', y + ROW / 2 + 4).attr('text-anchor', 'end').attr('fill', TEXT.colour).text(`${rest.length} other types`);
      list.append('text').attr('x', LABEL).attr('y', y + ROW / 2 + 4).attr('fill', TEXT.colour).text(formatCount(n));
    }
  }

  const toggle = (i: number) => {
    const r = rows[i];
    if (!r) return;
    selected = selected.includes(r.code) ? selected.filter((c) => c !== r.code) : [...selected, r.code];
    options.onSelect?.([...selected]);
  };
  const focusRow = () => (list.node()?.querySelector(`g[data-i="${focus}"]`) as SVGElement | null)?.focus();
  const node = svg.node()!;
  const click = (e: Event) => {
    const g = (e.target as Element | null)?.closest?.('g[role="option"]');
    if (!g) return;
    focus = Number(g.getAttribute('data-i'));
    toggle(focus);
    render();
    focusRow();
  };
  const key = (e: Event) => {
    const k = e as KeyboardEvent;
    const last = Math.min(rows.length, maxBars) - 1;
    if (last < 0) return;
    if (k.key === 'ArrowDown' || k.key === 'ArrowUp') focus = Math.max(0, Math.min(last, focus + (k.key === 'ArrowDown' ? 1 : -1)));
    else if (k.key === 'Home' || k.key === 'End') focus = k.key === 'Home' ? 0 : last;
    else if (k.key === 'Enter' || k.key === ' ') toggle(focus);
    else if (k.key === 'Escape') {
      selected = [];
      options.onSelect?.([]);
    } else return;
    k.preventDefault();
    render();
    focusRow();
  };
  node.addEventListener('click', click);
  node.addEventListener('keydown', key);
  render();

  return {
    update(data) {
      rows = groupTypes(data);
      focus = Math.min(focus, Math.max(0, Math.min(rows.length, maxBars) - 1));
      render();
    },
    /** Reflect a selection made elsewhere (URL, saved view) without calling onSelect. */
    setSelected(codes) {
      selected = [...codes];
      render();
    },
    destroy() {
      svg.remove();
    },
  };
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
