import { scaleLinear, select } from 'd3';
import { type Chart, FOCUS_RING, TEXT } from './chart';
import type { TableSpec } from './data-table';
import { calls, formatCount } from './format';
import { TIER_COLOURS, TIER_NAMES } from './palette';

/**
 * Horizontal bars of calls per final type, largest first, each bar split by tier (Okabe–Ito
 * colours plus a legend, and the tier named in every label, so colour is never the only cue).
 * Click, Enter or Space toggles a type; `onSelect` gets the selected codes (null = no type).
 * Grouped by tier, each tier heading is a toggle button too: `onSelectTier` gets the tier
 * (null = none), for a filter on the calls' own tier rather than on a list of types.
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
  /**
   * Group the bars under one heading per tier (the tier most of a type's calls get), so the
   * rapid-response types read apart from the minor ones. Only when some tier is known.
   */
  groupByTier?: boolean;
  onSelect?: (codes: (string | null)[]) => void;
  /** A tier heading was clicked (or Enter/Space on it): that tier, or null when it was already on. */
  onSelectTier?: (tier: TierKey | null) => void;
}

/** '1' to '3', or 'unknown' for calls the tier map does not place. */
export type TierKey = keyof typeof TIER_COLOURS;

interface TypeRow {
  code: string | null;
  text: string;
  n: number;
  byTier: [key: keyof typeof TIER_COLOURS, n: number][];
}

const ROW = 30;
let charts = 0;
const MAX_LABEL = 260;
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

const TIER_ORDER = ['1', '2', '3', 'unknown'] as const;

/** The tier that most of the type's calls get (ties: the higher tier, the safer reading). */
export function dominantTier(r: Pick<TypeRow, 'byTier'>): keyof typeof TIER_COLOURS {
  let best: [keyof typeof TIER_COLOURS, number] = ['unknown', -1];
  for (const [t, n] of r.byTier) if (n > best[1] || (n === best[1] && t !== 'unknown' && (best[0] === 'unknown' || t > best[0]))) best = [t, n];
  return best[0];
}

type Line = { kind: 'group'; tier: keyof typeof TIER_COLOURS; n: number; types: number; tierCalls: number } | { kind: 'bar'; row: TypeRow } | { kind: 'rest'; types: number; n: number };

/** What is drawn, top to bottom: bars (at most maxBars, or per tier when grouped) and "n other types" lines. */
export function layoutLines(rows: readonly TypeRow[], maxBars: number, groupByTier: boolean): Line[] {
  const grouped = groupByTier && rows.some((r) => r.byTier.some(([t]) => t !== 'unknown'));
  const rest = (list: readonly TypeRow[]): Line[] => (list.length > 0 ? [{ kind: 'rest', types: list.length, n: list.reduce((s, r) => s + r.n, 0) }] : []);
  if (!grouped) return [...rows.slice(0, maxBars).map((row): Line => ({ kind: 'bar', row })), ...rest(rows.slice(maxBars))];
  const out: Line[] = [];
  for (const tier of TIER_ORDER) {
    const members = rows.filter((r) => dominantTier(r) === tier);
    if (members.length === 0) continue;
    // A heading groups types by the tier most of their calls get; its filter takes the calls
    // of that tier from every type, so it states that count too.
    const tierCalls = rows.reduce((s, r) => s + (r.byTier.find(([t]) => t === tier)?.[1] ?? 0), 0);
    out.push({ kind: 'group', tier, n: members.reduce((s, r) => s + r.n, 0), types: members.length, tierCalls });
    const per = Math.max(3, Math.ceil(maxBars / 2));
    out.push(...members.slice(0, per).map((row): Line => ({ kind: 'bar', row })), ...rest(members.slice(per)));
  }
  return out;
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

export function create(
  el: HTMLElement,
  options: TypeBarsOptions,
): Chart<readonly TypeCount[]> & { setSelected(codes: (string | null)[]): void; setSelectedTier(tier: TierKey | null): void } {
  const width = options.width ?? 720;
  const maxBars = options.maxBars ?? 15;
  // A side panel is ~380 px: the labels give up width before the bars do.
  const LABEL = Math.min(MAX_LABEL, Math.round(width * 0.5));
  // Long names are clipped, not cut with "…": the visible text must stay part of the option's
  // accessible name (WCAG 2.5.3 Label in Name), and the table view shows every name in full.
  const clipId = `callsight-type-labels-${++charts}`;
  const svg = select(el).append('svg').attr('xmlns', 'http://www.w3.org/2000/svg').attr('font-family', TEXT.family).attr('font-size', TEXT.small);
  svg.append('title').text(options.title);
  svg.append('defs').append('clipPath').attr('id', clipId).append('rect').attr('x', 0).attr('y', 0).attr('width', LABEL - 10).attr('height', 100_000);
  const legend = svg.append('g').attr('aria-hidden', 'true');
  // Tier headings sit outside the listbox (a listbox holds options only); in DOM order they
  // come first, so Tab visits the headings, then the list.
  const headings = svg.append('g');
  const list = svg.append('g').attr('role', 'listbox').attr('aria-multiselectable', 'true').attr('aria-label', options.title);
  let rows: TypeRow[] = [];
  /** the rows drawn as bars, in screen order: data-i indexes this */
  let visible: TypeRow[] = [];
  let selected: (string | null)[] = [];
  let selectedTier: TierKey | null = null;
  let focus = 0;

  function render(): void {
    const lines = layoutLines(rows, maxBars, options.groupByTier ?? false);
    visible = lines.flatMap((l) => (l.kind === 'bar' ? [l.row] : []));
    legend.selectAll('*').remove();
    headings.selectAll('*').remove();
    list.selectAll('*').remove();
    const tiers = TIER_ORDER.filter((k) => rows.some((r) => r.byTier.some(([t]) => t === k)));
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
    const height = top + lines.length * ROW + 8;
    svg.attr('viewBox', `0 0 ${width} ${height}`).attr('width', width).attr('height', height);
    const x = scaleLinear().domain([0, Math.max(1, rows[0]?.n ?? 0)]).range([0, width - LABEL - 80]);
    let i = 0;
    lines.forEach((line, k) => {
      const y = top + k * ROW;
      if (line.kind === 'group') {
        const text = `${TIER_NAMES[line.tier]}: ${calls(line.n)}, ${line.types} type${line.types === 1 ? '' : 's'}`;
        const on = selectedTier === line.tier;
        const head = headings.append('g').attr('class', 'type-bars__tier').attr('data-tier', line.tier);
        if (options.onSelectTier) {
          const action = `${on ? 'Showing only' : 'Show only'} ${TIER_NAMES[line.tier]} calls, ${calls(line.tierCalls)} of any type`;
          // The visible text starts the name (WCAG 2.5.3); the rest says what pressing does.
          head.attr('role', 'button').attr('tabindex', 0).attr('aria-pressed', String(on)).attr('aria-label', `${text}. ${action}`).attr('cursor', 'pointer');
          head.append('title').text(action);
          head.append('rect').attr('x', 0).attr('y', y + 2).attr('width', width).attr('height', ROW - 4).attr('rx', 3).attr('fill', on ? '#e8eef5' : 'transparent').attr('stroke', on ? FOCUS_RING.colour : 'none');
        }
        head.append('text').attr('class', 'type-bars__group').attr('x', 4).attr('y', y + ROW / 2 + 6).attr('fill', TEXT.colour).attr('font-weight', 700).text(`${text}${on ? ' ✓' : ''}`);
        return;
      }
      if (line.kind === 'rest') {
        list.append('text').attr('x', LABEL - 10).attr('y', y + ROW / 2 + 4).attr('text-anchor', 'end').attr('fill', TEXT.colour).text(`${line.types} other types`);
        list.append('text').attr('x', LABEL).attr('y', y + ROW / 2 + 4).attr('fill', TEXT.colour).text(formatCount(line.n));
        return;
      }
      const r = line.row;
      const isSel = selected.includes(r.code);
      const tierText = r.byTier.map(([t, n]) => `${TIER_NAMES[t]} ${formatCount(n)}`).join(', ');
      const g = list
        .append('g')
        .attr('role', 'option')
        .attr('data-i', i)
        .attr('data-code', r.code ?? '')
        .attr('tabindex', i === focus ? 0 : -1)
        .attr('aria-selected', String(isSel))
        .attr('aria-label', `${typeName(r)}: ${calls(r.n)}${tierText ? ` (${tierText})` : ''}`);
      i++;
      g.append('rect').attr('x', 0).attr('y', y).attr('width', width).attr('height', ROW - 2).attr('fill', isSel ? '#e8eef5' : 'transparent');
      g.append('text').attr('class', 'type-bars__label').attr('x', 0).attr('y', y + ROW / 2 + 4).attr('clip-path', `url(#${clipId})`).attr('fill', TEXT.colour).attr('font-weight', isSel ? 700 : 400).text(typeName(r));
      let offset = LABEL;
      for (const [t, n] of r.byTier) {
        g.append('rect').attr('x', offset).attr('y', y + 4).attr('width', x(n)).attr('height', ROW - 10).attr('fill', TIER_COLOURS[t]).attr('stroke', isSel ? FOCUS_RING.colour : 'none');
        offset += x(n);
      }
      g.append('text').attr('class', 'type-bars__n').attr('x', offset + 6).attr('y', y + ROW / 2 + 4).attr('fill', TEXT.colour).text(formatCount(r.n));
    });
  }

  const toggle = (i: number) => {
    const r = visible[i];
    if (!r) return;
    selected = selected.includes(r.code) ? selected.filter((c) => c !== r.code) : [...selected, r.code];
    options.onSelect?.([...selected]);
  };
  const focusRow = () => (list.node()?.querySelector(`g[data-i="${focus}"]`) as SVGElement | null)?.focus();
  const node = svg.node()!;
  const headingOf = (e: Event) => (options.onSelectTier ? ((e.target as Element | null)?.closest?.('g[data-tier]') ?? null) : null);
  const toggleTier = (head: Element) => {
    const tier = head.getAttribute('data-tier') as TierKey;
    selectedTier = selectedTier === tier ? null : tier;
    options.onSelectTier?.(selectedTier);
    render();
    (headings.node()?.querySelector(`g[data-tier="${tier}"]`) as SVGElement | null)?.focus();
  };
  const click = (e: Event) => {
    const head = headingOf(e);
    if (head) return toggleTier(head);
    const g = (e.target as Element | null)?.closest?.('g[role="option"]');
    if (!g) return;
    focus = Number(g.getAttribute('data-i'));
    toggle(focus);
    render();
    focusRow();
  };
  const key = (e: Event) => {
    const k = e as KeyboardEvent;
    const head = headingOf(e);
    if (head) {
      // a heading is a button: Enter and Space press it; the list's arrow keys do not apply
      if (k.key !== 'Enter' && k.key !== ' ') return;
      k.preventDefault();
      return toggleTier(head);
    }
    const last = visible.length - 1;
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
      // the focus is clamped to the bars the new data draws before drawing once (a redraw per step, not two)
      const bars = layoutLines(rows, maxBars, options.groupByTier ?? false).filter((l) => l.kind === 'bar').length;
      focus = Math.min(focus, Math.max(0, bars - 1));
      render();
    },
    /** Reflect a selection made elsewhere (URL, saved view) without calling onSelect. */
    setSelected(codes) {
      // the panel re-applies the selection after every update: unchanged, it is already drawn
      if (codes.length === selected.length && codes.every((c, i) => c === selected[i])) return;
      selected = [...codes];
      render();
    },
    /** Reflect a tier filter made elsewhere (URL, saved view, chip removed) without calling onSelectTier. */
    setSelectedTier(tier) {
      if (tier === selectedTier) return;
      selectedTier = tier;
      render();
    },
    destroy() {
      svg.remove();
    },
  };
}
