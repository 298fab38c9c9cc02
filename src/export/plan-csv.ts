/**
 * Rotation plan as CSV for a scheduling system: one row per planned visit. Cells go through the
 * shared formula-safe writer (src/export/csv.ts): place labels and addresses come from call data.
 */
import type { RotationPlan } from '../analysis/rotation';
import { toCsvRecords } from './csv';

export function planVisitsCsv(plan: RotationPlan): string {
  const places = new Map(plan.places.map((p) => [p.id, p]));
  const rows = plan.shifts.flatMap((s) =>
    s.units.flatMap((u) =>
      u.schedule.visits.map((v) => ({ s, u, v, p: places.get(v.placeId)! })),
    ),
  );
  const clock = (start: string, minutes: number) => new Date(Date.parse(`${start}:00Z`) + Math.round(minutes) * 60_000).toISOString().slice(0, 16).replace('T', ' ');
  return toCsvRecords(
    rows,
    [
      ['date', (r) => r.s.date],
      ['shift', (r) => r.s.label],
      ['unit', (r) => r.u.unitId],
      ['round', (r) => r.v.round + 1],
      ['arrive', (r) => clock(r.s.start, r.v.arriveMinute)],
      ['leave', (r) => clock(r.s.start, r.v.leaveMinute)],
      ['place_id', (r) => r.p.id],
      ['place', (r) => r.p.label],
      ['address', (r) => r.p.address],
      ['area', (r) => r.p.areaId],
      ['lon', (r) => Number(r.p.center[0].toFixed(6))],
      ['lat', (r) => Number(r.p.center[1].toFixed(6))],
      ['action', (r) => r.p.action],
      ['seed', (r) => r.u.schedule.seed],
    ],
    { bom: true },
  );
}
