/**
 * The rotation's map data without deck.gl: stops of the selected shift numbered in visit order,
 * unit colours, routes and hover text. The Plan tab, the layer panel and the shift sheets use these
 * without pulling the WebGL layer classes; rotation-layer.ts draws them.
 */
import type { RotationPlan } from '../analysis/rotation';
import { OKABE_ITO } from './palette';

/**
 * Unit colours, Okabe–Ito in an order that keeps the first units far apart (blue, vermillion,
 * green…); yellow comes last because it vanishes on the light basemap.
 */
export const UNIT_COLOURS = [OKABE_ITO.blue, OKABE_ITO.vermillion, OKABE_ITO.green, OKABE_ITO.orange, OKABE_ITO.purple, OKABE_ITO.skyBlue, OKABE_ITO.black, OKABE_ITO.yellow] as const;

export const unitColour = (unitIndex: number): string => UNIT_COLOURS[unitIndex % UNIT_COLOURS.length]!;

/** One place of one unit in the selected shift, numbered in the shift's visit order. */
export interface RotationStop {
  placeId: string;
  unitId: string;
  unitIndex: number;
  /** 1-based position in the unit's visit order */
  number: number;
  position: [number, number];
  /** what the place is called on the sheet (block address when known) */
  name: string;
  action: RotationPlan['places'][number]['action'];
  /** visit windows as wall-clock "HH:MM–HH:MM" */
  windows: string[];
}

export interface RotationRoute {
  unitId: string;
  unitIndex: number;
  path: [number, number][];
}

/** Clock time `minutes` after a shift start ("YYYY-MM-DDTHH:MM", agency wall clock). */
export function shiftClock(start: string, minutes: number): string {
  return new Date(Date.parse(`${start}:00Z`) + Math.round(minutes) * 60_000).toISOString().slice(11, 16);
}

export function rotationStops(plan: RotationPlan, shiftIndex: number): RotationStop[] {
  const shift = plan.shifts[shiftIndex];
  if (!shift) return [];
  const places = new Map(plan.places.map((p) => [p.id, p]));
  return shift.units.flatMap((u, unitIndex) =>
    u.placeIds.flatMap((id, i): RotationStop[] => {
      const p = places.get(id);
      if (!p) return [];
      const windows = u.schedule.visits.filter((v) => v.placeId === id).map((v) => `${shiftClock(shift.start, v.arriveMinute)}–${shiftClock(shift.start, v.leaveMinute)}`);
      return [{ placeId: id, unitId: u.unitId, unitIndex, number: i + 1, position: p.center, name: p.address ?? p.label, action: p.action, windows }];
    }),
  );
}

/** Each unit's round as a closed path: the last stop leads back to the first (the next round). */
export function rotationRoutes(stops: readonly RotationStop[]): RotationRoute[] {
  const byUnit = new Map<string, RotationStop[]>();
  for (const s of stops) byUnit.set(s.unitId, [...(byUnit.get(s.unitId) ?? []), s]);
  return [...byUnit.values()]
    .filter((list) => list.length > 1)
    .map((list) => {
      const ordered = list.slice().sort((a, b) => a.number - b.number);
      return { unitId: ordered[0]!.unitId, unitIndex: ordered[0]!.unitIndex, path: [...ordered.map((s) => s.position), ordered[0]!.position] };
    });
}

/** Hover text: plain text (the map shows it with textContent). */
export function describeStop(s: RotationStop): string {
  const action = s.action === 'patrol-and-refer' ? ' · patrol and refer to outreach' : '';
  return `${s.unitId}, stop ${s.number}: ${s.name}${action} · visits ${s.windows.join(', ') || 'none in this shift'}`;
}

export const ROTATION_PICK_ID = 'rotation-places';
