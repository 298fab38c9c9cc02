import { interpolateCividis } from 'd3';
import { useRef, useState } from 'react';
import type { HourOfWeekCount } from '../../data/queries/dashboard';
import { cellInBrush, describeFilter, type HourOfWeekBrush, NO_FILTERS, WEEKDAY_SHORT } from '../../state/dashboard-filters';
import { formatCount } from '../format';
import { ChartFrame } from './chart-frame';

const CELL_W = 14;
const CELL_H = 16;
const LEFT = 34;
const TOP = 14;
const HOURS = Array.from({ length: 24 }, (_, h) => h);
const DOWS = [0, 1, 2, 3, 4, 5, 6];

/** Pale = few calls, dark = many (light panel); cividis stays readable for colour-blind viewers. */
export function heatColour(n: number, max: number): string {
  return max > 0 ? interpolateCividis(1 - 0.92 * (n / max)) : '#f4f5f7';
}

interface Props {
  data: HourOfWeekCount[];
  brush: HourOfWeekBrush | null;
  onBrush: (b: HourOfWeekBrush | null) => void;
}

export function HourOfWeekHeatmap({ data, brush, onBrush }: Props) {
  const grid = new Map(data.map((d) => [d.dow * 24 + d.hour, d.n]));
  const max = Math.max(0, ...data.map((d) => d.n));
  const start = useRef<{ dow: number; hour: number } | null>(null);
  const [draft, setDraft] = useState<HourOfWeekBrush | null>(null);
  const shown = draft ?? brush;
  const rect = (a: { dow: number; hour: number }, b: { dow: number; hour: number }): HourOfWeekBrush => ({
    dowFrom: Math.min(a.dow, b.dow),
    dowTo: Math.max(a.dow, b.dow),
    hourFrom: Math.min(a.hour, b.hour),
    hourTo: Math.max(a.hour, b.hour),
  });
  const width = LEFT + 24 * CELL_W + 2;
  const height = TOP + 7 * CELL_H + 2;
  const brushed = shown ? data.filter((d) => cellInBrush(shown, d.dow, d.hour)).reduce((s, d) => s + d.n, 0) : null;

  const chart = (
    <div>
      <svg
        width={width}
        height={height}
        role="img"
        aria-label={`Calls by hour of week, darkest cell ${formatCount(max)} calls. Drag to filter hours.`}
        className="heatmap"
        onPointerLeave={() => {
          if (start.current && draft) onBrush(draft);
          start.current = null;
          setDraft(null);
        }}
        onPointerUp={() => {
          if (draft) onBrush(draft);
          start.current = null;
          setDraft(null);
        }}
      >
        {[0, 6, 12, 18].map((h) => (
          <text key={h} x={LEFT + h * CELL_W} y={TOP - 4} className="axis-label">
            {String(h).padStart(2, '0')}
          </text>
        ))}
        {WEEKDAY_SHORT.map((d, dow) => (
          <text key={d} x={LEFT - 6} y={TOP + dow * CELL_H + CELL_H - 4} textAnchor="end" className="axis-label">
            {d}
          </text>
        ))}
        {DOWS.map((dow) =>
          HOURS.map((hour) => {
            const n = grid.get(dow * 24 + hour) ?? 0;
            const inBrush = cellInBrush(shown, dow, hour);
            return (
              <rect
                key={`${dow}-${hour}`}
                data-cell={`${dow}-${hour}`}
                x={LEFT + hour * CELL_W}
                y={TOP + dow * CELL_H}
                width={CELL_W - 1}
                height={CELL_H - 1}
                fill={heatColour(n, max)}
                opacity={shown && !inBrush ? 0.35 : 1}
                stroke={inBrush ? '#000' : 'none'}
                strokeWidth={inBrush ? 1 : 0}
                onPointerDown={(e) => {
                  e.preventDefault();
                  start.current = { dow, hour };
                  setDraft(rect({ dow, hour }, { dow, hour }));
                }}
                onPointerEnter={() => {
                  if (start.current) setDraft(rect(start.current, { dow, hour }));
                }}
              >
                <title>{`${WEEKDAY_SHORT[dow]} ${String(hour).padStart(2, '0')}:00 — ${formatCount(n)} calls`}</title>
              </rect>
            );
          }),
        )}
      </svg>
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
        {WEEKDAY_SHORT.map((d, dow) => (
          <tr key={d}>
            <th scope="row">{d}</th>
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
      note={brushed !== null ? <>{formatCount(brushed)} calls in {describeFilter({ ...NO_FILTERS, hourOfWeek: shown }, 'hourOfWeek')}</> : 'Drag across cells to filter by hours and days.'}
      chart={chart}
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
