import { useRef, useState } from 'react';
import type { DayCount } from '../../data/queries/dashboard';
import { nextDay } from '../../state/dashboard-filters';
import { formatCount } from '../format';
import { ChartFrame } from './chart-frame';

const W = 372;
const H = 96;
const PAD_L = 34;
const PAD_B = 16;

interface Props {
  data: DayCount[];
  dates: [string, string] | null;
  onBrush: (dates: [string, string] | null) => void;
}

/** Calls per day; drag across to filter a date range (half-open, whole days). */
export function TimeSeries({ data, dates, onBrush }: Props) {
  const max = Math.max(1, ...data.map((d) => d.n));
  const bw = data.length ? (W - PAD_L) / data.length : 0;
  const start = useRef<number | null>(null);
  const [draft, setDraft] = useState<[number, number] | null>(null);
  const indexAt = (clientX: number, svg: SVGSVGElement) => {
    const x = clientX - svg.getBoundingClientRect().left - PAD_L;
    return Math.max(0, Math.min(data.length - 1, Math.floor(x / (bw || 1))));
  };
  const commit = () => {
    if (draft && data.length) onBrush([data[draft[0]]!.day, nextDay(data[draft[1]]!.day)]);
    start.current = null;
    setDraft(null);
  };
  const selected = (i: number) => {
    if (draft) return i >= draft[0] && i <= draft[1];
    return dates ? data[i]!.day >= dates[0] && data[i]!.day < dates[1] : false;
  };
  const active = draft !== null || dates !== null;
  const first = data[0]?.day;
  const last = data[data.length - 1]?.day;
  const chart = (
    <svg
      width={W}
      height={H}
      role="img"
      aria-label={`Calls per day from ${first ?? '–'} to ${last ?? '–'}, busiest day ${formatCount(max)} calls. Drag to filter dates.`}
      className="timeseries"
      onPointerDown={(e) => {
        const i = indexAt(e.clientX, e.currentTarget);
        start.current = i;
        setDraft([i, i]);
      }}
      onPointerMove={(e) => {
        if (start.current === null) return;
        const i = indexAt(e.clientX, e.currentTarget);
        setDraft([Math.min(start.current, i), Math.max(start.current, i)]);
      }}
      onPointerUp={commit}
      onPointerLeave={() => start.current !== null && commit()}
    >
      <text x={PAD_L - 4} y={10} textAnchor="end" className="axis-label">
        {formatCount(max)}
      </text>
      <text x={PAD_L - 4} y={H - PAD_B} textAnchor="end" className="axis-label">
        0
      </text>
      {data.map((d, i) => {
        const h = ((H - PAD_B - 4) * d.n) / max;
        return <rect key={d.day} x={PAD_L + i * bw} y={H - PAD_B - h} width={Math.max(1, bw - (bw > 3 ? 1 : 0))} height={h} fill={active && !selected(i) ? '#c3cad4' : '#0b5cad'} />;
      })}
      <line x1={PAD_L} x2={W} y1={H - PAD_B + 0.5} y2={H - PAD_B + 0.5} stroke="#8a94a3" />
      <text x={PAD_L} y={H - 2} className="axis-label">
        {first}
      </text>
      <text x={W} y={H - 2} textAnchor="end" className="axis-label">
        {last}
      </text>
    </svg>
  );
  const table = (
    <table className="data-table">
      <thead>
        <tr>
          <th scope="col">Day</th>
          <th scope="col" className="num">
            Calls
          </th>
        </tr>
      </thead>
      <tbody>
        {data.map((d) => (
          <tr key={d.day}>
            <td>{d.day}</td>
            <td className="num">{formatCount(d.n)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  const total = data.reduce((s, d) => s + d.n, 0);
  return <ChartFrame title="Calls per day" testId="chart-time-series" note={`${formatCount(total)} calls over ${data.length} days. Drag to filter dates.`} chart={chart} table={table} />;
}
