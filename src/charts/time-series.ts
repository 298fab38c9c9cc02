import { max as d3max, scaleBand, scaleLinear, select, ticks } from 'd3';
import { type Chart, FOCUS_RING, SVG_NS, TEXT } from './chart';
import type { TableSpec } from './data-table';
import { addDays, calls, dateLabel, formatCount } from './format';
import { BAR } from './palette';
import { childrenByIndex, patchAttrs } from './patch';

/**
 * Daily or weekly counts as columns (one focusable column per bucket). A brush is a run of
 * buckets, reported as a half-open date range [start, end) ready for a time clause.
 * Keyboard: ←/→ move, Shift+←/→ extend the range, Enter/Space picks one bucket, Escape clears.
 */
export interface SeriesPoint {
  /** First day of the bucket, 'YYYY-MM-DD'. */
  bucket: string;
  n: number;
}

export interface SeriesBrush {
  start: string;
  /** Exclusive: the day after the last bucket's end. */
  end: string;
}

export interface TimeSeriesOptions {
  title: string;
  interval?: 'day' | 'week';
  width?: number;
  height?: number;
  onBrush?: (range: SeriesBrush | null) => void;
  onSelect?: (bucket: string) => void;
}

const M = { top: 16, right: 12, bottom: 40, left: 64 };

export function toTable(data: readonly SeriesPoint[], title: string, interval: 'day' | 'week' = 'day'): TableSpec {
  const total = data.reduce((s, d) => s + d.n, 0);
  return {
    caption: `${title} (calls per ${interval}; total ${formatCount(total)})`,
    columns: [
      { key: 'bucket', label: interval === 'week' ? 'Week starting' : 'Day', format: (v) => dateLabel(String(v)) },
      { key: 'n', label: 'Calls', numeric: true, format: (v) => formatCount(Number(v)) },
    ],
    rows: data.map((d) => ({ bucket: d.bucket, n: d.n })),
    footer: { bucket: 'Total', n: total },
  };
}

export function create(el: HTMLElement, options: TimeSeriesOptions): Chart<readonly SeriesPoint[]> & { setBrush(b: SeriesBrush | null): void } {
  const interval = options.interval ?? 'day';
  const width = options.width ?? 720;
  const height = options.height ?? 240;
  const svg = select(el)
    .append('svg')
    .attr('xmlns', 'http://www.w3.org/2000/svg')
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('width', width)
    .attr('height', height)
    .attr('font-family', TEXT.family)
    .attr('font-size', TEXT.small);
  svg.append('title').text(options.title);
  const axes = svg.append('g').attr('aria-hidden', 'true');
  const bars = svg.append('g').attr('role', 'listbox').attr('aria-multiselectable', 'true').attr('aria-label', options.title);

  let data: readonly SeriesPoint[] = [];
  let focus = 0;
  let range: [number, number] | null = null;
  let anchor: number | null = null;
  let dragging = false;
  const step = interval === 'week' ? 7 : 1;

  const emit = () => {
    if (!range || data.length === 0) return options.onBrush?.(null);
    const [a, b] = range;
    options.onBrush?.({ start: data[a]!.bucket, end: addDays(data[b]!.bucket, step) });
  };

  // What depends on the data alone (scales, axes, labels) is redone only when the data
  // changes; a brush drag or a focus move patches the bars' selection attributes only.
  let drawn: readonly SeriesPoint[] | null = null;
  let x = scaleBand<number>();
  let y = scaleLinear();
  let labels: string[] = [];

  function layout(): void {
    drawn = data;
    axes.selectAll('*').remove();
    x = scaleBand<number>().domain(data.map((_, i) => i)).range([M.left, width - M.right]).paddingInner(data.length > 60 ? 0.1 : 0.2);
    const top = d3max(data, (d) => d.n) ?? 0;
    y = scaleLinear().domain([0, Math.max(1, top)]).nice(4).range([height - M.bottom, M.top]);
    for (const t of ticks(0, y.domain()[1]!, 4).filter(Number.isInteger)) {
      axes.append('line').attr('x1', M.left).attr('x2', width - M.right).attr('y1', y(t)).attr('y2', y(t)).attr('stroke', '#d0d4da');
      axes.append('text').attr('x', M.left - 8).attr('y', y(t) + 5).attr('text-anchor', 'end').attr('fill', TEXT.colour).text(formatCount(t));
    }
    labels = data.map((d) => dateLabel(d.bucket));
    // First, middle and last bucket labelled: enough to read the span on a projector without overlap.
    // A narrow panel cannot fit three full dates; then the ends alone say the span.
    let longest = 0;
    for (const l of labels) longest = Math.max(longest, l.length);
    const labelPx = 0.62 * TEXT.small * longest;
    const fitsThree = width - M.left - M.right >= 3 * labelPx + 32;
    const ends = fitsThree ? [0, Math.floor((data.length - 1) / 2), data.length - 1] : [0, data.length - 1];
    const labelled = [...new Set(ends)].filter((i) => i >= 0 && i < data.length);
    for (const i of labelled) {
      const anchorPos = i === 0 ? 'start' : i === data.length - 1 ? 'end' : 'middle';
      const xPos = i === 0 ? x(i)! : i === data.length - 1 ? x(i)! + x.bandwidth() : x(i)! + x.bandwidth() / 2;
      axes.append('text').attr('x', xPos).attr('y', height - M.bottom + 22).attr('text-anchor', anchorPos).attr('fill', TEXT.colour).text(labels[i]!);
    }
  }

  function render(): void {
    if (drawn !== data) layout();
    const barNode = bars.node()!;
    const rects = childrenByIndex(barNode, data.length, () => {
      const r = barNode.ownerDocument.createElementNS(SVG_NS, 'rect');
      r.setAttribute('role', 'option');
      return r;
    });
    const w = Math.max(1, x.bandwidth());
    const y0 = y(0);
    const prefix = interval === 'week' ? 'Week of ' : '';
    for (let i = 0; i < data.length; i++) {
      const n = data[i]!.n;
      const selected = range !== null && i >= range[0] && i <= range[1];
      const yn = y(n);
      patchAttrs(rects[i]!, {
        'data-i': i,
        tabindex: i === focus ? 0 : -1,
        'aria-selected': String(selected),
        'aria-label': `${prefix}${labels[i]}: ${calls(n)}`,
        x: x(i)!,
        y: yn,
        width: w,
        height: Math.max(0, y0 - yn),
        fill: range === null || selected ? BAR : '#a9c8e0',
        stroke: selected ? FOCUS_RING.colour : 'none',
      });
    }
  }

  const indexOf = (t: EventTarget | null) => {
    const v = (t as Element | null)?.getAttribute?.('data-i');
    return v === null || v === undefined ? null : Number(v);
  };
  const focusBar = () => (bars.node()?.querySelector(`rect[data-i="${focus}"]`) as SVGElement | null)?.focus();
  const node = svg.node()!;
  const down = (e: Event) => {
    const i = indexOf(e.target);
    if (i === null) return;
    dragging = true;
    anchor = i;
    focus = i;
    range = [i, i];
    render();
  };
  const move = (e: Event) => {
    const i = dragging ? indexOf(e.target) : null;
    if (i === null || anchor === null) return;
    range = [Math.min(anchor, i), Math.max(anchor, i)];
    focus = i;
    render();
  };
  const up = () => {
    if (!dragging) return;
    dragging = false;
    emit();
    focusBar();
  };
  const key = (e: Event) => {
    const k = e as KeyboardEvent;
    if (data.length === 0) return;
    if (k.key === 'ArrowLeft' || k.key === 'ArrowRight' || k.key === 'Home' || k.key === 'End') {
      k.preventDefault();
      const next = k.key === 'Home' ? 0 : k.key === 'End' ? data.length - 1 : focus + (k.key === 'ArrowLeft' ? -1 : 1);
      if (k.shiftKey && anchor === null) anchor = focus;
      focus = Math.max(0, Math.min(data.length - 1, next));
      if (k.shiftKey && anchor !== null) {
        range = [Math.min(anchor, focus), Math.max(anchor, focus)];
        emit();
      } else if (!k.shiftKey) anchor = null;
    } else if (k.key === 'Enter' || k.key === ' ') {
      k.preventDefault();
      anchor = focus;
      range = [focus, focus];
      options.onSelect?.(data[focus]!.bucket);
      emit();
    } else if (k.key === 'Escape') {
      anchor = null;
      range = null;
      emit();
    } else return;
    render();
    focusBar();
  };
  node.addEventListener('pointerdown', down);
  node.addEventListener('pointermove', move);
  node.ownerDocument.addEventListener('pointerup', up);
  node.addEventListener('keydown', key);
  render();

  return {
    update(next) {
      data = next;
      focus = Math.min(focus, Math.max(0, data.length - 1));
      render();
    },
    setBrush(b) {
      let next: [number, number] | null = null;
      if (b) {
        let first = -1;
        let last = -1;
        data.forEach((d, i) => {
          if (d.bucket >= b.start && d.bucket < b.end) {
            if (first < 0) first = i;
            last = i;
          }
        });
        next = first >= 0 ? [first, last] : null;
      }
      // update() has just drawn this brush when it did not move: no second pass over the bars
      if (next?.[0] === range?.[0] && next?.[1] === range?.[1]) return;
      range = next;
      render();
    },
    destroy() {
      node.ownerDocument.removeEventListener('pointerup', up);
      svg.remove();
    },
  };
}
