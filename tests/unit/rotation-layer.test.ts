/**
 * The rotation map layer: stops numbered in each unit's visit order of the selected shift, the
 * visit windows as wall-clock times (a night shift crosses midnight), closed routes per unit,
 * Okabe–Ito unit colours, hover text as plain text, and the Plan tab's pick/describe glue.
 */
import { PathLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import { describe, expect, it } from 'vitest';
import { planRotation, defaultRotationSettings } from '../../src/analysis/rotation';
import { squareGridSpec } from '../../src/analysis/binning';
import type { EvidenceRow } from '../../src/analysis/rotation-candidates';
import { describeStop, ROTATION_PICK_ID, rotationLayers, rotationRoutes, rotationStops, shiftClock, UNIT_COLOURS, unitColour } from '../../src/map/layers/rotation-layer';
import { OKABE_ITO } from '../../src/map/palette';
import { getDashboard } from '../../src/state/dashboard-store';
import { getPlanState, showPlan, updatePlanState } from '../../src/state/plan-store';
import { describePlanPick, loadRotationLayer, pickPlanPlace, planMapLayers } from '../../src/ui/planner/plan-map';

const HOSTILE = '<img src=x onerror=alert(1)>';
const grid = squareGridSpec(-89.6, 35.45, 150);

/** Six busy cells far apart, the first one's calls at a hostile address. */
function evidence(): EvidenceRow[] {
  const rows: EvidenceRow[] = [];
  const cells = [[0, 0], [20, 0], [0, 20], [20, 20], [40, 0], [0, 40]] as const;
  cells.forEach(([col, row], i) => {
    for (let hour = 0; hour < 24; hour++) {
      rows.push({ col, row, hour, typeCode: 'DIST', typeText: i === 0 ? HOSTILE : 'DISTURBANCE', areaId: `A${i}`, district: null, blockAddress: i === 0 ? HOSTILE : `${i}00 Main St`, calls: 3 + i, weighted: 2 + i, recent: 1, referral: 0, selfInitiated: 0 });
    }
  });
  return rows;
}

const plan = planRotation({
  evidence: evidence(),
  evidenceStart: '2026-01-01 00:00:00',
  evidenceEnd: '2026-01-29 00:00:00',
  grid,
  settings: defaultRotationSettings('2026-01-29', { windowDays: 1, units: { '07-15': 2, '15-23': 1, '23-07': 1 }, placesPerUnit: 3, seed: 3 }),
});

describe('rotation layer', () => {
  it('numbers each unit’s places in its visit order with their visit windows', () => {
    const shift = plan.shifts[0]!;
    expect(shift.units).toHaveLength(2);
    const stops = rotationStops(plan, 0);
    expect(stops).toHaveLength(shift.units.reduce((a, u) => a + u.placeIds.length, 0));
    for (const [ui, u] of shift.units.entries()) {
      const mine = stops.filter((s) => s.unitId === u.unitId);
      expect(mine.map((s) => s.placeId)).toEqual(u.placeIds);
      expect(mine.map((s) => s.number)).toEqual(u.placeIds.map((_, i) => i + 1));
      expect(mine.every((s) => s.unitIndex === ui)).toBe(true);
      for (const s of mine) {
        const visits = u.schedule.visits.filter((v) => v.placeId === s.placeId);
        expect(s.windows).toHaveLength(visits.length);
        expect(s.windows[0]).toBe(`${shiftClock(shift.start, visits[0]!.arriveMinute)}–${shiftClock(shift.start, visits[0]!.leaveMinute)}`);
        expect(s.position).toEqual(plan.places.find((p) => p.id === s.placeId)!.center);
      }
    }
    expect(stops[0]!.windows[0]).toMatch(/^07:\d\d–07:\d\d$/);
    expect(rotationStops(plan, 99)).toEqual([]);
  });

  it('reads night-shift times across midnight on the clock', () => {
    expect(shiftClock('2026-01-29T23:00', 75)).toBe('00:15');
    expect(shiftClock('2026-01-29T07:00', 0)).toBe('07:00');
    const night = plan.shifts.findIndex((s) => s.shiftId === '23-07');
    const windows = rotationStops(plan, night).flatMap((s) => s.windows);
    expect(windows.some((w) => w.startsWith('0'))).toBe(true);
  });

  it('closes each unit’s round back to its first stop and colours units Okabe–Ito', () => {
    const stops = rotationStops(plan, 0);
    const routes = rotationRoutes(stops);
    for (const r of routes) {
      const mine = stops.filter((s) => s.unitId === r.unitId);
      expect(r.path).toHaveLength(mine.length + 1);
      expect(r.path[0]).toEqual(r.path[r.path.length - 1]);
      expect(r.path[1]).toEqual(mine.find((s) => s.number === 2)!.position);
    }
    expect(unitColour(0)).toBe(OKABE_ITO.blue);
    expect(unitColour(UNIT_COLOURS.length)).toBe(unitColour(0));
    expect(new Set(UNIT_COLOURS).size).toBe(UNIT_COLOURS.length);
    const [path, discs, numbers] = rotationLayers(stops, { selectedId: stops[0]!.placeId, opacity: 0.5 });
    expect(path).toBeInstanceOf(PathLayer);
    expect(discs).toBeInstanceOf(ScatterplotLayer);
    expect(numbers).toBeInstanceOf(TextLayer);
    expect(discs!.id).toBe(ROTATION_PICK_ID);
    expect(discs!.props.pickable).toBe(true);
    expect(discs!.props.opacity).toBe(0.5);
    const getText = (numbers!.props as unknown as { getText: (s: unknown) => string }).getText;
    expect(stops.map((s) => getText(s))).toEqual(stops.map((s) => String(s.number)));
  });

  it('hover text carries data text verbatim (the map shows it as text)', () => {
    const stops = rotationStops(plan, 0);
    const hostile = stops.find((s) => s.name === HOSTILE);
    expect(hostile).toBeDefined();
    expect(describeStop(hostile!)).toBe(`${hostile!.unitId}, stop ${hostile!.number}: ${HOSTILE} · visits ${hostile!.windows.join(', ')}`);
  });

  it('the app glue: layers only with a visible plan (factory loaded on demand); a click selects the place and opens the Plan tab', async () => {
    updatePlanState({ plan: null });
    expect(planMapLayers(getPlanState())).toEqual([]);
    showPlan(plan, '');
    // first call with a plan starts loading the deck.gl factory and draws nothing yet
    const before = getPlanState();
    expect(planMapLayers(before)).toEqual([]);
    await loadRotationLayer();
    expect(getPlanState()).not.toBe(before);
    expect(planMapLayers(getPlanState())).toHaveLength(3);
    updatePlanState({ layer: { visible: false, opacity: 1 } });
    expect(planMapLayers(getPlanState())).toEqual([]);
    updatePlanState({ layer: { visible: true, opacity: 1 } });
    const stop = rotationStops(plan, 0)[1]!;
    expect(describePlanPick(ROTATION_PICK_ID, stop)).toBe(describeStop(stop));
    expect(describePlanPick('rotation-routes', stop)).toBeNull();
    expect(pickPlanPlace('hotspot-cells', stop)).toBe(false);
    expect(pickPlanPlace(ROTATION_PICK_ID, stop)).toBe(true);
    expect(getPlanState().selectedPlaceId).toBe(stop.placeId);
    expect(getDashboard().tab).toBe('plan');
  });
});
