import { useEffect, useMemo, useRef } from 'react';
import { create as createTable } from '../../charts/data-table';
import { create as createSeries, type SeriesBrush, type SeriesPoint, toTable } from '../../charts/time-series';
import type { DayCount } from '../../data/queries/dashboard';
import { formatCount } from '../format';
import { ChartFrame } from './chart-frame';

const TITLE = 'Calls per day';

interface Props {
  data: DayCount[];
  /** [start, end) as ISO days, the range the time clause filters */
  dates: [string, string] | null;
  onBrush: (dates: [string, string] | null) => void;
}

/**
 * Calls per day from the shared d3 module (src/charts/time-series: columns, drag or
 * Shift+arrows to brush a half-open day range), with its table from src/charts/data-table.
 */
export function TimeSeries({ data, dates, onBrush }: Props) {
  const points = useMemo(() => data.map((d): SeriesPoint => ({ bucket: d.day, n: d.n })), [data]);
  const total = points.reduce((s, d) => s + d.n, 0);
  return (
    <ChartFrame
      title={TITLE}
      testId="chart-time-series"
      note={`${formatCount(total)} calls over ${points.length} days. Drag, or use Shift and the arrow keys, to filter dates.`}
      chart={<SeriesChart points={points} start={dates?.[0] ?? null} end={dates?.[1] ?? null} onBrush={onBrush} />}
      table={<SeriesTable points={points} />}
    />
  );
}

// Mounted on its own so the chart is rebuilt when the frame switches back from the table view.
function SeriesChart({ points, start, end, onBrush }: { points: SeriesPoint[]; start: string | null; end: string | null; onBrush: Props['onBrush'] }) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof createSeries> | null>(null);
  const latest = useRef(onBrush);
  latest.current = onBrush;
  useEffect(() => {
    if (!host.current) return;
    chart.current = createSeries(host.current, {
      title: `${TITLE}. Drag, or use Shift and the arrow keys, to filter dates.`,
      interval: 'day',
      width: 372,
      height: 150,
      onBrush: (b: SeriesBrush | null) => latest.current(b ? [b.start, b.end] : null),
    });
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.update(points);
    // The brush is drawn over the buckets, so it is re-applied whenever they change.
    chart.current?.setBrush(start && end ? { start, end } : null);
  }, [points, start, end]);
  return <div ref={host} className="timeseries" />;
}

function SeriesTable({ points }: { points: SeriesPoint[] }) {
  const host = useRef<HTMLDivElement>(null);
  const table = useRef<ReturnType<typeof createTable> | null>(null);
  useEffect(() => {
    if (!host.current) return;
    table.current = createTable(host.current, { className: 'data-table' });
    return () => {
      table.current?.destroy();
      table.current = null;
    };
  }, []);
  useEffect(() => table.current?.update(toTable(points, TITLE, 'day')), [points]);
  return <div ref={host} />;
}
