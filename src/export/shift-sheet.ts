/**
 * Data model of a printable shift sheet: one per unit and shift, in the order the officer drives
 * it. The UI renders it (HTML/print CSS); keeping the content here makes the sheet testable and
 * identical in the app and the CLI.
 */
import type { RotationPlan } from '../analysis/rotation';

export interface ShiftSheet {
  title: string;
  date: string;
  shift: string;
  unitId: string;
  seed: number;
  stops: { time: string; until: string; place: string; area: string | null; action: string; note: string }[];
  dosage: { place: string; visits: number; minutes: number; valuedMinutes: number }[];
  warnings: string[];
  footer: string;
}

export function shiftSheets(plan: RotationPlan): ShiftSheet[] {
  const places = new Map(plan.places.map((p) => [p.id, p]));
  const clock = (start: string, minutes: number) => new Date(Date.parse(`${start}:00Z`) + Math.round(minutes) * 60_000).toISOString().slice(11, 16);
  return plan.shifts.flatMap((s) =>
    s.units.map((u): ShiftSheet => ({
      title: `Directed patrol: ${u.unitId}, ${s.date} ${s.label}`,
      date: s.date,
      shift: s.label,
      unitId: u.unitId,
      seed: u.schedule.seed,
      stops: u.schedule.visits.map((v) => {
        const p = places.get(v.placeId)!;
        return {
          time: clock(s.start, v.arriveMinute),
          until: clock(s.start, v.leaveMinute),
          place: p.address ? `${p.address} (${p.label})` : p.label,
          area: p.areaId,
          action: p.action === 'patrol-and-refer' ? 'Patrol; refer to outreach' : 'Patrol',
          note: p.why[0] ?? '',
        };
      }),
      dosage: u.schedule.dosage.map((d) => ({ place: places.get(d.placeId)!.label, visits: d.visits, minutes: d.presenceMinutes, valuedMinutes: d.valuedMinutes })),
      warnings: u.schedule.warnings,
      footer: `Stay about ${plan.settings.dwellMinutes} minutes per stop; no prescribed activity. Answer calls first; resume the round afterwards. Order drawn with seed ${u.schedule.seed}.`,
    })),
  );
}
