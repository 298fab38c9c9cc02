import { select } from 'd3';
import { type Chart, FOCUS_RING, TEXT } from './chart';
import type { TableSpec } from './data-table';
import { calls, formatCount, hourLabel, WEEKDAYS, WEEKDAYS_SHORT } from './format';
import { type SequentialName, sequential, textOn } from './palette';
import { patchAttrs } from './patch';

/**
 * 7 × 24 hour-of-week heatmap (rows Monday…Sunday, as `calls.dow`). A brush is a block of
 * consecutive days × consecutive hours; `hourOffset` rotates the columns (e.g. 6 starts the
 * day at 06:00) so a night window like 20:00–02:00 is one contiguous drag. Keyboard: arrows
 * move, Shift+arrows grow the brush (wrapping past midnight), Enter/Space picks one cell,
 * Escape clears.
 */
export interface HourCount {
  dow: number;
  hour: number;
  n: number;
}

export interface HeatmapBrush {
  /** Consecutive weekdays, 0 = Monday. */
  days: number[];
  startHour: number;
  /** Exclusive, 1–24; ≤ startHour means the window crosses midnight. */
  endHour: number;
}

export interface HeatmapOptions {
  title: string;
  hourOffset?: number;
  palette?: SequentialName;
  cellSize?: number;
  onBrush?: (brush: HeatmapBrush | null) => void;
  onSelect?: (cell: { dow: number; hour: number }) => void;
}

interface Pos {
  row: number;
  col: number;
}

const LEFT = 52;
const TOP = 30;

export function brushFrom(a: Pos, b: Pos, hourOffset: number): HeatmapBrush {
  const [r0, r1] = [Math.min(a.row, b.row), Math.max(a.row, b.row)];
  const [c0, c1] = [Math.min(a.col, b.col), Math.max(a.col, b.col)];
  const days = Array.from({ length: r1 - r0 + 1 }, (_, i) => r0 + i);
  return { days, startHour: (hourOffset + c0) % 24, endHour: ((hourOffset + c1) % 24) + 1 };
}

/** Hour h in [start, end) on the clock, wrapping past midnight; equal ends mean the whole day. */
export function hourInWindow(h: number, startHour: number, endHour: number): boolean {
  const length = (endHour - startHour + 24) % 24 || 24;
  return (h - startHour + 24) % 24 < length;
}

export function toTable(data: readonly HourCount[], title: string): TableSpec {
  const grid = countGrid(data);
  const rows = WEEKDAYS.map((day, d) => ({ day, ...Object.fromEntries(grid[d]!.map((n, h) => [`h${h}`, n])), total: grid[d]!.reduce((s, n) => s + n, 0) }));
  const total = rows.reduce((s, r) => s + r.total, 0);
  return {
    caption: `${title} (calls by weekday and hour; total ${formatCount(total)})`,
    columns: [
      { key: 'day', label: 'Day' },
      ...Array.from({ length: 24 }, (_, h) => ({ key: `h${h}`, label: hourLabel(h), numeric: true, format: (v: unknown) => formatCount(Number(v)) })),
      { key: 'total', label: 'Total', numeric: true, format: (v: unknown) => formatCount(Number(v)) },
    ],
    rows,
  };
}

function countGrid(data: readonly HourCount[]): number[][] {
  const grid = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  for (const d of data) if (d.dow >= 0 && d.dow < 7 && d.hour >= 0 && d.hour < 24) grid[d.dow]![d.hour]! += d.n;
  return grid;
}

export function create(el: HTMLElement, options: HeatmapOptions): Chart<readonly HourCount[]> & { setBrush(b: HeatmapBrush | null): void } {
  const offset = ((options.hourOffset ?? 0) % 24 + 24) % 24;
  const size = options.cellSize ?? 28;
  const width = LEFT + 24 * size + 8;
  const height = TOP + 7 * size + 8;
  const svg = select(el)
    .append('svg')
    .attr('xmlns', 'http://www.w3.org/2000/svg')
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('width', width)
    .attr('height', height)
    .attr('role', 'grid')
    .attr('aria-label', options.title)
    .attr('font-family', TEXT.family)
    .attr('font-size', TEXT.small);
  svg.append('title').text(options.title);
  const hourOfCol = (col: number) => (offset + col) % 24;
  const header = svg.append('g').attr('role', 'row').attr('aria-hidden', 'true');
  for (let col = 0; col < 24; col += 3) {
    header.append('text').attr('x', LEFT + col * size).attr('y', TOP - 10).attr('fill', TEXT.colour).text(hourLabel(hourOfCol(col)));
  }
  const body = svg.append('g');

  let grid = countGrid([]);
  let focus: Pos = { row: 0, col: 0 };
  let anchor: Pos | null = null;
  let brush: HeatmapBrush | null = null;
  let dragging = false;

  const inBrush = (row: number, hour: number) => brush !== null && brush.days.includes(row) && hourInWindow(hour, brush.startHour, brush.endHour);

  // The 7 row groups and 168 cells are made once; a redraw patches the attributes that
  // changed (a step's new counts, a brush drag's selection), never re-creating the grid.
  const cells: SVGRectElement[][] = [];
  for (let row = 0; row < 7; row++) {
    const g = body.append('g').attr('role', 'row');
    g.append('text')
      .attr('role', 'rowheader')
      .attr('x', LEFT - 8)
      .attr('y', TOP + row * size + size / 2 + 5)
      .attr('text-anchor', 'end')
      .attr('fill', TEXT.colour)
      .text(WEEKDAYS_SHORT[row]!);
    const line: SVGRectElement[] = [];
    for (let col = 0; col < 24; col++) {
      line.push(
        g
          .append('rect')
          .attr('role', 'gridcell')
          .attr('data-row', row)
          .attr('data-col', col)
          .node()!,
      );
    }
    cells.push(line);
  }
  // only a grid big enough to print counts gets their layer
  const counts = size >= 36 ? body.append('g').attr('pointer-events', 'none') : null;

  function render(): void {
    let max = 0;
    for (const line of grid) for (const n of line) if (n > max) max = n;
    const fill = sequential(max, options.palette);
    for (let row = 0; row < 7; row++) {
      for (let col = 0; col < 24; col++) {
        const hour = hourOfCol(col);
        const n = grid[row]![hour]!;
        const selected = inBrush(row, hour);
        const focused = focus.row === row && focus.col === col;
        patchAttrs(cells[row]![col]!, {
          tabindex: focused ? 0 : -1,
          'aria-selected': String(selected),
          'aria-label': `${WEEKDAYS[row]} ${hourLabel(hour)}–${hourLabel(hour + 1)}: ${calls(n)}`,
          // fixed geometry, written once (patchAttrs skips it after): kept in this order so
          // the markup reads as before
          x: LEFT + col * size,
          y: TOP + row * size,
          width: size - 1,
          height: size - 1,
          fill: fill(n),
          stroke: selected ? FOCUS_RING.colour : 'none',
          'stroke-width': selected ? 2 : 0,
        });
      }
    }
    // Counts printed only where they fit, in the contrasting ink; the table has all of them.
    if (counts) {
      counts.selectAll('*').remove();
      for (let row = 0; row < 7; row++) {
        for (let col = 0; col < 24; col++) {
          const n = grid[row]![hourOfCol(col)]!;
          if (n > 0) {
            counts.append('text').attr('x', LEFT + col * size + size / 2).attr('y', TOP + row * size + size / 2 + 4).attr('text-anchor', 'middle').attr('fill', textOn(fill(n))).text(formatCount(n));
          }
        }
      }
    }
  }

  const cellAt = (target: EventTarget | null): Pos | null => {
    const t = target as Element | null;
    if (!t || t.getAttribute?.('role') !== 'gridcell') return null;
    return { row: Number(t.getAttribute('data-row')), col: Number(t.getAttribute('data-col')) };
  };
  const focusCell = () => (body.node()?.querySelector(`rect[data-row="${focus.row}"][data-col="${focus.col}"]`) as SVGElement | null)?.focus();
  const emit = () => options.onBrush?.(brush ? { ...brush, days: [...brush.days] } : null);
  /** Shift+arrows grow the brush one step: right/left move the end/start hour (wrapping), up/down add a day. */
  const grow = (key: string) => {
    const b = brush ?? { days: [focus.row], startHour: hourOfCol(focus.col), endHour: hourOfCol(focus.col) + 1 };
    const length = (b.endHour - b.startHour + 24) % 24 || 24;
    if (key === 'ArrowRight' && length < 24) b.endHour = (b.endHour % 24) + 1;
    if (key === 'ArrowLeft' && length < 24) b.startHour = (b.startHour + 23) % 24;
    if (key === 'ArrowDown') b.days = [...new Set([...b.days, Math.min(6, Math.max(...b.days) + 1)])];
    if (key === 'ArrowUp') b.days = [...new Set([Math.max(0, Math.min(...b.days) - 1), ...b.days])].sort((x, y) => x - y);
    brush = b;
  };

  const node = svg.node()!;
  const onPointerDown = (e: Event) => {
    const p = cellAt(e.target);
    if (!p) return;
    dragging = true;
    anchor = p;
    focus = p;
    brush = brushFrom(p, p, offset);
    render();
  };
  const onPointerMove = (e: Event) => {
    const p = dragging ? cellAt(e.target) : null;
    if (!p || !anchor) return;
    brush = brushFrom(anchor, p, offset);
    focus = p;
    render();
  };
  const onPointerUp = () => {
    if (!dragging) return;
    dragging = false;
    emit();
    focusCell();
  };
  const onKey = (e: Event) => {
    const k = e as KeyboardEvent;
    const moves: Record<string, [number, number]> = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
    const move = moves[k.key];
    if (move) {
      k.preventDefault();
      if (k.shiftKey) {
        grow(k.key);
        emit();
      }
      focus = { row: Math.max(0, Math.min(6, focus.row + move[0])), col: (focus.col + move[1] + 24) % 24 };
      render();
      focusCell();
    } else if (k.key === 'Enter' || k.key === ' ') {
      k.preventDefault();
      brush = brushFrom(focus, focus, offset);
      options.onSelect?.({ dow: focus.row, hour: hourOfCol(focus.col) });
      emit();
      render();
      focusCell();
    } else if (k.key === 'Escape') {
      brush = null;
      emit();
      render();
      focusCell();
    }
  };
  node.addEventListener('pointerdown', onPointerDown);
  node.addEventListener('pointermove', onPointerMove);
  node.ownerDocument.addEventListener('pointerup', onPointerUp);
  node.addEventListener('keydown', onKey);
  render();

  return {
    update(data) {
      grid = countGrid(data);
      render();
    },
    /** Show a brush that came from elsewhere (URL, saved view) without calling onBrush. */
    setBrush(b) {
      const next = b && b.days.length > 0 ? { days: [...b.days].sort((x, y) => x - y), startHour: b.startHour, endHour: b.endHour } : null;
      if (JSON.stringify(next) === JSON.stringify(brush)) return;
      brush = next;
      render();
    },
    destroy() {
      node.ownerDocument.removeEventListener('pointerup', onPointerUp);
      svg.remove();
    },
  };
}
