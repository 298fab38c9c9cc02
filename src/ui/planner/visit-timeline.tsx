import { range, scaleLinear } from 'd3';
import { useState } from 'react';
import type { RotationPlan } from '../../analysis/rotation';
import { textOn } from '../../charts/palette';
import { shiftClock, unitColour } from '../../map/rotation-stops';

/**
 * One row per unit across the shift, a bar per visit with the place's number in the unit's
 * visit order: gaps between bars are the time the unit is free for calls. The table beside it
 * carries the same visits for screen readers and print.
 */
export function VisitTimeline({ plan, shiftIndex }: { plan: RotationPlan; shiftIndex: number }) {
  const [view, setView] = useState<'chart' | 'table'>('chart');
  const shift = plan.shifts[shiftIndex];
  if (!shift || shift.units.length === 0) return <p className="small muted">No units in this shift.</p>;
  const minutes = (Date.parse(`${shift.end}:00Z`) - Date.parse(`${shift.start}:00Z`)) / 60_000;
  const width = 480;
  const rowHeight = 26;
  const left = 74;
  const x = scaleLinear().domain([0, minutes]).range([left, width - 8]);
  // whole hours from the shift start, every 2 h (every hour for short shifts), so the clock reads at a glance
  const step = minutes > 360 ? 120 : 60;
  const ticks = range(0, minutes + 1, step);
  const height = 24 + shift.units.length * rowHeight;
  return (
    <section className="visit-timeline" data-testid="visit-timeline" aria-label="Visit timeline">
      <div className="chart-head">
        <h4>Visits through the shift</h4>
        <button type="button" className="button button--small" onClick={() => setView(view === 'chart' ? 'table' : 'chart')}>
          {view === 'chart' ? 'Table' : 'Chart'}
        </button>
      </div>
      {view === 'chart' ? (
        <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={`Visits of ${shift.units.length} unit(s), ${shift.date} ${shift.label}`}>
          {ticks.map((t) => (
            <g key={t} transform={`translate(${x(t)},0)`}>
              <line y1={14} y2={height} stroke="#d5dae1" />
              <text y={10} textAnchor="middle" fontSize={10} fill="#3c4650">
                {shiftClock(shift.start, t)}
              </text>
            </g>
          ))}
          {shift.units.map((u, i) => {
            const y = 18 + i * rowHeight;
            const order = new Map(u.placeIds.map((id, k) => [id, k + 1]));
            return (
              <g key={u.unitId}>
                <text x={0} y={y + 14} fontSize={11} fill="#1f2933">
                  {u.unitId}
                </text>
                {u.schedule.visits.map((v) => (
                  <g key={`${v.placeId}-${v.round}`}>
                    <rect x={x(v.arriveMinute)} y={y + 2} width={Math.max(2, x(v.leaveMinute) - x(v.arriveMinute))} height={rowHeight - 8} fill={unitColour(i)} stroke="#fff" strokeWidth={0.5}>
                      <title>{`${u.unitId} stop ${order.get(v.placeId)}: ${shiftClock(shift.start, v.arriveMinute)}–${shiftClock(shift.start, v.leaveMinute)}`}</title>
                    </rect>
                    {x(v.leaveMinute) - x(v.arriveMinute) >= 8 ? (
                      <text x={(x(v.arriveMinute) + x(v.leaveMinute)) / 2} y={y + rowHeight / 2 + 1} textAnchor="middle" dominantBaseline="middle" fontSize={9} fontWeight={700} fill={textOn(unitColour(i))}>
                        {order.get(v.placeId)}
                      </text>
                    ) : null}
                  </g>
                ))}
              </g>
            );
          })}
        </svg>
      ) : (
        <table className="plan-table">
          <caption>
            Visits, {shift.date} {shift.label}
          </caption>
          <thead>
            <tr>
              <th scope="col">Unit</th>
              <th scope="col">Round</th>
              <th scope="col">Stop</th>
              <th scope="col">Arrive</th>
              <th scope="col">Leave</th>
            </tr>
          </thead>
          <tbody>
            {shift.units.flatMap((u) =>
              u.schedule.visits.map((v) => (
                <tr key={`${u.unitId}-${v.placeId}-${v.round}`}>
                  <td>{u.unitId}</td>
                  <td className="num">{v.round + 1}</td>
                  <td className="num">{u.placeIds.indexOf(v.placeId) + 1}</td>
                  <td>{shiftClock(shift.start, v.arriveMinute)}</td>
                  <td>{shiftClock(shift.start, v.leaveMinute)}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      )}
    </section>
  );
}
