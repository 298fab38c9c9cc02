import { memo, useEffect, useRef } from 'react';
import { create as createHeatmap, type HeatmapBrush, type HourCount, hourInWindow, toTable } from '../../charts/hour-of-week-heatmap';
import { WEEKDAY_NAMES } from '../../state/clauses';
import { formatCount } from '../format';
import { ChartFrame } from './chart-frame';
import { TableView } from './table-view';

const HOURS = Array.from({ length: 24 }, (_, h) => h);
const SHORT = WEEKDAY_NAMES.map((d) => d.slice(0, 3));
const TITLE = 'Calls by weekday and hour';

interface Props {
  data: HourCount[];
  /** drawn from the heatmap's weekday and hour clauses (heatmapBrushOf) */
  brush: HeatmapBrush | null;
  onBrush: (b: HeatmapBrush | null) => void;
}

/**
 * The hour-of-week heatmap from src/charts (d3, keyboard-brushable grid), mounted once and fed
 * by React. The day starts at 06:00 so a night window (20:00–02:00) is one contiguous brush.
 */
export const HEATMAP_HOUR_OFFSET = 6;

const hh = (h: number) => `${String(h % 24).padStart(2, '0')}:00`;

export function describeBrush(b: HeatmapBrush): string {
  const d = [...b.days].sort((x, y) => x - y);
  const days = d.length === 7 ? 'every day' : d.length === 1 ? SHORT[d[0]!]! : `${SHORT[d[0]!]}–${SHORT[d[d.length - 1]!]}`;
  return `${days}, ${hh(b.startHour)}–${hh(b.endHour)}`;
}

// memo: a step that leaves this chart's data and brush as they were does not redraw it
export const HourOfWeekHeatmap = memo(function HourOfWeekHeatmap({ data, brush, onBrush }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof createHeatmap> | null>(null);
  const latest = useRef(onBrush);
  latest.current = onBrush;
  useEffect(() => {
    if (!host.current) return;
    chart.current = createHeatmap(host.current, {
      title: 'Calls by weekday and hour of day (day starts 06:00). Drag, or use Shift and the arrow keys, to filter.',
      cellSize: 16,
      hourOffset: HEATMAP_HOUR_OFFSET,
      onBrush: (b) => latest.current(b),
    });
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, []);
  useEffect(() => chart.current?.update(data), [data]);
  useEffect(() => chart.current?.setBrush(brush), [brush]);

  const brushed = brush ? data.filter((d) => brush.days.includes(d.dow) && hourInWindow(d.hour, brush.startHour, brush.endHour)).reduce((s, d) => s + d.n, 0) : null;
  const chartView = (
    <div>
      <div ref={host} className="heatmap" />
      <HourPicker brush={brush} onBrush={onBrush} />
    </div>
  );
  return (
    <ChartFrame
      title="Hour of week"
      testId="chart-hour-of-week"
      note={brushed !== null && brush ? <>{formatCount(brushed)} calls in {describeBrush(brush)}</> : 'Drag across cells (or Shift + arrow keys) to filter by hours and days.'}
      chart={chartView}
      table={() => <TableView spec={toTable(data, TITLE)} />}
    />
  );
});

/** Keyboard route to the same filter, and the plainest way to wrap past midnight (20:00–02:00). */
function HourPicker({ brush, onBrush }: { brush: HeatmapBrush | null; onBrush: (b: HeatmapBrush | null) => void }) {
  const days = brush ? [...brush.days].sort((a, b) => a - b) : [0, 1, 2, 3, 4, 5, 6];
  const first = days[0] ?? 0;
  const last = days[days.length - 1] ?? 6;
  const startHour = brush?.startHour ?? 0;
  const endHour = brush?.endHour ?? 24;
  const set = (patch: { first?: number; last?: number; startHour?: number; endHour?: number }) => {
    const f = patch.first ?? first;
    const l = patch.last ?? last;
    onBrush({ days: Array.from({ length: l - f + 1 }, (_, i) => f + i), startHour: patch.startHour ?? startHour, endHour: patch.endHour ?? endHour });
  };
  return (
    <div className="hour-picker">
      <label>
        Days{' '}
        <select value={first} onChange={(e) => set({ first: Math.min(Number(e.target.value), last) })} aria-label="First day">
          {SHORT.map((d, i) => (
            <option key={d} value={i}>
              {d}
            </option>
          ))}
        </select>
        –
        <select value={last} onChange={(e) => set({ last: Math.max(Number(e.target.value), first) })} aria-label="Last day">
          {SHORT.map((d, i) => (
            <option key={d} value={i}>
              {d}
            </option>
          ))}
        </select>
      </label>
      <label>
        Hours{' '}
        <select value={startHour % 24} onChange={(e) => set({ startHour: Number(e.target.value) })} aria-label="From hour">
          {HOURS.map((h) => (
            <option key={h} value={h}>
              {hh(h)}
            </option>
          ))}
        </select>
        –
        <select value={endHour % 24} onChange={(e) => set({ endHour: Number(e.target.value) || 24 })} aria-label="To hour">
          {HOURS.map((h) => (
            <option key={h} value={h}>
              {hh(h)}
            </option>
          ))}
        </select>
      </label>
      {brush ? null : <span className="muted">(no hour filter)</span>}
    </div>
  );
}
