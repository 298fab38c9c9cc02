import { useEffect, useRef } from 'react';
import { create as createHeatmap, type HeatmapBrush } from '../../charts/hour-of-week-heatmap';
import type { HourOfWeekCount } from '../../data/queries/dashboard';
import { cellInBrush, describeFilter, type HourOfWeekBrush, NO_FILTERS, WEEKDAY_SHORT } from '../../state/dashboard-filters';
import { formatCount } from '../format';
import { ChartFrame } from './chart-frame';

const HOURS = Array.from({ length: 24 }, (_, h) => h);
const DOWS = [0, 1, 2, 3, 4, 5, 6];


interface Props {
  data: HourOfWeekCount[];
  brush: HourOfWeekBrush | null;
  onBrush: (b: HourOfWeekBrush | null) => void;
}

/** The shared chart's brush (consecutive days, [startHour, endHour) on the clock) ⇄ the dashboard's. */
export function fromChartBrush(b: HeatmapBrush | null): HourOfWeekBrush | null {
  if (!b || b.days.length === 0) return null;
  return { dowFrom: Math.min(...b.days), dowTo: Math.max(...b.days), hourFrom: b.startHour % 24, hourTo: (b.endHour + 23) % 24 };
}

export function toChartBrush(b: HourOfWeekBrush | null): HeatmapBrush | null {
  if (!b) return null;
  return { days: DOWS.filter((d) => d >= b.dowFrom && d <= b.dowTo), startHour: b.hourFrom, endHour: b.hourTo + 1 };
}

/**
 * The hour-of-week heatmap from src/charts (d3, keyboard-brushable grid), mounted once and fed
 * by React. The day starts at 06:00 so a night window (20:00–02:00) is one contiguous brush.
 */
export const HEATMAP_HOUR_OFFSET = 6;

export function HourOfWeekHeatmap({ data, brush, onBrush }: Props) {
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
      onBrush: (b) => latest.current(fromChartBrush(b)),
    });
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, []);
  useEffect(() => chart.current?.update(data), [data]);
  useEffect(() => chart.current?.setBrush(toChartBrush(brush)), [brush]);

  const grid = new Map(data.map((d) => [d.dow * 24 + d.hour, d.n]));
  const brushed = brush ? data.filter((d) => cellInBrush(brush, d.dow, d.hour)).reduce((s, d) => s + d.n, 0) : null;
  const chartView = (
    <div>
      <div ref={host} className="heatmap" />
      <HourPicker brush={brush} onBrush={onBrush} />
    </div>
  );
  const table = (
    <table className="data-table heat-table">
      <caption className="visually-hidden">Calls by weekday (rows) and hour (columns)</caption>
      <thead>
        <tr>
          <th scope="col">Day</th>
          {HOURS.map((h) => (
            <th key={h} scope="col">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {DOWS.map((dow) => (
          <tr key={dow}>
            <th scope="row">{WEEKDAY_SHORT[dow]}</th>
            {HOURS.map((h) => (
              <td key={h} className="num">
                {grid.get(dow * 24 + h) ?? 0}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <ChartFrame
      title="Hour of week"
      testId="chart-hour-of-week"
      note={brushed !== null ? <>{formatCount(brushed)} calls in {describeFilter({ ...NO_FILTERS, hourOfWeek: brush }, 'hourOfWeek')}</> : 'Drag across cells (or Shift + arrow keys) to filter by hours and days.'}
      chart={chartView}
      table={table}
    />
  );
}

/** Keyboard route to the same filter, and the only way to wrap past midnight (20:00–02:00). */
function HourPicker({ brush, onBrush }: { brush: HourOfWeekBrush | null; onBrush: (b: HourOfWeekBrush | null) => void }) {
  const b = brush ?? { dowFrom: 0, dowTo: 6, hourFrom: 0, hourTo: 23 };
  const set = (patch: Partial<HourOfWeekBrush>) => onBrush({ ...b, ...patch });
  const hours = HOURS;
  return (
    <div className="hour-picker">
      <label>
        Days{' '}
        <select value={b.dowFrom} onChange={(e) => set({ dowFrom: Math.min(Number(e.target.value), b.dowTo) })} aria-label="First day">
          {WEEKDAY_SHORT.map((d, i) => (
            <option key={d} value={i}>
              {d}
            </option>
          ))}
        </select>
        –
        <select value={b.dowTo} onChange={(e) => set({ dowTo: Math.max(Number(e.target.value), b.dowFrom) })} aria-label="Last day">
          {WEEKDAY_SHORT.map((d, i) => (
            <option key={d} value={i}>
              {d}
            </option>
          ))}
        </select>
      </label>
      <label>
        Hours{' '}
        <select value={b.hourFrom} onChange={(e) => set({ hourFrom: Number(e.target.value) })} aria-label="From hour">
          {hours.map((h) => (
            <option key={h} value={h}>
              {String(h).padStart(2, '0')}:00
            </option>
          ))}
        </select>
        –
        <select value={(b.hourTo + 1) % 24} onChange={(e) => set({ hourTo: (Number(e.target.value) + 23) % 24 })} aria-label="To hour">
          {hours.map((h) => (
            <option key={h} value={h}>
              {String(h).padStart(2, '0')}:00
            </option>
          ))}
        </select>
      </label>
      {brush ? null : <span className="muted">(no hour filter)</span>}
    </div>
  );
}
