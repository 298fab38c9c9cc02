import { memo, useEffect, useRef } from 'react';
import { create as createSeries, type SeriesBrush, type SeriesPoint, toTable } from '../../charts/time-series';
import { formatCount } from '../format';
import { ChartFrame } from './chart-frame';
import { TableView } from './table-view';

const TITLE = 'Calls per day';

interface Props {
  data: SeriesPoint[];
  /** [start, end) as ISO days: the time clause when it holds whole days */
  dates: [string, string] | null;
  onBrush: (dates: [string, string] | null) => void;
}

/**
 * Calls per day from the shared d3 module (src/charts/time-series: columns, drag or
 * Shift+arrows to brush a half-open day range), with its table from src/charts/data-table.
 */
// memo: a step that leaves this chart's data and brush as they were does not redraw it
export const TimeSeries = memo(function TimeSeries({ data, dates, onBrush }: Props) {
  const total = data.reduce((s, d) => s + d.n, 0);
  return (
    <ChartFrame
      title={TITLE}
      testId="chart-time-series"
      note={`${formatCount(total)} calls over ${data.length} days. Drag, or use Shift and the arrow keys, to filter dates.`}
      chart={<SeriesChart points={data} start={dates?.[0] ?? null} end={dates?.[1] ?? null} onBrush={onBrush} />}
      table={() => <TableView spec={toTable(data, TITLE, 'day')} />}
    />
  );
});

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
